package model_test

import (
	"strconv"
	"strings"
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

// goalWant is an Eventually property of TestRankedEventually and its
// expected outcome.
type goalWant struct {
	nodes  []int        // where the goal holds
	status model.Status // Holds or Violated
	stem   int          // counterexample: steps of the stem,
	last   int          // the state where it ends,
	cycle  []int        // the states the cycle visits (nil: a terminal state)
}

// rankedEventuallyCase is a graph with a rank and liveness properties
// whose answers are clear by inspection, for TestRankedEventually. Node 0
// is initial.
type rankedEventuallyCase struct {
	name     string
	g        *graph
	rank     []uint64
	goals    []goalWant
	limit    int   // MaxStates
	rejected bool  // the rank must be rejected
	edges    int64 // GraphEdges: kept transitions, or all of them if rejected
}

// constantRank is the rank 0 on n states.
func constantRank(n int) []uint64 { return make([]uint64, n) }

var rankedEventuallyCases = []rankedEventuallyCase{{
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
	rank:  constantRank(2),
	goals: []goalWant{{nodes: []int{1}, status: model.Violated, stem: 0, last: 0, cycle: []int{0}}},
}, {
	name: "unfair self-loop", edges: 1,
	g:     newGraph(2, [3]int{0, 0, 0}, [3]int{0, 1, 1}),
	rank:  constantRank(2),
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
	rank:  constantRank(5),
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
	rank:  constantRank(4),
	goals: []goalWant{{nodes: []int{3}, status: model.Violated, stem: 1, last: 1}},
}, {
	name: "cycle first at equal distance", edges: 3,
	g:     newGraph(4, [3]int{0, 2, 0}, [3]int{0, 1, 0}, [3]int{2, 2, 0}),
	rank:  constantRank(4),
	goals: []goalWant{{nodes: []int{3}, status: model.Violated, stem: 1, last: 2, cycle: []int{2}}},
}, {
	// One rank, two components joined by kept transitions: {0, 1}
	// is unfair (class 1 leads out of it), {2, 3} is fair.
	name: "components share a rank", edges: 6,
	g: newGraph(5, [3]int{0, 1, 0}, [3]int{1, 0, 0}, [3]int{0, 2, 1}, [3]int{1, 2, 1},
		[3]int{2, 3, 0}, [3]int{3, 2, 0}),
	rank:  constantRank(5),
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
	rank:  constantRank(100),
	goals: []goalWant{{nodes: []int{99}, status: model.Violated, stem: 0, last: 0, cycle: []int{1, 0}}},
}, {
	// The goal at 1 leads to 2, where it does not hold: not closed.
	// Kept, the loop at 2 would look like a violation.
	name: "goal not closed", rejected: true, edges: 3,
	g:     newGraph(3, [3]int{0, 1, 0}, [3]int{1, 2, 0}, [3]int{2, 2, 0}),
	rank:  constantRank(3),
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

// TestRankedEventually runs the cases of rankedEventuallyCases, each with
// and without the rank, which must give the same result.
func TestRankedEventually(t *testing.T) {
	for _, tt := range rankedEventuallyCases {
		t.Run(tt.name, func(t *testing.T) {
			var props []model.Property[int]
			for i, gw := range tt.goals {
				set := map[int]bool{}
				for _, v := range gw.nodes {
					set[v] = true
				}
				props = append(props, model.Eventually("goal"+strconv.Itoa(i), func(v int) bool { return set[v] }))
			}
			for _, w := range []int{1, 2} {
				tt.run(t, w, props)
			}
		})
	}
}

// run checks tt's graph with w workers, without and with the rank.
func (tt *rankedEventuallyCase) run(t *testing.T, w int, props []model.Property[int]) {
	sys := rankedGraph{tt.g, tt.rank}
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
		gw.check(t, w, tt.g, props[i], prop(t, r, props[i].Name))
	}
}

// check compares p, the outcome of property pr on g with w workers, with
// gw.
func (gw goalWant) check(t *testing.T, w int, g *graph, pr model.Property[int], p *model.PropertyResult[int]) {
	t.Helper()
	if p.Status != gw.status {
		t.Errorf("workers %d, %s: status %v, want %v; path %v", w, p.Name, p.Status, gw.status, p.Path)
		return
	}
	if gw.status != model.Violated {
		if p.Path != nil {
			t.Errorf("workers %d, %s: path %v for a property that holds", w, p.Name, p.Path)
		}
		return
	}
	var cycle []int
	for _, st := range p.Path.Cycle {
		cycle = append(cycle, st.State)
	}
	if len(p.Path.Steps) != gw.stem || p.Path.Last() != gw.last || !cmp.Equal(cycle, gw.cycle, cmpopts.EquateEmpty()) {
		t.Errorf("workers %d, %s: counterexample %v; want a stem of %d steps to %d, then cycle %v",
			w, p.Name, p.Path, gw.stem, gw.last, gw.cycle)
	}
	if err := checkLasso(g, pr.Pred, p.Path); err != nil {
		t.Errorf("workers %d, %s: %v in %v", w, p.Name, err, p.Path)
	}
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
			for _, w := range []int{1, 3} {
				r := compareSticky(t, tt.plain, tt.sys, w)
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

// flooredSticky is rankedSticky as a model.FloorRanker: below the floor
// its RankFrom gives 0. With lies, the rank is a+1, which the a steps
// raise, and RankFrom says every state ranks below any floor but 0.
type flooredSticky struct {
	rankedSticky
	lies bool
}

func (c flooredSticky) Rank(s *pair) uint64 {
	if c.lies {
		return uint64(s.a) + 1
	}
	return c.rankedSticky.Rank(s)
}

func (c flooredSticky) RankFrom(s *pair, floor uint64) uint64 {
	if r := c.Rank(s); r >= floor && !(c.lies && floor > 0) {
		return r
	}
	return 0
}

// TestFloorRanker: a FloorRanker gives the result of its Ranker, keeps the
// same transitions, and one whose RankFrom hides a rising rank is caught
// on the new state the rising step reaches.
func TestFloorRanker(t *testing.T) {
	const n = 40
	fair, unfair := sticky{n: n}, sticky{n: n, unfair: true}
	tests := []struct {
		name     string
		plain    sticky
		sys      flooredSticky
		rejected string // what RankRejected must say; "" for none
	}{
		{"fair", fair, flooredSticky{rankedSticky: rankedSticky{sticky: fair}}, ""},
		{"unfair", unfair, flooredSticky{rankedSticky: rankedSticky{sticky: unfair}}, ""},
		{"fair, rank rises", fair, flooredSticky{rankedSticky: rankedSticky{sticky: fair, rises: true}}, "the rank rises from 0 to 1"},
		{"unfair, RankFrom lies", unfair, flooredSticky{rankedSticky: rankedSticky{sticky: unfair}, lies: true},
			"RankFrom gives 0, below the floor 1, where Rank gives 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range []int{1, 3} {
				r := compareSticky(t, tt.plain, tt.sys, w)
				switch {
				case tt.rejected == "" && (r.RankRejected != "" || r.GraphEdges != n*(n-1)):
					t.Errorf("workers %d: RankRejected %q, GraphEdges %d; want \"\", %d", w, r.RankRejected, r.GraphEdges, n*(n-1))
				case tt.rejected != "" && !strings.Contains(r.RankRejected, tt.rejected):
					t.Errorf("workers %d: RankRejected %q, want it to say %q", w, r.RankRejected, tt.rejected)
				}
			}
		})
	}
}

// compareSticky checks "done" on sys with w workers and returns the
// result, which must be that of plain, the same system without a rank, but
// for timings, memory and the fields about the rank.
func compareSticky(t *testing.T, plain sticky, sys model.System[pair], w int) *model.Result[pair] {
	t.Helper()
	props := []model.Property[pair]{model.Eventually("done", plain.done)}
	opts := model.Options[pair]{Workers: w, AllowDeadlock: true}
	want := check(t, plain, opts, props...)
	r, err := checkCatching[pair](sys, opts, props...)
	if err != nil {
		t.Fatalf("workers %d: %v", w, err)
	}
	ignore := cmpopts.IgnoreFields(model.Result[pair]{},
		"Workers", "Duration", "StatesPerSecond", "Memory", "GraphEdges", "RankRejected")
	if diff := cmp.Diff(want, r, ignore, cmp.AllowUnexported(pair{})); diff != "" {
		t.Errorf("workers %d: result with the rank differs from the one without (-without +with):\n%s", w, diff)
	}
	return r
}
