package model_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/synfin/synfin/model"
)

// Tests of ranked liveness (model.Ranker, rank.go): a System with a rank
// must get the same answer as without one, whether the rank is valid (the
// liveness check keeps only the transitions that keep it), invalid, or
// paired with goals that are not closed under successors (Check rejects
// the rank and searches again keeping the whole graph). The graphs and the
// reference checker are those of reference_test.go.

// rankedGraph is a graph that is also a model.Ranker.
type rankedGraph struct {
	*graph
	rank []uint64
}

func (g rankedGraph) Rank(v *int) uint64 { return g.rank[*v] }

var _ model.Ranker[int] = rankedGraph{}

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

// compare runs Check on the ranked graph and returns its result (nil if
// it failed) and every difference from the plain result, the reference and
// the rank's expected fate.
func (c *rankRun) compare() (r *model.Result[int], errs []error) {
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	sys := rankedGraph{c.g, c.rank}
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

// TestRankedRandomGraphs compares Check with a rank against Check without
// one and against the reference, on the random graphs of
// TestRandomGraphsAgainstReference, for valid ranks, invalid ranks and
// goals that are not closed under successors, with one or two Eventually
// properties.
func TestRankedRandomGraphs(t *testing.T) {
	type kind struct {
		name  string
		valid bool // by construction; otherwise usually rejected
	}
	kinds := []kind{
		{"constant", true},    // valid, saves nothing
		{"components", true},  // one rank per component, a topological order
		{"coarse", true},      // the same divided by 3: components share ranks
		{"random", false},     // rises somewhere
		{"open goals", false}, // the components rank, goals not closed
	}
	const seeds = 400
	violated := map[string]int{}
	rejected := map[string]int{}
	pruned := map[string]int{} // the rank used, keeping fewer transitions than all
	for seed := uint64(1); seed <= seeds; seed++ {
		rng := rand.New(rand.NewPCG(seed, 2))
		n := 2 + rng.IntN(60)
		base := randomGraph(n, 1+rng.IntN(3), seed)
		goalMod := 2 + rng.IntN(4)
		goal0 := func(v int) bool { return v%goalMod == goalMod-1 }
		goal1 := func(v int) bool { return v%7 == 3 }
		workers := 1 + int(seed%3)
		for _, ngoals := range []int{1, 2} {
			if ngoals == 2 && seed%2 == 1 {
				continue // half the seeds are enough
			}
			goals := []func(int) bool{goal0, goal1}[:ngoals]
			props := []model.Property[int]{
				model.Always("not last", func(v int) bool { return v != n-1 }),
				model.Sometimes("one", is(1)),
			}
			for i, goal := range goals {
				props = append(props, model.Eventually("goal"+strconv.Itoa(i), goal))
			}
			closed := closeGoals(base, goals...)
			plain := map[*graph]*model.Result[int]{}
			refs := map[*graph][]refResult{}
			graphs := []*graph{closed}
			if ngoals == 1 {
				graphs = append(graphs, base) // for "open goals"
			}
			for _, g := range graphs {
				r, err := checkCatching[int](g, model.Options[int]{Workers: workers, AllowDeadlock: true}, props...)
				if err != nil {
					t.Fatalf("seed %d, without rank: %v", seed, err)
				}
				plain[g] = r
				for _, goal := range goals {
					refs[g] = append(refs[g], reference(g, goal))
				}
			}
			for _, k := range kinds {
				if k.name == "open goals" && ngoals == 2 {
					continue
				}
				g := closed
				var rank []uint64
				switch k.name {
				case "constant":
					rank = make([]uint64, n)
					for v := range rank {
						rank[v] = 7
					}
				case "components", "coarse":
					rank = reachRank(g, goals, rng)
					if k.name == "coarse" {
						for v := range rank {
							rank[v] /= 3
						}
					}
				case "random":
					rank = make([]uint64, n)
					for v := range rank {
						rank[v] = rng.Uint64N(4)
					}
				case "open goals":
					g = base
					rank = reachRank(g, goals, rng)
				}
				label := fmt.Sprintf("seed %d, %d goals, %s rank, workers %d", seed, ngoals, k.name, workers)
				if _, _, _, flawed, _ := rankFlaw(g, goals, rank); k.valid && flawed {
					t.Fatalf("%s: the test built an invalid rank", label)
				}
				run := &rankRun{g: g, goals: goals, props: props, rank: rank, workers: workers, plain: plain[g], refs: refs[g]}
				r, errs := run.compare()
				for _, err := range errs {
					t.Errorf("%s: %v", label, err)
				}
				key := fmt.Sprintf("%d goals, %s", ngoals, k.name)
				if r != nil && r.RankRejected != "" {
					rejected[key]++
				}
				if r != nil && r.RankRejected == "" && r.GraphEdges < r.Transitions {
					pruned[key]++
				}
				if plain[g].Property("goal0").Status == model.Violated {
					violated[key]++
				}
			}
		}
	}
	t.Logf("%d rejections named the transition that broke the rank", namedTransitions.Load())
	// Both answers must be common, and the invalid ranks mostly rejected,
	// or the test proves little.
	for _, ngoals := range []int{1, 2} {
		runs := seeds / ngoals
		for _, k := range kinds {
			key := fmt.Sprintf("%d goals, %s", ngoals, k.name)
			if k.name == "open goals" && ngoals == 2 {
				continue
			}
			t.Logf("%s: %d of %d violate goal0; rank rejected %d times, used with fewer transitions kept %d times",
				key, violated[key], runs, rejected[key], pruned[key])
			if violated[key] < runs/8 || violated[key] > runs*7/8 {
				t.Errorf("%s: %d of %d random graphs violate goal0", key, violated[key], runs)
			}
			if !k.valid && rejected[key] < runs/2 {
				t.Errorf("%s: only %d of %d ranks rejected", key, rejected[key], runs)
			}
		}
	}
}

// TestRankIgnoredWithoutEventually: without an Eventually property there
// is nothing for the rank to do, so even a rank that would be rejected,
// with goals that are not closed, is ignored: no rejection, no kept
// transition, the same result.
func TestRankIgnoredWithoutEventually(t *testing.T) {
	wouldReject := 0
	for seed := uint64(1); seed <= 100; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		n := 2 + rng.IntN(60)
		g := randomGraph(n, 1+rng.IntN(3), seed)
		rank := make([]uint64, n)
		for v := range rank {
			rank[v] = rng.Uint64N(4)
		}
		goal := func(v int) bool { return v%3 == 2 }
		if _, _, _, flawed, _ := rankFlaw(g, []func(int) bool{goal}, rank); flawed {
			wouldReject++
		}
		props := []model.Property[int]{
			model.Always("not goal", func(v int) bool { return !goal(v) }),
			model.Sometimes("last", is(n-1)),
		}
		workers := 1 + int(seed%3)
		plain, err := checkCatching[int](g, model.Options[int]{Workers: workers, AllowDeadlock: true}, props...)
		if err != nil {
			t.Fatalf("seed %d, without rank: %v", seed, err)
		}
		run := &rankRun{g: g, props: props, rank: rank, workers: workers, plain: plain}
		_, errs := run.compare()
		for _, err := range errs {
			t.Errorf("seed %d: %v", seed, err)
		}
	}
	// The ranks must be ones that an Eventually property would reject.
	if wouldReject < 50 {
		t.Errorf("only %d of 100 ranks would be rejected with an Eventually property", wouldReject)
	}
}

