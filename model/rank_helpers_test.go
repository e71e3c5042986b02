package model_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/synfin/synfin/model"
)

// The helpers of the ranked liveness tests: ranked graphs, valid ranks,
// the conditions of model.Ranker checked independently, and the comparison
// of a ranked Check with the same Check without the rank.

// rankedGraph is a graph that is also a model.Ranker.
type rankedGraph struct {
	*graph
	rank []uint64
}

func (g rankedGraph) Rank(v *int) uint64 { return g.rank[*v] }

var _ model.Ranker[int] = rankedGraph{}

// flooredGraph is a rankedGraph that is also a model.FloorRanker, whose
// RankFrom gives as little as it may: 0 for a state that ranks below the
// floor.
type flooredGraph struct{ rankedGraph }

func (g flooredGraph) RankFrom(v *int, floor uint64) uint64 {
	if r := g.Rank(v); r >= floor {
		return r
	}
	return 0
}

var _ model.FloorRanker[int] = flooredGraph{}

// ignoreRank compares two results of the same system with and without a
// rank: everything but timings, memory and the two fields about the rank
// must be equal, counterexample paths included.
var ignoreRank = cmpopts.IgnoreFields(model.Result[int]{},
	"Workers", "Duration", "StatesPerSecond", "Memory", "GraphEdges", "RankRejected")

// freeOf returns bit i for each goal that does not hold in v.
func freeOf(goals []func(int) bool, v int) uint64 {
	var m uint64
	for i, goal := range goals {
		if !goal(v) {
			m |= 1 << i
		}
	}
	return m
}

// closeGoals returns a copy of g where no transition leaves a goal: an edge
// from a state where some goals hold to a state where one of them does not
// goes instead to a state where all of them hold (chosen from the old
// target, so the graph stays random). The part of g that avoids the goals
// keeps its shape.
func closeGoals(g *graph, goals ...func(int) bool) *graph {
	n := len(g.edges)
	all := uint64(1)<<len(goals) - 1
	out := &graph{init: g.init, edges: make([][]edge, n)}
	cands := map[uint64][]int{}
	for v, es := range g.edges {
		hold := all &^ freeOf(goals, v)
		for _, e := range es {
			if hold&freeOf(goals, e.to) != 0 {
				c, ok := cands[hold]
				if !ok {
					for u := range n {
						if hold&freeOf(goals, u) == 0 {
							c = append(c, u) // v itself is one
						}
					}
					cands[hold] = c
				}
				e.to = c[e.to%len(c)]
			}
			out.edges[v] = append(out.edges[v], e)
		}
	}
	return out
}

// reachRank returns a valid rank for g and goals: the number of states
// reachable from v along transitions whose two ends share a goal that does
// not hold. Such a transition v->w cannot raise it (what w reaches, v
// reaches), and keeps it exactly when w reaches v back: the states of a
// strongly connected component share their rank and every transition
// between two components lowers it, a topological order of the components.
// States where every goal holds are unconstrained and get a random rank.
func reachRank(g *graph, goals []func(int) bool, rng *rand.Rand) []uint64 {
	n := len(g.edges)
	rank := make([]uint64, n)
	seen := make([]int, n)
	var queue []int
	for v := range n {
		if freeOf(goals, v) == 0 {
			rank[v] = rng.Uint64N(1 << 40)
			continue
		}
		seen[v] = v + 1
		queue = append(queue[:0], v)
		for h := 0; h < len(queue); h++ {
			u := queue[h]
			fu := freeOf(goals, u)
			for _, e := range g.edges[u] {
				if fu&freeOf(goals, e.to) != 0 && seen[e.to] != v+1 {
					seen[e.to] = v + 1
					queue = append(queue, e.to)
				}
			}
		}
		rank[v] = uint64(len(queue))
	}
	return rank
}

