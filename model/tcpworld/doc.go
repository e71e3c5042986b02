// Package tcpworld is the TCP world that tcpcheck model-checks and the
// property tests of proptest drive: two tcpfsm Endpoints, A and B, their
// two applications, a bounded network between them that may lose,
// reorder and duplicate segments, and the endpoints' timers. It is a
// model.System: Init gives the initial states, Next every enabled action
// in a deterministic order, and Properties the named properties the world
// must have. Apply performs one action, so a property test can take the
// actions a generator picks instead of all of them, and Trace turns any
// run into a message sequence chart (WriteChart) or JSON.
//
// # The world
//
// A World is one state: both endpoints (as tcpfsm.Snapshot values, the
// connection without the Config and table, which the System restores for
// each step through the generated table or a variant tcpfsm.Table), what
// each application has done, the segments in flight, how many
// duplications the network may still make, and the first fault found on
// the way. It is a comparable value with one representation per state:
// segments in flight are kept sorted (a multiset with reordering, a FIFO
// queue per direction without), and what cannot change the future is not
// kept (no Output, no timer durations, no SND.WL1 and SND.WL2 while
// windows do not change: see store.go). A segment keeps its window only
// as how far it lies below its sender's full window, which is always 0
// unless the applications read lazily. It holds no pointers, so that the
// explorer's queues of states cost the garbage collector nothing.
//
// Application A opens actively; B opens passively or actively
// (Config.Open: "any" lets it choose, which covers the client-server
// handshake and the simultaneous open). Once open, an application may
// SEND its Config.Data bytes in MSS-sized calls and CLOSE at any moment
// its endpoint accepts the call (a call the table refuses with an error
// row and no effect is not an action); with Config.Abort one of them may
// ABORT once. Every segment an endpoint sends enters the network, which
// holds at most Config.Capacity of them; a segment that finds it full is
// dropped, as a full queue drops it. The network may deliver any segment
// in flight (with Config.Reorder; otherwise the oldest one each way),
// lose any segment (Config.Loss), or copy one (at most Config.Dup times
// in a run).
//
// With Config.LazyRead an application does not take received data at
// once: its endpoint keeps it in a receive buffer of Config.Window bytes
// (tcpfsm.Config.Buffered) until the application reads it, an MSS at a
// time (a Read action), so the window the endpoint offers shrinks, closes
// and reopens, and the peer probes a zero window. With Config.Misbehave
// a misbehaving peer may inject that many crafted segments in a run
// (Inject, see crafted): data beyond the receive window, a FIN past its
// edge, data with an ACK older than RFC 5961 accepts, data left of
// RCV.NXT. Each arrives at once, carries none of the sender's stream,
// and must be refused.
//
// A loss is decided when the segment is sent: the step that sends k
// segments comes in up to 2^k versions (Action.Lost), one per choice of
// the segments the network loses, and a lost segment never enters the
// network. This is the same as losing segments in flight at any time: a
// loss commutes with every other step, and losing a segment later only
// keeps a slot of the network busy and TIME-WAIT from ending meanwhile,
// which restricts what else may happen and adds nothing the endpoints
// could tell apart. (It also makes the same states: the network is a
// multiset either way.) Losing a segment that a full network would drop
// anyway is not a version of its own: the version that keeps the segment
// reaches the same state by the same step.
//
// # Time
//
// Time is abstract: the world has no clock, only an order of events, and
// every timer duration is forgotten. What the durations guarantee is
// kept as a rule about when a timer may run out:
//
//   - The retransmission timer may run out at any moment it is armed. An
//     early timeout only sends a copy of what is already in flight (a
//     duplicate), which the network may also do, so no real RTO is
//     excluded; the retry limits (Config.Retries) keep every run finite.
//   - The TIME-WAIT timer may run out only when no segment bound for its
//     endpoint is in flight. 2 MSL is twice the longest a segment can
//     live in the network: by the time it expires, every segment that was
//     in flight when the endpoint entered TIME-WAIT, or that the peer sent
//     since, has arrived or died. A segment the peer sends later (a FIN
//     retransmitted after its own long backoff) may still find the
//     endpoint CLOSED, which the world allows.
//   - The FIN-WAIT-2 timer may run out at any moment it is armed. It is
//     an idle timer (60 s by default, shorter than one MSL) restarted by
//     every acceptable segment, and the peer's application may stay silent
//     for as long as it likes while its segments may still be delayed by
//     up to an MSL; so whenever it is armed there is a real schedule in
//     which it expires. Restricting it like TIME-WAIT would hide the runs
//     in which the peer's FIN or data arrive after it (and draw an RST).
//
// # Incarnations
//
// With Config.Incarnations N above 1, an application whose connection
// has ended (its endpoint is CLOSED again) may OPEN again on the same pair
// of sockets, by the same open rules, until it has opened N times; its
// streams start afresh. Every segment carries its sender's incarnation
// (a reset from a CLOSED endpoint carries the next one: it belongs to no
// connection), and each incarnation remembers the first incarnation of
// the peer it may hear from: the peer's current one when it opened, or
// the next if that one had ended (CLOSED, or in TIME-WAIT, where it only
// waits for the old connection to die). The property "no old duplicate
// accepted" is that no endpoint takes a segment of an earlier peer
// incarnation as data, a FIN, an ACK (SND.UNA moves, or a handshake
// completes) or an RST that ends a connection whose SYN was acknowledged
// (or in SYN-SENT). An old SYN taken into SYN-RECEIVED, and a reset that
// undoes such a connection, do not count: the three-way handshake is
// how TCP finds out that a SYN is old (RFC 9293 section 3.5).
//
// The new incarnation's ISS is chosen by the world among (issOf): the
// clock's, beyond the old connection's sequence space and the peer's
// window, as RFC 6528's timer M gives once it has moved on; and, for a
// side whose last connection ended where TIME-WAIT guards it (from
// TIME-WAIT, or by a step RFC 9293 takes into TIME-WAIT, without ABORT),
// two that collide with the old space: the old ISS (a clock that
// wrapped) and the old space's end less 2 (a connection that sent faster
// than the clock ticks). RFC 9293 section 3.4.1 assumes ISNs do not
// collide while old segments live, which a clock cannot promise; TIME-WAIT
// is what makes a collision harmless for the side that closed first. The
// side that closed second, or whose connection was cut, reopens at once
// and relies on its clock, so the world gives it only the clock's value.
//
// Segments live at most MSL, and TIME-WAIT lasts 2 MSL. With incarnations
// the TIME-WAIT timer may run out only when nothing bound for the
// endpoint is in flight and nothing its current incarnation sent is
// either: 2 MSL after its last segment they have all died. An RST that
// TIME-WAIT obeys (without RFC 1337) ends it at once, whatever is in
// flight: this is RFC 1337's TIME-WAIT assassination, and on the table
// as written it lets an old duplicate into the next incarnation, which
// -rfc1337 prevents. With Config.ShortTimeWait the timer may run out
// while segments are still in flight, as a TIME-WAIT shorter than 2 MSL
// would, and an old duplicate gets in either way: the reason for 2 MSL. A
// table that skips TIME-WAIT (tcptest.TimeWaitSkipped) is caught earlier,
// by the RFC reference, at the FIN that should have led to TIME-WAIT.
//
// # Fairness
//
// A run that stops must end in a terminal state; a run that goes on for
// ever must be weakly fair (package model): an action class that stays
// enabled from some point on must be taken again and again. The classes:
//
//   - each application's OPEN (it eventually opens) and each one's CLOSE
//     (once open, it eventually closes, whatever it has sent);
//   - each armed timer of each endpoint (it eventually runs out, as long
//     as it may: TIME-WAIT's stays disabled while a segment is on its
//     way);
//   - each application's reading, with lazy reads: one that has data to
//     read eventually reads it;
//   - delivery to each endpoint: a segment the network has not lost does
//     not stay in flight for ever. No segment outlives its maximum
//     lifetime, the very fact that lets TIME-WAIT end; without this an
//     old segment could hold TIME-WAIT off for ever, a run no network can
//     show. It owes nothing: a loss is decided when a segment is sent
//     (Action.Lost), so the network may still lose any segment, every
//     time; what it has not lost is on its way. The class is per
//     destination, not per segment (the world does not tell segments
//     apart by age), so in a run that goes on for ever an old segment may
//     be passed over while newer ones to the same endpoint arrive, which
//     takes an endpoint that sends for ever.
//
// Nothing else is owed: SEND, ABORT, duplication and injection are never
// forced, and loss may go on for ever. Runs still end, because the endpoints'
// retries are bounded and the network only carries what an endpoint step
// sent; a run that stops does so in a terminal state, where nothing is in
// flight (delivery would be enabled).
//
// With Config.Abort the world starts with one ABORT to make, and an ABORT
// is an optional action (model.Action.Optional): no run has to take it, so
// a state in which the endpoints are stuck is terminal, and a deadlock,
// even though an application could still abort there. This checks what
// two initial states would, one in which no application may abort and one
// in which one may, once (a state stuck but for an ABORT would be a
// deadlock in the first); it is package model's argument for optional
// actions, with a budget of one. Its conditions hold: the ABORT left
// (World.AbortsLeft) enables the two applications' ABORT actions and
// nothing else, every other action is enabled, and leads to the same
// state but for it, whether it is there or not, and no property, nor
// Terminal, reads it. So every state of the world without an ABORT has a
// twin that still has one, reached by the same actions in as many steps:
//
//   - Always and Sometimes properties hold at the twin exactly when at
//     the state, so the violations and examples are the same, and their
//     shortest paths as short;
//   - a state whose only actions are ABORTs is the twin of one with none,
//     so the deadlocks are the same, as near;
//   - an ABORT has no fairness class, so a weakly fair run without one is,
//     through the twins, a weakly fair run of the world with one, and a
//     run that stops ends in a terminal state in both; the liveness
//     violations are the same, with stems as short.
//
// The rank counts the ABORT left among its budgets; it holds on this world
// because this world is the part of the two that starts with an ABORT to
// make, and model checks it anyway.
//
// # Properties
//
// Properties returns them by name (the Prop constants): the endpoints'
// invariants after every step (tcpfsm's CheckInvariants, SND.UNA =<
// SND.NXT, and while both are ESTABLISHED each side's RCV.NXT within
// [ISS+1, SND.NXT] of the other and its SND.UNA no further than the
// other's RCV.NXT); no error row reached by a segment or a timer; every
// acceptable RST obeyed; data delivered in order, exactly once, and the
// end of a stream only after all of it; no receive window's right edge
// moved left and no data taken beyond it; nothing taken of a crafted
// segment; all data delivered when both end
// CLOSED normally; and, on every fair run, both endpoints reach CLOSED
// after both applications opened. Terminal states other than both CLOSED
// with nothing in flight are deadlocks (Terminal, for
// model.Options.Terminal). Sometimes properties (both ESTABLISHED, a
// simultaneous open, CLOSING, TIME-WAIT, FIN-WAIT-2, LAST-ACK, data
// delivered, and with lazy reads of at least a window of data a zero
// window offered) make a model that explores too little fail.
//
// Each step of an endpoint is also held to RFC 9293 itself, so that a
// table or classifier mistake that still lets both ends reach CLOSED is a
// violation. A small reference written from section 3.10.7 and RFC 5961,
// not from tcpfsm's classifier or spec/tcp.fsm (rfc.go), says for the
// connection before a segment arrives (its state and SND.UNA, SND.NXT,
// RCV.NXT, RCV.WND, ISS, IRS) and the segment which states may follow,
// what must be sent, what becomes of RCV.NXT and SND.UNA and what the user
// must be told; where spec/tcp.fsm documents a choice (RFC 5961's
// challenge ACKs, RFC 1337, Linux's right-edge ACK, text on a SYN not
// taken) it makes the same one. Eight properties name what the judgement
// finds: an RST obeyed only when acceptable; ESTABLISHED only after our SYN
// is acknowledged; FIN-WAIT-2, TIME-WAIT and a normal CLOSED only after our
// FIN is acknowledged; CLOSE-WAIT, CLOSING and TIME-WAIT only after the
// peer's FIN; unacceptable segments answered with an ACK; SYNs answered as
// the RFC says; every other segment answered as section 3.10.7 says; and
// every segment sent inside the window the receiver offers. Each is an
// Always property over a Fault that the step raises (judge.go).
//
// A step that breaks a property records a Fault in the state it leads to
// (an invariant is judged on the state itself); such a state has no
// successors, counts as an acceptable end, and satisfies the liveness
// goal, so that one bug is reported once, by the property it breaks.
//
// # Rank
//
// System is a model.Ranker: Rank measures how much the world has left to
// do (budgets, handshakes that may still start, connections, sequence
// space, retries, segments weighed by the answers they may draw), a
// number no step raises before both endpoints reach CLOSED. With it the
// liveness check keeps under 1% of the transitions instead of all of them
// (docs/benchmarks.md has the bytes a state it keeps). The rank is a
// speed-up, not an assumption: model checks it on every step and falls
// back to the whole graph when a table variant breaks it, so verdicts do
// not depend on it. See Rank for its parts.
package tcpworld
