package spec

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func mustParseFile(t *testing.T, name string) *Machine {
	t.Helper()
	m, err := ParseFile(name)
	if err != nil {
		t.Fatalf("ParseFile(%s): %v", name, err)
	}
	return m
}

func TestParseDoor(t *testing.T) {
	m := mustParseFile(t, "testdata/door.fsm")
	names := func(ds []Decl) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Name)
		}
		return out
	}
	got := map[string]any{
		"name":    m.Name,
		"doc":     m.Doc,
		"states":  names(m.States),
		"events":  names(m.Events),
		"actions": names(m.Actions),
		"guards":  names(m.Guards),
		"initial": m.Initial,
		"final":   m.Final,
		"groups":  len(m.Groups),
		"rows":    len(m.Rows),
	}
	want := map[string]any{
		"name":    "door",
		"doc":     "A door with a keypad lock.",
		"states":  []string{"LOCKED", "UNLOCKED", "OPEN", "BROKEN"},
		"events":  []string{"code", "lock", "push", "pull", "kick"},
		"actions": []string{"beep", "alarm"},
		"guards":  []string{"right-code"},
		"initial": 0,
		"final":   []int{0},
		"groups":  1,
		// 13 lines; "OPEN code, lock, pull" is three rows and
		// "BROKEN code, push, pull, kick" four.
		"rows": 18,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("door.fsm parsed wrong (-want +got):\n%s", diff)
	}

	first := m.Rows[0]
	wantRow := Row{
		Pos: Pos{"testdata/door.fsm", 12, 1}, Sources: []string{"LOCKED"}, From: []int{0},
		Event: 0, Require: 1, Outcome: Goto, To: 1, Actions: []int{0}, Ref: "manual 2.1",
	}
	if diff := cmp.Diff(wantRow, first); diff != "" {
		t.Errorf("first row (-want +got):\n%s", diff)
	}
	kick := m.Rows[m.Match(m.StateIndex("OPEN"), m.EventIndex("kick"), 0)]
	if diff := cmp.Diff([]string{"shut", "OPEN"}, kick.Sources); diff != "" {
		t.Errorf("kick row sources (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0, 1, 2}, kick.From); diff != "" {
		t.Errorf("kick row covers states (-want +got):\n%s", diff)
	}
}

// TestDocExampleIsTestdata keeps the package documentation's example and
// testdata/door.fsm the same table.
func TestDocExampleIsTestdata(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	table, err := os.ReadFile("testdata/door.fsm")
	if err != nil {
		t.Fatal(err)
	}
	var indented []string
	for _, l := range strings.Split(strings.TrimRight(string(table), "\n"), "\n") {
		if l == "" {
			indented = append(indented, "//")
		} else {
			indented = append(indented, "//\t"+l)
		}
	}
	if !strings.Contains(string(doc), strings.Join(indented, "\n")) {
		t.Error("the example in doc.go differs from testdata/door.fsm; make them the same table")
	}
}

func TestStep(t *testing.T) {
	m := mustParseFile(t, "testdata/door.fsm")
	s := m.StateIndex
	e := m.EventIndex
	key := uint64(1) << m.GuardIndex("right-code")
	beep := uint64(1) << m.ActionIndex("beep")
	alarm := uint64(1) << m.ActionIndex("alarm")
	tests := []struct {
		name        string
		state       int
		event       int
		guards      uint64
		wantNext    int
		wantActions uint64
		wantOK      bool
	}{
		{"the right code unlocks and beeps", s("LOCKED"), e("code"), key, s("UNLOCKED"), beep, true},
		{"a wrong code stays locked and sounds the alarm", s("LOCKED"), e("code"), 0, s("LOCKED"), alarm, true},
		{"a code while unlocked is ignored", s("UNLOCKED"), e("code"), key, s("UNLOCKED"), 0, true},
		{"pulling a locked door is refused with an alarm", s("LOCKED"), e("pull"), 0, s("LOCKED"), alarm, false},
		{"pushing an open door closes it", s("OPEN"), e("push"), 0, s("UNLOCKED"), 0, true},
		{"kicking breaks the door from any shut or open state", s("UNLOCKED"), e("kick"), 0, s("BROKEN"), alarm, true},
		{"a broken door ignores kicks", s("BROKEN"), e("kick"), 0, s("BROKEN"), 0, true},
		{"an out-of-range state is refused", 99, e("kick"), 0, 99, 0, false},
		{"an out-of-range event is refused", s("OPEN"), -1, 0, s("OPEN"), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, acts, ok := m.Step(tt.state, tt.event, tt.guards)
			if next != tt.wantNext || acts != tt.wantActions || ok != tt.wantOK {
				t.Errorf("Step(%d, %d, %b) = (%d, %b, %v), want (%d, %b, %v)",
					tt.state, tt.event, tt.guards, next, acts, ok, tt.wantNext, tt.wantActions, tt.wantOK)
			}
		})
	}
}

