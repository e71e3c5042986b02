package model

import "slices"

// Liveness: after the breadth-first search, for each Eventually property,
// look at the graph restricted to the states where the goal does not hold
// and that are reachable from a goal-free initial state through goal-free
// states only. A violation is
//
//   - a terminal state of that graph (an expanded state without successors
//     in the full graph, or with optional ones only), or
//   - a non-trivial strongly connected component (more than one state, or
//     one state with a self-loop) that is weakly fair: every fairness class
//     enabled in all of its states labels some edge inside it.
//
// A component that is not fair contains no fair run: some class is enabled
// in each of its states and cannot be taken without leaving it. Any smaller
// strongly connected set inside it has the same defect, so for weak fairness
// the maximal components decide. A fair component does contain a fair run:
// one that visits all its states and takes all its edges forever.
//
// Components come from an iterative Tarjan search (scc.go), then a
// breadth-first search of the restricted graph finds the violating state
// closest to an initial state; the counterexample is the path to it plus,
// for a component, a cycle inside the component through it that takes every
// fairness class needed (lasso.go).

type sccInfo struct{ enabledAny, inner uint64 }

// optionalEdge marks an optional transition in the fairness byte the graph
// keeps for each edge; its class is 0.
const optionalEdge = 0x80

// edgeClass is the fairness byte the graph keeps for a transition of a.
func edgeClass(a Action) uint8 {
	if a.Optional {
		return a.Fairness | optionalEdge
	}
	return a.Fairness
}

// classBit is the bit of fairness class f (an edge's fairness byte), 0 for
// none.
func classBit(f uint8) uint64 {
	f &^= optionalEdge
	if f == 0 {
		return 0
	}
	return 1 << (f - 1)
}

// liveness holds the scratch arrays of one Eventually property's search.
type liveness[S comparable] struct {
	e     *explorer[S]
	goal  bitset
	index []uint32 // Tarjan: discovery order (1-based); later: BFS parent
	low   []uint32 // Tarjan: low link; for finished states, component id (1-based)
	on    bitset   // Tarjan: on the stack; later: seen by the BFS
	bad   bitset   // violating states
	fair  map[uint32]sccInfo
	stack int64 // bytes of the largest Tarjan stacks
	lasso lassoSearch
}

func (l *liveness[S]) edges(v uint32) (lo, hi uint32) {
	if int(v) < l.e.expanded {
		return l.e.off.at(int(v)), l.e.off.at(int(v) + 1)
	}
	return 0, 0
}

// terminal reports whether v is an expanded state whose transitions, if
// any, are all optional.
func (l *liveness[S]) terminal(v uint32) bool {
	if int(v) >= l.e.expanded {
		return false // not expanded: unknown
	}
	lo, hi := l.edges(v)
	for k := lo; k < hi; k++ {
		if l.e.fair.at(int(k))&optionalEdge == 0 {
			return false
		}
	}
	return true
}

// inside reports whether t is a state of the restricted graph.
func (l *liveness[S]) inside(t uint32) bool { return t != noState && !l.goal.has(int(t)) }

func (l *liveness[S]) enabled(v uint32) uint64 {
	var en uint64
	lo, hi := l.edges(v)
	for k := lo; k < hi; k++ {
		en |= classBit(l.e.fair.at(int(k)))
	}
	return en
}

func (l *liveness[S]) bytes() int64 {
	return int64(cap(l.index)+cap(l.low))*4 + l.on.bytes() + l.bad.bytes() + l.stack + l.lasso.bytes()
}

// eventually checks one Eventually property. It returns the choices of the
// stem and cycle of a shortest-stem counterexample, or found = false.
func (e *explorer[S]) eventually(goal bitset) (stem, cycle []int, found bool) {
	n := e.states
	l := &liveness[S]{
		e:     e,
		goal:  goal,
		index: makeWritten[uint32](n),
		low:   makeWritten[uint32](n),
		on:    newBitset(n),
		bad:   newBitset(n),
		fair:  make(map[uint32]sccInfo),
	}
	defer func() { e.peak = max(e.peak, l.bytes()) }()
	anyBad := l.tarjan()
	if !anyBad {
		return nil, nil, false
	}
	v := l.nearestBad()
	stem = l.stemTo(v)
	if l.terminal(v) {
		return stem, nil, true
	}
	return stem, l.cycle(v), true
}

