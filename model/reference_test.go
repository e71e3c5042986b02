package model_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/synfin/synfin/model"
)

// A reference checker for explicit graphs, written as plainly as possible
// and with different algorithms (a transitive closure instead of Tarjan), to
// compare the checker against on random graphs.

// randomGraph returns a graph on n nodes from seed: each node has 1 to
// maxDeg edges to random nodes (one node in ten has none), with fairness
// classes 0-3.
func randomGraph(n, maxDeg int, seed uint64) *graph {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	g := &graph{init: []int{0}, edges: make([][]edge, n)}
	if n > 3 && rng.IntN(2) == 0 {
		g.init = append(g.init, rng.IntN(n), 1)
	}
	for v := range g.edges {
		if rng.IntN(10) == 0 {
			continue
		}
		for range 1 + rng.IntN(maxDeg) {
			to := rng.IntN(n)
			if rng.IntN(3) == 0 { // some locality, for longer cycles
				to = (v + 1 + rng.IntN(3)) % n
			}
			g.edges[v] = append(g.edges[v], edge{to: to, fair: uint8(rng.IntN(4))})
		}
	}
	return g
}

// smallRandomGraph is a random graph of 2 to 61 nodes with up to 3 edges a
// node, drawn from seed and stream, and the generator that drew its size,
// for the test to draw more.
func smallRandomGraph(seed, stream uint64) (*graph, *rand.Rand) {
	rng := rand.New(rand.NewPCG(seed, stream))
	n := 2 + rng.IntN(60)
	return randomGraph(n, 1+rng.IntN(3), seed), rng
}

type refResult struct {
	states      int
	transitions int64
	maxDepth    int
	terminal    int
	violated    bool // the Eventually property
	stem        int  // shortest stem of a counterexample
}

// reference checks Eventually(goal) on g.
func reference(g *graph, goal func(int) bool) refResult {
	r := referenceCounts(g)
	in := goalFree(g, goal)
	bad := referenceBad(g, in, closure(g, in))
	r.violated, r.stem = nearestIn(g, in, bad)
	return r
}

// referenceCounts is what a breadth-first search of g counts.
func referenceCounts(g *graph) refResult {
	var r refResult
	dist := make([]int, len(g.edges))
	for i := range dist {
		dist[i] = -1
	}
	var queue []int
	for _, v := range g.init {
		if dist[v] < 0 {
			dist[v] = 0
			queue = append(queue, v)
		}
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		r.states++
		r.maxDepth = max(r.maxDepth, dist[v])
		r.transitions += int64(len(g.edges[v]))
		if stuck(g.edges[v]) {
			r.terminal++
		}
		for _, e := range g.edges[v] {
			if dist[e.to] < 0 {
				dist[e.to] = dist[v] + 1
				queue = append(queue, e.to)
			}
		}
	}
	return r
}

// goalFree is the goal-free part of g reachable through goal-free states.
func goalFree(g *graph, goal func(int) bool) []bool {
	in := make([]bool, len(g.edges))
	var queue []int
	for _, v := range g.init {
		if !goal(v) && !in[v] {
			in[v] = true
			queue = append(queue, v)
		}
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range g.edges[v] {
			if !goal(e.to) && !in[e.to] {
				in[e.to] = true
				queue = append(queue, e.to)
			}
		}
	}
	return in
}

// closure is reach[u][v]: a path of one or more edges of g from u to v
// inside the part in.
func closure(g *graph, in []bool) [][]bool {
	n := len(g.edges)
	reach := make([][]bool, n)
	for u := range reach {
		reach[u] = make([]bool, n)
		if in[u] {
			for _, e := range g.edges[u] {
				if in[e.to] {
					reach[u][e.to] = true
				}
			}
		}
	}
	for k := 0; k < n; k++ {
		for u := 0; u < n; u++ {
			if !reach[u][k] {
				continue
			}
			for v := 0; v < n; v++ {
				if reach[k][v] {
					reach[u][v] = true
				}
			}
		}
	}
	return reach
}