// rankFlaw checks the two conditions of model.Ranker on every transition out
// of a reachable state of g, in breadth-first order (the order of the
// checker's ids) and successor order. It returns the first transition that
// breaks one (why, and src, idx: its source and successor index; flawed
// false if none) and, if none does, how many transitions the rank keeps: those between
// two states that share a goal that does not hold, of equal rank.
func rankFlaw(g *graph, goals []func(int) bool, rank []uint64) (why string, src, idx int, flawed bool, kept int64) {
	order, _ := bfsOrder[int](g)
	for _, v := range order {
		fv := freeOf(goals, v)
		for i, e := range g.edges[v] {
			ft := freeOf(goals, e.to)
			switch {
			case ft&^fv != 0:
				if !flawed {
					why, src, idx, flawed = fmt.Sprintf("a goal holds at %d but not at its successor %d", v, e.to), v, i, true
				}
			case fv&ft == 0:
			case rank[e.to] > rank[v]:
				if !flawed {
					why, src, idx, flawed = fmt.Sprintf("the rank rises from %d at %d to %d at %d", rank[v], v, rank[e.to], e.to), v, i, true
				}
			case rank[e.to] == rank[v]:
				kept++
			}
		}
	}
	return why, src, idx, flawed, kept
}

// checkCatching is model.Check with a panic turned into an error, so that a
// broken liveness search fails the test case instead of the test binary.
func checkCatching[S comparable](sys model.System[S], opts model.Options[S], props ...model.Property[S]) (r *model.Result[S], err error) {
	defer func() {
		if v := recover(); v != nil {
			r, err = nil, fmt.Errorf("Check panicked: %v", v)
		}
	}()
	return model.Check(sys, opts, props...)
}

// replays checks that p replays with model.Replay to the same states and
// actions, the cycle (if any) unrolled once and back at the stem's end.
func replays[S comparable](sys model.System[S], p *model.Path[S]) error {
	got, err := model.Replay(sys, p.Choices())
	if err != nil {
		return fmt.Errorf("Replay(%v): %v", p.Choices(), err)
	}
	want := append(append([]model.Step[S]{}, p.Steps...), p.Cycle...)
	same := got.Init == p.Init && got.InitIndex == p.InitIndex && len(got.Steps) == len(want)
	for i := 0; same && i < len(want); i++ {
		same = got.Steps[i] == want[i]
	}
	if !same {
		return fmt.Errorf("Replay(%v) gives %v, want %v", p.Choices(), got, p)
	}
	if n := len(p.Cycle); n > 0 && p.Cycle[n-1].State != p.Last() {
		return fmt.Errorf("cycle of %v ends in %v, not %v", p, p.Cycle[n-1].State, p.Last())
	}
	return nil
}

// replayAll checks every path of r with replays.
func replayAll[S comparable](sys model.System[S], r *model.Result[S]) []error {
	var errs []error
	if r.Deadlock != nil {
		if err := replays(sys, r.Deadlock); err != nil {
			errs = append(errs, fmt.Errorf("deadlock: %v", err))
		}
	}
	for _, p := range r.Properties {
		if p.Path != nil {
			if err := replays(sys, p.Path); err != nil {
				errs = append(errs, fmt.Errorf("%s: %v", p.Name, err))
			}
		}
	}
	return errs
}

// rejectedAt checks the transition that Result.RankRejected names, if it
// names one as "Replay choices [...]" (the message is free text; without
// that part there is nothing to check): it must be transition idx of src.
func rejectedAt(g *graph, msg string, src, idx int) error {
	i := strings.Index(msg, "Replay choices [")
	if i < 0 {
		return nil
	}
	namedTransitions.Add(1)
	rest := msg[i+len("Replay choices ["):]
	j := strings.IndexByte(rest, ']')
	if j < 0 {
		return fmt.Errorf("unterminated choices in %q", msg)
	}
	var choices []int
	for _, f := range strings.Fields(rest[:j]) {
		c, err := strconv.Atoi(f)
		if err != nil {
			return fmt.Errorf("choices in %q: %v", msg, err)
		}
		choices = append(choices, c)
	}
	if len(choices) < 2 {
		return fmt.Errorf("%q names no transition", msg)
	}
	p, err := model.Replay[int](g, choices[:len(choices)-1])
	if err != nil {
		return fmt.Errorf("choices in %q: %v", msg, err)
	}
	if p.Last() != src || choices[len(choices)-1] != idx {
		return fmt.Errorf("%q names transition %d of state %d; the first bad transition is %d of state %d",
			msg, choices[len(choices)-1], p.Last(), idx, src)
	}
	return nil
}

