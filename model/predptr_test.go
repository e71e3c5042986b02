package model_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/synfin/synfin/model"
)

// TestPredPtr checks that properties built with AlwaysPtr, SometimesPtr
// and EventuallyPtr give the result the by-value constructors give, and
// that their Pred agrees with their PredPtr.
func TestPredPtr(t *testing.T) {
	sum := func(s *pair) bool { return s.a+s.b < 170 }
	b99 := func(s *pair) bool { return s.b == 99 }
	a119 := func(s *pair) bool { return s.a == 119 }
	byPtr := []model.Property[pair]{
		model.AlwaysPtr("sum", sum),
		model.SometimesPtr("b is 99", b99),
		model.EventuallyPtr("a is 119", a119),
	}
	byValue := []model.Property[pair]{
		model.Always("sum", func(s pair) bool { return sum(&s) }),
		model.Sometimes("b is 99", func(s pair) bool { return b99(&s) }),
		model.Eventually("a is 119", func(s pair) bool { return a119(&s) }),
	}
	for _, s := range []pair{{0, 0}, {119, 99}, {100, 70}} {
		for _, p := range byPtr {
			if p.Pred(s) != p.PredPtr(&s) {
				t.Errorf("%s at %v: Pred %v, PredPtr %v", p.Name, s, p.Pred(s), p.PredPtr(&s))
			}
		}
	}
	ignore := cmpopts.IgnoreFields(model.Result[pair]{}, "Duration", "StatesPerSecond", "Memory")
	want := check(t, counters{120}, model.Options[pair]{}, byValue...)
	got := check(t, counters{120}, model.Options[pair]{}, byPtr...)
	if diff := cmp.Diff(want, got, ignore, cmp.AllowUnexported(pair{})); diff != "" {
		t.Errorf("by pointer vs by value (-value +pointer):\n%s", diff)
	}
	if want.Verdict != model.Fail {
		t.Errorf("verdict %v; want fail (sum is violated)", want.Verdict)
	}
}
