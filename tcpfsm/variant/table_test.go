package variant_test

import (
	"os"
	"strings"
	"testing"

	"github.com/synfin/synfin/spec"
	. "github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/variant"
)

const tableFile = "../../spec/tcp.fsm"

func parseTable(t testing.TB, src string) *spec.Machine {
	t.Helper()
	m, err := spec.Parse(tableFile, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func readTable(t testing.TB) string {
	t.Helper()
	src, err := os.ReadFile(tableFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

func mustTable(t testing.TB, src string) *Table {
	t.Helper()
	tab, err := variant.NewTable(parseTable(t, src))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestTableMatchesGenerated: stepping tcp.fsm through the interpreter
// agrees with the generated Step for every state, event and guard set.
func TestTableMatchesGenerated(t *testing.T) {
	tab := mustTable(t, readTable(t))
	m := variant.Machine(tab)
	for s := State(0); s < NumStates; s++ {
		for ev := Event(0); ev < NumEvents; ev++ {
			for g := Guards(0); g < 1<<NumGuards; g++ {
				row, next, act, ok := tab.Rules().Decide(s, ev, g)
				wantNext, wantAct, wantOK := Step(s, ev, g)
				if next != wantNext || act != wantAct || ok != wantOK {
					t.Fatalf("%v %v [%v]: interpreter (%v, %v, %v), generated (%v, %v, %v)",
						s, ev, g, next, act, ok, wantNext, wantAct, wantOK)
				}
				if line := m.Rows[row].Pos.Line; line != Rows[Match(s, ev, g)].Line {
					t.Fatalf("%v %v [%v]: interpreter row at line %d, generated at %d", s, ev, g, line, Rows[Match(s, ev, g)].Line)
				}
			}
		}
	}
}

func TestNewTableErrors(t *testing.T) {
	src := readTable(t)
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown event", "events  seg-fin-again\n", "events  seg-fin-again seg-urg\n", `unknown event "seg-urg"`},
		{"missing event", "events  seg-fin-again\n", "", `missing event "seg-fin-again"`},
		{"unknown action", "actions err-resources\n", "actions err-resources send-urg\n", `unknown action "send-urg"`},
		{"unknown guard", "guards  full\n", "guards  full urgent\n", `unknown guard "urgent"`},
		{"initial", "initial CLOSED\n", "initial LISTEN\n", `initial state is "LISTEN"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(src, tt.old) {
				t.Fatalf("table has no %q", tt.old)
			}
			edited := strings.Replace(src, tt.old, tt.new, 1)
			// Make the edited table valid where the edit alone would not be.
			switch tt.name {
			case "unknown event":
				edited += "synchronized, unsynchronized  seg-urg  ignore\n"
			case "missing event":
				edited = dropRowsMentioning(edited, "seg-fin-again")
			case "unknown action":
				edited = strings.Replace(edited, "seg-rst-bad    ignore ", "seg-rst-bad    stay : send-urg ", 1)
			case "unknown guard":
				edited = strings.Replace(edited, "TIME-WAIT       seg-ack        ignore", "TIME-WAIT seg-ack [urgent] ignore\nTIME-WAIT seg-ack [!urgent] ignore", 1)
			}
			m, err := spec.Parse(tableFile, []byte(edited))
			if err != nil {
				t.Fatalf("edited table: %v", err)
			}
			_, err = variant.NewTable(m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewTable: %v, want %s", err, tt.want)
			}
		})
	}
	if _, err := variant.NewTable(nil); err == nil {
		t.Error("NewTable(nil): no error")
	}
}

// dropRowsMentioning removes the rows for event ev from a table source,
// and ev from rows that list it among others.
func dropRowsMentioning(src, ev string) string {
	var out []string
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(line, "#") || !strings.Contains(line, ev) {
			out = append(out, line)
			continue
		}
		if strings.Contains(line, ev+",") || strings.Contains(line, ", "+ev) {
			line = strings.Replace(line, ", "+ev, "", 1)
			line = strings.Replace(line, ev+", ", "", 1)
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// generatedRules decide by the generated table, standing for Rules that
// do not come from NewTable.
type generatedRules struct{}

func (generatedRules) Decide(s State, ev Event, g Guards) (int, State, Actions, bool) {
	next, act, ok := Step(s, ev, g)
	return Match(s, ev, g), next, act, ok
}

// TestMachine: Machine gives back the machine a table was made from, and
// nil for no table or one NewTable did not make; TableOf(nil) is no table.
func TestMachine(t *testing.T) {
	m := parseTable(t, readTable(t))
	tab, err := variant.NewTable(m)
	if err != nil {
		t.Fatal(err)
	}
	if got := variant.Machine(tab); got != m {
		t.Errorf("Machine of NewTable(m) = %p, want m = %p", got, m)
	}
	if got := variant.Machine(nil); got != nil {
		t.Errorf("Machine(nil) = %p, want nil", got)
	}
	if got := variant.Machine(TableOf(generatedRules{})); got != nil {
		t.Errorf("Machine of a table NewTable did not make = %p, want nil", got)
	}
	if got := TableOf(nil); got != nil {
		t.Errorf("TableOf(nil) = %p, want nil", got)
	}
}
