package tcptest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/synfin/synfin/spec"
)

// decision is what a machine decides for one case, by name, so that
// machines with other numberings compare.
type decision struct {
	next, actions string
	ok            bool
	line          int // of the deciding row
}

// decisions returns what m decides for every state, event and
// combination of the guards of spec/tcp.fsm, keyed by "STATE event
// guard|guard". A guard m does not declare is one no row of m tests.
func decisions(t *testing.T, m *spec.Machine) map[string]decision {
	t.Helper()
	guards := Machine(t, AsWritten).Guards
	out := map[string]decision{}
	for s := range m.States {
		for ev := range m.Events {
			for g := uint64(0); g < 1<<len(guards); g++ {
				var bits uint64
				for i, d := range guards {
					if j := m.GuardIndex(d.Name); g&(1<<i) != 0 && j >= 0 {
						bits |= 1 << j
					}
				}
				row, next, acts, ok := m.Decide(s, ev, bits)
				key := fmt.Sprintf("%s %s %s", m.States[s].Name, m.Events[ev].Name, spec.SetString(guards, g))
				if row < 0 {
					t.Fatalf("%s: no row decides %s", m.File, key)
				}
				out[key] = decision{m.States[next].Name, spec.SetString(m.Actions, acts), ok, m.Rows[row].Pos.Line}
			}
		}
	}
	return out
}

// differ returns the cases whose decisions in want and got differ, in
// what they do or, with lines, also in the line of the deciding row.
func differ(want, got map[string]decision, lines bool) []string {
	var keys []string
	for k, d := range want {
		g := got[k]
		if !lines {
			d.line, g.line = 0, 0
		}
		if g != d {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func TestAsWrittenIsTheFile(t *testing.T) {
	m := Machine(t, AsWritten)
	orig, err := spec.ParseFile(SpecFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Rows) != len(orig.Rows) || m.Rows[0].Pos.Line != orig.Rows[0].Pos.Line || m.File != "spec/tcp.fsm" {
		t.Errorf("as written: %d rows, first at %v; the file: %d rows, first at %v", len(m.Rows), m.Rows[0].Pos, len(orig.Rows), orig.Rows[0].Pos)
	}
}

// TestRender: the table written out again, and its rows reversed, decide
// every case as the table as written does.
func TestRender(t *testing.T) {
	want := decisions(t, Machine(t, AsWritten))
	orig := Machine(t, AsWritten)
	same, err := spec.Parse("rendered.fsm", []byte(render(clone(orig), "the table as written, rendered")))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []*spec.Machine{same, Machine(t, Reversed)} {
		if d := differ(want, decisions(t, m), m == same); len(d) > 0 {
			t.Errorf("%s decides %d cases otherwise (or by a row on another line), such as %s", m.File, len(d), d[0])
		}
	}
	if rev := Machine(t, Reversed); rev.Rows[0].Event != orig.Rows[len(orig.Rows)-1].Event {
		t.Errorf("reversed rows start with event %d", rev.Rows[0].Event)
	}
	if !slices.Equal(same.Kinds, orig.Kinds) || !slices.Equal(same.Timers, orig.Timers) {
		t.Errorf("rendered: event kinds %v, timers %v; as written %v, %v", same.Kinds, same.Timers, orig.Kinds, orig.Timers)
	}
}

// TestBroken: every broken table parses, fits the Endpoint, and changes
// the decision of the pairs its edits name, and of no other; the cases it
// leaves alone are decided by rows on their spec/tcp.fsm lines.
func TestBroken(t *testing.T) {
	want := decisions(t, Machine(t, AsWritten))
	names := map[string]bool{}
	for _, v := range Broken {
		t.Run(v.Name, func(t *testing.T) {
			if names[v.Name] || v.Mistake == "" || len(v.Edits) == 0 {
				t.Fatalf("variant %q: a repeated name, no mistake or no edit", v.Name)
			}
			names[v.Name] = true
			Table(t, v)
			got := decisions(t, Machine(t, v))
			changed := differ(want, got, false)
			if len(changed) == 0 {
				t.Fatal("the variant decides every case as the table as written")
			}
			named := func(k string) bool {
				for _, e := range v.Edits {
					if strings.HasPrefix(k, e.state+" "+e.event+" ") {
						return true
					}
				}
				return false
			}
			for _, k := range changed {
				if !named(k) {
					t.Errorf("%s changes, and no edit names it", k)
				}
			}
			for _, k := range differ(want, got, true) {
				if !named(k) {
					t.Errorf("%s is decided by the row on line %d, on line %d as written", k, got[k].line, want[k].line)
				}
			}
		})
	}
}

func TestEditErrors(t *testing.T) {
	for _, tc := range []struct {
		edit Edit
		want string
	}{
		{Replace("CLOSED", "timeout-9msl", "", "CLOSED timeout-9msl ignore"), `unknown state "CLOSED" or event "timeout-9msl"`},
		{Replace("SYN-SENT", "timeout-retx", "[passive]", "SYN-SENT timeout-retx [passive] ignore"), "also outside [passive]"},
		{Replace("TIME-WAIT", "seg-rst", "[urgent]"), `unknown guard "urgent"`},
		{Replace("TIME-WAIT", "seg-rst", "", "TIME-WAIT seg-rst goto CLOSED"), "expected an outcome"},
		{Replace("TIME-WAIT", "seg-rst", "", "TIME-WAIT seg-rst stay : tell-urgent"), `unknown action "tell-urgent"`},
		{Replace("TIME-WAIT", "seg-rst", "", "TIME-WARP seg-rst ignore"), `unknown state or group "TIME-WARP"`},
		{RemoveAction("CLOSED", "open-passive", "", "send-fin"), "does not perform send-fin"},
		{AddEvent("seg-rst"), "declared already"},
	} {
		v := Variant{Name: "bad", Mistake: "an edit that cannot apply", Edits: []Edit{tc.edit}}
		if _, err := v.Text(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.edit, err, tc.want)
		}
	}
	// An edit that applies but leaves a pair undecided: the variant does
	// not parse.
	v := Variant{Name: "undecided", Mistake: "drops a row", Edits: []Edit{Replace("TIME-WAIT", "seg-rst", "[!rfc1337]")}}
	if _, err := v.Machine(); err == nil || !strings.Contains(err.Error(), "undecided.fsm:") {
		t.Errorf("a variant with an undecided pair: %v", err)
	}
}
