package spec

import (
	"fmt"
	"strings"
)

// Limits of the table language. State and event numbers fit a uint8 in
// generated code; action and guard sets are bit sets of at most 64 bits.
const (
	MaxStates  = 256
	MaxEvents  = 256
	MaxActions = 64
	MaxGuards  = 64
	// MaxRowGuards bounds how many distinct guards the rows of one
	// (state, event) pair may mention, since validation tries every
	// combination of them.
	MaxRowGuards = 12
)

// Pos is a position in a table source: file name, 1-based line and 1-based
// column counted in bytes.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats p as file:line:col, leaving out the parts that are unknown.
func (p Pos) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d", p.Line)
		if p.Col > 0 {
			s += fmt.Sprintf(":%d", p.Col)
		}
	}
	if s == "" {
		s = "-"
	}
	return s
}

// Decl is one declared name: a state, an event, an action or a guard.
type Decl struct {
	Name string
	Pos  Pos
	// Doc is the text of the comment lines directly above the declaration
	// line, without the leading "#".
	Doc string
}

// EventKind says where an event comes from. The table declares it by the
// keyword that declares the event.
type EventKind uint8

const (
	// Input is an event declared with "events": anything the machine is
	// told that is neither a call nor a timer (for TCP, an arriving
	// segment as the endpoint classifies it).
	Input EventKind = iota
	// Call is an event declared with "calls": a request of the machine's
	// user, which an error row refuses with an answer to the caller.
	Call
	// Timeout is an event declared with "timers": a timer ran out.
	Timeout
)

var eventKindNames = [...]string{Input: "input", Call: "call", Timeout: "timer"}

// EventKinds lists every kind, in the order of their values.
func EventKinds() []EventKind { return []EventKind{Input, Call, Timeout} }

func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Timer is a timer the table declares with "timers": the event its expiry
// produces and the action that (re)starts it.
type Timer struct {
	Event int // index into Machine.Events
	// Arm is the index into Machine.Actions of the action that arms the
	// timer ("timers NAME : ACTION"), or -1 when the table's caller arms
	// it by other rules.
	Arm int
}

// Group names a set of states so that one row can cover all of them.
type Group struct {
	Name   string
	Pos    Pos
	Doc    string
	States []int // indexes into Machine.States, in declaration order
}

// Outcome says what a row does with its (state, event) pairs.
type Outcome uint8

const (
	// Goto moves to the row's target state and performs its actions.
	Goto Outcome = iota
	// Stay remains in the same state and performs the row's actions.
	Stay
	// Ignore remains in the same state and does nothing.
	Ignore
	// Reject, written "error" in a table, refuses the event: the state is unchanged, the step reports
	// failure, and the row's actions (typically telling the user why) are
	// performed.
	Reject
)

// outcomeMeaning is the one definition of what each outcome does; the
// interpreter (Row.Effect), the generator and generated code all read it
// through the methods below.
var outcomeMeaning = [...]struct {
	name                 string
	moves, acts, accepts bool
}{
	Goto:   {"goto", true, true, true},
	Stay:   {"stay", false, true, true},
	Ignore: {"ignore", false, false, true},
	Reject: {"error", false, true, false},
}

// Outcomes lists every outcome, in the order of their values.
func Outcomes() []Outcome { return []Outcome{Goto, Stay, Ignore, Reject} }

