package model

import (
	"context"
	"time"
)

// Options tune a Check. The zero value is a complete search on every core
// in which every terminal state is an error.
type Options[S comparable] struct {
	// Workers is the number of goroutines that expand states; 0 means
	// runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int

	// MaxStates stops the search once this many distinct states are
	// stored; 0 means no limit. The states stored are always the same ones
	// (the first MaxStates in breadth-first order).
	MaxStates int

	// MaxDepth leaves states at this depth unexpanded (initial states have
	// depth 0); 0 means no limit.
	MaxDepth int

	// MaxMemory stops the search, incomplete, before the resident set of
	// the process (what the operating system charges it, not only the Go
	// heap) reaches this many bytes: at MemoryThreshold(MaxMemory), which
	// leaves room for the counterexamples and the caller's report. The
	// states stored are those of the levels expanded in full, and the
	// liveness check is not run. 0 means no limit.
	MaxMemory int64

	// Context, when set, stops the search, incomplete, once it is done,
	// as MaxMemory does: within a chunk of states, and without the
	// liveness check.
	Context context.Context

	// AllowDeadlock makes terminal states (states without successors but
	// optional ones, see Action) acceptable. Without it, a terminal state is a deadlock error unless
	// Terminal accepts it.
	AllowDeadlock bool

	// Terminal, when set, says which terminal states are acceptable (for
	// example "both endpoints closed and nothing in flight"). A terminal
	// state it rejects is a deadlock error.
	Terminal func(S) bool

	// StopOnViolation ends the search after the breadth-first level in
	// which the first invariant violation or deadlock was found. The
	// counterexample is still a shortest one; the search is incomplete.
	StopOnViolation bool

	// Progress, when set, is called about every ProgressInterval while the
	// breadth-first search runs, and once more when it ends. It is always
	// called from the goroutine that called Check.
	Progress func(Progress)

	// ProgressInterval is the time between Progress calls; 0 means one
	// second.
	ProgressInterval time.Duration
}

// Progress is a snapshot of a running search.
type Progress struct {
	States      int           // distinct states stored
	Queue       int           // stored states not yet expanded
	Transitions int64         // transitions taken so far
	Depth       int           // breadth-first level being expanded
	Elapsed     time.Duration // since Check started
	Rate        float64       // distinct states per second so far
	RSS         int64         // resident set of the process, in bytes (0 if unknown)
	Done        bool          // the breadth-first search has ended
	Stopped     StopReason    // when Done: why it ended before it was complete
}
