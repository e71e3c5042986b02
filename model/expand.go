package model

import (
	"fmt"
	"time"
)

// expander is one worker's view of phase A; its yield method is bound once
// so that expanding a state allocates nothing.
type expander[S comparable] struct {
	e     *explorer[S]
	c     *chunk[S]
	id    uint32
	yield func(Action, S)
	sink  uint64 // keeps the prefetching loads of settle

	// required counts the successors of the state being expanded whose
	// actions are not optional: with none, the state is terminal.
	required int

	// The successors of the state being expanded, until settle: a
	// small buffer that stays in the cache.
	stage   []S
	stageFP []uint64

	// Ranked liveness: the rank and goal-free properties (bit g: goal g
	// does not hold) of the state being expanded and of its successors,
	// and the successors' fairness classes.
	srcRank, srcFree     uint64
	stageRank, stageFree []uint64
	stageFair            []uint8

	// A small set of the chunk's candidates, so that a state reached
	// from several states of the chunk (as interleavings do) is a
	// candidate once: key -> candidate position.
	local    []uint64 // 0 = empty
	localPos []uint32
	localN   int
}

// add takes a successor of the state being expanded, for settle.
func (x *expander[S]) add(a Action, t S) {
	c := x.c
	if (a.Fairness > MaxFairness || a.Optional && a.Fairness != 0) && !c.bad {
		c.badAction, c.bad = a, true
	}
	if !a.Optional {
		x.required++
	}
	x.stage = append(x.stage, t)
	t1 := &x.stage[len(x.stage)-1]
	x.stageFP = append(x.stageFP, mix(x.e.hash(t1)))
	if x.e.live == liveGraph {
		c.edgeFair = append(c.edgeFair, edgeClass(a))
	}
	if e := x.e; e.live == liveRanked {
		// The goals are looked at only where keep needs them: when the
		// rank does not fall, or the state expanded is a goal state.
		r, free := e.rankAt(t1, x.srcRank), e.allFree
		if r >= x.srcRank || x.srcFree != e.allFree {
			free = e.free(t1)
		}
		x.stageRank = append(x.stageRank, r)
		x.stageFree = append(x.stageFree, free)
		x.stageFair = append(x.stageFair, a.Fairness)
	}
}

// settle looks up the successors of the state just expanded, all at once
// so that the cache misses of the table overlap, and makes candidates of
// those that are neither in the table nor already candidates of the
// chunk, recording each edge's target for the graph.
func (x *expander[S]) settle() {
	e, c := x.e, x.c
	var sink uint64
	for _, h := range x.stageFP {
		sink += e.tab.peek(h, e.live == liveGraph)
	}
	x.sink += sink
	for j, h := range x.stageFP {
		var ref uint64
		if slot, ok := e.tab.find(h); ok {
			// The id is read only where it is needed: for every
			// transition with the whole graph, for a kept one with a
			// rank (keep).
			ref = keyRef | uint64(slot)
			if e.live == liveGraph {
				ref = uint64(e.tab.idAt(h, slot))
			}
		} else {
			k, dup := x.candidate(h, uint32(len(c.cand)))
			if !dup {
				c.add(&x.stage[j], h, x.id, j, x.candRank(j), e)
			}
			ref = candRef | uint64(k)
		}
		switch e.live {
		case liveGraph:
			c.edgeRef = append(c.edgeRef, ref)
		case liveRanked:
			x.keep(j, ref)
		}
	}
	x.stage, x.stageFP = x.stage[:0], x.stageFP[:0]
	x.stageRank, x.stageFree, x.stageFair = x.stageRank[:0], x.stageFree[:0], x.stageFair[:0]
}

// candRank is the rank of successor j, which becomes a candidate: the one
// add found if that was the rank itself (RankFrom, at or above the floor),
// else Rank's, which must then be below the floor too.
func (x *expander[S]) candRank(j int) uint64 {
	e := x.e
	if e.live != liveRanked {
		return 0
	}
	r := x.stageRank[j]
	if r >= x.srcRank || !e.floored {
		return r
	}
	exact := e.rank(&x.stage[j])
	if exact >= x.srcRank && x.c.rankBad == "" {
		x.c.rankBad = fmt.Sprintf("RankFrom gives %d, below the floor %d, where Rank gives %d (%s)",
			r, x.srcRank, exact, e.where(x.id, j))
	}
	return exact
}

// candidate returns the position of the chunk's candidate with key h and
// true, or else records h at position pos, where the caller adds it, and
// returns pos and false.
func (x *expander[S]) candidate(h uint64, pos uint32) (uint32, bool) {
	if h == 0 {
		return pos, false // not worth a special case here
	}
	if (x.localN+1)*2 > len(x.local) {
		x.growLocal(int(pos))
	}
	mask := len(x.local) - 1
	i := int(h>>32) & mask
	for ; x.local[i] != 0; i = (i + 1) & mask {
		if x.local[i] == h {
			return x.localPos[i], true
		}
	}
	x.local[i], x.localPos[i] = h, pos
	x.localN++
	return pos, false
}

// growLocal doubles the set, with the first n candidates of the chunk.
func (x *expander[S]) growLocal(n int) {
	size := max(1024, 2*len(x.local))
	x.local, x.localPos = makeWritten[uint64](size), makeWritten[uint32](size)
	x.localN = 0
	mask := size - 1
	for k, cd := range x.c.cand[:n] {
		if cd.fp == 0 {
			continue
		}
		i := int(cd.fp>>32) & mask
		for x.local[i] != 0 {
			i = (i + 1) & mask
		}
		x.local[i], x.localPos[i] = cd.fp, uint32(k)
		x.localN++
	}
}

