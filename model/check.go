package model

import (
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
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
	e := newExplorer(sys, opts, props)
	if err := e.explore(); err != nil {
		return nil, err
	}
	return e.finish()
}

// chunk is a slice of a breadth-first level that one worker expands, with
// the successors it found that were not yet in the table (the candidates).
type chunk[S comparable] struct {
	lo, hi int // positions in the frontier

	candState  []S
	candFP     []uint64 // mixed fingerprint
	candParent []uint32
	candIndex  []uint32
	candNew    []bool
	candSlot   []uint32 // graph only: the candidate's slot in the table
	order      []uint32 // candidate positions grouped by shard, in order
	shardOff   [nShards + 1]uint32

	newBase int // id of the first new state of this chunk

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

func (c *chunk[S]) reset(lo, hi, nprops int) {
	clear(c.candState) // let the states be collected
	c.lo, c.hi = lo, hi
	c.candState = c.candState[:0]
	c.candFP = c.candFP[:0]
	c.candParent = c.candParent[:0]
	c.candIndex = c.candIndex[:0]
	c.candNew = c.candNew[:0]
	c.candSlot = c.candSlot[:0]
	c.nsucc = c.nsucc[:0]
	c.edgeRef = c.edgeRef[:0]
	c.edgeFair = c.edgeFair[:0]
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
}

func (c *chunk[S]) add(s S, h uint64, parent uint32, index int) {
	c.candState = append(c.candState, s)
	c.candFP = append(c.candFP, h)
	c.candParent = append(c.candParent, parent)
	c.candIndex = append(c.candIndex, uint32(index))
	c.candNew = append(c.candNew, false)
	c.candSlot = append(c.candSlot, 0)
}

// groupByShard fills order and shardOff with a counting sort of the
// candidates by shard, keeping their order within a shard.
func (c *chunk[S]) groupByShard() {
	var count [nShards]uint32
	for _, h := range c.candFP {
		count[shardOf(h)]++
	}
	var sum uint32
	for j, n := range count {
		c.shardOff[j] = sum
		sum += n
	}
	c.shardOff[nShards] = sum
	if cap(c.order) < len(c.candFP) {
		c.order = make([]uint32, len(c.candFP), 2*len(c.candFP))
	}
	c.order = c.order[:len(c.candFP)]
	pos := count // reuse as cursors
	copy(pos[:], c.shardOff[:nShards])
	for k, h := range c.candFP {
		j := shardOf(h)
		c.order[pos[j]] = uint32(k)
		pos[j]++
	}
}

func (c *chunk[S]) bytes() int64 {
	var zero S
	return int64(cap(c.candState))*int64(unsafe.Sizeof(zero)) +
		int64(cap(c.candFP))*8 + int64(cap(c.candParent))*4 + int64(cap(c.candIndex))*4 +
		int64(cap(c.candNew)) + int64(cap(c.candSlot))*4 + int64(cap(c.order))*4 + int64(cap(c.nsucc))*4 +
		int64(cap(c.edgeRef))*8 + int64(cap(c.edgeFair)) + nShards*4
}

type explorer[S comparable] struct {
	sys   System[S]
	opts  Options[S]
	props []Property[S]
	hash  func(S) uint64
	crew  *crew
	limit int // most states to store

	tab      *table
	parent   paged[uint32]
	index    paged[uint16]
	bigIndex map[uint32]uint32 // successor indices >= bigIndex, by state id
	goalOf   []int             // property -> goal bitset, or -1
	goals    []bitset          // one per Eventually property

	graph bool // keep the successor graph for Eventually properties
	off   paged[uint32]
	tgt   paged[uint32]
	fair  paged[uint8]

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

	frontier, next []S
	chunks         []*chunk[S]
	expanders      []*expander[S] // one per worker

	start        time.Time
	lastProgress time.Time
	interval     time.Duration
	expandedNow  atomic.Int64 // progress: states expanded, counting this level's chunks
	transNow     atomic.Int64 // progress: transitions, counting this level's chunks
	peak         int64
}

func newExplorer[S comparable](sys System[S], opts Options[S], props []Property[S]) *explorer[S] {
	e := &explorer[S]{
		sys:      sys,
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
		e.hash = f.Fingerprint
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
			e.graph = true
		}
	}
	e.tab = newTable(e.graph)
	return e
}

