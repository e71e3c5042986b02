// Package proptest holds synfin's property tests: gopter properties over
// the generated state machine, the tcpfsm.Endpoint API and the TCP world
// that the model checker explores. It has no API; everything is in its
// tests.
//
// # Running
//
//	make proptest        # go test -count=1 ./proptest
//	make proptest-long   # go test -count=1 ./proptest -long
//
// Every run prints its seed (go test -v shows it; a failing run always
// does):
//
//	proptest: seed 1, runs x1 (replay: go test ./proptest -run NAME -seed 1)
//
// The flags, given after the package:
//
//	-seed N   the gopter seed. The default, 1, makes the default run
//	          reproducible: the same schedules and the same coverage
//	          every time. Every property starts from the seed, so one
//	          property replays alone under -run.
//	-long     ten times the runs, from a random seed unless -seed is
//	          given. A failure prints the seed; replay it with
//	          go test ./proptest -long -seed N.
//
// # The properties
//
// Generated versus reference (TestGeneratedMatchesInterpreter): random
// sequences of (event, guards) go to the generated Step and Match of
// package tcpfsm and to the spec interpreter's Machine.Step and Match on
// spec/tcp.fsm, from CLOSED, and the traces (state, event, guards,
// deciding row, next state, actions, ok), compared by name, must be
// equal; the same for the doorlock example of package gen. A mismatch is
// shrunk to the shortest sequence gopter finds and printed as a go-cmp
// diff of the two traces. The sequences must reach every row.
// TestReferenceCatchesDrift shows that a drifted interpreter is caught and
// shrunk to a sequence from which no stimulus can be removed.
//
// Two endpoints over a hostile network (TestEndpointProperties/properties/
// hostile_network): gopter generates whole schedules for the TCP world of
// package model/tcpworld, the world that the model checker tcpcheck
// explores, with the same actions in the same order. A schedule is a
// world configuration, larger than the checker can enumerate (up to 8
// segments in flight, 15 duplications, 6 retries, 48 bytes each way in
// segments of up to 8 bytes, small windows, loss and reordering mostly
// on, an ABORT in a quarter of the runs, RFC 1337 in a quarter), initial
// sequence numbers anywhere in the 32-bit space with a third of them
// within 16 of 2^32, and a choice sequence. Each choice picks one of the
// actions the world enables at that step, weighted so that runs get
// somewhere (deliveries more often than copies, opens and sends more
// often than closes, aborts and timer expiries; the world decides losses
// as segments are sent, and each lost segment has odds of 1 to 5), choice
// 0 always the first action. The window is kept to three segments of data
// where the data would need more, because the world offers every subset
// of a step's segments as lost. When the choices are used up a fair
// default policy finishes the run: an application that has not opened
// opens; else the first segment in flight is delivered; else an
// application sends, then closes; else a timer runs out, retransmission
// first and FIN-WAIT-2 last. It loses and copies nothing and aborts only
// when nothing else is left, so a correct TCP always ends. On every step
// the run checks the world's invariants, the Always properties the
// checker checks (endpoint invariants, no error row, acceptable RST
// obeyed, data in order and exactly once, end of stream after all data,
// segments as modelled, all data delivered unless the connection was
// cut), and on its own that no segment or timer event steps through an
// error row, that both Endpoints are in one of the table's states and
// that CheckInvariants holds. The run must end (no action enabled) within
// 4000 steps, and the default policy must never come back to a state it
// has left (it is deterministic, so that would go round for ever); at the
// end both endpoints must be CLOSED with nothing in flight. The runs
// together must reach every Sometimes property of the world (both
// ESTABLISHED, simultaneous open, data delivered, CLOSING, TIME-WAIT,
// FIN-WAIT-2, LAST-ACK), or they explore too little.
//
// A failing schedule shrinks: runs of choices are removed, then choices
// set to 0, then the configuration shrinks towards the checker's small
// world (less data, fewer duplications and retries, MSS 1, the default
// window, fewer segments in flight, no ABORT). The shrunk schedule is
// printed with the violated property and its message sequence chart.
// TestSensitivity runs the property against broken tables the checker
// must catch, from package tcpfsm/tcptest's named list (no TIME-WAIT
// expiry; LAST-ACK that never retransmits its FIN; CLOSE-WAIT that closes
// without a FIN; SYN-RECEIVED ignoring RST), and requires each to fail the
// expected property with a shrunk schedule. TestRandomWorld runs the same
// checks on schedules from seeds of their own (math/rand, not gopter): a
// client and a server with a 20-byte MSS and windows of 20 to 119 bytes,
// every fault at the world's limits, 200 random choices, then the default
// policy.
//
// The stateful API test (TestEndpointProperties/properties/api): gopter's
// commands package drives one Endpoint with random user calls (OpenPassive,
// OpenActive, Send, Close, Abort), timer expiries, due or stale, and the
// segments of a well-behaved peer that carry the connection through every
// state, plus the stray ones the RFC answers without a change of state
// (no ACK bit, an ACK of unsent data, an RST or data outside the window, a
// SYN in a synchronized state). A model written from RFC 9293 sections
// 3.10.1 to 3.10.5 (and 3.10.7, 3.10.8, RFC 5961 and RFC 6298 for
// segments and timers, plus the choices tcpfsm documents where the RFC
// leaves one), not from the table, predicts each answer: Output.Err
// (ErrExists, ErrClosing, ErrNoConn, ErrUnspecified, ErrResources), the
// state after, what the user is told, which timers run, the bytes queued
// and received, and the segments sent; a refused call or a stale timer
// must leave the Endpoint unchanged.
//
// Row coverage (TestEndpointProperties/row_coverage): both Endpoint
// properties record the table row of every step (Output.Step.Row), and
// together they must step through every row of spec/tcp.fsm that an
// Endpoint can reach. Reachability is read off the table: an error row
// without actions marks a pair the Endpoint never produces (tcpfsm's
// conformance tests prove each unreachable by construction); every other
// row, including the error rows that answer a refused user call, must be
// hit. The coverage of rows and of (row, state) pairs is printed.
//
// No test looks at the clock: run counts, not durations, bound the work.
package proptest