// tarjan finds the components of the restricted graph, marks the states of
// fair non-trivial ones and the terminal states as bad, and reports whether
// there is any.
func (l *liveness[S]) tarjan() bool {
	e := l.e
	found := false
	t := &sccSearch{
		index: l.index,
		low:   l.low,
		on:    l.on,
		edges: l.edges,
		target: func(k uint32) (uint32, bool) {
			w := e.tgt.at(int(k))
			return w, l.inside(w)
		},
		component: func(members []uint32, comp uint32) error {
			for _, w := range members {
				l.low[w] = comp
			}
			if l.judge(members, comp) {
				found = true
			}
			return nil
		},
	}
	defer func() { l.stack = t.stackBytes() }()
	for r := 0; r < e.initCount; r++ {
		if !l.goal.has(r) && l.index[r] == 0 {
			_ = t.from(uint32(r)) // component returns no error
		}
	}
	return found
}

// judge marks members (component comp) bad if they violate the property:
// a terminal member, or all of them if the component is fair.
func (l *liveness[S]) judge(members []uint32, comp uint32) bool {
	e := l.e
	stuck := false
	for _, w := range members {
		if l.terminal(w) {
			l.bad.add(int(w)) // terminal without the goal
			stuck = true
		}
	}
	if len(members) == 1 {
		v := members[0]
		lo, hi := l.edges(v)
		loop := false
		for k := lo; k < hi && !loop; k++ {
			loop = e.tgt.at(int(k)) == v
		}
		if !loop {
			return stuck
		}
	}
	all := ^uint64(0)
	var anyEn, inner uint64
	for _, w := range members {
		var en uint64
		lo, hi := l.edges(w)
		for k := lo; k < hi; k++ {
			b := classBit(e.fair.at(int(k)))
			en |= b
			if t := e.tgt.at(int(k)); l.inside(t) && l.low[t] == comp && l.index[t] != 0 && !l.on.has(int(t)) {
				inner |= b
			}
		}
		all &= en
		anyEn |= en
	}
	if all&^inner != 0 {
		return stuck // some class is always enabled but never taken inside
	}
	for _, w := range members {
		l.bad.add(int(w))
	}
	l.fair[comp] = sccInfo{enabledAny: anyEn, inner: inner}
	return true
}

// nearestBad runs a breadth-first search of the restricted graph from the
// goal-free initial states and returns the first bad state it reaches,
// leaving BFS parents in index.
func (l *liveness[S]) nearestBad() uint32 {
	e := l.e
	seen := l.on // empty again after Tarjan
	var queue []uint32
	for r := 0; r < e.initCount; r++ {
		if !l.goal.has(r) {
			seen.add(r)
			l.index[r] = noState
			queue = append(queue, uint32(r))
		}
	}
	for head := 0; head < len(queue); head++ {
		v := queue[head]
		if l.bad.has(int(v)) {
			l.stack = max(l.stack, int64(cap(queue))*4)
			return v
		}
		lo, hi := l.edges(v)
		for k := lo; k < hi; k++ {
			t := e.tgt.at(int(k))
			if !l.inside(t) || seen.has(int(t)) {
				continue
			}
			seen.add(int(t))
			l.index[t] = v
			queue = append(queue, t)
		}
	}
	panic("model: internal error: a bad state is not reachable")
}

// stemTo returns the Replay choices of the BFS path to v.
func (l *liveness[S]) stemTo(v uint32) []int {
	var rev []int
	for {
		u := l.index[v]
		if u == noState {
			rev = append(rev, l.e.indexOf(v))
			break
		}
		lo, hi := l.edges(u)
		k := lo
		for ; k < hi && l.e.tgt.at(int(k)) != v; k++ {
		}
		rev = append(rev, int(k-lo))
		v = u
	}
	slices.Reverse(rev)
	return rev
}

// cycle returns the Replay choices of a weakly fair cycle from s0 back to
// s0 inside its component (lasso.go). The BFS parents in index are no
// longer needed: the lasso search takes index over.
func (l *liveness[S]) cycle(s0 uint32) []int {
	comp := l.low[s0]
	l.lasso.from = l.index
	return l.lasso.cycle(restrictedComp[S]{l, comp}, s0, l.fair[comp].enabledAny)
}

// restrictedComp is component comp of the restricted graph, as the lasso
// search reads it: nodes are state ids, transitions edge positions.
type restrictedComp[S comparable] struct {
	l    *liveness[S]
	comp uint32
}

func (c restrictedComp[S]) edges(v uint32) (lo, hi uint32) { return c.l.edges(v) }

func (c restrictedComp[S]) inside(k uint32) (uint32, bool) {
	t := c.l.e.tgt.at(int(k))
	return t, c.l.inside(t) && c.l.low[t] == c.comp
}

func (c restrictedComp[S]) class(k uint32) uint64 { return classBit(c.l.e.fair.at(int(k))) }

func (c restrictedComp[S]) choice(v, k uint32) int {
	lo, _ := c.l.edges(v)
	return int(k - lo)
}

func (c restrictedComp[S]) enabled(v uint32) uint64 { return c.l.enabled(v) }