func (e *explorer[S]) chunk(i int) *chunk[S] {
	for len(e.chunks) <= i {
		e.chunks = append(e.chunks, new(chunk[S]))
	}
	return e.chunks[i]
}

// explore runs the breadth-first search, one level at a time.
func (e *explorer[S]) explore() error {
	c := e.chunk(0)
	c.reset(0, 0, len(e.props))
	n := 0
	e.sys.Init(func(s S) {
		c.add(s, mix(e.hash(s)), noState, n)
		n++
	})
	if n == 0 {
		return errors.New("model: the system has no initial state")
	}
	c.groupByShard()
	e.insert(e.chunks[:1], 0)
	e.initCount = e.states
	stop := false
	for {
		e.frontier, e.next = e.next, e.frontier
		if e.dropped {
			break // incomplete: states were left out
		}
		if len(e.frontier) == 0 {
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
	e.frontier, e.next, e.chunks, e.expanders = nil, nil, nil, nil
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
	n     int
	yield func(Action, S)

	// A small set of the chunk's candidates, so that a state reached
	// from several states of the chunk (as interleavings do) is a
	// candidate once: key -> candidate position.
	local    []uint64 // 0 = empty
	localPos []uint32
	localN   int
}

// candidate returns the position of the chunk's candidate with key h,
// adding t as a new one if there is none.
func (x *expander[S]) candidate(t S, h uint64) uint32 {
	c := x.c
	if h == 0 {
		c.add(t, h, x.id, x.n) // not worth a special case here
		return uint32(len(c.candFP) - 1)
	}
	if (x.localN+1)*2 > len(x.local) {
		x.growLocal()
	}
	mask := len(x.local) - 1
	i := int(h>>32) & mask
	for ; x.local[i] != 0; i = (i + 1) & mask {
		if x.local[i] == h {
			return x.localPos[i]
		}
	}
	k := uint32(len(c.candFP))
	x.local[i], x.localPos[i] = h, k
	x.localN++
	c.add(t, h, x.id, x.n)
	return k
}

func (x *expander[S]) growLocal() {
	n := max(1024, 2*len(x.local))
	x.local, x.localPos = make([]uint64, n), make([]uint32, n)
	x.localN = 0
	mask := n - 1
	for k, h := range x.c.candFP {
		if h == 0 {
			continue
		}
		i := int(h>>32) & mask
		for x.local[i] != 0 {
			i = (i + 1) & mask
		}
		x.local[i], x.localPos[i] = h, uint32(k)
		x.localN++
	}
}

// clearLocal empties the set in time proportional to what it holds.
func (x *expander[S]) clearLocal() {
	if x.localN == 0 {
		return
	}
	mask := len(x.local) - 1
	for _, h := range x.c.candFP {
		if h == 0 {
			continue
		}
		for i := int(h>>32) & mask; x.local[i] != 0; i = (i + 1) & mask {
			x.local[i] = 0
		}
	}
	x.localN = 0
}

func (x *expander[S]) add(a Action, t S) {
	e, c := x.e, x.c
	h := mix(e.hash(t))
	if a.Fairness > MaxFairness && !c.bad {
		c.badAction, c.bad = a, true
	}
	if tid, ok := e.tab.lookup(h); ok {
		if e.graph {
			c.edgeRef = append(c.edgeRef, uint64(tid))
		}
	} else {
		k := x.candidate(t, h)
		if e.graph {
			c.edgeRef = append(c.edgeRef, candRef|uint64(k))
		}
	}
	if e.graph {
		c.edgeFair = append(c.edgeFair, a.Fairness)
	}
	x.n++
}

// expand expands the frontier and stores the new states it finds as the
// next level.
func (e *explorer[S]) expand() error {
	F := len(e.frontier)
	base := e.expanded
	size := min(max(F/(e.crew.n*8), 64), 4096)
	nch := (F + size - 1) / size
	chs := make([]*chunk[S], nch)
	for i := range chs {
		chs[i] = e.chunk(i)
	}
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
		c.reset(lo, min(lo+size, F), len(e.props))
		x.c = c
		for i := c.lo; i < c.hi; i++ {
			s := e.frontier[i]
			x.id, x.n = uint32(base+i), 0
			e.sys.Next(s, x.yield)
			if e.graph {
				c.nsucc = append(c.nsucc, uint32(x.n))
			}
			c.transitions += int64(x.n)
			if x.n == 0 {
				c.terminal++
				if e.deadlockError(s) {
					if c.deadlocks == 0 {
						c.deadlock = x.id
					}
					c.deadlocks++
				}
			}
		}
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
		e.trans += c.transitions
		e.terminal += c.terminal
		if c.deadlocks > 0 && e.deadlocks == 0 {
			e.deadlock = c.deadlock
		}
		e.deadlocks += c.deadlocks
	}

	e.insert(chs, e.depth+1)
	e.expanded += F

	if e.graph {
		return e.link(chs, base, F)
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
		grown := e.tab.shards[j].grown
		for _, c := range chs {
			for _, k := range c.order[c.shardOff[j]:c.shardOff[j+1]] {
				c.candSlot[k], c.candNew[k] = e.tab.insert(c.candFP[k])
			}
		}
		if e.graph && e.tab.shards[j].grown != grown {
			for _, c := range chs {
				for _, k := range c.order[c.shardOff[j]:c.shardOff[j+1]] {
					c.candSlot[k] = e.tab.slot(c.candFP[k])
				}
			}
		}
	}, nil)

	// Number the new states: chunk by chunk, then candidate by candidate.
	first := e.states
	next := first
	for _, c := range chs {
		c.newBase = next
		for _, isNew := range c.candNew {
			if isNew {
				next++
			}
		}
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
	if cap(e.next) < n {
		e.next = make([]S, n, n+n/4)
	}
	e.next = e.next[:n]

	// Phase C: record and check the new states, chunk by chunk.
	var bigMu sync.Mutex
	e.crew.forEach(len(chs), func(_, ci int) {
		c := chs[ci]
		id := c.newBase
		for k, isNew := range c.candNew {
			if !isNew {
				continue
			}
			if id >= next {
				break // dropped at MaxStates
			}
			s := c.candState[k]
			e.parent.set(id, c.candParent[k])
			if ix := c.candIndex[k]; ix < bigIndex {
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
			if e.graph {
				e.tab.setID(c.candFP[k], c.candSlot[k], uint32(id))
			}
			for p, prop := range e.props {
				switch prop.Kind {
				case KindAlways:
					if e.found[p] == noState && c.hits[p] == noState && !prop.Pred(s) {
						c.hits[p] = uint32(id)
					}
				case KindSometimes:
					if e.found[p] == noState && c.hits[p] == noState && prop.Pred(s) {
						c.hits[p] = uint32(id)
					}
				case KindEventually:
					if prop.Pred(s) {
						e.goals[e.goalOf[p]].addAtomic(id)
					}
				}
			}
			e.next[id-first] = s
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
	e.measure(chs)
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
				k := uint32(r) // the candidate
				id = e.tab.idAt(c.candFP[k], c.candSlot[k])
			}
			e.tgt.set(c.edgeBase+i, id)
			e.fair.set(c.edgeBase+i, c.edgeFair[i])
		}
	}, nil)
	e.off.set(base+F, uint32(total))
	return nil
}

// measure updates the peak of transient memory.
func (e *explorer[S]) measure(chs []*chunk[S]) {
	var zero S
	m := int64(cap(e.frontier)+cap(e.next)) * int64(unsafe.Sizeof(zero))
	for _, c := range e.chunks {
		m += c.bytes()
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
		Complete:    e.complete,
		States:      e.states,
		Transitions: e.trans,
		MaxDepth:    e.maxDepth,
		Terminal:    e.terminal,
		Deadlocks:   e.deadlocks,
		Workers:     e.crew.n,
		Properties:  make([]PropertyResult[S], len(e.props)),
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
			stem, cycle, found := e.eventually(e.goals[e.goalOf[i]])
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
		Graph:    e.off.bytes() + e.tgt.bytes() + e.fair.bytes(),
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