// referenceBad marks the states of the part in that violate: terminal
// ones (no successors but optional ones), and those on a cycle inside the part whose strongly connected set
// takes every fairness class enabled in all of its states.
func referenceBad(g *graph, in []bool, reach [][]bool) []bool {
	n := len(g.edges)
	enabled := func(v int) (en uint64) {
		for _, e := range g.edges[v] {
			if e.fair != 0 {
				en |= 1 << e.fair
			}
		}
		return en
	}
	bad := make([]bool, n)
	for v := 0; v < n; v++ {
		if !in[v] {
			continue
		}
		if stuck(g.edges[v]) {
			bad[v] = true
			continue
		}
		if !reach[v][v] {
			continue
		}
		all, inner := ^uint64(0), uint64(0)
		for u := 0; u < n; u++ {
			if u != v && !(reach[v][u] && reach[u][v]) {
				continue
			}
			all &= enabled(u)
			for _, e := range g.edges[u] {
				if in[e.to] && reach[v][e.to] && reach[e.to][v] && e.fair != 0 {
					inner |= 1 << e.fair
				}
			}
		}
		bad[v] = all&^inner == 0
	}
	return bad
}

// nearestIn is the length of a shortest path inside the part in from an
// initial state to a bad state, if there is one.
func nearestIn(g *graph, in, bad []bool) (found bool, steps int) {
	d := make([]int, len(g.edges))
	for i := range d {
		d[i] = -1
	}
	var queue []int
	for _, v := range g.init {
		if in[v] && d[v] < 0 {
			d[v] = 0
			queue = append(queue, v)
		}
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		if bad[v] {
			return true, d[v]
		}
		for _, e := range g.edges[v] {
			if in[e.to] && d[e.to] < 0 {
				d[e.to] = d[v] + 1
				queue = append(queue, e.to)
			}
		}
	}
	return false, 0
}

// checkLasso verifies a counterexample on g independently of the checker.
func checkLasso(g *graph, goal func(int) bool, p *model.Path[int]) error {
	for _, v := range p.States() {
		if goal(v) {
			return fmt.Errorf("goal holds at %d on the stem", v)
		}
	}
	prev := p.Init
	for _, st := range p.Steps {
		if e := g.edges[prev][st.Index]; e.to != st.State {
			return fmt.Errorf("step %d->%d is not edge %d", prev, st.State, st.Index)
		}
		prev = st.State
	}
	if len(p.Cycle) == 0 {
		if !stuck(g.edges[p.Last()]) {
			return fmt.Errorf("finite counterexample ends in %d, which has successors that are not optional", p.Last())
		}
		return nil
	}
	all, taken := ^uint64(0), uint64(0)
	for _, st := range p.Cycle {
		e := g.edges[prev][st.Index]
		if e.to != st.State || goal(st.State) {
			return fmt.Errorf("cycle step %d->%d is wrong", prev, st.State)
		}
		if e.fair != 0 {
			taken |= 1 << e.fair
		}
		var en uint64
		for _, e := range g.edges[st.State] {
			if e.fair != 0 {
				en |= 1 << e.fair
			}
		}
		all &= en
		prev = st.State
	}
	if prev != p.Last() {
		return fmt.Errorf("cycle ends at %d, not %d", prev, p.Last())
	}
	if all&^taken != 0 {
		return fmt.Errorf("cycle is unfair: classes %b always enabled, %b taken", all, taken)
	}
	return nil
}

func TestRandomGraphsAgainstReference(t *testing.T) {
	violations := 0
	for seed := uint64(1); seed <= 400; seed++ {
		g, rng := smallRandomGraph(seed, 1)
		goalMod := 2 + rng.IntN(4)
		goal := func(v int) bool { return v%goalMod == goalMod-1 }
		want := reference(g, goal)
		for _, w := range []int{1, 3} {
			r, err := model.Check(g, model.Options[int]{Workers: w, AllowDeadlock: true}, model.Eventually("goal", goal))
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			got := refResult{states: r.States, transitions: r.Transitions, maxDepth: r.MaxDepth, terminal: r.Terminal}
			p := r.Property("goal")
			got.violated = p.Status == model.Violated
			if got.violated {
				got.stem = len(p.Path.Steps)
				if err := checkLasso(g, goal, p.Path); err != nil {
					t.Errorf("seed %d: %v in %v", seed, err, p.Path)
				}
			} else if p.Status != model.Holds {
				t.Errorf("seed %d: status %v", seed, p.Status)
			}
			if got != want {
				t.Errorf("seed %d, workers %d: got %+v, reference %+v", seed, w, got, want)
			}
		}
		if want.violated {
			violations++
		}
	}
	// Both answers must be common, or the test proves little.
	t.Logf("%d of 400 violate", violations)
	if violations < 50 || violations > 350 {
		t.Errorf("%d of 400 random graphs violate the property", violations)
	}
}

