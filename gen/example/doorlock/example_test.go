package doorlock_test

import (
	"fmt"

	"github.com/synfin/synfin/gen/example/doorlock"
)

// A visitor gets the code wrong three times, is locked out, waits, gets
// in, and cannot shut the door while a fire alarm holds it open. The lock
// is then retired.
func Example() {
	s := doorlock.InitialState
	for _, in := range []struct {
		e doorlock.Event
		g doorlock.Guards
	}{
		{doorlock.EventCodeBad, 0},
		{doorlock.EventCodeBad, 0},
		{doorlock.EventCodeBad, doorlock.GuardLastTry},
		{doorlock.EventCodeOk, 0},
		{doorlock.EventTimeout, 0},
		{doorlock.EventCodeOk, 0},
		{doorlock.EventPush, 0},
		{doorlock.EventShut, doorlock.GuardHoldOpen},
		{doorlock.EventShut, 0},
		{doorlock.EventRetire, 0},
	} {
		next, act, ok := doorlock.Step(s, in.e, in.g)
		row := doorlock.Rows[doorlock.Match(s, in.e, in.g)]
		fmt.Printf("%-10s %-8s %-9s -> %-10s %-21s ok=%-5v line %d\n", s, in.e, in.g, next, act, ok, row.Line)
		s = next
	}
	fmt.Println("final:", s.IsFinal())
	// Output:
	// LOCKED     code-bad           -> LOCKED     beep                  ok=true  line 40
	// LOCKED     code-bad           -> LOCKED     beep                  ok=true  line 40
	// LOCKED     code-bad last-try  -> LOCKED-OUT arm-timer|sound-alarm ok=true  line 42
	// LOCKED-OUT code-ok            -> LOCKED-OUT tell-refused          ok=false line 55
	// LOCKED-OUT timeout            -> LOCKED                           ok=true  line 56
	// LOCKED     code-ok            -> UNLOCKED   release|arm-timer     ok=true  line 39
	// UNLOCKED   push               -> OPEN                             ok=true  line 47
	// OPEN       shut     hold-open -> OPEN       beep                  ok=false line 50
	// OPEN       shut               -> LOCKED     bolt                  ok=true  line 51
	// LOCKED     retire             -> RETIRED    bolt                  ok=true  line 58
	// final: true
}