// TestEventKinds checks that calls and timers are events numbered with the
// others in declaration order, each with its kind, and that a timer records
// the action that arms it.
func TestEventKinds(t *testing.T) {
	m, err := Parse("k.fsm", []byte(`states A
initial A
final A
timers tick : wind
events poke
calls open
timers alarm
actions wind
A open stay : wind
A tick, poke, alarm ignore
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for e, d := range m.Events {
		got = append(got, d.Name+":"+m.EventKind(e).String())
	}
	if want := "tick:timer poke:input open:call alarm:timer"; strings.Join(got, " ") != want {
		t.Errorf("events %q, want %q", strings.Join(got, " "), want)
	}
	wind := m.ActionIndex("wind")
	if want := []Timer{{Event: 0, Arm: wind}, {Event: 3, Arm: -1}}; !slices.Equal(m.Timers, want) {
		t.Errorf("Timers %v, want %v", m.Timers, want)
	}
	if k := (&Machine{Events: m.Events}).EventKind(2); k != Input {
		t.Errorf("a machine without Kinds: EventKind = %v, want input", k)
	}
}

// TestLineEndings checks that CRLF line endings and a byte order mark read
// as if they were not there.
func TestLineEndings(t *testing.T) {
	src, err := os.ReadFile("testdata/door.fsm")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Parse("door.fsm", src)
	if err != nil {
		t.Fatal(err)
	}
	variants := map[string][]byte{
		"CRLF":       []byte(strings.ReplaceAll(string(src), "\n", "\r\n")),
		"BOM":        append([]byte("\xef\xbb\xbf"), src...),
		"BOM + CRLF": append([]byte("\xef\xbb\xbf"), strings.ReplaceAll(string(src), "\n", "\r\n")...),
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			got, err := Parse("door.fsm", v)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(plain, got, cmpopts.IgnoreUnexported(Machine{})); diff != "" {
				t.Errorf("machine differs from the LF one (-LF +%s):\n%s", name, diff)
			}
		})
	}
}

// header declares a small valid vocabulary that error cases build on.
const header = `states A B
initial A
final A
events go back
`

// errorTests are tables with problems, each with every error that Parse
// reports for it, in order.
var errorTests = []struct {
	name string
	src  string
	want []string
}{
	{"empty file", "", []string{
		"t.fsm:1:1: empty table: expected declarations (states, initial, final, events) and rows, found none"}},
	{"only comments", "# nothing\n\n# here\n", []string{
		"t.fsm:1:1: empty table: expected declarations (states, initial, final, events) and rows, found none"}},
	{"binary file", "states A\x00B\n", []string{
		"t.fsm:1:9: binary data: expected UTF-8 text, found a NUL byte"}},
	{"invalid UTF-8", "states A\ninitial \xff\n", []string{
		"t.fsm:2:9: binary data: expected UTF-8 text, found byte 0xff"}},
	{"very long line", header + "A go -> B # " + strings.Repeat("x", MaxLineLength) + "\n", []string{
		"t.fsm:5:4097: line too long: expected at most 4096 bytes, found 4108"}},
	{"unknown state in row", header + "A go -> C\nB back -> A\nA back ignore\nB go ignore\n", []string{
		`t.fsm:5:9: unknown target state "C": expected a declared state`}},
	{"unknown source", header + "X go -> B\n", []string{
		`t.fsm:5:1: unknown state or group "X" as a row source`}},
	{"unknown event", header + "A jump -> B\n", []string{
		`t.fsm:5:3: unknown event "jump": expected a declared event`}},
	{"undeclared guard", header + "A go [ready] -> B\n", []string{
		`t.fsm:5:7: unknown guard "ready": expected a declared guard`}},
	{"undeclared action", header + "A go -> B : beep\n", []string{
		`t.fsm:5:13: unknown action "beep": expected a declared action`}},
	{"a name of the wrong kind", header + "A back -> go\n", []string{
		`t.fsm:5:11: target state "go" is an event (declared on line 4), expected a state`}},
	{"name declared twice", header + "events go\n", []string{
		`t.fsm:5:8: event "go" declared again (first declared on line 4)`}},
	{"name reused across kinds", header + "actions A\n", []string{
		`t.fsm:5:9: "A" declared as an action, but it is already a state (declared on line 1)`}},
	{"reserved word as a name", "states A stay\n", []string{
		`t.fsm:1:10: expected state name, found keyword "stay"`}},
	{"missing outcome", header + "A go\n", []string{
		`t.fsm:5:5: expected an outcome ("-> STATE", stay, ignore or error), found end of line`}},
	{"arrow without target", header + "A go ->\n", []string{
		`t.fsm:5:8: expected a target state after "->", found end of line`}},
	{"unclosed guard list", header + "guards g\nA go [g -> B\n", []string{
		`t.fsm:6:9: expected "," or "]" in the guard list, found "->"`}},
	{"stray character", header + "A go -> B ; beep\n", []string{
		`t.fsm:5:11: unexpected character ";": expected ":" and actions, "@" and a reference, or end of line`}},
	{"empty reference", header + "A go -> B @\n", []string{
		`t.fsm:5:11: expected reference text after "@", found end of line`}},
	{"ignore with actions", header + "actions x\nA go ignore : x\n", []string{
		`t.fsm:6:13: an ignore row takes no actions: use stay to act without changing state`}},
	{"contradictory guards", header + "guards g\nA go [g, !g] -> B\n", []string{
		`t.fsm:6:11: guard "g" is both required and forbidden: the row can never apply`}},
	{"unknown arming action", header + "timers tick : wind\nA, B tick ignore\n", []string{
		`t.fsm:5:15: unknown arming action "wind": expected a declared action`}},
	{"an action arms two timers", header + "actions wind\ntimers t1 : wind\ntimers t2 : wind\nA go stay : wind\nA, B t1, t2 ignore\n", []string{
		`t.fsm:7:13: action "wind" already arms timer "t1": expected one timer an action`}},
	{"an arming action for two timers at once", header + "actions wind\ntimers t1 t2 : wind\n", []string{
		`t.fsm:6:14: expected end of line: a timers line with ":" declares one timer, found 2, found ":"`}},
	{"two initial states", header + "initial B\n", []string{
		`t.fsm:5:1: initial state given twice (first on line 2): a machine has one initial state`}},
	{"initial takes one name", "initial A B\n", []string{
		`t.fsm:1:11: expected end of line after "A", found name "B": initial takes one name`}},
	{"missing declarations", "A go -> B\n", []string{
		`t.fsm:1:1: no events: expected an "events" line declaring at least one event`,
		`t.fsm:1:1: no final state: expected a "final STATE ..." line`,
		`t.fsm:1:1: no initial state: expected an "initial STATE" line`,
		`t.fsm:1:1: no states: expected a "states" line declaring at least one state`,
		`t.fsm:1:1: unknown state or group "A" as a row source`,
		`t.fsm:1:3: unknown event "go": expected a declared event`,
		`t.fsm:1:9: unknown target state "B": expected a declared state`,
	}},
	{"a missing pair", header + "A go -> B\nB back -> A\nA back ignore\n", []string{
		`t.fsm:1:10: state "B" has no row for event "go": every state must decide every event (add rows, or ignore or error rows)`}},
	{"two rows for one pair", header + "A go -> B\nA go stay\nB back -> A\nA back ignore\nB go ignore\n", []string{
		`t.fsm:6:1: two rows decide event "go": this row and the row on line 5 both apply in state "A"`}},
	{"duplicate rows", header + "A go -> B\nA go -> B\nB back -> A\nA back ignore\nB go ignore\n", []string{
		`t.fsm:6:1: duplicate row: it says the same as the row on line 5`}},
	{"a guard combination left open", header + "guards g\nA go [g] -> B\nB back -> A\nA back ignore\nB go ignore\n", []string{
		`t.fsm:6:1: event "go" in state "A" is not decided when [!g]: expected a row for every guard combination (add a row, or an ignore or error row)`}},
	{"overlapping guards", header + "guards g h\nA go [g] -> B\nA go [h] stay\nA go [!g, !h] ignore\nB back -> A\nA back ignore\nB go ignore\n", []string{
		`t.fsm:7:1: two rows decide event "go": this row and the row on line 6 both apply in state "A" when [g, h]`}},
	{"unreachable state", "states A B C\ninitial A\nfinal A\nevents go\nA go -> B\nB go -> A\nC go -> A\n", []string{
		`t.fsm:1:12: state "C" is unreachable: no chain of rows leads to it from the initial state "A"`}},
	{"no final state reachable", header + "A go -> B\nA back ignore\nB go, back stay\n", []string{
		`t.fsm:1:10: state "B" is a trap: no chain of rows leads from it to a final state ("A")`}},
	{"unused declarations", header + "actions x\nguards g\ngroup both = A B\nA go -> B\nB back -> A\nA back ignore\nB go ignore\n", []string{
		`t.fsm:5:9: action "x" is declared but no row performs it`,
		`t.fsm:6:8: guard "g" is declared but no row tests it`,
		`t.fsm:7:7: group "both" is declared but no row or group uses it`,
	}},
	{"errors on several lines are all reported", header + "A go ->\nA back [x\nB go stay ?\n", []string{
		`t.fsm:5:8: expected a target state after "->", found end of line`,
		`t.fsm:6:10: expected "," or "]" in the guard list, found end of line`,
		`t.fsm:7:11: unexpected character "?": expected ":" and actions, "@" and a reference, or end of line`,
	}},
}

// TestErrors lists malformed and invalid tables with every message they
// must produce, positions included. Each input is parsed as "t.fsm".
func TestErrors(t *testing.T) {
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse("t.fsm", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded, want errors:\n%s", strings.Join(tt.want, "\n"))
			}
			if m != nil {
				t.Errorf("Parse returned a machine along with errors")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want ErrorList", err)
			}
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorListErr(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Errorf("empty ErrorList.Err() = %v, want nil", l.Err())
	}
	l.Add(Pos{"f", 2, 1}, "second")
	l.Add(Pos{"f", 1, 5}, "first")
	l.Add(Pos{"f", 2, 1}, "second")
	l.removeDuplicates()
	if got, want := l.Error(), "f:1:5: first\nf:2:1: second"; got != want {
		t.Errorf("sorted, deduplicated list = %q, want %q", got, want)
	}
}
