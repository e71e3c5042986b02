package tcpfsm

// fsm_gen.go, tcp.mmd and tcp_doc_gen.go are generated from the TCP table,
// spec/tcp.fsm. After editing the table run "go generate" here;
// TestGenerated fails while any of them is out of date. tcp_doc_gen.go
// holds the state diagram as a package comment, which go doc shows after
// the text of doc.go (TestDocDiagram).
//
// Step and Match are generated as table lookups (-lookup), not the
// generator's default nested switches: every segment an Endpoint takes
// steps the table once, and the lookups are inlined where the switches
// are a call and a jump-table branch that mispredicts as the events vary.
// The rows and their answers are the same.

//go:generate go run ../gen/cmd/fsmgen -spec ../spec/tcp.fsm -lookup -o fsm_gen.go
//go:generate go run ../gen/cmd/fsmgen -spec ../spec/tcp.fsm -format mermaid -o tcp.mmd
//go:generate go run ../gen/cmd/fsmgen -spec ../spec/tcp.fsm -format godoc -o tcp_doc_gen.go
