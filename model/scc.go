package model

// sccSearch is Tarjan's strongly connected components algorithm without
// recursion, shared by the liveness check over the whole graph
// (liveness.go) and over the kept transitions (ranklive.go). Nodes are uint32
// numbers below len(index); the caller owns index and low (zeroed, one
// entry a node) and on, and tells the search how to read its graph:
// edges(v) is the range of v's transitions, target(k) the node transition
// k leads to, or false if that node is outside the graph searched. Each
// component goes to the component callback as soon as it is complete, in
// reverse topological order, numbered from 1; the search reads low of its
// members no more after that, so the callback may reuse it (liveness.go
// keeps component numbers there).
type sccSearch struct {
	index []uint32 // discovery order, 1-based; 0 = not yet visited
	low   []uint32 // low link
	on    bitset   // on the stack
	count uint32
	comps uint32

	stack []uint32
	calls []frame

	edges     func(v uint32) (lo, hi uint32)
	target    func(k uint32) (uint32, bool)
	component func(members []uint32, comp uint32) error
}

// frame is a node whose transitions next..end-1 are yet to be followed.
type frame struct{ v, next, end uint32 }

// from searches the nodes reachable from root, which must be unvisited,
// and returns the first error component returns.
func (t *sccSearch) from(root uint32) error {
	t.push(root)
	for len(t.calls) > 0 {
		f := &t.calls[len(t.calls)-1]
		v := f.v
		if f.next < f.end {
			w, ok := t.target(f.next)
			f.next++
			switch {
			case !ok:
			case t.index[w] == 0:
				t.push(w)
			case t.on.has(int(w)):
				t.low[v] = min(t.low[v], t.index[w])
			}
			continue
		}
		t.calls = t.calls[:len(t.calls)-1]
		if t.low[v] != t.index[v] {
			p := t.calls[len(t.calls)-1].v
			t.low[p] = min(t.low[p], t.low[v])
			continue
		}
		// v is the root of a component: pop it.
		i := len(t.stack) - 1
		for t.stack[i] != v {
			i--
		}
		members := t.stack[i:]
		t.stack = t.stack[:i]
		t.comps++
		for _, w := range members {
			t.on.del(int(w))
		}
		if err := t.component(members, t.comps); err != nil {
			return err
		}
	}
	return nil
}

func (t *sccSearch) push(v uint32) {
	t.count++
	t.index[v], t.low[v] = t.count, t.count
	t.on.add(int(v))
	t.stack = append(t.stack, v)
	lo, hi := t.edges(v)
	t.calls = append(t.calls, frame{v, lo, hi})
}

// stackBytes is the memory of the largest stacks so far.
func (t *sccSearch) stackBytes() int64 {
	return int64(cap(t.stack))*4 + int64(cap(t.calls))*12
}