// namedTransitions counts the rejections whose transition rejectedAt checked.
var namedTransitions atomic.Int64

// rankRun is one ranked Check to compare with the same graph without rank.
type rankRun struct {
	g       *graph
	goals   []func(int) bool
	props   []model.Property[int]
	rank    []uint64
	workers int
	plain   *model.Result[int] // the same Check without the rank
	refs    []refResult        // reference(g, goals[i])
}

// compare runs Check on the ranked graph, as a Ranker and as a
// FloorRanker, and returns the result of the latter (nil if it failed) and
// every difference of either from the plain result, the reference and the
// rank's expected fate.
func (c *rankRun) compare() (r *model.Result[int], errs []error) {
	ranked := rankedGraph{c.g, c.rank}
	r1, errs := c.compareWith(ranked, "Ranker")
	r, errs2 := c.compareWith(flooredGraph{ranked}, "FloorRanker")
	if r1 == nil {
		r = nil
	}
	return r, append(errs, errs2...)
}

// compareWith is compare for one way of giving the rank, named kind.
func (c *rankRun) compareWith(sys model.System[int], kind string) (r *model.Result[int], errs []error) {
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(kind+": "+format, args...))
	}
	r, err := checkCatching[int](sys, model.Options[int]{Workers: c.workers, AllowDeadlock: true}, c.props...)
	if err != nil {
		fail("%v", err)
		return nil, errs
	}
	if diff := cmp.Diff(c.plain, r, ignoreRank); diff != "" {
		fail("result with the rank differs from the one without (-without +with):\n%s", diff)
	}
	for i, want := range c.refs {
		name := "goal" + strconv.Itoa(i)
		p := r.Property(name)
		got := refResult{states: r.States, transitions: r.Transitions, maxDepth: r.MaxDepth, terminal: r.Terminal,
			violated: p.Status == model.Violated}
		if got.violated {
			got.stem = len(p.Path.Steps)
			if err := checkLasso(c.g, c.goals[i], p.Path); err != nil {
				fail("%s: %v in %v", name, err, p.Path)
			}
		} else if p.Status != model.Holds {
			fail("%s: status %v, want holds or violated", name, p.Status)
		}
		if got != want {
			fail("%s: got %+v, reference %+v", name, got, want)
		}
	}
	errs = append(errs, replayAll[int](sys, r)...)

	why, src, idx, flawed, kept := rankFlaw(c.g, c.goals, c.rank)
	switch {
	case len(c.goals) == 0:
		if r.RankRejected != "" || r.GraphEdges != 0 {
			fail("no Eventually property: RankRejected %q, GraphEdges %d; want the rank ignored (\"\", 0)", r.RankRejected, r.GraphEdges)
		}
	case flawed:
		if r.RankRejected == "" {
			fail("rank not rejected, but %s; GraphEdges %d", why, r.GraphEdges)
		} else if err := rejectedAt(c.g, r.RankRejected, src, idx); err != nil {
			fail("%v", err)
		}
		if r.GraphEdges != r.Transitions {
			fail("rank rejected: GraphEdges %d, want every transition (%d)", r.GraphEdges, r.Transitions)
		}
	default:
		if r.RankRejected != "" {
			fail("valid rank rejected: %q", r.RankRejected)
		}
		if r.GraphEdges != kept {
			fail("GraphEdges %d, want %d (transitions between goal-free states of equal rank) of %d", r.GraphEdges, kept, r.Transitions)
		}
	}
	return r, errs
}
