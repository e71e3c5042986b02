package model

import (
	"slices"
	"time"
)

// finish decides the properties, builds and verifies counterexamples, and
// assembles the result.
func (e *explorer[S]) finish() (*Result[S], error) {
	r := &Result[S]{
		Complete:     e.complete,
		States:       e.states,
		Transitions:  e.trans,
		MaxDepth:     e.maxDepth,
		Terminal:     e.terminal,
		Stopped:      e.stop,
		Levels:       e.depth,
		Deadlocks:    e.deadlocks,
		Workers:      e.crew.n,
		RankRejected: e.rankErr,
		GraphEdges:   e.graphEdges(),
		Properties:   make([]PropertyResult[S], len(e.props)),
	}
	fail := false
	if e.deadlocks > 0 {
		fail = true
		p, err := e.deadlockPath()
		if err != nil {
			return nil, err
		}
		r.Deadlock = p
	}
	for i, prop := range e.props {
		pr, err := e.decide(i, prop)
		if err != nil {
			return nil, err
		}
		if pr.Status == Violated {
			fail = true
		}
		r.Properties[i] = pr
	}
	switch {
	case fail:
		r.Verdict = Fail
	case !e.complete:
		r.Verdict = Incomplete
	default:
		r.Verdict = Pass
	}
	r.Memory = e.memory()
	if e.watch != nil {
		r.PeakRSS = max(e.watch.peak.Load(), ResidentBytes())
	}
	r.Duration = time.Since(e.start)
	if r.Duration > 0 {
		r.StatesPerSecond = float64(r.States) / r.Duration.Seconds()
	}
	return r, nil
}

// deadlockPath is the path to the first deadlock, checked on the rebuilt
// states.
func (e *explorer[S]) deadlockPath() (*Path[S], error) {
	p, err := e.path("deadlock", e.choicesTo(e.deadlock), nil)
	if err != nil {
		return nil, err
	}
	if _, live := enabled(e.sys, p.Last()); live || !e.deadlockError(p.Last()) {
		return nil, errReplay("deadlock", "the last state is not a rejected terminal state")
	}
	return p, nil
}

// decide is the outcome of property i, prop.
func (e *explorer[S]) decide(i int, prop Property[S]) (PropertyResult[S], error) {
	if prop.Kind == KindEventually {
		return e.decideEventually(prop, e.goalOf[i])
	}
	pr := PropertyResult[S]{Name: prop.Name, Kind: prop.Kind}
	id := e.found[i]
	if id == noState {
		if e.complete {
			pr.Status = Holds
			if prop.Kind == KindSometimes {
				pr.Status = Violated
			}
		}
		return pr, nil
	}
	what := "counterexample of always " + prop.Name
	pr.Status = Violated
	if prop.Kind == KindSometimes {
		what = "example of sometimes " + prop.Name
		pr.Status = Holds
	}
	p, err := e.path(what, e.choicesTo(id), nil)
	if err != nil {
		return pr, err
	}
	if prop.Pred(p.Last()) != (prop.Kind == KindSometimes) {
		return pr, errReplay(what, "the last state does not decide the property")
	}
	pr.Path = p
	return pr, nil
}

// decideEventually is the outcome of Eventually property prop, of goal g:
// the liveness search of the explorer's mode looks for a counterexample,
// which is then checked on the rebuilt states.
func (e *explorer[S]) decideEventually(prop Property[S], g int) (PropertyResult[S], error) {
	pr := PropertyResult[S]{Name: prop.Name, Kind: prop.Kind}
	if e.stop.halts() {
		return pr, nil // unknown: no liveness search after a halt
	}
	var stem, cycle []int
	var found bool
	if e.live == liveRanked {
		var err error
		if stem, cycle, found, err = e.eventuallyRanked(g); err != nil {
			return pr, err
		}
	} else {
		stem, cycle, found = e.eventually(e.goals[g])
	}
	switch {
	case found:
		what := "counterexample of eventually " + prop.Name
		p, err := e.path(what, stem, cycle)
		if err != nil {
			return pr, err
		}
		if err := e.verifyLasso(prop.Name, p, prop.Pred); err != nil {
			return pr, err
		}
		pr.Status, pr.Path = Violated, p
	case e.complete:
		pr.Status = Holds
	}
	return pr, nil
}

// memory is the Result's account of the memory the search held.
func (e *explorer[S]) memory() Memory {
	m := Memory{
		Table:    e.tab.bytes(),
		PerState: e.parent.bytes() + e.index.bytes() + int64(len(e.bigIndex))*8,
		Graph:    e.off.bytes() + e.tgt.bytes() + e.fair.bytes() + e.kept.bytes(),
		Peak:     e.peak,
	}
	for _, g := range e.goals {
		m.PerState += g.bytes()
	}
	return m
}

// indexOf is the successor index (or Init position) of state id.
func (e *explorer[S]) indexOf(id uint32) int {
	ix := e.index.at(int(id))
	if ix == bigIndex {
		return int(e.bigIndex[id])
	}
	return int(ix)
}

// choicesTo returns the Replay choices of the breadth-first tree path to id.
func (e *explorer[S]) choicesTo(id uint32) []int {
	var out []int
	for ; id != noState; id = e.parent.at(int(id)) {
		out = append(out, e.indexOf(id))
	}
	slices.Reverse(out)
	return out
}
