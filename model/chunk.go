package model

import (
	"sort"
	"sync/atomic"
	"unsafe"
)

// candRef marks an edge whose target is a candidate of the same chunk, not
// yet numbered: the low 32 bits are the candidate's position.
const candRef = 1 << 32

// keyRef marks, in phase A, a target found in the table: the low 32 bits
// are its slot (ranked liveness reads its id only if the edge is kept).
const keyRef = 1 << 33

// chunk is a slice of a breadth-first level that one worker expands, with
// the successors it found that were not yet in the table (the
// candidates). The candidates that turn out to be new states stay where
// they are: they are the next level's frontier (fresh lists them), read
// from here when that level is expanded.
type chunk[S comparable] struct {
	lo, hi int // positions in the frontier

	candState blockList[S]
	cand      []candidate
	order     []uint32 // candidate positions grouped by shard, in order
	sorted    []uint64 // their fingerprints, in the same order (phase B reads them in a row)
	inserted  []uint64 // phase B's answer for each: slot | 1<<32 if new
	shardOff  [nShards + 1]uint32
	nNew      int // new states among the candidates, after phase B

	newBase int          // id of the first new state of this chunk
	fresh   []uint32     // positions of the new states, in id order
	left    atomic.Int32 // new states not yet expanded: at 0 the blocks go back

	// liveRanked only (rank.go): each candidate's rank, which its
	// expansion needs, and the transitions that keep the rank
	rank    []uint64
	kept    []keptEdge
	stuck   []uint32 // per goal: first expanded terminal state where it does not hold
	rankBad string   // why the rank cannot be used, if it cannot

	// liveGraph only (graph.go)
	nsucc    []uint32 // successors of each frontier state
	edgeRef  []uint64 // target id, or candRef|candidate position
	edgeFair []uint8
	edgeBase int

	transitions int64
	terminal    int
	deadlocks   int
	deadlock    uint32   // id of the first deadlock, or noState
	hits        []uint32 // per property: first id that violates (Always) or reaches (Sometimes)
	badAction   Action   // an action with an invalid fairness class, if bad
	bad         bool
}

// candidate is what a chunk knows of a candidate besides its state.
type candidate struct {
	fp     uint64 // mixed fingerprint
	holds  uint64 // bit p: property p's predicate holds (when the explorer predicts)
	parent uint32
	index  uint32 // successor index in the parent, or Init position
	slot   uint32 // its slot in the table after phase B; when the table keeps ids, a new state's id after phase C
	isNew  bool   // first of its kind in the table, after phase B
}

// reset empties c for the frontier positions [lo, hi), returning its
// states' blocks to pool.
func (c *chunk[S]) reset(lo, hi, nprops, ngoals int, pool *blockPool[S]) {
	c.candState.release(pool)
	c.lo, c.hi = lo, hi
	c.cand = c.cand[:0]
	c.fresh = c.fresh[:0]
	c.nsucc = c.nsucc[:0]
	c.edgeRef = c.edgeRef[:0]
	c.edgeFair = c.edgeFair[:0]
	c.kept = c.kept[:0]
	c.rank = c.rank[:0]
	c.rankBad = ""
	c.transitions, c.terminal, c.deadlocks = 0, 0, 0
	c.deadlock = noState
	c.bad = false
	if cap(c.hits) < nprops {
		c.hits = make([]uint32, nprops)
	}
	c.hits = c.hits[:nprops]
	for i := range c.hits {
		c.hits[i] = noState
	}
	if cap(c.stuck) < ngoals {
		c.stuck = make([]uint32, ngoals)
	}
	c.stuck = c.stuck[:ngoals]
	for i := range c.stuck {
		c.stuck[i] = noState
	}
}

// reserve makes room for cands candidates and, with the graph, edges
// edges, so that the chunk does not grow (and copy) while it is filled.
func (c *chunk[S]) reserve(cands, edges int, live liveMode) {
	if cap(c.cand) < cands {
		c.cand = make([]candidate, 0, cands*5/4)
	}
	if live == liveRanked && cap(c.rank) < cands {
		c.rank = make([]uint64, 0, cands*5/4)
	}
	if live == liveGraph && cap(c.edgeRef) < edges {
		c.edgeRef = make([]uint64, 0, edges*5/4)
		c.edgeFair = make([]uint8, 0, edges*5/4)
	}
	if live == liveGraph && cap(c.nsucc) < c.hi-c.lo {
		c.nsucc = make([]uint32, 0, c.hi-c.lo)
	}
}

