package model

import "errors"

// Check runs an explorer (explorer.go) one breadth-first level at a time
// (explore, below). A level goes through four phases:
//
//   - A (expand.go): the workers expand the chunks of the frontier in
//     parallel, reading the table only; each chunk (chunk.go) collects the
//     successors it found that are not in the table, its candidates.
//   - B (insert.go): one goroutine per shard of the table inserts the
//     candidates of that shard, in level order.
//   - C (insert.go): the new states get their ids, parent links and
//     successor indices, the properties are checked on them, and they
//     become the frontier.
//   - D (graph.go, rank.go): in a liveness mode, the level's transitions
//     are linked to their targets' ids.
//
// Then finish.go decides the properties and builds the counterexamples,
// with the liveness searches of liveness.go or ranklive.go.

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
	if opts.Workers < 0 || opts.MaxStates < 0 || opts.MaxDepth < 0 || opts.ProgressInterval < 0 || opts.MaxMemory < 0 {
		return nil, errors.New("model: negative Workers, MaxStates, MaxDepth, ProgressInterval or MaxMemory")
	}
	if err := validateProperties(props); err != nil {
		return nil, err
	}
	live, why := liveModeOf(sys, props)
	watch := newWatcher(opts.MaxMemory)
	e := newExplorer(sys, opts, props, live)
	e.rankErr, e.watch = why, watch
	err := e.explore()
	if errors.Is(err, errRankRejected) {
		// Again, keeping the whole graph: the time and the peak count
		// both searches; progress starts again from the initial states.
		first := e
		e = newExplorer(sys, opts, props, liveGraph)
		e.rankErr, e.start, e.peak, e.watch = first.rankErr, first.start, first.peak, watch
		err = e.explore()
	}
	if watch != nil {
		watch.close()
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

// explore runs the breadth-first search, one level at a time.
func (e *explorer[S]) explore() error {
	chs := e.chunks(0, 1)
	c := chs[0]
	c.reset(0, 0, len(e.props), len(e.goals), &e.blocks)
	n := 0
	e.sys.Init(func(s S) {
		var r uint64
		if e.live == liveRanked {
			r = e.rank(&s)
		}
		c.add(&s, mix(e.hash(&s)), noState, n, r, e)
		n++
	})
	if n == 0 {
		return errors.New("model: the system has no initial state")
	}
	c.groupByShard()
	e.insert(chs, 0)
	e.setFrontier(chs)
	e.initCount = e.states
	for e.stop == NotStopped {
		switch {
		case e.dropped:
			e.stop = StoppedMaxStates // incomplete: states were left out
		case e.states == e.expanded:
			e.complete = true
		case e.opts.MaxDepth > 0 && e.depth >= e.opts.MaxDepth:
			e.stop = StoppedMaxDepth // incomplete: the frontier is not expanded
		case e.opts.StopOnViolation && e.depth > 0 && e.violated():
			e.stop = StoppedViolation
		case e.halted() != NotStopped:
			e.stop = e.halted()
		}
		if e.complete || e.stop != NotStopped {
			break
		}
		done, err := e.expand()
		if err != nil {
			return err
		}
		if !done {
			e.stop = e.halted() // the level is dropped: the frontier is not expanded
			break
		}
		e.depth++
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
