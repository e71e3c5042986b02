package model

import "time"

// finish decides the properties, builds and verifies counterexamples, and
// assembles the result.
func (e *explorer[S]) finish() (*Result[S], error) {
	r := &Result[S]{
		Complete:     e.complete,
		States:       e.states,
		Transitions:  e.trans,
		MaxDepth:     e.maxDepth,
		Terminal:     e.terminal,
		Deadlocks:    e.deadlocks,
		Workers:      e.crew.n,
		RankRejected: e.rankErr,
		GraphEdges:   e.graphEdges(),
		Properties:   make([]PropertyResult[S], len(e.props)),
	}
	fail := false
	if e.deadlocks > 0 {
		fail = true
		p, err := e.path("deadlock", e.choicesTo(e.deadlock), nil)
		if err != nil {
			return nil, err
		}
		if _, live := enabled(e.sys, p.Last()); live || !e.deadlockError(p.Last()) {
			return nil, errReplay("deadlock", "the last state is not a rejected terminal state")
		}
		r.Deadlock = p
	}
	for i, prop := range e.props {
		pr := PropertyResult[S]{Name: prop.Name, Kind: prop.Kind}
		switch prop.Kind {
		case KindAlways, KindSometimes:
			if id := e.found[i]; id != noState {
				what := "counterexample of always " + prop.Name
				pr.Status = Violated
				if prop.Kind == KindSometimes {
					what = "example of sometimes " + prop.Name
					pr.Status = Holds
				}
				p, err := e.path(what, e.choicesTo(id), nil)
				if err != nil {
					return nil, err
				}
				if prop.Pred(p.Last()) != (prop.Kind == KindSometimes) {
					return nil, errReplay(what, "the last state does not decide the property")
				}
				pr.Path = p
			} else if e.complete {
				pr.Status = Holds
				if prop.Kind == KindSometimes {
					pr.Status = Violated
				}
			}
		case KindEventually:
			var stem, cycle []int
			var found bool
			if e.live == liveRanked {
				var err error
				stem, cycle, found, err = e.eventuallyRanked(e.goalOf[i])
				if err != nil {
					return nil, err
				}
			} else {
				stem, cycle, found = e.eventually(e.goals[e.goalOf[i]])
			}
			switch {
			case found:
				what := "counterexample of eventually " + prop.Name
				p, err := e.path(what, stem, cycle)
				if err != nil {
					return nil, err
				}
				if err := e.verifyLasso(prop.Name, p, prop.Pred); err != nil {
					return nil, err
				}
				pr.Status, pr.Path = Violated, p
			case e.complete:
				pr.Status = Holds
			}
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
	r.Memory = Memory{
		Table:    e.tab.bytes(),
		PerState: e.parent.bytes() + e.index.bytes() + int64(len(e.bigIndex))*8,
		Graph:    e.off.bytes() + e.tgt.bytes() + e.fair.bytes() + e.kept.bytes(),
		Peak:     e.peak,
	}
	for _, g := range e.goals {
		r.Memory.PerState += g.bytes()
	}
	r.Duration = time.Since(e.start)
	if r.Duration > 0 {
		r.StatesPerSecond = float64(r.States) / r.Duration.Seconds()
	}
	return r, nil
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
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
