package model

import (
	"errors"
	"fmt"
	"math/bits"
)

// Ranked liveness: when the System is a Ranker, the search keeps, instead
// of the whole graph, only the transitions between goal-free states that
// keep the rank. The argument, for one Eventually property:
//
//   - The search checks on every transition that a goal state leads only to
//     goal states. So every goal-free state is reached through goal-free
//     states only, by its breadth-first path among others, and the
//     restricted graph of liveness.go is the graph of all goal-free states.
//   - It checks that the rank never rises between goal-free states. Along a
//     cycle of goal-free states the rank cannot fall either (it would have
//     to rise again), so every such cycle, and every non-trivial strongly
//     connected component, uses kept transitions only: the components are
//     those of the kept graph.
//   - A terminal goal-free state is found while expanding it.
//
// Either check failing sends Check back to a search that keeps the whole
// graph. A component is judged as in liveness.go; the fairness classes
// enabled in its states (which need every transition, kept or not) come
// from calling Next again on its states, rebuilt by replaying the
// breadth-first path to one of them and following kept transitions from
// there. The nearest violation is the one with the smallest id: ids are in
// breadth-first order and, with goal states closed, the breadth-first order
// of the restricted graph is the same.

// errRankRejected stops a ranked search whose rank or goals fail the
// checks; Check then searches again without the rank.
var errRankRejected = errors.New("model: the rank was rejected")

// keptEdge is a kept transition while its level is expanded.
type keptEdge struct {
	ref  uint64 // target id, or candRef|candidate position
	src  uint32
	idx  uint32 // successor index in the source
	fair uint8
}

// keptGraph holds the kept transitions, by source in id order.
type keptGraph struct {
	src    []uint32          // states with kept transitions, ascending
	off    []uint32          // src[v]'s transitions start at off[v]
	tgt    []uint32          // target state ids
	idx    []uint16          // successor indices (bigIndex: in bigIdx)
	fair   []uint8           // fairness classes
	bigIdx map[uint32]uint32 // successor indices >= bigIndex, by transition

	// After seal: which states are sources, and how many sources the
	// words of has before each word hold.
	has   bitset
	below []uint32
}

func (g *keptGraph) add(src, tgt, idx uint32, fair uint8) {
	if n := len(g.src); n == 0 || g.src[n-1] != src {
		g.src = append(g.src, src)
		g.off = append(g.off, uint32(len(g.tgt)))
	}
	if idx >= bigIndex {
		if g.bigIdx == nil {
			g.bigIdx = make(map[uint32]uint32)
		}
		g.bigIdx[uint32(len(g.tgt))] = idx
		idx = bigIndex
	}
	g.tgt = append(g.tgt, tgt)
	g.idx = append(g.idx, uint16(idx))
	g.fair = append(g.fair, fair)
}

// edges returns the transitions of node v (a position in src).
func (g *keptGraph) edges(v uint32) (lo, hi uint32) {
	lo, hi = g.off[v], uint32(len(g.tgt))
	if int(v)+1 < len(g.off) {
		hi = g.off[v+1]
	}
	return lo, hi
}

// index is the successor index of transition k.
func (g *keptGraph) index(k uint32) int {
	if g.idx[k] == bigIndex {
		return int(g.bigIdx[k])
	}
	return int(g.idx[k])
}

// seal builds the index node needs, for states ids below n.
func (g *keptGraph) seal(n int) {
	g.has = newBitset(n)
	for _, id := range g.src {
		g.has.add(int(id))
	}
	g.below = make([]uint32, len(g.has))
	var c uint32
	for i, w := range g.has {
		g.below[i] = c
		c += uint32(bits.OnesCount64(w))
	}
}

// node returns the node of state id, if it has kept transitions.
func (g *keptGraph) node(id uint32) (uint32, bool) {
	if int(id) >= len(g.has)*64 || !g.has.has(int(id)) {
		return 0, false
	}
	w := id >> 6
	return g.below[w] + uint32(bits.OnesCount64(g.has[w]&(1<<(id&63)-1))), true
}

