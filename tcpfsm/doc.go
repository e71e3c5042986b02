// Package tcpfsm is a TCP connection endpoint without I/O, driven by the
// RFC 9293 state machine in spec/tcp.fsm, together with the pieces an
// embedder needs around it: sequence numbers (Seq, from package
// tcpfsm/seqnum), initial sequence numbers (ISN), and the conversion of
// segments to and from the headers of the codec in package tcpfsm/wire
// (Segment.Header, SegmentFromHeader; see wire.go for why tcpfsm imports
// the codec and not the other way round).
//
// # The endpoint
//
// An Endpoint is one end of one connection. It does no I/O, has no clock,
// starts no goroutines and keeps no buffers: the caller (the embedder)
// calls it for the user's calls, for each arriving segment and for each
// timer that runs out, and every call answers in an Output that the caller
// owns: the segments to send, what to do with each timer, and what to tell
// the user.
//
//	e := tcpfsm.NewEndpoint(tcpfsm.Config{ISS: iss})
//	var out tcpfsm.Output
//	e.OpenActive(&out)              // out.Segments(): <SEQ=iss><CTL=SYN>
//	                                // out.Timers[TimerRetx]: arm, 1s
//	e.Segment(synAck, &out)         // out.Tell: TellEstablished; an ACK to send
//	e.Send(5, &out)                 // a segment with stream bytes [0, 5)
//	e.Timeout(tcpfsm.TimerRetx, &out) // when the caller's timer ran out
//
// The user calls are those of RFC 9293 section 3.9.1 that change the
// connection: OpenPassive, OpenActive, Send, Close and Abort; Call makes
// any call by its event, including those a table of one's own adds. RECEIVE has
// no call: received data is reported at once (Output.Data), and the caller
// delivers it. With Config.Buffered the caller says when it has read it
// (Read): the window is then the free space of a receive buffer of
// Config.RcvWnd bytes, which shrinks as data arrives and reopens, with a
// window update, as the caller reads (RFC 9293 section 3.8.6; its right
// edge never moves left). A call the RFC refuses leaves the connection as it was and
// sets Output.Err to the RFC's answer (ErrExists "connection already
// exists", ErrClosing "connection closing", ErrNoConn "connection does not
// exist", ErrUnspecified, ErrResources).
//
// An Endpoint is a comparable value: copying it copies the connection. A
// program that keeps many connections of one configuration (a middlebox's
// connection table, a model checker's states) can keep each as a Snapshot
// instead, the connection without its Config: 80 bytes and no pointers,
// put back into an Endpoint of that Config with Restore.
//
// # Data in sequence space
//
// The Endpoint accounts for data by sequence number only. Send(n) appends
// n bytes to the send stream; the caller keeps them, and copies bytes
// [Off, Off+Len) of the stream into each OutSegment that carries data.
// Output.Acked tells how many bytes the peer acknowledged, so the caller
// may drop them. Received data is reported as a Range of the receive
// stream (Output.Data), found in the segment's payload from
// Output.DataSkip on. Both streams count from 0 at ISS+1 and IRS+1.
//
// The send side keeps SND.UNA, SND.NXT, SND.WND and SND.END, the end of
// the queued data, where our FIN goes: it is sent only when all data
// before it is, and combined with the last data segment when they go out
// together. The receive side keeps RCV.NXT and, with Config.Buffered, how much of
// the buffer is unread; RCV.WND follows from them. The two sides are
// independent, so half-close works both ways: in CLOSE-WAIT the user may
// go on sending, in FIN-WAIT-2 the peer may.
//
// Only in-order data is taken. A segment that starts beyond RCV.NXT is
// dropped and answered with an ACK (a duplicate ACK for the peer), which
// keeps the Endpoint free of buffers; the peer retransmits.
//
// # Segments and the table
//
// Each arriving segment is classified into exactly one table event by the
// checks of RFC 9293 section 3.10.7, in their order (classify.go): in
// CLOSED and LISTEN by its control bits; in SYN-SENT by its ACK field,
// then RST, then SYN; in the synchronized states by the acceptability test
// on SEG.SEQ (the four cases, modulo 2^32), then RST and SYN as RFC 5961
// has them (an RST exactly at RCV.NXT resets, one elsewhere in the window
// draws a challenge ACK; a SYN draws a challenge ACK), then the ACK field
// (beyond SND.NXT, too old per RFC 5961 section 5, acknowledging our SYN,
// our FIN), then an in-order FIN. The generated Step then decides the
// event, and the Endpoint performs the row's actions. Output.Step records
// the step (state, event, guards, row), so tests can measure which rows
// of Rows they cover.
//
// The table's events, actions and guards are documented in spec/tcp.fsm,
// with the RFC section of every row and the reasons for every choice the
// RFC leaves open. Pairs that the classifier never produces are error rows
// there; reaching one shows as a step with OK false on a segment or timer
// event, and the tests require that it never happens.
//
// # Timers
//
// Three timers: retransmission (TimerRetx, RFC 6298 with one timer for the
// connection, exponential backoff, retry limits, go-back from SND.UNA),
// TIME-WAIT (TimerTimeWait, 2 MSL) and FIN-WAIT-2 (TimerFinWait2, not in
// the RFC; see Config.FinWait2). An Output arms a timer for a duration or
// cancels it; the caller calls Timeout when one runs out. The
// retransmission timer follows what is outstanding; the other two are
// armed by the table (timers.go). Durations are Config values.
//
// # Choices
//
// Where RFC 9293 leaves a choice, or Linux does what users know:
//
//   - Text and FIN carried by a SYN or SYN-ACK are not taken; the ACK
//     covers the SYN only and the peer sends them again, as Linux does
//     without TCP Fast Open.
//   - SEND in LISTEN answers "remote socket unspecified": the Endpoint
//     has one peer, chosen by the embedder, who calls OpenActive to go
//     active from LISTEN.
//   - CLOSE in SYN-RECEIVED moves to FIN-WAIT-1 at once; the FIN waits
//     behind queued data.
//   - RST in SYN-SENT tells "connection reset", as RFC 9293 says; Linux
//     reports ECONNREFUSED.
//   - SYN and SYN-ACK are retried 7 times (giving up after 183 s, for
//     RFC 9293's 3 minutes; Linux retries 6 times, 127 s), data and FIN
//     15 times as in Linux; giving up sends no RST.
//   - TIME-WAIT lasts 2 MSL = 4 minutes; Linux uses 60 s. RST in TIME-WAIT
//     closes it unless Config.RFC1337.
//   - FIN-WAIT-2 ends after 60 s without a segment (Linux's tcp_fin_timeout
//     as an idle timer); RFC 9293 has no such limit.
//   - A retransmitted FIN in TIME-WAIT is acknowledged and restarts the
//     2 MSL timer, as RFC 9293 and Linux intend, though it fails the
//     sequence test.
//   - The SYN-ACK of a simultaneous open, which reaches SYN-RECEIVED with
//     its SYN at IRS, is read as the ACK of our SYN, as Linux does.
//   - A segment without sequence space (other than an RST) exactly at the
//     right edge of the receive window, SEG.SEQ = RCV.NXT+RCV.WND, is
//     acceptable, as in Linux and the BSDs: under the strict test of RFC
//     9293 Table 6, two ends that have filled each other's window and lost
//     the data trade ACKs for ever. Our FIN likewise waits for room in the
//     send window, as in Linux, so SND.NXT never passes the peer's right
//     edge.
//   - Data queued by SEND in SYN-RECEIVED after a passive OPEN is dropped
//     without a word if the connection returns to LISTEN, as RFC 9293
//     section 3.10.7.4 says ("The user need not be informed").
//   - There is no RTT estimation (it needs a clock), congestion control,
//     Nagle, delayed ACK, PSH, urgent data or options: the embedder adds
//     what it needs around the Endpoint (SetRTO takes an RFC 6298
//     estimate).
//
// # Variant tables
//
// NewTable of package tcpfsm/variant maps an edited table, parsed by
// package spec, onto the Endpoint by name, and UseTable makes an Endpoint
// step through it with the spec interpreter instead of the generated code.
// This is how the model checker tries variants of spec/tcp.fsm. The
// Endpoint sees a variant only as a Table deciding by its Rules, so that
// importing tcpfsm does not import the table language. CheckInvariants states
// what must hold between the state and the Endpoint's variables after
// every call; it is cheap enough to call after each one.
package tcpfsm

// The state diagram that ends the package documentation is the package
// comment of tcp_doc_gen.go, which go generate writes (see generate.go).
