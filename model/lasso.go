package model

import "slices"

// The lasso search, shared by the liveness check over the whole graph
// (liveness.go) and over the kept transitions (ranklive.go): given a strongly
// connected component that is weakly fair and one of its nodes, it builds a
// cycle from that node back to it, inside the component, that takes every
// fairness class needed, by repeated breadth-first searches. A class is
// needed when it is enabled somewhere in the component and in every node
// the cycle has visited so far; taking it, or visiting a node where it is
// disabled, settles it.

// component is one strongly connected component as the lasso search reads
// it. Nodes are uint32 numbers below the length of the search's arrays.
type component interface {
	// edges is the range of node v's transitions.
	edges(v uint32) (lo, hi uint32)
	// inside returns the node transition k leads to, and whether that
	// node is in the component.
	inside(k uint32) (uint32, bool)
	// class is the bit of transition k's fairness class (classBit).
	class(k uint32) uint64
	// choice is the Replay choice of transition k out of node v.
	choice(v, k uint32) int
	// enabled is the bits of the fairness classes enabled in node v.
	enabled(v uint32) uint64
}

// lassoSearch holds the scratch arrays of the breadth-first searches, one
// entry a node. The caller lends from, whose contents it no longer needs;
// mark and via are made on the first search.
type lassoSearch struct {
	from []uint32 // the node a search reached the node from
	via  []uint32 // the transition that reached it
	mark []uint32 // the generation of the last search that reached it
	gen  uint32
}

// cycle returns the Replay choices of a weakly fair cycle from v0 back to
// v0 inside c, whose nodes enable the classes enabledAny between them.
func (s *lassoSearch) cycle(c component, v0 uint32, enabledAny uint64) []int {
	if s.mark == nil {
		s.mark = make([]uint32, len(s.from))
		s.via = make([]uint32, len(s.from))
	}
	need := enabledAny & c.enabled(v0)
	var choices []int
	cur := v0
	take := func(path []uint32) {
		for _, k := range path {
			choices = append(choices, c.choice(cur, k))
			cur, _ = c.inside(k)
			need &^= c.class(k)
			need &= c.enabled(cur)
		}
	}
	for need != 0 {
		take(s.search(c, cur, func(k, w uint32) bool {
			return need&c.class(k) != 0 || need&^c.enabled(w) != 0
		}))
	}
	if len(choices) == 0 || cur != v0 {
		take(s.search(c, cur, func(_, w uint32) bool { return w == v0 }))
	}
	return choices
}

// search runs a breadth-first search inside c from node v0 and returns the
// transitions of a shortest path whose last transition k (to node w)
// satisfies stop(k, w). The component is strongly connected, so such a path
// exists whenever some transition inside it satisfies stop.
func (s *lassoSearch) search(c component, v0 uint32, stop func(k, w uint32) bool) []uint32 {
	s.gen++
	s.mark[v0] = s.gen
	queue := []uint32{v0}
	for head := 0; head < len(queue); head++ {
		v := queue[head]
		lo, hi := c.edges(v)
		for k := lo; k < hi; k++ {
			w, ok := c.inside(k)
			if !ok {
				continue
			}
			if stop(k, w) {
				path := []uint32{k}
				for u := v; u != v0; u = s.from[u] {
					path = append(path, s.via[u])
				}
				slices.Reverse(path)
				return path
			}
			if s.mark[w] != s.gen {
				s.mark[w], s.via[w], s.from[w] = s.gen, k, v
				queue = append(queue, w)
			}
		}
	}
	panic("model: internal error: no fair cycle in a fair component")
}

func (s *lassoSearch) bytes() int64 { return int64(cap(s.via)+cap(s.mark)) * 4 }