// add makes s, with mixed fingerprint h, a candidate: successor index of
// state parent (or initial state index), with the rank rank (liveRanked
// only: expanding it needs it).
func (c *chunk[S]) add(s *S, h uint64, parent uint32, index int, rank uint64, e *explorer[S]) {
	var holds uint64
	if e.early {
		holds = e.holds(s)
	}
	c.candState.push(*s, &e.blocks)
	c.cand = append(c.cand, candidate{fp: h, holds: holds, parent: parent, index: uint32(index)})
	if e.live == liveRanked {
		c.rank = append(c.rank, rank)
	}
}

// holds evaluates the properties on s: bit p for property p, skipping
// invariants and examples already decided.
func (e *explorer[S]) holds(s *S) uint64 {
	var m uint64
	for p := range e.props {
		prop := &e.props[p]
		if prop.Kind != KindEventually && e.found[p] != noState {
			continue
		}
		if e.preds[p](s) {
			m |= 1 << p
		}
	}
	return m
}

// groupByShard fills order and shardOff with a counting sort of the
// candidates by shard, keeping their order within a shard.
func (c *chunk[S]) groupByShard() {
	var count [nShards]uint32
	for i := range c.cand {
		count[shardOf(c.cand[i].fp)]++
	}
	var sum uint32
	for j, n := range count {
		c.shardOff[j] = sum
		sum += n
	}
	c.shardOff[nShards] = sum
	if cap(c.order) < len(c.cand) {
		c.order = make([]uint32, len(c.cand), 2*len(c.cand))
		c.sorted = make([]uint64, len(c.cand), 2*len(c.cand))
		c.inserted = make([]uint64, len(c.cand), 2*len(c.cand))
		prefaultSlice(c.order)
		prefaultSlice(c.sorted)
		prefaultSlice(c.inserted)
	}
	c.order = c.order[:len(c.cand)]
	c.sorted = c.sorted[:len(c.cand)]
	c.inserted = c.inserted[:len(c.cand)]
	pos := count // reuse as cursors
	copy(pos[:], c.shardOff[:nShards])
	for k := range c.cand {
		fp := c.cand[k].fp
		j := shardOf(fp)
		c.order[pos[j]], c.sorted[pos[j]] = uint32(k), fp
		pos[j]++
	}
}

func (c *chunk[S]) bytes() int64 {
	return int64(cap(c.cand))*int64(unsafe.Sizeof(candidate{})) + int64(cap(c.order))*4 + int64(cap(c.sorted)+cap(c.inserted))*8 + int64(cap(c.fresh))*4 +
		int64(cap(c.nsucc))*4 + int64(cap(c.edgeRef))*8 + int64(cap(c.edgeFair)) + nShards*4 +
		int64(cap(c.kept))*int64(unsafe.Sizeof(keptEdge{})) + int64(cap(c.rank))*8
}

// chunks returns n chunks of pool p, making them as needed.
func (e *explorer[S]) chunks(p, n int) []*chunk[S] {
	for len(e.pools[p]) < n {
		e.pools[p] = append(e.pools[p], new(chunk[S]))
	}
	return e.pools[p][:n]
}

// setFrontier makes the new states of chs the frontier.
func (e *explorer[S]) setFrontier(chs []*chunk[S]) {
	e.cur = chs
	e.curStart = e.curStart[:0]
	pos := 0
	for _, c := range chs {
		e.curStart = append(e.curStart, pos)
		pos += len(c.fresh)
		c.left.Store(int32(len(c.fresh)))
		if len(c.fresh) == 0 {
			c.candState.release(&e.blocks)
		}
	}
}

// done records that n new states of frontier chunk c were expanded;
// once all are, its states' blocks are free for the level being filled.
func (e *explorer[S]) done(c *chunk[S], n int) {
	if n > 0 && c.left.Add(int32(-n)) == 0 {
		c.candState.release(&e.blocks)
	}
}

// locate returns the chunk of cur and the position in its fresh list of
// frontier position i.
func (e *explorer[S]) locate(i int) (int, int) {
	j := sort.Search(len(e.curStart), func(j int) bool { return e.curStart[j] > i }) - 1
	return j, i - e.curStart[j]
}
