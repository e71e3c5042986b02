package tcpfsm

// fsm_gen.go and tcp.mmd are generated from the TCP table, spec/tcp.fsm.
// After editing the table run "go generate" here; TestGenerated fails while
// either is out of date, and TestDocDiagram while the diagram in doc.go is.

//go:generate go run ../gen/cmd/fsmgen -spec ../spec/tcp.fsm -o fsm_gen.go
//go:generate go run ../gen/cmd/fsmgen -spec ../spec/tcp.fsm -format mermaid -o tcp.mmd
