package model

// The liveness search of ranked mode: for one Eventually property, the
// strongly connected components of the kept graph among goal-free states
// (scc.go), judged as liveness.go judges those of the whole graph, with the
// fairness classes enabled in their states found by calling Next again
// (rank.go says why that is enough), and a lasso through the nearest
// violating one (lasso.go).

// stateOf rebuilds state id by replaying its breadth-first path.
func (e *explorer[S]) stateOf(id uint32) (S, error) {
	p, err := Replay(e.sys, e.choicesTo(id))
	if err != nil {
		var zero S
		return zero, errReplay("path to a state of a cycle", err.Error())
	}
	return p.Last(), nil
}

// rankedLive is the liveness search of one Eventually property on the kept
// graph. Nodes are positions in keptGraph.src.
type rankedLive[S comparable] struct {
	e    *explorer[S]
	g    *keptGraph
	goal bitset

	index, low []uint32 // Tarjan
	on         bitset
	comp       []uint32 // component of a node, 1-based, once popped
	stack      int64    // bytes of the largest Tarjan stacks

	best    uint32 // smallest violating state id so far, or noState
	bestC   uint32 // its component, or 0 for a terminal state
	en      map[uint32]uint64
	bestEn  map[uint32]uint64 // enabled classes of bestC's members, by node
	bestAny uint64            // classes enabled somewhere in bestC
	lasso   lassoSearch
}

// inner returns the node of target t if t is a goal-free state with kept
// transitions.
func (r *rankedLive[S]) inner(t uint32) (uint32, bool) {
	if t == noState || r.goal.has(int(t)) {
		return 0, false
	}
	return r.g.node(t)
}

// eventuallyRanked checks Eventually property g on the kept graph, as
// eventually does on the whole graph.
func (e *explorer[S]) eventuallyRanked(g int) (stem, cycle []int, found bool, err error) {
	m := len(e.kept.src)
	if e.kept.has == nil {
		e.kept.seal(e.states)
	}
	r := &rankedLive[S]{
		e:     e,
		g:     &e.kept,
		goal:  e.goals[g],
		index: makeWritten[uint32](m),
		low:   makeWritten[uint32](m),
		on:    newBitset(m),
		comp:  makeWritten[uint32](m),
		best:  e.stuck[g],
	}
	defer func() { e.peak = max(e.peak, int64(m)*16+r.stack+r.lasso.bytes()) }()
	if err := r.tarjan(); err != nil {
		return nil, nil, false, err
	}
	if r.best == noState {
		return nil, nil, false, nil
	}
	stem = e.choicesTo(r.best)
	if r.bestC == 0 {
		return stem, nil, true, nil // terminal
	}
	v, _ := r.g.node(r.best)
	return stem, r.cycle(v), true, nil
}

// tarjan finds the components of the kept graph among goal-free states and
// judges the non-trivial ones whose smallest state is nearer than the best
// violation so far.
func (r *rankedLive[S]) tarjan() error {
	t := &sccSearch{
		index: r.index,
		low:   r.low,
		on:    r.on,
		edges: r.g.edges,
		target: func(k uint32) (uint32, bool) {
			return r.inner(r.g.tgt[k])
		},
		component: func(members []uint32, c uint32) error {
			for _, w := range members {
				r.comp[w] = c
			}
			return r.judge(members, c)
		},
	}
	defer func() { r.stack = t.stackBytes() }()
	for root := range r.g.src {
		if r.index[root] == 0 && !r.goal.has(int(r.g.src[root])) {
			if err := t.from(uint32(root)); err != nil {
				return err
			}
		}
	}
	return nil
}

// judge records component c (members) as the best violation if it is
// non-trivial, weakly fair, and its smallest state is smaller than the
// best so far.
func (r *rankedLive[S]) judge(members []uint32, c uint32) error {
	first := members[0]
	for _, w := range members {
		first = min(first, w) // src is ascending: the smallest node is the smallest id
	}
	if r.g.src[first] >= r.best {
		return nil
	}
	if len(members) == 1 {
		loop := false
		lo, hi := r.g.edges(first)
		for k := lo; k < hi && !loop; k++ {
			loop = r.g.tgt[k] == r.g.src[first]
		}
		if !loop {
			return nil
		}
	}
	if err := r.enabled(first, c, len(members)); err != nil {
		return err
	}
	all := ^uint64(0)
	var anyEn, inner uint64
	for _, v := range members {
		en := r.en[v]
		all &= en
		anyEn |= en
		lo, hi := r.g.edges(v)
		for k := lo; k < hi; k++ {
			if w, ok := r.inner(r.g.tgt[k]); ok && r.comp[w] == c {
				inner |= classBit(r.g.fair[k])
			}
		}
	}
	if all&^inner != 0 {
		return nil // some class is always enabled but never taken inside
	}
	r.best, r.bestC, r.bestEn, r.bestAny = r.g.src[first], c, r.en, anyEn
	return nil
}

// enabled fills r.en with the fairness classes enabled in each state of
// component c: it rebuilds the state of node root by replay, then the
// others by following kept transitions inside the component, calling Next
// once on each.
func (r *rankedLive[S]) enabled(root, c uint32, n int) error {
	e := r.e
	s0, err := e.stateOf(r.g.src[root])
	if err != nil {
		return err
	}
	type item struct {
		v uint32
		s S
	}
	r.en = make(map[uint32]uint64, n)
	seen := map[uint32]bool{root: true}
	queue := []item{{root, s0}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		lo, hi := r.g.edges(it.v)
		var en uint64
		i := 0
		e.sys.Next(it.s, func(a Action, t S) {
			en |= classBit(a.Fairness)
			for k := lo; k < hi; k++ {
				if r.g.index(k) != i {
					continue
				}
				if w, ok := r.inner(r.g.tgt[k]); ok && r.comp[w] == c && !seen[w] {
					seen[w] = true
					queue = append(queue, item{w, t})
				}
			}
			i++
		})
		r.en[it.v] = en
	}
	if len(r.en) != n {
		return errReplay("cycle", "the states of a strongly connected component are not reached again by their recorded transitions")
	}
	return nil
}

// cycle returns the Replay choices of a weakly fair cycle from node v0
// back to v0 inside the best component (lasso.go). Tarjan's index is no
// longer needed: the lasso search takes it over.
func (r *rankedLive[S]) cycle(v0 uint32) []int {
	r.lasso.from = r.index
	return r.lasso.cycle(keptComp[S]{r, r.bestC}, v0, r.bestAny)
}

// keptComp is component comp of the kept graph, as the lasso search reads
// it: nodes are positions in keptGraph.src, transitions positions in its
// tgt.
type keptComp[S comparable] struct {
	r    *rankedLive[S]
	comp uint32
}

func (c keptComp[S]) edges(v uint32) (lo, hi uint32) { return c.r.g.edges(v) }

func (c keptComp[S]) inside(k uint32) (uint32, bool) {
	w, ok := c.r.inner(c.r.g.tgt[k])
	return w, ok && c.r.comp[w] == c.comp
}

func (c keptComp[S]) class(k uint32) uint64 { return classBit(c.r.g.fair[k]) }

func (c keptComp[S]) choice(_, k uint32) int { return c.r.g.index(k) }

func (c keptComp[S]) enabled(v uint32) uint64 { return c.r.bestEn[v] }