func (g *keptGraph) bytes() int64 {
	return int64(cap(g.src)+cap(g.off)+cap(g.tgt)+cap(g.below))*4 + int64(cap(g.idx))*2 + int64(cap(g.fair)) +
		int64(len(g.bigIdx))*8 + g.has.bytes()
}

// free returns the Eventually properties whose goal does not hold in s:
// bit g for goal g.
func (e *explorer[S]) free(s *S) uint64 {
	var m uint64
	for g, goal := range e.evs {
		if !goal(s) {
			m |= 1 << g
		}
	}
	return m
}

// freeAt is free of state id, from the goal bits phase C recorded.
func (e *explorer[S]) freeAt(id uint32) uint64 {
	var m uint64
	for g, bs := range e.goals {
		if !bs.has(int(id)) {
			m |= 1 << g
		}
	}
	return m
}

// evName is the name of the property of goal g.
func (e *explorer[S]) evName(g int) string {
	for i, p := range e.props {
		if e.goalOf[i] == g {
			return p.Name
		}
	}
	return ""
}

// keep checks successor j of the state being expanded against the rank and
// the goals, and keeps the transition if it keeps the rank between
// goal-free states.
func (x *expander[S]) keep(j int, ref uint64) {
	c, e := x.c, x.e
	fs, ft := x.srcFree, x.stageFree[j]
	switch {
	case ft&^fs != 0:
		if c.rankBad == "" {
			c.rankBad = fmt.Sprintf("a state where the goal of %q holds has a successor where it does not (%s)",
				e.evName(bits.TrailingZeros64(ft&^fs)), e.where(x.id, j))
		}
	case fs&ft == 0:
	case x.stageRank[j] > x.srcRank:
		if c.rankBad == "" {
			c.rankBad = fmt.Sprintf("the rank rises from %d to %d between two states where the goal of %q does not hold (%s)",
				x.srcRank, x.stageRank[j], e.evName(bits.TrailingZeros64(fs&ft)), e.where(x.id, j))
		}
	case x.stageRank[j] == x.srcRank:
		if ref&keyRef != 0 {
			ref = uint64(e.tab.idAt(x.stageFP[j], uint32(ref)))
		}
		c.kept = append(c.kept, keptEdge{ref: ref, src: x.id, idx: uint32(j), fair: x.stageFair[j]})
	}
}

// where names successor j of state id by its Replay choices, or by its
// depth when the path is long.
func (e *explorer[S]) where(id uint32, j int) string {
	c := append(e.choicesTo(id), j)
	if len(c) > 20 {
		return fmt.Sprintf("after %d steps; model.Replay of the choices of a shortest path to it rebuilds it", len(c)-1)
	}
	return fmt.Sprintf("Replay choices %v", c)
}

// stuckAt records that state id, where the goals free says do not hold,
// is terminal.
func (c *chunk[S]) stuckAt(id uint32, free uint64) {
	for g := range c.stuck {
		if free&(1<<g) != 0 && c.stuck[g] == noState {
			c.stuck[g] = id
		}
	}
}

// linkKept resolves the targets of the level's kept transitions and
// appends them to the kept graph.
func (e *explorer[S]) linkKept(chs []*chunk[S]) {
	e.crew.forEach(len(chs), func(_, ci int) {
		c := chs[ci]
		for i := range c.kept {
			k := &c.kept[i]
			if k.ref&candRef != 0 {
				cd := &c.cand[uint32(k.ref)]
				id := cd.slot // a new state's id (phase C)
				if !cd.isNew {
					id = e.tab.idAt(cd.fp, cd.slot)
				}
				k.ref = uint64(id)
			}
		}
	}, nil)
	for _, c := range chs {
		for _, k := range c.kept {
			if t := uint32(k.ref); t != noState {
				e.kept.add(k.src, t, k.idx, k.fair)
			}
		}
	}
}
