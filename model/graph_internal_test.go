package model

import "testing"

// cube is three counters modulo n; each step adds one to one of them. Its
// breadth-first levels reach most states from several parents, in
// different chunks, which is what the explorer's bookkeeping of
// candidates and ids has to get right; with n = 20 its 8000 states make
// the fingerprint shards grow in the middle of levels.
type cube struct{ n uint8 }

type cubeState struct{ a, b, c uint8 }

func (q cube) Init(yield func(cubeState)) { yield(cubeState{}) }

func (q cube) Next(s cubeState, yield func(Action, cubeState)) {
	yield(Action{Code: 0, Fairness: 1}, cubeState{(s.a + 1) % q.n, s.b, s.c})
	yield(Action{Code: 1, Fairness: 2}, cubeState{s.a, (s.b + 1) % q.n, s.c})
	yield(Action{Code: 2}, cubeState{s.a, s.b, (s.c + 1) % q.n})
}

// TestGraphEdges checks the stored graph edge by edge: each expanded
// state's edges are its successors in Next's order, each pointing at the
// id of that successor's state, or at noState exactly when the state was
// dropped at MaxStates, and each carrying the action's fairness class.
// States are rebuilt from their ids by replaying their tree paths, so the
// check is independent of the fingerprint table.
func TestGraphEdges(t *testing.T) {
	sys := cube{n: 20}
	for _, limit := range []int{0, 5000, 7000} {
		for _, workers := range []int{1, 2, 3} {
			opts := Options[cubeState]{Workers: workers, MaxStates: limit}
			goal := Eventually("a wraps", func(s cubeState) bool { return s.a == sys.n-1 })
			e := newExplorer[cubeState](sys, opts, []Property[cubeState]{goal}, liveGraph)
			if err := e.explore(); err != nil {
				t.Fatal(err)
			}
			if want := 20 * 20 * 20; limit == 0 && e.states != want || limit > 0 && e.states != limit {
				t.Fatalf("limit %d: %d states", limit, e.states)
			}
			states := make([]cubeState, e.states)
			idOf := make(map[cubeState]uint32, e.states)
			for id := range states {
				p, err := Replay[cubeState](sys, e.choicesTo(uint32(id)))
				if err != nil {
					t.Fatalf("state %d: %v", id, err)
				}
				states[id] = p.Last()
				if old, dup := idOf[states[id]]; dup {
					t.Fatalf("states %d and %d are both %v", old, id, states[id])
				}
				idOf[states[id]] = uint32(id)
			}
			dropped := 0
			for u := 0; u < e.expanded; u++ {
				lo, hi := int(e.off.at(u)), int(e.off.at(u+1))
				i := 0
				sys.Next(states[u], func(a Action, s cubeState) {
					want, ok := idOf[s]
					if !ok {
						want = noState
						dropped++
					}
					if lo+i >= hi {
						t.Fatalf("limit %d, workers %d: state %d has %d edges, Next more", limit, workers, u, hi-lo)
					}
					if got := e.tgt.at(lo + i); got != want {
						t.Fatalf("limit %d, workers %d: edge %d of state %d (%v) goes to %d, want %d (%v)", limit, workers, i, u, states[u], got, want, s)
					}
					if got := e.fair.at(lo + i); got != a.Fairness {
						t.Fatalf("limit %d, workers %d: edge %d of state %d has class %d, want %d", limit, workers, i, u, got, a.Fairness)
					}
					i++
				})
				if lo+i != hi {
					t.Fatalf("limit %d, workers %d: state %d has %d edges, Next %d", limit, workers, u, hi-lo, i)
				}
			}
			if limit > 0 && dropped == 0 {
				t.Errorf("limit %d: no edge to a dropped state was checked", limit)
			}
		}
	}
}
