// Package doorlock is an example of fsmgen's output: a door lock with a
// keypad, described by the table doorlock.fsm and compiled into
// doorlock_gen.go by the go:generate line below. It shows what a package
// downstream of synfin does: keep the table next to the code, generate,
// commit the generated file, and call Step.
//
// After editing doorlock.fsm, run "go generate" in this directory; the
// tests of package gen fail while doorlock_gen.go is out of date.
package doorlock

//go:generate go run github.com/synfin/synfin/gen/cmd/fsmgen -spec doorlock.fsm -o doorlock_gen.go