// TestRankedLargeRandomGraphs: graphs big enough for levels to be split
// into many chunks (kept transitions to candidates of the same chunk, of
// other chunks and of earlier levels), for several numbers of workers. The
// result, RankRejected included, must not depend on the number of workers.
func TestRankedLargeRandomGraphs(t *testing.T) {
	for _, seed := range []uint64{1, 2, 4} { // 3's initial state is terminal
		rng := rand.New(rand.NewPCG(seed, 4))
		n := 3000
		goalMod := 5 + rng.IntN(60)
		goal := func(v int) bool { return v%goalMod == goalMod-1 }
		goals := []func(int) bool{goal}
		g := closeGoals(randomGraph(n, 3, seed+1000), goals...)
		props := []model.Property[int]{
			model.Always("not last", func(v int) bool { return v != n-1 }),
			model.Eventually("goal0", goal),
		}
		plain, err := checkCatching[int](g, model.Options[int]{Workers: 1, AllowDeadlock: true}, props...)
		if err != nil {
			t.Fatalf("seed %d, without rank: %v", seed, err)
		}
		components := reachRank(g, goals, rng)
		coarse := make([]uint64, n)
		random := make([]uint64, n)
		for v := range n {
			coarse[v] = components[v] / 16
			random[v] = rng.Uint64N(3)
		}
		for _, rk := range []struct {
			name string
			rank []uint64
		}{{"components", components}, {"coarse", coarse}, {"random", random}} {
			why := map[int]string{}
			for _, w := range []int{1, 4} {
				run := &rankRun{g: g, props: props, goals: goals, rank: rk.rank, workers: w, plain: plain}
				r, errs := run.compare()
				for _, err := range errs {
					t.Errorf("seed %d, %s rank, workers %d: %v", seed, rk.name, w, err)
				}
				if r == nil {
					continue
				}
				why[w] = r.RankRejected
				t.Logf("seed %d, %s rank, workers %d: %v; %d of %d transitions kept; rejected: %q",
					seed, rk.name, w, plain.Property("goal0"), r.GraphEdges, r.Transitions, r.RankRejected)
			}
			if why[1] != why[4] {
				t.Errorf("seed %d, %s rank: RankRejected %q with 1 worker, %q with 4", seed, rk.name, why[1], why[4])
			}
		}
	}
}