func (o Outcome) String() string {
	if int(o) < len(outcomeMeaning) {
		return outcomeMeaning[o].name
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Moves reports whether a row with outcome o goes to its target state (To);
// otherwise the state is unchanged.
func (o Outcome) Moves() bool { return int(o) < len(outcomeMeaning) && outcomeMeaning[o].moves }

// Acts reports whether the caller performs the actions of a row with
// outcome o.
func (o Outcome) Acts() bool { return int(o) < len(outcomeMeaning) && outcomeMeaning[o].acts }

// Accepts reports whether a row with outcome o accepts the event (a step
// reports ok).
func (o Outcome) Accepts() bool { return int(o) < len(outcomeMeaning) && outcomeMeaning[o].accepts }

// Row is one line of the transition table.
type Row struct {
	Pos Pos
	// Sources are the source names as written (states or groups).
	Sources []string
	// From holds the states the row covers (groups expanded), in
	// declaration order without repeats.
	From    []int
	Event   int
	Require uint64 // guards that must hold (bit i is Machine.Guards[i])
	Forbid  uint64 // guards that must not hold
	Outcome Outcome
	To      int   // target state for Goto; -1 otherwise
	Actions []int // as written, indexes into Machine.Actions
	// Ref is the reference text after "@", trimmed; empty if none.
	Ref string
	// Doc is the text of the comment lines directly above the row.
	Doc string
}

// ActionSet returns the row's actions as a bit set.
func (r *Row) ActionSet() uint64 {
	var set uint64
	for _, a := range r.Actions {
		set |= 1 << uint(a)
	}
	return set
}

// Effect is what the row does when it decides an event in state: the next
// state, the actions to perform (bit i is Machine.Actions[i]) and whether
// the event is accepted, as the row's Outcome defines them.
func (r *Row) Effect(state int) (next int, actions uint64, ok bool) {
	o := r.Outcome
	next = state
	if o.Moves() {
		next = r.To
	}
	if o.Acts() {
		actions = r.ActionSet()
	}
	return next, actions, o.Accepts()
}

// Matches reports whether the row's guard condition holds for guards.
func (r *Row) Matches(guards uint64) bool {
	return guards&r.Require == r.Require && guards&r.Forbid == 0
}

// Covers reports whether state is one of the row's source states.
func (r *Row) Covers(state int) bool {
	for _, s := range r.From {
		if s == state {
			return true
		}
	}
	return false
}

// Machine is a parsed transition table. Names are referred to by their index
// in the declaration slices; these indexes are also the numbering the
// generator gives to constants, so a generated package and the interpreter
// agree on every value.
type Machine struct {
	// Name is from the "machine" line, or the file's base name without
	// extension when the table has none.
	Name string
	// File is the name the table was parsed under.
	File string
	// Doc is the comment block at the top of the file, up to the first
	// blank line.
	Doc     string
	States  []Decl
	Initial int
	Final   []int
	Events  []Decl
	// Kinds holds the kind of each event, by event index. A machine built
	// by hand may leave it nil: every event is then an Input.
	Kinds []EventKind
	// Timers lists the timer events in declaration order: timer i runs
	// out as event Timers[i].Event.
	Timers  []Timer
	Actions []Decl
	Guards  []Decl
	Groups  []Group
	Rows    []Row

	// byPair[state*len(Events)+event] lists the rows covering the pair, in
	// file order; nil until Index builds it.
	byPair [][]int
	// indexed is the number of rows byPair was built from.
	indexed int
}

// EventKind returns the kind of event e (Input when Kinds does not say).
func (m *Machine) EventKind(e int) EventKind {
	if e >= 0 && e < len(m.Kinds) {
		return m.Kinds[e]
	}
	return Input
}

// IsFinal reports whether state is a final state.
func (m *Machine) IsFinal(state int) bool {
	for _, f := range m.Final {
		if f == state {
			return true
		}
	}
	return false
}

// StateIndex returns the index of the named state, or -1.
func (m *Machine) StateIndex(name string) int { return indexOf(m.States, name) }

// EventIndex returns the index of the named event, or -1.
func (m *Machine) EventIndex(name string) int { return indexOf(m.Events, name) }

// ActionIndex returns the index of the named action, or -1.
func (m *Machine) ActionIndex(name string) int { return indexOf(m.Actions, name) }

// GuardIndex returns the index of the named guard, or -1.
func (m *Machine) GuardIndex(name string) int { return indexOf(m.Guards, name) }

func indexOf(decls []Decl, name string) int {
	for i, d := range decls {
		if d.Name == name {
			return i
		}
	}
	return -1
}

// GuardString formats a guard condition as it is written in a table, for
// example "[passive, !rfc1337]"; it returns "" when the condition is empty.
func (m *Machine) GuardString(require, forbid uint64) string {
	var parts []string
	for i, g := range m.Guards {
		switch {
		case require&(1<<uint(i)) != 0:
			parts = append(parts, g.Name)
		case forbid&(1<<uint(i)) != 0:
			parts = append(parts, "!"+g.Name)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// SetString formats a bit set of declarations as "a|b|c", or "" if empty.
func SetString(decls []Decl, set uint64) string {
	var b strings.Builder
	for i, d := range decls {
		if set&(1<<uint(i)) != 0 {
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(d.Name)
		}
	}
	return b.String()
}
