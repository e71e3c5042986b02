package model_test

import (
	"context"
	"testing"

	"github.com/synfin/synfin/model"
)

// cancelAt is counters that cancels a context when it expands a state
// whose counters add up to at: in the middle of a level.
type cancelAt struct {
	counters
	at     uint16
	cancel context.CancelFunc
}

func (c cancelAt) Next(s pair, yield func(model.Action, pair)) {
	if s.a+s.b == c.at {
		c.cancel()
	}
	c.counters.Next(s, yield)
}

// TestCheckCanceled: a context done in the middle of a level stops the
// search there. The level is dropped: the result has the levels expanded
// in full, it is incomplete, and the Eventually property is unknown (no
// liveness search after a halt).
func TestCheckCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sys := cancelAt{counters: counters{n: 300}, at: 100, cancel: cancel}
	r := check[pair](t, sys, model.Options[pair]{Context: ctx, Workers: 2},
		model.Always("small", func(s pair) bool { return s.a < 300 }),
		model.Eventually("zero", func(s pair) bool { return s == pair{} }))
	if r.Verdict != model.Incomplete || r.Complete || r.Stopped != model.StoppedCanceled {
		t.Fatalf("verdict %v, complete %v, stopped %v", r.Verdict, r.Complete, r.Stopped)
	}
	// Level d holds the d+1 states with a+b = d; level 100 was being
	// expanded.
	if r.Levels != 100 || r.MaxDepth != 100 || r.States != 101*102/2 || r.Transitions != 2*100*101/2 {
		t.Errorf("levels %d, depth %d, %d states, %d transitions; want 100 levels expanded, the states to depth 100",
			r.Levels, r.MaxDepth, r.States, r.Transitions)
	}
	for _, p := range r.Properties {
		if p.Status != model.Unknown {
			t.Errorf("%v after a cancel", p)
		}
	}
}

// TestCheckMaxMemory: a limit below what the process holds stops the
// search before its first level, with the initial states stored.
func TestCheckMaxMemory(t *testing.T) {
	r := check[pair](t, counters{n: 50}, model.Options[pair]{MaxMemory: 1 << 20})
	if r.Verdict != model.Incomplete || r.Stopped != model.StoppedMemory || r.Levels != 0 || r.States != 1 {
		t.Errorf("%v: stopped %v after %d levels", r, r.Stopped, r.Levels)
	}
	if r.PeakRSS < model.MemoryThreshold(1<<20) {
		t.Errorf("peak RSS %d, below the threshold it stopped at", r.PeakRSS)
	}
	if _, err := model.Check[pair](counters{n: 2}, model.Options[pair]{MaxMemory: -1}); err == nil {
		t.Error("a negative MaxMemory is accepted")
	}
}

// TestStopReasons: each limit says it stopped the search; a complete
// search says nothing.
func TestStopReasons(t *testing.T) {
	sys := counters{n: 20}
	inv := model.Always("never 5,5", func(s pair) bool { return s != pair{5, 5} })
	for _, tc := range []struct {
		opts   model.Options[pair]
		want   model.StopReason
		levels int
	}{
		{model.Options[pair]{}, model.NotStopped, 39},
		{model.Options[pair]{MaxStates: 30}, model.StoppedMaxStates, 7},
		{model.Options[pair]{MaxDepth: 4}, model.StoppedMaxDepth, 4},
		{model.Options[pair]{StopOnViolation: true}, model.StoppedViolation, 10},
	} {
		r := check[pair](t, sys, tc.opts, inv)
		if r.Stopped != tc.want || r.Levels != tc.levels || r.Complete != (tc.want == model.NotStopped) {
			t.Errorf("%+v: stopped %v after %d levels, complete %v; want %v after %d", tc.opts, r.Stopped, r.Levels, r.Complete, tc.want, tc.levels)
		}
	}
	if s := model.StoppedMemory.String(); s != "memory limit" {
		t.Errorf("StoppedMemory is %q", s)
	}
}

func TestResidentBytes(t *testing.T) {
	if n := model.ResidentBytes(); n < 1<<20 || n > 1<<40 {
		t.Errorf("resident set %d bytes", n)
	}
}
