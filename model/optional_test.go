package model_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/synfin/synfin/model"
)

// Optional actions (model.Action.Optional): a state with optional
// successors only is terminal, and a world whose budgeted action is
// optional checks as the copies of the world for every budget do.

// job is a process that takes two steps and then either finishes or, by a
// bug, hangs; while its crash budget lasts it may crash at any moment,
// which ends it. It starts once for each of budgets; crashes are optional
// actions when optional is set.
type job struct {
	budgets  []uint8
	optional bool
}

type jobState struct {
	step    uint8 // 0, 1, 2, then finished or hung
	crashed bool
	budget  uint8 // crashes left
}

const (
	finished = 3
	hung     = 4
)

func (j job) Init(yield func(jobState)) {
	for _, b := range j.budgets {
		yield(jobState{budget: b})
	}
}

func (j job) Next(s jobState, yield func(model.Action, jobState)) {
	if s.crashed {
		return
	}
	if s.step <= 2 {
		yield(model.Action{Code: 0, Fairness: 1}, jobState{step: s.step + 1, budget: s.budget})
	}
	if s.step == 2 {
		yield(model.Action{Code: 1, Fairness: 1}, jobState{step: hung, budget: s.budget})
	}
	if s.budget > 0 {
		yield(model.Action{Code: 2, Optional: j.optional}, jobState{step: s.step, crashed: true, budget: s.budget - 1})
	}
}

// Rank falls with every step; a crash leads to a goal state.
func (j rankedJob) Rank(s *jobState) uint64 { return uint64(10 - s.step) }

type rankedJob struct{ job }

func (s jobState) ended() bool { return s.crashed || s.step == finished }

// TestOptionalDeadlock: the hung job is a deadlock, and a violation of
// "ends", when its crash is optional, or when it also starts without a
// budget; with a crash that is not optional it always escapes by
// crashing, and nothing is stuck.
func TestOptionalDeadlock(t *testing.T) {
	tests := []struct {
		name  string
		sys   job
		stuck bool
		want  counts
	}{
		{"optional crash", job{budgets: []uint8{1}, optional: true}, true,
			counts{States: 10, Transitions: 9, MaxDepth: 4, Terminal: 7}},
		{"crash not optional", job{budgets: []uint8{1}}, false,
			counts{States: 10, Transitions: 9, MaxDepth: 4, Terminal: 5}},
		{"budgets 0 and 1", job{budgets: []uint8{0, 1}}, true,
			counts{States: 15, Transitions: 13, MaxDepth: 4, Terminal: 7}},
	}
	for _, tt := range tests {
		for _, sys := range []model.System[jobState]{tt.sys, rankedJob{tt.sys}} {
			_, ranked := sys.(rankedJob)
			r := check(t, sys, model.Options[jobState]{Terminal: jobState.ended}, model.Eventually("ends", jobState.ended))
			if diff := cmp.Diff(tt.want, countsOf(r)); diff != "" {
				t.Errorf("%s, ranked %v: counts (-want +got):\n%s", tt.name, ranked, diff)
			}
			p := prop(t, r, "ends")
			if !tt.stuck {
				if r.Deadlocks != 0 || p.Status != model.Holds || !r.OK() {
					t.Errorf("%s, ranked %v: %d deadlocks, ends %v, verdict %v; want none, holds, pass",
						tt.name, ranked, r.Deadlocks, p.Status, r.Verdict)
				}
				continue
			}
			if r.Deadlocks != 1 || r.Deadlock == nil || len(r.Deadlock.Steps) != 3 || r.Deadlock.Last().step != hung {
				t.Errorf("%s, ranked %v: %d deadlocks, path %v; want one, to the hung job in 3 steps", tt.name, ranked, r.Deadlocks, r.Deadlock)
			}
			if p.Status != model.Violated || len(p.Path.Steps) != 3 || len(p.Path.Cycle) != 0 || p.Path.Last().step != hung {
				t.Errorf("%s, ranked %v: ends %v, path %v; want violated, ending in the hung job after 3 steps", tt.name, ranked, p.Status, p.Path)
			}
		}
	}
}

// withOptional returns a copy of g in which some edges are optional: every
// edge of one node in eight, and half the other edges of class 0. An
// optional edge has class 0.
func withOptional(g *graph, rng *rand.Rand) *graph {
	out := &graph{init: g.init, edges: make([][]edge, len(g.edges))}
	for v, es := range g.edges {
		all := rng.IntN(8) == 0
		for _, e := range es {
			if all || e.fair == 0 && rng.IntN(2) == 0 {
				e.fair, e.opt = 0, true
			}
			out.edges[v] = append(out.edges[v], e)
		}
	}
	return out
}

// TestOptionalRandomGraphs runs the comparisons of TestRankedRandomGraphs
// (Check without a rank against the reference, and with every kind of rank
// against Check without one) on random graphs with optional edges.
func TestOptionalRandomGraphs(t *testing.T) {
	const seeds = 200
	tally := &rankTally{violated: map[string]int{}, rejected: map[string]int{}, pruned: map[string]int{}}
	optional := 0
	for seed := uint64(1); seed <= seeds; seed++ {
		base, rng := smallRandomGraph(seed, 5)
		base = withOptional(base, rng)
		for v := range base.edges {
			if len(base.edges[v]) > 0 && stuck(base.edges[v]) {
				optional++
			}
		}
		goalMod := 2 + rng.IntN(4)
		goal0 := func(v int) bool { return v%goalMod == goalMod-1 }
		goal1 := func(v int) bool { return v%7 == 3 }
		for _, ngoals := range []int{1, 2} {
			if ngoals == 2 && seed%2 == 1 {
				continue
			}
			c := &randomRankCase{seed: seed, base: base, goals: []func(int) bool{goal0, goal1}[:ngoals],
				workers: 1 + int(seed%3), rng: rng}
			c.run(t, tally)
		}
	}
	t.Logf("%d nodes with optional successors only", optional)
	if optional < seeds {
		t.Errorf("only %d nodes with optional successors only in %d graphs", optional, seeds)
	}
	tally.check(t, seeds)
}

// optionalFair is counters with an optional action of a fairness class.
type optionalFair struct{ counters }

func (optionalFair) Next(s pair, yield func(model.Action, pair)) {
	yield(model.Action{Code: 7, Fairness: 1, Optional: true}, s)
}

func TestOptionalFairIsAnError(t *testing.T) {
	r, err := model.Check[pair](optionalFair{}, model.Options[pair]{})
	const want = "model: action #7/wf1/opt is optional and has fairness class 1; an optional action must have class 0"
	if err == nil || err.Error() != want || r != nil {
		t.Errorf("got %v, %v; want the error %q", r, err, want)
	}
}
