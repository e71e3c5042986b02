package model_test

import (
	"github.com/synfin/synfin/model"
)

// Small systems whose answers are known in closed form or by hand.

// counters: two counters modulo n, each step adds one to one of them.
// n*n states, 2*n*n transitions, depth 2(n-1), nothing terminal.
type counters struct{ n uint16 }

type pair struct{ a, b uint16 }

func (c counters) Init(yield func(pair)) { yield(pair{}) }

func (c counters) Next(s pair, yield func(model.Action, pair)) {
	yield(model.Action{Code: 0, Fairness: 1}, pair{(s.a + 1) % c.n, s.b})
	yield(model.Action{Code: 1, Fairness: 2}, pair{s.a, (s.b + 1) % c.n})
}

// hanoi: the towers of Hanoi with n disks, every legal move. Disk d (0 is
// the smallest) sits on peg (s >> 2d) & 3. 3^n states, 3^(n+1)-3
// transitions (3 moves everywhere but 2 where all disks share a peg); the
// farthest state from the start is the solved one, 2^n-1 moves away.
type hanoi struct{ n int }

func (h hanoi) Init(yield func(uint32)) { yield(0) }

func (h hanoi) top(s uint32, peg uint32) int {
	for d := 0; d < h.n; d++ {
		if s>>(2*d)&3 == peg {
			return d
		}
	}
	return h.n
}

func (h hanoi) Next(s uint32, yield func(model.Action, uint32)) {
	for from := uint32(0); from < 3; from++ {
		d := h.top(s, from)
		if d == h.n {
			continue
		}
		for to := uint32(0); to < 3; to++ {
			if to != from && d < h.top(s, to) {
				yield(model.Action{Code: from*3 + to}, s&^(3<<(2*d))|to<<(2*d))
			}
		}
	}
}

func (h hanoi) solved(s uint32) bool { return s == (1<<(2*h.n)-1)&0xAAAAAAAA }

// jugs: the Die Hard puzzle with a 3 and a 5 gallon jug. Six moves in every
// state (some change nothing). The reachable states are those with a jug
// empty or full: 4*2 + 6*2 - 4 = 16, the last ones 7 moves away (found by
// hand and by a throwaway script); 4 gallons take 6 moves.
type jugs struct{}

type jugState struct{ small, big uint8 }

func (jugs) Init(yield func(jugState)) { yield(jugState{}) }

func (jugs) Next(s jugState, yield func(model.Action, jugState)) {
	pour := func(from, to, room uint8) (uint8, uint8) {
		n := min(from, room-to)
		return from - n, to + n
	}
	yield(model.Action{Code: 0}, jugState{3, s.big})
	yield(model.Action{Code: 1}, jugState{s.small, 5})
	yield(model.Action{Code: 2}, jugState{0, s.big})
	yield(model.Action{Code: 3}, jugState{s.small, 0})
	a, b := pour(s.small, s.big, 5)
	yield(model.Action{Code: 4}, jugState{a, b})
	b, a = pour(s.big, s.small, 3)
	yield(model.Action{Code: 5}, jugState{a, b})
}

// mutex: two processes guard a critical section with flags, badly: a
// process checks the other's flag (pc 0 -> 1) before raising its own
// (pc 1 -> 2, critical), so both can get in. Each needs two steps, so the
// shortest counterexample has exactly 4. With peterson set, it is
// Peterson's algorithm instead (pc 0: raise flag, 1: give turn away,
// 2: wait, 3: critical), which is correct and starvation-free under weak
// fairness of each process. Process i's actions have fairness class i+1
// unless unfair is set.
type mutex struct{ peterson, unfair bool }

type mutexState struct {
	pc   [2]uint8
	flag [2]bool
	turn uint8
}

func (m mutex) Init(yield func(mutexState)) { yield(mutexState{}) }

func (m mutex) critical(s mutexState, i int) bool {
	if m.peterson {
		return s.pc[i] == 3
	}
	return s.pc[i] == 2
}

func (m mutex) Next(s mutexState, yield func(model.Action, mutexState)) {
	for i := 0; i < 2; i++ {
		o := 1 - i
		a := model.Action{Code: uint32(i*10) + uint32(s.pc[i])}
		if !m.unfair {
			a.Fairness = uint8(i + 1)
		}
		t := s
		switch {
		case !m.peterson && s.pc[i] == 0:
			if s.flag[o] {
				continue
			}
			t.pc[i] = 1
		case !m.peterson && s.pc[i] == 1:
			t.flag[i], t.pc[i] = true, 2
		case !m.peterson && s.pc[i] == 2:
			t.flag[i], t.pc[i] = false, 0
		case s.pc[i] == 0:
			t.flag[i], t.pc[i] = true, 1
		case s.pc[i] == 1:
			t.turn, t.pc[i] = uint8(o), 2
		case s.pc[i] == 2:
			if s.flag[o] && s.turn != uint8(i) {
				continue
			}
			t.pc[i] = 3
		case s.pc[i] == 3:
			t.flag[i], t.pc[i] = false, 0
		}
		yield(a, t)
	}
}

// countdown counts from 0 up to n and stops: n+1 states, one terminal.
type countdown struct{ n uint8 }

func (c countdown) Init(yield func(uint8)) { yield(0) }

func (c countdown) Next(s uint8, yield func(model.Action, uint8)) {
	if s < c.n {
		yield(model.Action{Code: 1}, s+1)
	}
}

// graph is an explicit graph: states are node numbers, and edge i of a
// node is action Code i.
type graph struct {
	init  []int
	edges [][]edge
}

type edge struct {
	to   int
	fair uint8
	opt  bool // model.Action.Optional
}

// stuck reports whether the edges es of a node leave it terminal: none,
// or optional ones only.
func stuck(es []edge) bool {
	for _, e := range es {
		if !e.opt {
			return false
		}
	}
	return true
}

func (g *graph) Init(yield func(int)) {
	for _, v := range g.init {
		yield(v)
	}
}

func (g *graph) Next(v int, yield func(model.Action, int)) {
	for i, e := range g.edges[v] {
		yield(model.Action{Code: uint32(i), Fairness: e.fair, Optional: e.opt}, e.to)
	}
}

// newGraph builds a graph on n nodes, initial node 0, from "from to fair"
// triples.
func newGraph(n int, triples ...[3]int) *graph {
	g := &graph{init: []int{0}, edges: make([][]edge, n)}
	for _, t := range triples {
		g.edges[t[0]] = append(g.edges[t[0]], edge{to: t[1], fair: uint8(t[2])})
	}
	return g
}

func is(v int) func(int) bool { return func(s int) bool { return s == v } }
