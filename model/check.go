package model

import (
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"reflect"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// seed is the maphash seed of this process. Fingerprints (and so, in the
// astronomically rare event of a collision, which state is hidden) differ
// between processes; counts and paths do not otherwise depend on it.
var seed = maphash.MakeSeed()

// maxIDs is the largest number of states a search can store: state ids are
// uint32 and noState is reserved.
const maxIDs = math.MaxUint32 - 1

// bigIndex marks, in the 16-bit successor index of a state, an index kept
// in the explorer's overflow map instead.
const bigIndex = math.MaxUint16

// candRef marks an edge whose target is a candidate of the same chunk, not
// yet numbered: the low 32 bits are the candidate's position.
const candRef = 1 << 32

// keyRef marks, in phase A, a target found in the table: the low 32 bits
// are its slot (ranked liveness reads its id only if the edge is kept).
const keyRef = 1 << 33

// Check explores every state of sys reachable from its initial states, in
// breadth-first order, checks props on them, and returns the result.
//
// It returns an error, and no result, when the arguments are invalid, when
// the system has no initial state, when an action carries a fairness class
// above MaxFairness, or when a counterexample does not replay (the system is
// not deterministic, or a fingerprint collision misled the liveness search).
// Check panics on the caller's goroutine if a System method or predicate
// panics; a panic on a worker goroutine is carried over as a *WorkerPanic
// once the other workers have stopped.
func Check[S comparable](sys System[S], opts Options[S], props ...Property[S]) (*Result[S], error) {
	if sys == nil {
		return nil, errors.New("model: nil System")
	}
	if opts.Workers < 0 || opts.MaxStates < 0 || opts.MaxDepth < 0 || opts.ProgressInterval < 0 {
		return nil, errors.New("model: negative Workers, MaxStates, MaxDepth or ProgressInterval")
	}
	if err := validateProperties(props); err != nil {
		return nil, err
	}
	live, why := liveModeOf(sys, props)
	e := newExplorer(sys, opts, props, live)
	e.rankErr = why
	err := e.explore()
	if errors.Is(err, errRankRejected) {
		// Again, keeping the whole graph: the time and the peak count
		// both searches; progress starts again from the initial states.
		first := e
		e = newExplorer(sys, opts, props, liveGraph)
		e.rankErr, e.start, e.peak = first.rankErr, first.start, first.peak
		err = e.explore()
	}
	if err != nil {
		return nil, err
	}
	return e.finish()
}

// liveMode is what the explorer keeps for the liveness check of Eventually
// properties.
type liveMode uint8

const (
	// liveNone: no Eventually property, nothing to keep.
	liveNone liveMode = iota
	// liveGraph: the whole successor graph (liveness.go).
	liveGraph
	// liveRanked: the transitions that keep the System's rank (rank.go).
	liveRanked
)

// liveModeOf is the mode a search of sys for props starts in and, if sys
// is a Ranker that goes unused, why.
func liveModeOf[S comparable](sys System[S], props []Property[S]) (liveMode, string) {
	goals := 0
	for _, p := range props {
		if p.Kind == KindEventually {
			goals++
		}
	}
	_, ranker := sys.(Ranker[S])
	switch {
	case goals == 0:
		return liveNone, ""
	case !ranker:
		return liveGraph, ""
	case goals > 64:
		return liveGraph, "more than 64 Eventually properties"
	}
	return liveRanked, ""
}

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

	// ranked liveness only (rank.go): the transitions that keep the rank
	kept    []keptEdge
	stuck   []uint32 // per goal: first expanded state without successors where it does not hold
	rankBad string   // why the rank cannot be used, if it cannot

	// graph only
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
	slot   uint32 // its slot in the table after phase B; with the graph, a new state's id after phase C
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
	if live == liveGraph && cap(c.edgeRef) < edges {
		c.edgeRef = make([]uint64, 0, edges*5/4)
		c.edgeFair = make([]uint8, 0, edges*5/4)
	}
	if live == liveGraph && cap(c.nsucc) < c.hi-c.lo {
		c.nsucc = make([]uint32, 0, c.hi-c.lo)
	}
}