// bfsOrder returns the states of sys in breadth-first discovery order
// (initial states in Init order, then each state's successors in Next
// order) with their depths: the order in which the checker numbers them.
func bfsOrder[S comparable](sys model.System[S]) ([]S, map[S]int) {
	depth := map[S]int{}
	var order []S
	sys.Init(func(s S) {
		if _, ok := depth[s]; !ok {
			depth[s] = 0
			order = append(order, s)
		}
	})
	for i := 0; i < len(order); i++ {
		s := order[i]
		sys.Next(s, func(_ model.Action, t S) {
			if _, ok := depth[t]; !ok {
				depth[t] = depth[s] + 1
				order = append(order, t)
			}
		})
	}
	return order, depth
}

// firstIn returns the first state of order that satisfies pred.
func firstIn[S comparable](order []S, pred func(S) bool) (S, bool) {
	for _, s := range order {
		if pred(s) {
			return s, true
		}
	}
	var zero S
	return zero, false
}

// TestBreadthFirstOrder checks that every counterexample and example ends
// in the first state, in breadth-first order, that has the property, and so
// is a shortest one, whatever the number of workers. In the counters the
// first level that violates holds many violating states, spread over
// several chunks.
func TestBreadthFirstOrder(t *testing.T) {
	testOrder := func(t *testing.T, sys model.System[int], bad, good func(int) bool, terminal func(int) bool) {
		order, depth := bfsOrder(sys)
		for _, w := range []int{1, 2, 4} {
			r, err := model.Check(sys, model.Options[int]{Workers: w, Terminal: func(int) bool { return terminal == nil }},
				model.Always("not bad", func(v int) bool { return !bad(v) }),
				model.Sometimes("good", good))
			if err != nil {
				t.Fatal(err)
			}
			if r.States != len(order) {
				t.Errorf("workers %d: %d states, reference %d", w, r.States, len(order))
			}
			paths := map[string]*model.Path[int]{"bad": r.Property("not bad").Path, "good": r.Property("good").Path}
			preds := map[string]func(int) bool{"bad": bad, "good": good}
			if terminal != nil {
				paths["deadlock"], preds["deadlock"] = r.Deadlock, terminal
			}
			for name, p := range paths {
				want, ok := firstIn(order, preds[name])
				if !ok || p == nil {
					t.Fatalf("workers %d, %s: found %v, path %v", w, name, ok, p)
				}
				if p.Last() != want || len(p.Steps) != depth[want] {
					t.Errorf("workers %d, %s: path to %d in %d steps, want %d in %d", w, name, p.Last(), len(p.Steps), want, depth[want])
				}
			}
		}
	}
	t.Run("random graph", func(t *testing.T) {
		g := randomGraph(20000, 3, 99)
		testOrder(t, g,
			func(v int) bool { return v%13 == 7 },
			func(v int) bool { return v%7 == 3 && v > 1000 },
			func(v int) bool { return len(g.edges[v]) == 0 })
	})
	t.Run("random graph with optional edges", func(t *testing.T) {
		g := withOptional(randomGraph(20000, 3, 98), rand.New(rand.NewPCG(98, 1)))
		testOrder(t, g,
			func(v int) bool { return v%13 == 7 },
			func(v int) bool { return v%7 == 3 && v > 1000 },
			func(v int) bool { return stuck(g.edges[v]) })
	})
	t.Run("counters", func(t *testing.T) {
		sum := func(v int) int { return v>>16 + v&0xFFFF }
		testOrder(t, packed{counters{150}},
			func(v int) bool { return sum(v) >= 120 },                  // all 121 states of depth 120
			func(v int) bool { return sum(v) == 130 && v&0xFFFF > 20 }, // most of depth 130
			nil)
	})
}

// packed is counters with the pair packed into an int.
type packed struct{ c counters }

func (p packed) Init(yield func(int)) { yield(0) }

func (p packed) Next(v int, yield func(model.Action, int)) {
	p.c.Next(pair{uint16(v >> 16), uint16(v)}, func(a model.Action, s pair) { yield(a, int(s.a)<<16|int(s.b)) })
}
