package model_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/synfin/synfin/model"
)

// Ranked liveness on random graphs: a ranked Check must give the answer
// of the same Check without the rank and of the reference checker.

// rankKind is a way TestRankedRandomGraphs ranks a graph.
type rankKind struct {
	name  string
	valid bool // by construction; otherwise usually rejected
}

var rankKinds = []rankKind{
	{"constant", true},    // valid, saves nothing
	{"components", true},  // one rank per component, a topological order
	{"coarse", true},      // the same divided by 3: components share ranks
	{"random", false},     // rises somewhere
	{"open goals", false}, // the components rank, goals not closed
}

// build returns the graph and the rank of kind k: closed is base with its
// goals closed (closeGoals).
func (k rankKind) build(closed, base *graph, goals []func(int) bool, rng *rand.Rand) (*graph, []uint64) {
	n := len(closed.edges)
	rank := make([]uint64, n)
	switch k.name {
	case "constant":
		for v := range rank {
			rank[v] = 7
		}
	case "components", "coarse":
		rank = reachRank(closed, goals, rng)
		if k.name == "coarse" {
			for v := range rank {
				rank[v] /= 3
			}
		}
	case "random":
		for v := range rank {
			rank[v] = rng.Uint64N(4)
		}
	case "open goals":
		return base, reachRank(base, goals, rng)
	default:
		panic("unknown rank kind " + k.name)
	}
	return closed, rank
}

// rankTally counts the outcomes of TestRankedRandomGraphs by number of
// goals and rank kind ("1 goals, coarse").
type rankTally struct {
	violated map[string]int // goal0 violated
	rejected map[string]int // the rank rejected
	pruned   map[string]int // the rank used, keeping fewer transitions than all
}

// check requires both answers to be common, and the invalid ranks mostly
// rejected, or the test proves little.
func (c *rankTally) check(t *testing.T, seeds int) {
	for _, ngoals := range []int{1, 2} {
		runs := seeds / ngoals
		for _, k := range rankKinds {
			key := fmt.Sprintf("%d goals, %s", ngoals, k.name)
			if k.name == "open goals" && ngoals == 2 {
				continue
			}
			t.Logf("%s: %d of %d violate goal0; rank rejected %d times, used with fewer transitions kept %d times",
				key, c.violated[key], runs, c.rejected[key], c.pruned[key])
			if c.violated[key] < runs/8 || c.violated[key] > runs*7/8 {
				t.Errorf("%s: %d of %d random graphs violate goal0", key, c.violated[key], runs)
			}
			if !k.valid && c.rejected[key] < runs/2 {
				t.Errorf("%s: only %d of %d ranks rejected", key, c.rejected[key], runs)
			}
		}
	}
}

// TestRankedRandomGraphs compares Check with a rank against Check without
// one and against the reference, on the random graphs of
// TestRandomGraphsAgainstReference, for valid ranks, invalid ranks and
// goals that are not closed under successors, with one or two Eventually
// properties.
func TestRankedRandomGraphs(t *testing.T) {
	const seeds = 400
	tally := &rankTally{violated: map[string]int{}, rejected: map[string]int{}, pruned: map[string]int{}}
	for seed := uint64(1); seed <= seeds; seed++ {
		base, rng := smallRandomGraph(seed, 2)
		goalMod := 2 + rng.IntN(4)
		goal0 := func(v int) bool { return v%goalMod == goalMod-1 }
		goal1 := func(v int) bool { return v%7 == 3 }
		for _, ngoals := range []int{1, 2} {
			if ngoals == 2 && seed%2 == 1 {
				continue // half the seeds are enough
			}
			c := &randomRankCase{seed: seed, base: base, goals: []func(int) bool{goal0, goal1}[:ngoals],
				workers: 1 + int(seed%3), rng: rng}
			c.run(t, tally)
		}
	}
	t.Logf("%d rejections named the transition that broke the rank", namedTransitions.Load())
	tally.check(t, seeds)
}

// randomRankCase is a random graph of TestRankedRandomGraphs with one or
// two goals, to check with each kind of rank.
type randomRankCase struct {
	seed    uint64
	base    *graph
	goals   []func(int) bool
	workers int
	rng     *rand.Rand
}

// run checks the graph, its goals closed, with every kind of rank (with
// one goal, also the graph as it is: "open goals"), and counts the
// outcomes in tally.
func (c *randomRankCase) run(t *testing.T, tally *rankTally) {
	n, ngoals := len(c.base.edges), len(c.goals)
	props := []model.Property[int]{
		model.Always("not last", func(v int) bool { return v != n-1 }),
		model.Sometimes("one", is(1)),
	}
	for i, goal := range c.goals {
		props = append(props, model.Eventually("goal"+strconv.Itoa(i), goal))
	}
	closed := closeGoals(c.base, c.goals...)
	graphs := []*graph{closed}
	if ngoals == 1 {
		graphs = append(graphs, c.base) // for "open goals"
	}
	plain, refs := c.plain(t, graphs, props)
	for _, k := range rankKinds {
		if k.name == "open goals" && ngoals == 2 {
			continue
		}
		g, rank := k.build(closed, c.base, c.goals, c.rng)
		label := fmt.Sprintf("seed %d, %d goals, %s rank, workers %d", c.seed, ngoals, k.name, c.workers)
		if _, _, _, flawed, _ := rankFlaw(g, c.goals, rank); k.valid && flawed {
			t.Fatalf("%s: the test built an invalid rank", label)
		}
		run := &rankRun{g: g, goals: c.goals, props: props, rank: rank, workers: c.workers, plain: plain[g], refs: refs[g]}
		r, errs := run.compare()
		for _, err := range errs {
			t.Errorf("%s: %v", label, err)
		}
		key := fmt.Sprintf("%d goals, %s", ngoals, k.name)
		if r != nil && r.RankRejected != "" {
			tally.rejected[key]++
		}
		if r != nil && r.RankRejected == "" && r.GraphEdges < r.Transitions {
			tally.pruned[key]++
		}
		if plain[g].Property("goal0").Status == model.Violated {
			tally.violated[key]++
		}
	}
}

// plain checks each of graphs without a rank and with the reference.
func (c *randomRankCase) plain(t *testing.T, graphs []*graph, props []model.Property[int]) (map[*graph]*model.Result[int], map[*graph][]refResult) {
	plain := map[*graph]*model.Result[int]{}
	refs := map[*graph][]refResult{}
	for _, g := range graphs {
		r, err := checkCatching[int](g, model.Options[int]{Workers: c.workers, AllowDeadlock: true}, props...)
		if err != nil {
			t.Fatalf("seed %d, without rank: %v", c.seed, err)
		}
		plain[g] = r
		for _, goal := range c.goals {
			refs[g] = append(refs[g], reference(g, goal))
		}
	}
	return plain, refs
}

// TestRankIgnoredWithoutEventually: without an Eventually property there
// is nothing for the rank to do, so even a rank that would be rejected,
// with goals that are not closed, is ignored: no rejection, no kept
// transition, the same result.
func TestRankIgnoredWithoutEventually(t *testing.T) {
	wouldReject := 0
	for seed := uint64(1); seed <= 100; seed++ {
		g, rng := smallRandomGraph(seed, 3)
		n := len(g.edges)
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
