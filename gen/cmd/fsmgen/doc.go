// Fsmgen turns a transition table into Go source, a Graphviz graph or a
// Mermaid diagram, on its own or as a package comment. It is meant to
// run from a //go:generate line:
//
//	//go:generate go run github.com/synfin/synfin/gen/cmd/fsmgen -spec doorlock.fsm -o doorlock_gen.go
//
// Usage:
//
//	fsmgen -spec FILE [-o FILE] [-pkg NAME] [-format go|dot|mermaid|godoc] [-lookup]
//
// The flags are:
//
//	-spec FILE   the table to read (required)
//	-o FILE      the file to write; "-" writes to standard output. The
//	             default is the table's base name with its extension
//	             replaced by _gen.go, .dot, .mmd or _doc_gen.go, in the
//	             current directory.
//	-pkg NAME    the package clause of Go and godoc output; the default
//	             is $GOPACKAGE, which go generate sets
//	-format F    go (the default), dot, mermaid, or godoc: a Go file
//	             whose package comment is the Mermaid diagram
//	-lookup      write Step and Match of Go output as lookups in two
//	             generated arrays instead of nested switch statements
//
// Fsmgen exits with status 0 on success and 2 on any error, after printing
// one line per problem on standard error; table errors print as
// file:line:col: message. It never leaves a partly written output file
// behind, and it does not touch an output file whose contents would not
// change. The package documentation of github.com/synfin/synfin/gen is the
// full manual: the table language, the generated API and the diagrams.
package main