func (c *chunk[S]) add(s *S, h uint64, parent uint32, index int, e *explorer[S]) {
	var holds uint64
	if e.early {
		holds = e.holds(s)
	}
	c.candState.push(*s, &e.blocks)
	c.cand = append(c.cand, candidate{fp: h, holds: holds, parent: parent, index: uint32(index)})
}

// holds evaluates the properties on s: bit p for property p, skipping
// invariants and examples already decided.
func (e *explorer[S]) holds(s *S) uint64 {
	var m uint64
	for p, prop := range e.props {
		if prop.Kind != KindEventually && e.found[p] != noState {
			continue
		}
		if prop.Pred(*s) {
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
		int64(cap(c.kept))*int64(unsafe.Sizeof(keptEdge{}))
}

type explorer[S comparable] struct {
	sys   System[S]
	opts  Options[S]
	props []Property[S]
	hash  func(*S) uint64 // reads the state in place
	crew  *crew
	limit int  // most states to store
	early bool // properties are evaluated on candidates in phase A (at most 64)

	tab      *table
	parent   paged[uint32]
	index    paged[uint16]
	bigIndex map[uint32]uint32 // successor indices >= bigIndex, by state id
	goalOf   []int             // property -> goal bitset, or -1
	goals    []bitset          // one per Eventually property

	live    liveMode
	rank    func(*S) uint64 // the Ranker's, with liveRanked
	evs     []func(S) bool  // the goal of each Eventually property
	allFree uint64          // a bit for each goal
	rankErr string          // why the rank was not used
	kept    keptGraph
	stuck   []uint32 // per goal: first expanded state without successors where it does not hold
	off     paged[uint32]
	tgt     paged[uint32]
	fair    paged[uint8]

	states    int // stored
	expanded  int // ids below this were expanded
	initCount int // ids below this are initial states
	depth     int // depth of the frontier
	maxDepth  int
	trans     int64
	terminal  int
	deadlocks int
	deadlock  uint32
	found     []uint32 // per property, as chunk.hits
	dropped   bool     // a new state was dropped at the limit
	complete  bool

	// The frontier is the new states of the level just stored, left
	// in the chunks that found them (cur); curStart[j] is the frontier
	// position of cur[j]'s first new state. Expanding it fills chunks of
	// the other pool, so the two pools trade places every level.
	cur      []*chunk[S]
	curStart []int
	pools    [2][]*chunk[S]
	blocks   blockPool[S] // of the chunks' candidate states

	candRatio, edgeRatio float64        // most candidates, transitions per state expanded in a level
	expanders            []*expander[S] // one per worker

	start        time.Time
	lastProgress time.Time
	interval     time.Duration
	expandedNow  atomic.Int64 // progress: states expanded, counting this level's chunks
	transNow     atomic.Int64 // progress: transitions, counting this level's chunks
	peak         int64
}

func newExplorer[S comparable](sys System[S], opts Options[S], props []Property[S], live liveMode) *explorer[S] {
	e := &explorer[S]{
		sys:      sys,
		live:     live,
		opts:     opts,
		props:    props,
		crew:     &crew{n: opts.Workers},
		limit:    maxIDs,
		deadlock: noState,
		interval: opts.ProgressInterval,
		start:    time.Now(),
	}
	if e.crew.n == 0 {
		e.crew.n = runtime.GOMAXPROCS(0)
	}
	if opts.MaxStates > 0 && opts.MaxStates < e.limit {
		e.limit = opts.MaxStates
	}
	if e.interval == 0 {
		e.interval = time.Second
	}
	e.lastProgress = e.start
	if f, ok := sys.(Fingerprinter[S]); ok {
		e.hash = func(s *S) uint64 { return f.Fingerprint(*s) }
	} else {
		e.hash = fingerprinter[S]()
	}
	e.found = make([]uint32, len(props))
	e.goalOf = make([]int, len(props))
	for i, p := range props {
		e.found[i] = noState
		e.goalOf[i] = -1
		if p.Kind == KindEventually {
			e.goalOf[i] = len(e.goals)
			e.goals = append(e.goals, nil)
			e.evs = append(e.evs, p.Pred)
			e.stuck = append(e.stuck, noState)
		}
	}
	if live == liveRanked {
		e.rank = sys.(Ranker[S]).Rank
		e.allFree = 1<<len(e.goals) - 1
	}
	e.tab = newTable(live != liveNone) // both liveness modes read ids in the table
	e.early = len(props) <= 64
	e.blocks.clear = hasPointers(reflect.TypeFor[S]())
	return e
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

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// hasPointers reports whether values of type t may hold pointers.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	}
	return true
}

// explore runs the breadth-first search, one level at a time.
func (e *explorer[S]) explore() error {
	chs := e.chunks(0, 1)
	c := chs[0]
	c.reset(0, 0, len(e.props), len(e.goals), &e.blocks)
	n := 0
	e.sys.Init(func(s S) {
		c.add(&s, mix(e.hash(&s)), noState, n, e)
		n++
	})
	if n == 0 {
		return errors.New("model: the system has no initial state")
	}
	c.groupByShard()
	e.insert(chs, 0)
	e.setFrontier(chs)
	e.initCount = e.states
	stop := false
	for {
		if e.dropped {
			break // incomplete: states were left out
		}
		if e.states == e.expanded {
			e.complete = true
			break
		}
		if stop || (e.opts.MaxDepth > 0 && e.depth >= e.opts.MaxDepth) {
			break // incomplete: the frontier is not expanded
		}
		if err := e.expand(); err != nil {
			return err
		}
		e.depth++
		if e.opts.StopOnViolation && e.violated() {
			stop = true
		}
	}
	e.cur, e.pools, e.expanders = nil, [2][]*chunk[S]{}, nil
	if e.opts.Progress != nil {
		e.progress(true)
	}
	return nil
}

func (e *explorer[S]) violated() bool {
	if e.deadlocks > 0 {
		return true
	}
	for i, p := range e.props {
		if p.Kind == KindAlways && e.found[i] != noState {
			return true
		}
	}
	return false
}

func (e *explorer[S]) deadlockError(s S) bool {
	if e.opts.AllowDeadlock {
		return false
	}
	return e.opts.Terminal == nil || !e.opts.Terminal(s)
}

// expander is one worker's view of phase A; its yield method is bound once
// so that expanding a state allocates nothing.
type expander[S comparable] struct {
	e     *explorer[S]
	c     *chunk[S]
	id    uint32
	yield func(Action, S)
	sink  uint64 // keeps the prefetching loads of settle

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
	if a.Fairness > MaxFairness && !c.bad {
		c.badAction, c.bad = a, true
	}
	x.stage = append(x.stage, t)
	t1 := &x.stage[len(x.stage)-1]
	x.stageFP = append(x.stageFP, mix(x.e.hash(t1)))
	if x.e.live == liveGraph {
		c.edgeFair = append(c.edgeFair, a.Fairness)
	}
	if e := x.e; e.live == liveRanked {
		// The goals are looked at only where keep needs them: when the
		// rank does not fall, or the state expanded is a goal state.
		r, free := e.rank(t1), e.allFree
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
				c.add(&x.stage[j], h, x.id, j, e)
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
// next level.
func (e *explorer[S]) expand() error {
	F := e.states - e.expanded
	base := e.expanded
	trans0 := e.trans
	size := min(max(F/(e.crew.n*8), 64), 4096)
	nch := (F + size - 1) / size
	chs := e.chunks((e.depth+1)%2, nch)
	cur := e.cur
	if e.expanders == nil {
		e.expanders = make([]*expander[S], e.crew.n)
		for w := range e.expanders {
			x := &expander[S]{e: e}
			x.yield = x.add
			e.expanders[w] = x
		}
	}
	xs := e.expanders

	// Phase A: expand the chunks in parallel, reading the table only.
	e.expandedNow.Store(int64(e.expanded))
	e.transNow.Store(e.trans)
	e.crew.forEach(nch, func(w, ci int) {
		x, c := xs[w], chs[ci]
		lo := ci * size
		c.reset(lo, min(lo+size, F), len(e.props), len(e.goals), &e.blocks)
		n := c.hi - c.lo
		c.reserve(int(float64(n)*e.candRatio)+64, int(float64(n)*e.edgeRatio)+64, e.live)
		x.c = c
		j, k := e.locate(lo)
		taken := 0 // from cur[j]
		for i := c.lo; i < c.hi; i++ {
			for k >= len(cur[j].fresh) {
				e.done(cur[j], taken)
				j, k, taken = j+1, 0, 0
			}
			taken++
			s := cur[j].candState.at(int(cur[j].fresh[k]))
			k++
			x.id = uint32(base + i)
			if e.live == liveRanked {
				x.srcRank, x.srcFree = e.rank(s), e.freeAt(x.id)
			}
			e.sys.Next(*s, x.yield)
			n := len(x.stage)
			x.settle()
			if e.live == liveGraph {
				c.nsucc = append(c.nsucc, uint32(n))
			}
			c.transitions += int64(n)
			if n == 0 {
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
		e.expandedNow.Add(int64(c.hi - c.lo))
		e.transNow.Add(c.transitions)
	}, func() {
		// Worker 0, between its chunks: approximate counts for progress.
		if e.opts.Progress != nil && time.Since(e.lastProgress) >= e.interval {
			e.progress(false)
		}
	})
	for _, c := range chs {
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

	e.insert(chs, e.depth+1)
	e.expanded += F
	// The most candidates and edges per state a level had so far, for
	// reserve.
	var cands int
	for _, c := range chs {
		cands += len(c.cand)
	}
	e.candRatio = max(e.candRatio, float64(cands)/float64(F))
	e.edgeRatio = max(e.edgeRatio, float64(e.trans-trans0)/float64(F))
	e.setFrontier(chs)

	switch e.live {
	case liveGraph:
		return e.link(chs, base, F)
	case liveRanked:
		e.linkKept(chs)
	}
	return nil
}

// insert stores the new candidates of chs (phases B and C): it adds their
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

// link appends the edges of the level just expanded to the graph (phase D),
// resolving the targets that were candidates to their ids.
func (e *explorer[S]) link(chs []*chunk[S], base, F int) error {
	total := e.trans // every transition out of an expanded state is an edge
	if total > math.MaxUint32 {
		return fmt.Errorf("model: more than %d transitions; the liveness graph cannot hold them", uint32(math.MaxUint32))
	}
	eb := int(total)
	for i := len(chs) - 1; i >= 0; i-- {
		eb -= len(chs[i].edgeRef)
		chs[i].edgeBase = eb
	}
	e.off.grow(base + F + 1)
	e.tgt.grow(int(total))
	e.fair.grow(int(total))
	e.crew.forEach(len(chs), func(_, ci int) {
		c := chs[ci]
		pos := c.edgeBase
		for i, n := range c.nsucc {
			e.off.set(base+c.lo+i, uint32(pos))
			pos += int(n)
		}
		for i, r := range c.edgeRef {
			id := uint32(r)
			if r&candRef != 0 {
				// The candidate: a new state of this chunk has its id
				// in slot (phase C); another one is in the table.
				cd := &c.cand[uint32(r)]
				if id = cd.slot; !cd.isNew {
					id = e.tab.idAt(cd.fp, cd.slot)
				}
			}
			e.tgt.set(c.edgeBase+i, id)
			e.fair.set(c.edgeBase+i, c.edgeFair[i])
		}
	}, nil)
	e.off.set(base+F, uint32(total))
	return nil
}

// measure updates the peak of transient memory.
func (e *explorer[S]) measure() {
	var zero S
	m := int64(e.blocks.made) << blockBits * int64(unsafe.Sizeof(zero))
	for _, pool := range e.pools {
		for _, c := range pool {
			m += c.bytes()
		}
	}
	e.peak = max(e.peak, m)
}

func (e *explorer[S]) progress(done bool) {
	now := time.Now()
	e.lastProgress = now
	elapsed := now.Sub(e.start)
	expanded, trans := e.expanded, e.trans
	if !done {
		expanded, trans = int(e.expandedNow.Load()), e.transNow.Load()
	}
	p := Progress{
		States:      e.states,
		Queue:       e.states - expanded,
		Transitions: trans,
		Depth:       e.depth,
		Elapsed:     elapsed,
		Done:        done,
	}
	if elapsed > 0 {
		p.Rate = float64(e.states) / elapsed.Seconds()
	}
	e.opts.Progress(p)
}

// indexOf is the successor index (or Init position) of state id.
func (e *explorer[S]) indexOf(id uint32) int {
	ix := e.index.at(int(id))
	if ix == bigIndex {
		return int(e.bigIndex[id])
	}
	return int(ix)
}

// choicesTo returns the Replay choices of the breadth-first tree path to id.
func (e *explorer[S]) choicesTo(id uint32) []int {
	var out []int
	for ; id != noState; id = e.parent.at(int(id)) {
		out = append(out, e.indexOf(id))
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// finish decides the properties, builds and verifies counterexamples, and
// assembles the result.
func (e *explorer[S]) finish() (*Result[S], error) {
	r := &Result[S]{
		Complete:     e.complete,
		States:       e.states,
		Transitions:  e.trans,
		MaxDepth:     e.maxDepth,
		Terminal:     e.terminal,
		Deadlocks:    e.deadlocks,
		Workers:      e.crew.n,
		RankRejected: e.rankErr,
		GraphEdges:   e.graphEdges(),
		Properties:   make([]PropertyResult[S], len(e.props)),
	}
	fail := false
	if e.deadlocks > 0 {
		fail = true
		p, err := e.path("deadlock", e.choicesTo(e.deadlock), nil)
		if err != nil {
			return nil, err
		}
		if _, live := enabled(e.sys, p.Last()); live || !e.deadlockError(p.Last()) {
			return nil, errReplay("deadlock", "the last state is not a rejected terminal state")
		}
		r.Deadlock = p
	}
	for i, prop := range e.props {
		pr := PropertyResult[S]{Name: prop.Name, Kind: prop.Kind}
		switch prop.Kind {
		case KindAlways, KindSometimes:
			if id := e.found[i]; id != noState {
				what := "counterexample of always " + prop.Name
				pr.Status = Violated
				if prop.Kind == KindSometimes {
					what = "example of sometimes " + prop.Name
					pr.Status = Holds
				}
				p, err := e.path(what, e.choicesTo(id), nil)
				if err != nil {
					return nil, err
				}
				if prop.Pred(p.Last()) != (prop.Kind == KindSometimes) {
					return nil, errReplay(what, "the last state does not decide the property")
				}
				pr.Path = p
			} else if e.complete {
				pr.Status = Holds
				if prop.Kind == KindSometimes {
					pr.Status = Violated
				}
			}
		case KindEventually:
			var stem, cycle []int
			var found bool
			if e.live == liveRanked {
				var err error
				stem, cycle, found, err = e.eventuallyRanked(e.goalOf[i])
				if err != nil {
					return nil, err
				}
			} else {
				stem, cycle, found = e.eventually(e.goals[e.goalOf[i]])
			}
			switch {
			case found:
				what := "counterexample of eventually " + prop.Name
				p, err := e.path(what, stem, cycle)
				if err != nil {
					return nil, err
				}
				if err := e.verifyLasso(prop.Name, p, prop.Pred); err != nil {
					return nil, err
				}
				pr.Status, pr.Path = Violated, p
			case e.complete:
				pr.Status = Holds
			}
		}
		if pr.Status == Violated {
			fail = true
		}
		r.Properties[i] = pr
	}
	switch {
	case fail:
		r.Verdict = Fail
	case !e.complete:
		r.Verdict = Incomplete
	default:
		r.Verdict = Pass
	}
	r.Memory = Memory{
		Table:    e.tab.bytes(),
		PerState: e.parent.bytes() + e.index.bytes() + int64(len(e.bigIndex))*8,
		Graph:    e.off.bytes() + e.tgt.bytes() + e.fair.bytes() + e.kept.bytes(),
		Peak:     e.peak,
	}
	for _, g := range e.goals {
		r.Memory.PerState += g.bytes()
	}
	r.Duration = time.Since(e.start)
	if r.Duration > 0 {
		r.StatesPerSecond = float64(r.States) / r.Duration.Seconds()
	}
	return r, nil
}
