package model

import "fmt"

// Replay rebuilds a path from choices: choices[0] picks an initial state by
// its position among those Init yields, and each further choice picks a
// successor of the current state by its position among those Next yields.
// It is how the checker turns stored indices into a counterexample, and how
// a test can replay one (see Path.Choices); a lasso's cycle comes back as
// ordinary steps.
func Replay[S comparable](sys System[S], choices []int) (*Path[S], error) {
	if len(choices) == 0 {
		return nil, fmt.Errorf("model: Replay needs at least one choice")
	}
	init, ok := nth(sys.Init, choices[0])
	if !ok {
		return nil, fmt.Errorf("model: no initial state %d", choices[0])
	}
	p := &Path[S]{Init: init, InitIndex: choices[0]}
	steps, err := walk(sys, init, choices[1:])
	p.Steps = steps
	return p, err
}

// nth returns the k-th value an enumeration yields.
func nth[S any](each func(func(S)), k int) (S, bool) {
	var out S
	found := false
	i := 0
	each(func(s S) {
		if i == k {
			out, found = s, true
		}
		i++
	})
	return out, found
}

// walk takes the successors choices picks from s, one after another.
func walk[S comparable](sys System[S], s S, choices []int) ([]Step[S], error) {
	steps := make([]Step[S], 0, len(choices))
	for n, k := range choices {
		st := Step[S]{Index: k}
		found := false
		i := 0
		sys.Next(s, func(a Action, t S) {
			if i == k {
				st.Action, st.State, found = a, t, true
			}
			i++
		})
		if !found {
			return steps, fmt.Errorf("model: step %d: state has %d successors, no successor %d", n+1, i, k)
		}
		steps = append(steps, st)
		s = st.State
	}
	return steps, nil
}

// enabled returns the fairness classes enabled in s and whether s has a
// successor through an action that is not optional (else s is terminal).
func enabled[S comparable](sys System[S], s S) (classes uint64, live bool) {
	sys.Next(s, func(a Action, _ S) {
		live = live || !a.Optional
		if a.Fairness != 0 && a.Fairness <= MaxFairness {
			classes |= 1 << (a.Fairness - 1)
		}
	})
	return classes, live
}

// errReplay explains a counterexample that did not replay as recorded.
func errReplay(what, why string) error {
	return fmt.Errorf("model: the %s does not replay (%s): Next or Init is not deterministic, or a fingerprint collision occurred", what, why)
}

// path replays choices (the stem) and then cycle choices from its last
// state.
func (e *explorer[S]) path(what string, stem, cycle []int) (*Path[S], error) {
	p, err := Replay(e.sys, stem)
	if err != nil {
		return nil, errReplay(what, err.Error())
	}
	if len(cycle) > 0 {
		p.Cycle, err = walk(e.sys, p.Last(), cycle)
		if err != nil {
			return nil, errReplay(what, err.Error())
		}
	}
	return p, nil
}

// verifyLasso checks a liveness counterexample on the real states: goal
// holds nowhere on it, and either it ends in a terminal state, or its cycle
// returns to where it started and is weakly fair.
func (e *explorer[S]) verifyLasso(name string, p *Path[S], goal func(S) bool) error {
	what := "counterexample of eventually " + name
	for _, s := range p.States() {
		if goal(s) {
			return errReplay(what, "the goal holds on the stem")
		}
	}
	if len(p.Cycle) == 0 {
		if _, live := enabled(e.sys, p.Last()); live {
			return errReplay(what, "the last state is not terminal")
		}
		return nil
	}
	if p.Cycle[len(p.Cycle)-1].State != p.Last() {
		return errReplay(what, "the cycle does not return to its start")
	}
	always := ^uint64(0)
	var taken uint64
	for _, st := range p.Cycle {
		if goal(st.State) {
			return errReplay(what, "the goal holds on the cycle")
		}
		en, _ := enabled(e.sys, st.State)
		always &= en
		if f := st.Action.Fairness; f != 0 {
			taken |= 1 << (f - 1)
		}
	}
	if always&^taken != 0 {
		return errReplay(what, "the cycle is not weakly fair")
	}
	return nil
}
