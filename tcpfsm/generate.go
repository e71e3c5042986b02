package tcpfsm

// fsm_gen.go and tcp.mmd are generated from the TCP table, spec/tcp.fsm.
// After editing the table run "go generate" here; TestGenerated fails while
// either is out of date, and TestDocDiagram while the diagram in doc.go is.
//
// Step and Match are generated as table lookups (-lookup), not the
// generator's default nested switches: every segment an Endpoint takes
// steps the table once, and the lookups are inlined where the switches
// are a call and a jump-table branch that mispredicts as the events vary
// (1.1 ns against 4 ns a step over all state and event pairs; see the
// README's performance section). The rows and their answers are the same.

//go:generate go run ../gen/cmd/fsmgen -spec ../spec/tcp.fsm -lookup -o fsm_gen.go
//go:generate go run ../gen/cmd/fsmgen -spec ../spec/tcp.fsm -format mermaid -o tcp.mmd
