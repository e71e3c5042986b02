package model

import (
	"hash/maphash"
	"math"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
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

// explorer is one breadth-first search of a System: the table of the
// states seen, a parent link and successor index per state, what its
// liveness mode keeps, and the two pools of chunks that hold the frontier
// and the level being filled.
type explorer[S comparable] struct {
	sys   System[S]
	opts  Options[S]
	props []Property[S]
	preds []func(*S) bool // each property's predicate on a pointer (Property.test)
	hash  func(*S) uint64 // reads the state in place
	crew  *crew
	limit int  // most states to store
	early bool // properties are evaluated on candidates in phase A (at most 64)

	tab      *table
	parent   paged[uint32]
	index    paged[uint16]
	bigIndex map[uint32]uint32 // successor indices >= bigIndex, by state id
	bigMu    sync.Mutex        // guards bigIndex in phase C
	goalOf   []int             // property -> goal bitset, or -1
	goals    []bitset          // one per Eventually property

	live    liveMode
	rankErr string // why the System's rank was not used
	// liveRanked (rank.go): the rank, the goals, the kept transitions.
	rank    func(*S) uint64
	rankAt  func(*S, uint64) uint64 // RankFrom, or rank if the System is no FloorRanker
	floored bool                    // rankAt is RankFrom: below the floor it may not be the rank
	evs     []func(*S) bool         // the goal of each Eventually property
	allFree uint64                  // a bit for each goal
	kept    keptGraph
	stuck   []uint32 // per goal: first expanded terminal state where it does not hold
	// liveGraph (graph.go): every transition, by source in id order.
	off  paged[uint32] // state v's transitions start at off[v]
	tgt  paged[uint32] // target ids
	fair paged[uint8]  // fairness classes

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
	stop      StopReason // why the search ended before it was complete
	watch     *watcher   // memory and context (memlimit.go); nil without either

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

// newExplorer prepares a search of sys for props that keeps what the
// liveness mode live needs.
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
	e.preds = make([]func(*S) bool, len(props))
	for i, p := range props {
		e.preds[i] = p.test()
		e.found[i] = noState
		e.goalOf[i] = -1
		if p.Kind == KindEventually {
			e.goalOf[i] = len(e.goals)
			e.goals = append(e.goals, nil)
			e.evs = append(e.evs, e.preds[i])
			e.stuck = append(e.stuck, noState)
		}
	}
	if live == liveRanked {
		e.rank = sys.(Ranker[S]).Rank
		e.rankAt = func(s *S, _ uint64) uint64 { return e.rank(s) }
		if f, ok := sys.(FloorRanker[S]); ok {
			e.rankAt, e.floored = f.RankFrom, true
		}
		e.allFree = 1<<len(e.goals) - 1
	}
	e.tab = newTable(live != liveNone) // both liveness modes read ids in the table
	e.early = len(props) <= 64
	e.blocks.clear = hasPointers(reflect.TypeFor[S]())
	return e
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
