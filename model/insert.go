package model

// insert stores the new candidates of chs (phases B and C): it adds their
// fingerprints to the table, numbers the new states in order, checks the
// properties on them and makes them the next frontier.
func (e *explorer[S]) insert(chs []*chunk[S], depth int) {
	// Phase B: one goroutine per shard inserts that shard's candidates in
	// level order, so the first occurrence of a state is the one kept.
	e.crew.forEach(nShards, func(_, j int) { e.insertShard(chs, j) }, nil)
	e.crew.forEach(len(chs), func(_, ci int) { chs[ci].takeAnswers() }, nil)
	first := e.states
	next := e.number(chs)
	// Phase C: record and check the new states, chunk by chunk.
	e.crew.forEach(len(chs), func(_, ci int) { e.record(chs[ci], next) }, nil)
	e.collectHits(chs)
	if next > first {
		e.maxDepth = depth
	}
	e.states = next
	e.measure()
}

// insertShard inserts the candidates of chs that fall in shard j, in level
// order, and leaves each one's answer (slot | 1<<32 if new) in its chunk's
// inserted. The slots let phases C and D reach the ids without probing
// again; if the shard grew meanwhile, the early ones are found again.
func (e *explorer[S]) insertShard(chs []*chunk[S], j int) {
	sh := &e.tab.shards[j]
	grown := sh.grown
	done, stale := 0, 0 // inserted so far; how many of them before the last growth
	for _, c := range chs {
		lo, hi := c.shardOff[j], c.shardOff[j+1]
		for i, fp := range c.sorted[lo:hi] {
			slot, isNew := e.tab.insert(fp)
			c.inserted[int(lo)+i] = uint64(slot) | uint64(b2u(isNew))<<32
			if done++; sh.grown != grown {
				grown, stale = sh.grown, done-1
			}
		}
	}
	if !e.tab.withIDs {
		return
	}
	// The slots found before the shard last grew have moved.
	for _, c := range chs {
		lo, hi := c.shardOff[j], c.shardOff[j+1]
		for i, fp := range c.sorted[lo:hi] {
			if stale == 0 {
				return
			}
			stale--
			r := &c.inserted[int(lo)+i]
			*r = *r&^0xFFFFFFFF | uint64(e.tab.slot(fp))
		}
	}
}

// takeAnswers takes phase B's answers back to candidate order and counts
// the new states.
func (c *chunk[S]) takeAnswers() {
	c.nNew = 0
	for i, k := range c.order {
		r := c.inserted[i]
		cd := &c.cand[k]
		cd.slot, cd.isNew = uint32(r), r>>32 != 0
		c.nNew += int(r >> 32)
	}
}

// number gives the new states of chs their ids, chunk by chunk and then
// candidate by candidate, up to the limit; it makes room for them and
// returns the number of states with them.
func (e *explorer[S]) number(chs []*chunk[S]) int {
	next := e.states
	for _, c := range chs {
		c.newBase = next
		next += c.nNew
	}
	if next > e.limit {
		next = e.limit
		e.dropped = true
	}
	e.parent.grow(next)
	e.index.grow(next)
	for g := range e.goals {
		e.goals[g].grow(next)
	}
	return next
}

// record stores the parent, successor index and id of each new state of c
// below next, checks the properties on it and lists it in c.fresh (phase
// C). A new state at next or above was dropped at MaxStates: it stays in
// the table, but with no id.
func (e *explorer[S]) record(c *chunk[S], next int) {
	id := c.newBase
	for k := range c.cand {
		cd := &c.cand[k]
		if !cd.isNew {
			continue
		}
		if id >= next {
			if e.tab.withIDs {
				e.tab.setID(cd.fp, cd.slot, noState)
			}
			cd.slot = noState // link reads it
			continue
		}
		e.parent.set(id, cd.parent)
		e.setIndex(uint32(id), cd.index)
		if e.tab.withIDs {
			e.tab.setID(cd.fp, cd.slot, uint32(id))
			cd.slot = uint32(id) // from now on: link finds the id here
		}
		e.checkNew(c, id, c.candState.at(k), cd.holds)
		c.fresh = append(c.fresh, uint32(k))
		id++
	}
}

// setIndex records that state id is successor ix of its parent (or
// initial state ix): in 16 bits, or in the overflow map.
func (e *explorer[S]) setIndex(id, ix uint32) {
	if ix < bigIndex {
		e.index.set(int(id), uint16(ix))
		return
	}
	e.index.set(int(id), bigIndex)
	e.bigMu.Lock()
	if e.bigIndex == nil {
		e.bigIndex = make(map[uint32]uint32)
	}
	e.bigIndex[id] = ix
	e.bigMu.Unlock()
}

// checkNew checks the properties on new state id, s, whose predicates
// phase A evaluated into holds when the explorer predicts: it records in c
// the first state that violates an invariant or reaches an example, and
// adds id to the goal set of each Eventually property that holds there.
func (e *explorer[S]) checkNew(c *chunk[S], id int, s *S, holds uint64) {
	for p := range e.props {
		prop := &e.props[p]
		if prop.Kind != KindEventually && (e.found[p] != noState || c.hits[p] != noState) {
			continue // decided
		}
		var ok bool
		if e.early {
			ok = holds&(1<<p) != 0
		} else {
			ok = e.preds[p](s)
		}
		switch {
		case prop.Kind == KindEventually:
			if ok {
				e.goals[e.goalOf[p]].addAtomic(id)
			}
		case ok == (prop.Kind == KindSometimes):
			c.hits[p] = uint32(id) // an invariant that fails, an example that holds
		}
	}
}

// collectHits takes, for each property not yet decided, the first state of
// chs that decides it: chunks are in id order.
func (e *explorer[S]) collectHits(chs []*chunk[S]) {
	for p := range e.props {
		if e.found[p] != noState {
			continue
		}
		for _, c := range chs {
			if c.hits[p] != noState {
				e.found[p] = c.hits[p]
				break
			}
		}
	}
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
