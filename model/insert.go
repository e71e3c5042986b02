package model

import "sync"

// fingerprints to the table, numbers the new states in order, checks the
// properties on them and makes them the next frontier.
func (e *explorer[S]) insert(chs []*chunk[S], depth int) {
	// Phase B: one goroutine per shard inserts that shard's candidates in
	// level order, so the first occurrence of a state is the one kept. The
	// slots let phases C and D reach the ids without probing again; if the
	// shard grew meanwhile, the early ones are found again.
	e.crew.forEach(nShards, func(_, j int) {
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
	}, nil)
	// Each chunk takes its answers back to candidate order.
	e.crew.forEach(len(chs), func(_, ci int) {
		c := chs[ci]
		c.nNew = 0
		for i, k := range c.order {
			r := c.inserted[i]
			cd := &c.cand[k]
			cd.slot, cd.isNew = uint32(r), r>>32 != 0
			c.nNew += int(r >> 32)
		}
	}, nil)

	// Number the new states: chunk by chunk, then candidate by candidate.
	first := e.states
	next := first
	for _, c := range chs {
		c.newBase = next
		next += c.nNew
	}
	if next > e.limit {
		next = e.limit
		e.dropped = true
	}
	n := next - first
	e.parent.grow(next)
	e.index.grow(next)
	for g := range e.goals {
		e.goals[g].grow(next)
	}

	// Phase C: record and check the new states, chunk by chunk.
	var bigMu sync.Mutex
	e.crew.forEach(len(chs), func(_, ci int) {
		c := chs[ci]
		id := c.newBase
		for k := range c.cand {
			cd := &c.cand[k]
			if !cd.isNew {
				continue
			}
			if id >= next {
				// Dropped at MaxStates: in the table, but with no id.
				if e.tab.withIDs {
					e.tab.setID(cd.fp, cd.slot, noState)
				}
				cd.slot = noState // link reads it
				continue
			}
			s := c.candState.at(k)
			e.parent.set(id, cd.parent)
			if ix := cd.index; ix < bigIndex {
				e.index.set(id, uint16(ix))
			} else {
				e.index.set(id, bigIndex)
				bigMu.Lock()
				if e.bigIndex == nil {
					e.bigIndex = make(map[uint32]uint32)
				}
				e.bigIndex[uint32(id)] = ix
				bigMu.Unlock()
			}
			if e.tab.withIDs {
				e.tab.setID(cd.fp, cd.slot, uint32(id))
				cd.slot = uint32(id) // from now on: link finds the id here
			}
			holds := cd.holds
			for p, prop := range e.props {
				pred := func() bool {
					if e.early {
						return holds&(1<<p) != 0
					}
					return prop.Pred(*s)
				}
				switch prop.Kind {
				case KindAlways:
					if e.found[p] == noState && c.hits[p] == noState && !pred() {
						c.hits[p] = uint32(id)
					}
				case KindSometimes:
					if e.found[p] == noState && c.hits[p] == noState && pred() {
						c.hits[p] = uint32(id)
					}
				case KindEventually:
					if pred() {
						e.goals[e.goalOf[p]].addAtomic(id)
					}
				}
			}
			c.fresh = append(c.fresh, uint32(k))
			id++
		}
	}, nil)

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
	if n > 0 {
		e.maxDepth = depth
	}
	e.states = next
	e.measure()
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
