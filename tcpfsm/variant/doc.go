// Package variant steps an Endpoint through a variant of the TCP table:
// a table in the table language of package spec, with the same vocabulary
// as spec/tcp.fsm (rows changed, added, removed or reordered), interpreted
// instead of the generated code. The model checker uses it to check edited
// tables without generating code:
//
//	m, err := spec.ParseFile("edited.fsm")
//	...
//	tab, err := variant.NewTable(m) // m mapped onto the Endpoint by name
//	...
//	e.UseTable(tab)                 // e steps through m's rows
//
// The interpreter is a package of its own so that the Endpoint does not
// depend on the table language: package tcpfsm sees a variant only as a
// tcpfsm.Table deciding by its tcpfsm.Rules, and variant supplies those
// Rules. variant imports tcpfsm and spec; tcpfsm imports neither.
package variant