// goalWant is an Eventually property of TestRankedEventually and its
// expected outcome.
type goalWant struct {
	nodes  []int        // where the goal holds
	status model.Status // Holds or Violated
	stem   int          // counterexample: steps of the stem,
	last   int          // the state where it ends,
	cycle  []int        // the states the cycle visits (nil: a terminal state)
}

// TestRankedEventually runs liveness properties with a rank on small graphs
// whose answers are clear by inspection. Node 0 is initial. Each case runs
// with and without the rank, which must give the same result.
func TestRankedEventually(t *testing.T) {
	constant := func(n int) []uint64 { return make([]uint64, n) }
	tests := []struct {
		name     string
		g        *graph
		rank     []uint64
		goals    []goalWant
		limit    int   // MaxStates
		rejected bool  // the rank must be rejected
		edges    int64 // GraphEdges: kept transitions, or all of them if rejected
	}{{
		name: "fair cycle after a stem", edges: 2,
		g:     newGraph(4, [3]int{0, 1, 0}, [3]int{1, 2, 0}, [3]int{2, 1, 0}, [3]int{0, 3, 0}),
		rank:  []uint64{2, 1, 1, 0},
		goals: []goalWant{{nodes: []int{3}, status: model.Violated, stem: 1, last: 1, cycle: []int{2, 1}}},
	}, {
		// Class 1 is enabled in 0 and 1 and leads only out of the cycle.
		name: "unfair cycle", edges: 2,
		g:     newGraph(3, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{0, 2, 1}, [3]int{1, 2, 1}),
		rank:  []uint64{1, 1, 9},
		goals: []goalWant{{nodes: []int{2}, status: model.Holds}},
	}, {
		name: "fair self-loop", edges: 1,
		g:     newGraph(2, [3]int{0, 0, 0}, [3]int{0, 1, 0}),
		rank:  constant(2),
		goals: []goalWant{{nodes: []int{1}, status: model.Violated, stem: 0, last: 0, cycle: []int{0}}},
	}, {
		name: "unfair self-loop", edges: 1,
		g:     newGraph(2, [3]int{0, 0, 0}, [3]int{0, 1, 1}),
		rank:  constant(2),
		goals: []goalWant{{nodes: []int{1}, status: model.Holds}},
	}, {
		// Class 1 is enabled in 0, which the loop at 1 leaves behind.
		name: "fair self-loop after a stem", edges: 1,
		g:     newGraph(3, [3]int{0, 1, 1}, [3]int{1, 1, 0}, [3]int{1, 2, 0}, [3]int{0, 2, 1}),
		rank:  []uint64{3, 2, 0},
		goals: []goalWant{{nodes: []int{2}, status: model.Violated, stem: 1, last: 1, cycle: []int{1}}},
	}, {
		name: "terminal", edges: 0,
		g:     newGraph(4, [3]int{0, 1, 0}, [3]int{1, 2, 0}, [3]int{0, 3, 0}),
		rank:  []uint64{5, 4, 3, 0},
		goals: []goalWant{{nodes: []int{3}, status: model.Violated, stem: 2, last: 2}},
	}, {
		// Terminal 1 is one step away, the loop at 3 two.
		name: "terminal nearer than cycle", edges: 4,
		g:     newGraph(5, [3]int{0, 1, 0}, [3]int{0, 2, 0}, [3]int{2, 3, 0}, [3]int{3, 3, 0}),
		rank:  constant(5),
		goals: []goalWant{{nodes: []int{4}, status: model.Violated, stem: 1, last: 1}},
	}, {
		// The loop at 3 is one step away, terminal 2 (found first in
		// successor order) two.
		name: "cycle nearer than terminal", edges: 1,
		g:     newGraph(5, [3]int{0, 1, 0}, [3]int{1, 2, 0}, [3]int{0, 3, 0}, [3]int{3, 3, 0}),
		rank:  []uint64{9, 8, 7, 3, 0},
		goals: []goalWant{{nodes: []int{4}, status: model.Violated, stem: 1, last: 3, cycle: []int{3}}},
	}, {
		// At equal distance the first in breadth-first order wins.
		name: "terminal first at equal distance", edges: 3,
		g:     newGraph(4, [3]int{0, 1, 0}, [3]int{0, 2, 0}, [3]int{2, 2, 0}),
		rank:  constant(4),
		goals: []goalWant{{nodes: []int{3}, status: model.Violated, stem: 1, last: 1}},
	}, {
		name: "cycle first at equal distance", edges: 3,
		g:     newGraph(4, [3]int{0, 2, 0}, [3]int{0, 1, 0}, [3]int{2, 2, 0}),
		rank:  constant(4),
		goals: []goalWant{{nodes: []int{3}, status: model.Violated, stem: 1, last: 2, cycle: []int{2}}},
	}, {
		// One rank, two components joined by kept transitions: {0, 1}
		// is unfair (class 1 leads out of it), {2, 3} is fair.
		name: "components share a rank", edges: 6,
		g: newGraph(5, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{0, 2, 1}, [3]int{1, 2, 1},
			[3]int{2, 3, 0}, [3]int{3, 2, 0}),
		rank:  constant(5),
		goals: []goalWant{{nodes: []int{4}, status: model.Violated, stem: 1, last: 2, cycle: []int{3, 2}}},
	}, {
		// As in TestEventually: the short cycle 0-1-0 is unfair.
		name: "cycle takes the fair edge", edges: 4,
		g: newGraph(4, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{1, 2, 1}, [3]int{2, 0, 0},
			[3]int{0, 3, 1}, [3]int{2, 3, 1}),
		rank:  []uint64{1, 1, 1, 0},
		goals: []goalWant{{nodes: []int{3}, status: model.Violated, stem: 0, last: 0, cycle: []int{1, 2, 0}}},
	}, {
		name: "cycle visits the disabled state", edges: 4,
		g: newGraph(4, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{1, 2, 0}, [3]int{2, 0, 0},
			[3]int{0, 3, 1}, [3]int{1, 3, 1}),
		rank:  []uint64{1, 1, 1, 0},
		goals: []goalWant{{nodes: []int{3}, status: model.Violated, stem: 0, last: 0, cycle: []int{1, 2, 0}}},
	}, {
		name: "lasso", edges: 3,
		g:     newGraph(6, [3]int{0, 1, 0}, [3]int{1, 2, 0}, [3]int{2, 3, 0}, [3]int{3, 4, 0}, [3]int{4, 2, 0}, [3]int{0, 5, 0}),
		rank:  []uint64{3, 2, 1, 1, 1, 0},
		goals: []goalWant{{nodes: []int{5}, status: model.Violated, stem: 2, last: 2, cycle: []int{3, 4, 2}}},
	}, {
		// The rank may rise into a goal and between goal states.
		name: "rank rises at goals", edges: 2,
		g:     newGraph(4, [3]int{0, 1, 0}, [3]int{1, 3, 0}, [3]int{3, 1, 0}, [3]int{0, 2, 0}, [3]int{2, 0, 0}),
		rank:  []uint64{0, 5, 0, 9},
		goals: []goalWant{{nodes: []int{1, 3}, status: model.Violated, stem: 0, last: 0, cycle: []int{2, 0}}},
	}, {
		// Goal 0 holds at 3 only, goal 1 at 2 and 3; both closed. For
		// goal 0 the loop at 2 is a fair cycle; for goal 1, {0, 1} is
		// unfair. 0->2 lowers the rank between two states free of goal
		// 0; 2->2 keeps it.
		name: "two goals", edges: 3,
		g: newGraph(4, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{0, 2, 1}, [3]int{1, 2, 1},
			[3]int{2, 2, 0}, [3]int{2, 3, 0}, [3]int{3, 3, 0}),
		rank: []uint64{1, 1, 0, 7},
		goals: []goalWant{
			{nodes: []int{3}, status: model.Violated, stem: 1, last: 2, cycle: []int{2}},
			{nodes: []int{2, 3}, status: model.Holds},
		},
	}, {
		// As in TestLimitLiveness: a search cut short at 10 states. Of
		// the 11 transitions out of them, 9->10 leads to a state not
		// stored, so it is not kept.
		name: "limit", limit: 10, edges: 10,
		g:     limitGraph(),
		rank:  constant(100),
		goals: []goalWant{{nodes: []int{99}, status: model.Violated, stem: 0, last: 0, cycle: []int{1, 0}}},
	}, {
		// The goal at 1 leads to 2, where it does not hold: not closed.
		// Kept, the loop at 2 would look like a violation.
		name: "goal not closed", rejected: true, edges: 3,
		g:     newGraph(3, [3]int{0, 1, 0}, [3]int{1, 2, 0}, [3]int{2, 2, 0}),
		rank:  constant(3),
		goals: []goalWant{{nodes: []int{1}, status: model.Holds}},
	}, {
		// 0->1 raises the rank: unchecked, the cycle 0-1-0 would be lost.
		name: "rank rises", rejected: true, edges: 3,
		g:     newGraph(3, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{0, 2, 0}),
		rank:  []uint64{1, 2, 0},
		goals: []goalWant{{nodes: []int{2}, status: model.Violated, stem: 0, last: 0, cycle: []int{1, 0}}},
	}, {
		// The goal is not closed only far from the cycle.
		name: "goal not closed elsewhere", rejected: true, edges: 5,
		g:     newGraph(5, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{0, 2, 0}, [3]int{2, 3, 0}, [3]int{3, 4, 0}),
		rank:  []uint64{1, 1, 0, 0, 0},
		goals: []goalWant{{nodes: []int{2, 3}, status: model.Violated, stem: 0, last: 0, cycle: []int{1, 0}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var props []model.Property[int]
			for i, gw := range tt.goals {
				set := map[int]bool{}
				for _, v := range gw.nodes {
					set[v] = true
				}
				props = append(props, model.Eventually("goal"+strconv.Itoa(i), func(v int) bool { return set[v] }))
			}
			sys := rankedGraph{tt.g, tt.rank}
			for _, w := range []int{1, 2} {
				opts := model.Options[int]{Workers: w, AllowDeadlock: true, MaxStates: tt.limit}
				plain, err := checkCatching[int](tt.g, opts, props...)
				if err != nil {
					t.Fatalf("workers %d, without rank: %v", w, err)
				}
				r, err := checkCatching[int](sys, opts, props...)
				if err != nil {
					t.Fatalf("workers %d: %v", w, err)
				}
				if diff := cmp.Diff(plain, r, ignoreRank); diff != "" {
					t.Errorf("workers %d: result with the rank differs from the one without (-without +with):\n%s", w, diff)
				}
				if (r.RankRejected != "") != tt.rejected {
					t.Errorf("workers %d: RankRejected %q, want rejected %v", w, r.RankRejected, tt.rejected)
				}
				if r.GraphEdges != tt.edges {
					t.Errorf("workers %d: GraphEdges %d, want %d (of %d transitions)", w, r.GraphEdges, tt.edges, r.Transitions)
				}
				if r.Complete != (tt.limit == 0) {
					t.Errorf("workers %d: complete %v with MaxStates %d", w, r.Complete, tt.limit)
				}
				for _, err := range replayAll[int](sys, r) {
					t.Errorf("workers %d: %v", w, err)
				}
				for i, gw := range tt.goals {
					p := prop(t, r, props[i].Name)
					if p.Status != gw.status {
						t.Errorf("workers %d, %s: status %v, want %v; path %v", w, p.Name, p.Status, gw.status, p.Path)
						continue
					}
					if gw.status != model.Violated {
						if p.Path != nil {
							t.Errorf("workers %d, %s: path %v for a property that holds", w, p.Name, p.Path)
						}
						continue
					}
					var cycle []int
					for _, st := range p.Path.Cycle {
						cycle = append(cycle, st.State)
					}
					if len(p.Path.Steps) != gw.stem || p.Path.Last() != gw.last || !cmp.Equal(cycle, gw.cycle, cmpopts.EquateEmpty()) {
						t.Errorf("workers %d, %s: counterexample %v; want a stem of %d steps to %d, then cycle %v",
							w, p.Name, p.Path, gw.stem, gw.last, gw.cycle)
					}
					if err := checkLasso(tt.g, props[i].Pred, p.Path); err != nil {
						t.Errorf("workers %d, %s: %v in %v", w, p.Name, err, p.Path)
					}
				}
			}
		})
	}
}

// limitGraph is the graph of TestLimitLiveness: a 2-cycle 0-1 and a chain
// 0, 2, 3, ..., 99.
func limitGraph() *graph {
	g := newGraph(100, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{0, 2, 0})
	for v := 2; v < 99; v++ {
		g.edges[v] = []edge{{v + 1, 0}}
	}
	return g
}

// sticky is counters (a, b) modulo n in which a stops at n-1: a step adds
// one to a (class 1, or no class if unfair) while a < n-1, or one to b
// (class 2) modulo n. "a reaches n-1" is a closed goal, and n-1-a a rank
// that only the a steps lower. Each row of fixed a < n-1 is a cycle of b
// steps where the a step is always enabled and never taken: unfair, unless
// the a step is.
type sticky struct {
	n      uint16
	unfair bool
}

func (c sticky) Init(yield func(pair)) { yield(pair{}) }

func (c sticky) Next(s pair, yield func(model.Action, pair)) {
	if s.a < c.n-1 {
		a := model.Action{Code: 0, Fairness: 1}
		if c.unfair {
			a.Fairness = 0
		}
		yield(a, pair{s.a + 1, s.b})
	}
	yield(model.Action{Code: 1, Fairness: 2}, pair{s.a, (s.b + 1) % c.n})
}

func (c sticky) done(s pair) bool { return s.a == c.n-1 }

// rankedSticky is sticky with the rank n-1-a, or with the rank a, which
// the a steps raise.
type rankedSticky struct {
	sticky
	rises bool
}

func (c rankedSticky) Rank(s *pair) uint64 {
	if c.rises {
		return uint64(s.a)
	}
	return uint64(c.n - 1 - s.a)
}

// exactSticky is rankedSticky with an injective fingerprint, 0 at the
// origin: the table keeps key 0 aside, and the lasso of the unfair system
// ends with a kept transition back to the origin.
type exactSticky struct{ rankedSticky }

func (exactSticky) Fingerprint(s pair) uint64 { return uint64(s.a)<<16 | uint64(s.b) }

// TestRankedSticky: a system with many components, all unfair (each is
// judged, its states rebuilt by replay) or all fair, with a rank that keeps
// only the b steps of the rows where the goal does not hold, or a rank
// that the a steps raise.
func TestRankedSticky(t *testing.T) {
	const n = 60
	fair, unfair := sticky{n: n}, sticky{n: n, unfair: true}
	tests := []struct {
		name   string
		plain  sticky
		sys    model.System[pair]
		status model.Status
		edges  int64 // -1: the rank is rejected
	}{
		{name: "fair", plain: fair, sys: rankedSticky{sticky: fair}, status: model.Holds, edges: n * (n - 1)},
		{name: "unfair", plain: unfair, sys: rankedSticky{sticky: unfair}, status: model.Violated, edges: n * (n - 1)},
		{name: "unfair, fingerprint 0", plain: unfair, sys: exactSticky{rankedSticky{sticky: unfair}}, status: model.Violated, edges: n * (n - 1)},
		{name: "fair, rank rises", plain: fair, sys: rankedSticky{sticky: fair, rises: true}, status: model.Holds, edges: -1},
		{name: "unfair, rank rises", plain: unfair, sys: rankedSticky{sticky: unfair, rises: true}, status: model.Violated, edges: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := []model.Property[pair]{model.Eventually("done", tt.plain.done)}
			ignore := cmpopts.IgnoreFields(model.Result[pair]{},
				"Workers", "Duration", "StatesPerSecond", "Memory", "GraphEdges", "RankRejected")
			for _, w := range []int{1, 3} {
				opts := model.Options[pair]{Workers: w, AllowDeadlock: true}
				plain := check(t, tt.plain, opts, props...)
				r, err := checkCatching[pair](tt.sys, opts, props...)
				if err != nil {
					t.Fatalf("workers %d: %v", w, err)
				}
				if diff := cmp.Diff(plain, r, ignore, cmp.AllowUnexported(pair{})); diff != "" {
					t.Errorf("workers %d: result with the rank differs from the one without (-without +with):\n%s", w, diff)
				}
				if r.States != n*n || r.Transitions != 2*n*n-n {
					t.Errorf("workers %d: %d states, %d transitions; want %d, %d", w, r.States, r.Transitions, n*n, 2*n*n-n)
				}
				switch {
				case tt.edges < 0 && (r.RankRejected == "" || r.GraphEdges != r.Transitions):
					t.Errorf("workers %d: RankRejected %q, GraphEdges %d; want rejected, all %d transitions kept",
						w, r.RankRejected, r.GraphEdges, r.Transitions)
				case tt.edges >= 0 && (r.RankRejected != "" || r.GraphEdges != tt.edges):
					t.Errorf("workers %d: RankRejected %q, GraphEdges %d; want \"\", %d", w, r.RankRejected, r.GraphEdges, tt.edges)
				}
				p := prop(t, r, "done")
				if p.Status != tt.status {
					t.Fatalf("workers %d: %v %v, want %v", w, p, p.Path, tt.status)
				}
				if tt.status == model.Violated {
					// The row of the origin: no stem, n b steps.
					if len(p.Path.Steps) != 0 || len(p.Path.Cycle) != n {
						t.Errorf("workers %d: lasso %v; want no stem and a cycle of %d", w, p.Path, n)
					}
					if err := replays[pair](tt.sys, p.Path); err != nil {
						t.Errorf("workers %d: %v", w, err)
					}
				}
			}
		})
	}
}
