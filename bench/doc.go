// Package bench measures synfin against general-purpose Go state machine
// libraries, github.com/looplab/fsm and github.com/qmuntal/stateless, on the
// same TCP transitions, and measures the rest of a segment's path through
// package tcpfsm (Endpoint.Segment, ParseHeader) in the same run. It is a
// module of its own so that the peers it compares with never enter the
// dependencies of github.com/synfin/synfin: the library stays lean, and
// this module points at the working tree above it with a replace directive.
//
// Nobody writes the TCP table twice. NewLooplab and NewStateless configure
// the peers from tcpfsm.Rows, the rows generated from spec/tcp.fsm, every
// row including the guarded and the error ones; their comments say how each
// library expresses what the table says, and TestPeersAgreeWithStep checks
// every state, event and guard set against tcpfsm.Step. Active and Passive
// are the connection life cycles the benchmarks drive through all three.
//
// Run the comparison from this directory:
//
//	go test -run '^$' -bench . -benchmem -count 5
//
// or `make bench` from the top of the repository; `make bench-report` runs
// it with the main module's benchmarks and writes the figures and the
// ratios to docs/benchmarks.md (cmd/benchreport). The tests alone
// (`go test ./...`) check the peers, the walks and the zero-allocation
// claims.
package bench
