package model_test

import (
	"fmt"

	"github.com/synfin/synfin/model"
)

// clock counts 0, 1, 2, 3 and around again. At 1 it may also stall, and
// stall may go on forever. Whether tick is fair decides whether it must
// eventually show 3.
type clock struct{ fairTick bool }

// The clock's action codes, and how it prints them.
const (
	tick = iota
	stall
)

var clockActions = []string{tick: "tick", stall: "stall"}

func (c clock) Init(yield func(int)) { yield(0) }

func (c clock) Next(s int, yield func(model.Action, int)) {
	a := model.Action{Code: tick}
	if c.fairTick {
		a.Fairness = 1
	}
	yield(a, (s+1)%4)
	if s == 1 {
		yield(model.Action{Code: stall}, 1)
	}
}

func ExampleCheck() {
	res, err := model.Check(clock{fairTick: true}, model.Options[int]{},
		model.Always("below 4", func(s int) bool { return s < 4 }),
		model.Sometimes("shows 2", func(s int) bool { return s == 2 }),
		model.Eventually("shows 3", func(s int) bool { return s == 3 }),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res)
	fmt.Println("example:", res.Property("shows 2").Path)
	// Output:
	// pass: 4 states, 5 transitions, depth 3, 0 terminal, complete
	// always below 4: holds
	// sometimes shows 2: reached (2 steps)
	// eventually shows 3: holds
	// example: 0 -#0/wf1-> 1 -#0/wf1-> 2
}

// Without fairness the clock may stall at 1 forever: the counterexample is
// a lasso, which the system prints with its own names for actions.
func ExampleEventually() {
	res, err := model.Check(clock{}, model.Options[int]{}, model.Eventually("shows 3", func(s int) bool { return s == 3 }))
	if err != nil {
		fmt.Println(err)
		return
	}
	p := res.Property("shows 3")
	fmt.Println(res.Verdict, p)
	fmt.Print(p.Path.Init)
	for _, st := range p.Path.Steps {
		fmt.Printf(" -%s-> %d", clockActions[st.Action.Code], st.State)
	}
	fmt.Print(", then forever:")
	for _, st := range p.Path.Cycle {
		fmt.Printf(" -%s-> %d", clockActions[st.Action.Code], st.State)
	}
	fmt.Println()
	// Output:
	// fail eventually shows 3: violated (1 step then a cycle of 1)
	// 0 -tick-> 1, then forever: -stall-> 1
}
