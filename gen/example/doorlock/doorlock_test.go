package doorlock_test

import (
	"fmt"
	"testing"

	"github.com/synfin/synfin/gen/example/doorlock"
	"github.com/synfin/synfin/spec"
)

func machine(t testing.TB) *spec.Machine {
	t.Helper()
	m, err := spec.ParseFile("doorlock.fsm")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestAgreesWithInterpreter steps the generated code and the interpreter
// of package spec through every state and event (and one of each out of
// range) under every value of Guards, declared bits or not, and requires
// the same next state, actions, ok and row.
func TestAgreesWithInterpreter(t *testing.T) {
	m := machine(t)
	if len(m.States) != doorlock.NumStates || len(m.Events) != doorlock.NumEvents ||
		len(m.Actions) != doorlock.NumActions || len(m.Guards) != doorlock.NumGuards {
		t.Fatal("the table and the generated code declare different numbers of things: run go generate")
	}
	for s := 0; s <= doorlock.NumStates; s++ {
		for e := 0; e <= doorlock.NumEvents; e++ {
			t.Run(fmt.Sprintf("%v/%v", doorlock.State(s), doorlock.Event(e)), func(t *testing.T) {
				for g := 0; g < 1<<8; g++ {
					next, act, ok := doorlock.Step(doorlock.State(s), doorlock.Event(e), doorlock.Guards(g))
					wnext, wact, wok := m.Step(s, e, uint64(g))
					if int(next) != wnext || uint64(act) != wact || ok != wok {
						t.Errorf("guards %#x: Step = %v, %v, %v; interpreter says %v, %v, %v", g,
							next, act, ok, doorlock.State(wnext), doorlock.Actions(wact), wok)
					}
					if got, want := doorlock.Match(doorlock.State(s), doorlock.Event(e), doorlock.Guards(g)), m.Match(s, e, uint64(g)); got != want {
						t.Errorf("guards %#x: Match = %d, interpreter says %d", g, got, want)
					}
				}
			})
		}
	}
}

// TestRows checks the Rows table against the parsed rows.
func TestRows(t *testing.T) {
	m := machine(t)
	if len(doorlock.Rows) != len(m.Rows) {
		t.Fatalf("%d rows, the table has %d", len(doorlock.Rows), len(m.Rows))
	}
	for i, r := range m.Rows {
		got := doorlock.Rows[i]
		t.Run(fmt.Sprintf("%d_line_%d", i, r.Pos.Line), func(t *testing.T) {
			if len(got.From) != len(r.From) {
				t.Fatalf("From %v, want %v", got.From, r.From)
			}
			for j := range r.From {
				if int(got.From[j]) != r.From[j] {
					t.Errorf("From %v, want %v", got.From, r.From)
				}
			}
			to := 0
			if r.Outcome == spec.Goto {
				to = r.To
			}
			if int(got.Event) != r.Event || uint64(got.Require) != r.Require || uint64(got.Forbid) != r.Forbid ||
				got.Outcome.String() != r.Outcome.String() || int(got.To) != to || uint64(got.Actions) != r.ActionSet() ||
				got.Ref != r.Ref || got.Line != r.Pos.Line {
				t.Errorf("row %+v, table has %+v", got, r)
			}
		})
	}
}

// TestStrings checks the String methods against the table's spellings and
// their forms for values out of range.
func TestStrings(t *testing.T) {
	m := machine(t)
	for _, tc := range []struct{ got, want string }{
		{doorlock.StateLockedOut.String(), "LOCKED-OUT"},
		{doorlock.State(5).String(), "State(5)"},
		{doorlock.State(255).String(), "State(255)"},
		{doorlock.EventCodeBad.String(), "code-bad"},
		{doorlock.Event(6).String(), "Event(6)"},
		{doorlock.Actions(0).String(), ""},
		{(doorlock.ActionBolt | doorlock.ActionRelease).String(), "release|bolt"},
		{(doorlock.ActionTellRefused | 0x40).String(), "tell-refused|Actions(0x40)"},
		{doorlock.Actions(0xc0).String(), "Actions(0xc0)"},
		{(doorlock.GuardLastTry | doorlock.GuardHoldOpen).String(), "last-try|hold-open"},
		{doorlock.Guards(0x84).String(), "Guards(0x84)"},
		{doorlock.OutcomeError.String(), "error"},
		{doorlock.Outcome(9).String(), "Outcome(9)"},
		{doorlock.InitialState.String(), m.States[m.Initial].Name},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	for i, d := range m.States {
		if got := doorlock.State(i).String(); got != d.Name {
			t.Errorf("State(%d) = %q, want %q", i, got, d.Name)
		}
		if got := doorlock.State(i).IsFinal(); got != m.IsFinal(i) {
			t.Errorf("State(%d).IsFinal() = %v", i, got)
		}
	}
	for i, d := range m.Events {
		if got := doorlock.Event(i).String(); got != d.Name {
			t.Errorf("Event(%d) = %q, want %q", i, got, d.Name)
		}
	}
	for i, d := range m.Actions {
		if got := (doorlock.Actions(1) << i).String(); got != d.Name {
			t.Errorf("action bit %d = %q, want %q", i, got, d.Name)
		}
	}
	for i, d := range m.Guards {
		if got := (doorlock.Guards(1) << i).String(); got != d.Name {
			t.Errorf("guard bit %d = %q, want %q", i, got, d.Name)
		}
	}
}

func TestHas(t *testing.T) {
	a := doorlock.ActionBeep | doorlock.ActionArmTimer
	for _, tc := range []struct {
		b    doorlock.Actions
		want bool
	}{
		{0, true},
		{doorlock.ActionBeep, true},
		{doorlock.ActionBeep | doorlock.ActionArmTimer, true},
		{doorlock.ActionBeep | doorlock.ActionBolt, false},
		{doorlock.ActionBolt, false},
	} {
		if got := a.Has(tc.b); got != tc.want {
			t.Errorf("(%v).Has(%v) = %v", a, tc.b, got)
		}
	}
}

// inputs is every in-range (state, event, guards) of the table.
func inputs() (s []doorlock.State, e []doorlock.Event, g []doorlock.Guards) {
	for st := range doorlock.NumStates {
		for ev := range doorlock.NumEvents {
			for gs := range 1 << doorlock.NumGuards {
				s = append(s, doorlock.State(st))
				e = append(e, doorlock.Event(ev))
				g = append(g, doorlock.Guards(gs))
			}
		}
	}
	return s, e, g
}

var sink int

func TestNoAllocs(t *testing.T) {
	s, e, g := inputs()
	allocs := testing.AllocsPerRun(100, func() {
		for i := range s {
			next, act, ok := doorlock.Step(s[i], e[i], g[i])
			if ok {
				sink += int(next) + int(act)
			}
			sink += doorlock.Match(s[i], e[i], g[i])
		}
	})
	if allocs != 0 {
		t.Errorf("Step and Match allocate: %v allocations per run", allocs)
	}
}

func BenchmarkStep(b *testing.B) {
	s, e, g := inputs()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range s {
			next, act, _ := doorlock.Step(s[i], e[i], g[i])
			n += int(next) + int(act)
		}
	}
	sink = n
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(s)), "ns/step")
}

func BenchmarkMatch(b *testing.B) {
	s, e, g := inputs()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range s {
			n += doorlock.Match(s[i], e[i], g[i])
		}
	}
	sink = n
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(s)), "ns/step")
}

// BenchmarkInterpreter is the same work for spec.Machine.Step, for
// comparison.
func BenchmarkInterpreter(b *testing.B) {
	m := machine(b)
	s, e, g := inputs()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range s {
			next, act, _ := m.Step(int(s[i]), int(e[i]), uint64(g[i]))
			n += next + int(act)
		}
	}
	sink = n
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(s)), "ns/step")
}
