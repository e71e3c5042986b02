package model_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/synfin/synfin/model"
)

// Tests of what a Result holds: paths that replay, the one-line summary,
// the memory account, and successor indices beyond 16 bits.

func TestReplay(t *testing.T) {
	m := mutex{}
	r := check(t, m, model.Options[mutexState]{},
		model.Always("mutual exclusion", func(s mutexState) bool { return !(m.critical(s, 0) && m.critical(s, 1)) }))
	want := prop(t, r, "mutual exclusion").Path
	got, err := model.Replay[mutexState](m, want.Choices())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(mutexState{})); diff != "" {
		t.Errorf("Replay (-want +got):\n%s", diff)
	}
	if _, err := model.Replay[mutexState](m, []int{0, 0, 5}); err == nil {
		t.Error("Replay of a choice out of range: no error")
	}
	if _, err := model.Replay[mutexState](m, []int{1}); err == nil {
		t.Error("Replay of a missing initial state: no error")
	}
}

// TestLassoReplay replays a lasso's choices and finds the loop.
func TestLassoReplay(t *testing.T) {
	m := mutex{peterson: true, unfair: true}
	r := check(t, m, model.Options[mutexState]{}, model.Eventually("P0 enters", func(s mutexState) bool { return m.critical(s, 0) }))
	lasso := prop(t, r, "P0 enters").Path
	p, err := model.Replay[mutexState](m, lasso.Choices())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != len(lasso.Steps)+len(lasso.Cycle) || p.Last() != lasso.Last() {
		t.Errorf("replayed %v from lasso %v", p, lasso)
	}
}

func TestResultString(t *testing.T) {
	// Even with weak fairness P0 may starve: its check is disabled
	// whenever P1 holds its flag, so P1 may loop forever (3 steps).
	m := mutex{}
	r := check(t, m, model.Options[mutexState]{},
		model.Always("mutual exclusion", func(s mutexState) bool { return !(m.critical(s, 0) && m.critical(s, 1)) }),
		model.Sometimes("P1 enters", func(s mutexState) bool { return m.critical(s, 1) }),
		model.Eventually("P0 enters", func(s mutexState) bool { return m.critical(s, 0) }),
	)
	want := `fail: 9 states, 16 transitions, depth 4, 0 terminal, complete
always mutual exclusion: violated (4 steps)
sometimes P1 enters: reached (2 steps)
eventually P0 enters: violated (0 steps then a cycle of 3)`
	if got := r.String(); got != want {
		t.Errorf("String:\n%s\nwant:\n%s", got, want)
	}
}

func TestResultMemory(t *testing.T) {
	r := check(t, counters{1000}, model.Options[pair]{})
	if bps := r.BytesPerState(); bps <= 6 || bps >= 32 {
		t.Errorf("%.1f bytes per state, want under 32", bps)
	}
	if r.Memory.Graph != 0 {
		t.Errorf("graph memory %d without liveness properties", r.Memory.Graph)
	}
	r = check(t, counters{1000}, model.Options[pair]{}, model.Eventually("a", func(s pair) bool { return s.a == 999 }))
	// 12/load bytes of table, 6 of parent links, 4 of offsets and 5 for
	// each of 2 edges: at most 32+6+4+10 plus a page of slack.
	if bps := r.BytesPerState(); bps <= 16 || bps >= 54 {
		t.Errorf("%.1f bytes per state with liveness", bps)
	}
	if r.Memory.Peak == 0 {
		t.Error("no peak memory")
	}
}

// fan has 70000 initial states and a state with 70000 successors: their
// positions do not fit the 16 bits the checker keeps for most.
type fan struct{}

func (fan) Init(yield func(int)) {
	for i := range 70000 {
		yield(-i)
	}
}

func (fan) Next(s int, yield func(model.Action, int)) {
	if s == -69999 {
		for i := 1; i <= 70000; i++ {
			yield(model.Action{Code: uint32(i)}, i)
		}
	}
}

func TestManySuccessors(t *testing.T) {
	r := check(t, fan{}, model.Options[int]{AllowDeadlock: true, Workers: 2},
		model.Sometimes("last initial", is(-69998)),
		model.Sometimes("far successor", is(69000)))
	if r.States != 140000 {
		t.Errorf("%d states, want 140000", r.States)
	}
	if p := prop(t, r, "last initial").Path; p.InitIndex != 69998 || len(p.Steps) != 0 {
		t.Errorf("last initial: %v (index %d)", p, p.InitIndex)
	}
	p := prop(t, r, "far successor").Path
	if p.InitIndex != 69999 || len(p.Steps) != 1 || p.Steps[0].Index != 68999 || p.Last() != 69000 {
		t.Errorf("far successor: %v, choices %v", p, p.Choices())
	}
}

func TestEnumStrings(t *testing.T) {
	tests := []struct {
		got  fmt.Stringer
		want string
	}{
		{model.Kind(0), "Kind(0)"}, {model.KindAlways, "always"}, {model.KindSometimes, "sometimes"},
		{model.KindEventually, "eventually"}, {model.Kind(4), "Kind(4)"},
		{model.Verdict(0), "Verdict(0)"}, {model.Pass, "pass"}, {model.Fail, "fail"},
		{model.Incomplete, "incomplete"}, {model.Verdict(4), "Verdict(4)"},
		{model.Unknown, "unknown"}, {model.Holds, "holds"}, {model.Violated, "violated"},
		{model.Status(3), "Status(3)"}, {model.Status(255), "Status(255)"},
		{model.Action{Code: 3}, "#3"}, {model.Action{Code: 3, Fairness: 2}, "#3/wf2"},
		{model.Action{Code: 3, Optional: true}, "#3/opt"},
	}
	for _, tt := range tests {
		if s := tt.got.String(); s != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.got, s, tt.want)
		}
	}
}