// clearLocal empties the set in time proportional to what it holds.
func (x *expander[S]) clearLocal() {
	if x.localN == 0 {
		return
	}
	mask := len(x.local) - 1
	for _, cd := range x.c.cand {
		if cd.fp == 0 {
			continue
		}
		for i := int(cd.fp>>32) & mask; x.local[i] != 0; i = (i + 1) & mask {
			x.local[i] = 0
		}
	}
	x.localN = 0
}

// expand expands the frontier and stores the new states it finds as the
// next level. It reports false, having stored nothing, when the search was
// halted (memlimit.go) during phase A or has no room for the rest.
func (e *explorer[S]) expand() (bool, error) {
	F := e.states - e.expanded
	base := e.expanded
	trans0 := e.trans
	size := min(max(F/(e.crew.n*8), 64), 4096)
	nch := (F + size - 1) / size
	chs := e.chunks((e.depth+1)%2, nch)
	xs := e.workerExpanders()

	// Phase A: expand the chunks in parallel, reading the table only.
	e.expandedNow.Store(int64(e.expanded))
	e.transNow.Store(e.trans)
	e.crew.forEach(nch, func(w, ci int) {
		if e.halted() != NotStopped {
			return
		}
		lo := ci * size
		xs[w].expandChunk(chs[ci], lo, min(lo+size, F), base)
	}, func() {
		// Worker 0, between its chunks: approximate counts for progress.
		if e.opts.Progress != nil && time.Since(e.lastProgress) >= e.interval {
			e.progress(false)
		}
	})
	if e.halted() != NotStopped || !e.roomFor(chs) {
		return false, nil
	}
	if err := e.gather(chs); err != nil {
		return false, err
	}

	e.insert(chs, e.depth+1)
	e.expanded += F
	e.learn(chs, F, e.trans-trans0)
	e.setFrontier(chs)

	switch e.live {
	case liveGraph:
		return true, e.link(chs, base, F)
	case liveRanked:
		e.linkKept(chs)
	}
	return true, nil
}

// workerExpanders returns the expander of each worker, making them on the
// first level.
func (e *explorer[S]) workerExpanders() []*expander[S] {
	if e.expanders == nil {
		e.expanders = make([]*expander[S], e.crew.n)
		for w := range e.expanders {
			x := &expander[S]{e: e}
			x.yield = x.add
			e.expanders[w] = x
		}
	}
	return e.expanders
}

// expandChunk expands the frontier positions [lo, hi) into c (phase A);
// base is the id of the frontier's first state.
func (x *expander[S]) expandChunk(c *chunk[S], lo, hi, base int) {
	e := x.e
	c.reset(lo, hi, len(e.props), len(e.goals), &e.blocks)
	n := hi - lo
	c.reserve(int(float64(n)*e.candRatio)+64, int(float64(n)*e.edgeRatio)+64, e.live)
	x.c = c
	cur := e.cur
	j, k := e.locate(lo)
	taken := 0 // from cur[j]
	for i := lo; i < hi; i++ {
		for k >= len(cur[j].fresh) {
			e.done(cur[j], taken)
			j, k, taken = j+1, 0, 0
		}
		taken++
		pos := int(cur[j].fresh[k])
		s := cur[j].candState.at(pos)
		k++
		x.id = uint32(base + i)
		if e.live == liveRanked {
			x.srcRank, x.srcFree = cur[j].rank[pos], e.freeAt(x.id)
		}
		x.required = 0
		e.sys.Next(*s, x.yield)
		n := len(x.stage)
		x.settle()
		if e.live == liveGraph {
			c.nsucc = append(c.nsucc, uint32(n))
		}
		c.transitions += int64(n)
		if x.required == 0 {
			if e.live == liveRanked {
				c.stuckAt(x.id, x.srcFree)
			}
			c.terminal++
			if e.deadlockError(*s) {
				if c.deadlocks == 0 {
					c.deadlock = x.id
				}
				c.deadlocks++
			}
		}
	}
	e.done(cur[j], taken)
	x.clearLocal()
	c.groupByShard()
	e.expandedNow.Add(int64(n))
	e.transNow.Add(c.transitions)
}

// gather adds up what the chunks of a level found in phase A. It stops the
// search at an action with an invalid fairness class (above MaxFairness, or
// any on an optional action) and, in ranked mode, at a transition that
// breaks the rank.
func (e *explorer[S]) gather(chs []*chunk[S]) error {
	for _, c := range chs {
		if c.bad && c.badAction.Optional {
			return fmt.Errorf("model: action %v is optional and has fairness class %d; an optional action must have class 0", c.badAction, c.badAction.Fairness)
		}
		if c.bad {
			return fmt.Errorf("model: action %v has fairness class %d, above MaxFairness (%d)", c.badAction, c.badAction.Fairness, MaxFairness)
		}
		if c.rankBad != "" {
			e.rankErr = c.rankBad
			return errRankRejected
		}
		for g, id := range c.stuck {
			if id != noState && e.stuck[g] == noState {
				e.stuck[g] = id
			}
		}
		e.trans += c.transitions
		e.terminal += c.terminal
		if c.deadlocks > 0 && e.deadlocks == 0 {
			e.deadlock = c.deadlock
		}
		e.deadlocks += c.deadlocks
	}
	return nil
}

// learn keeps the most candidates and transitions per state expanded that
// a level had so far, for reserve: the level just stored expanded states
// states through trans transitions.
func (e *explorer[S]) learn(chs []*chunk[S], states int, trans int64) {
	var cands int
	for _, c := range chs {
		cands += len(c.cand)
	}
	e.candRatio = max(e.candRatio, float64(cands)/float64(states))
	e.edgeRatio = max(e.edgeRatio, float64(trans)/float64(states))
}
