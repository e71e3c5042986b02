package tcpfsm

import (
	"errors"
	"fmt"

	"github.com/synfin/synfin/spec"
)

// Table is a variant of the TCP table: a spec.Machine with the same
// vocabulary as spec/tcp.fsm (rows changed, added, removed or reordered)
// that an Endpoint can step through instead of the generated code (see
// Endpoint.UseTable). The model checker uses it to check edited tables
// without generating code.
//
// A Table is immutable once made and may be shared by many Endpoints and
// goroutines.
type Table struct {
	m *spec.Machine

	stateToSpec   [NumStates]int // -1: the variant has no such state
	eventToSpec   [NumEvents]int
	guardToSpec   [NumGuards]uint64 // the spec guard bit, 0 if absent
	stateFromSpec []State           // by spec state index
	rowActions    []Actions         // by row index: the actions in generated bits
}

// NewTable maps the machine m onto the Endpoint's vocabulary by name. It is
// an error, naming each offender, if m declares a state, event, action or
// guard that the generated table does not have, if it lacks one of the
// events (the Endpoint produces them all) or the state CLOSED, or if its
// initial state is not CLOSED. m may leave out states, actions and guards
// that its rows do not need.
func NewTable(m *spec.Machine) (*Table, error) {
	if m == nil {
		return nil, errors.New("tcpfsm: NewTable: nil machine")
	}
	t := &Table{
		m:             m,
		stateFromSpec: make([]State, len(m.States)),
		rowActions:    make([]Actions, len(m.Rows)),
	}
	var errs []error
	bad := func(d spec.Decl, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%v: %s", d.Pos, fmt.Sprintf(format, args...)))
	}
	for i := range t.stateToSpec {
		t.stateToSpec[i] = -1
	}
	for i := range t.eventToSpec {
		t.eventToSpec[i] = -1
	}

	for i, d := range m.States {
		s, ok := stateByName(d.Name)
		if !ok {
			bad(d, "unknown state %q", d.Name)
			continue
		}
		t.stateFromSpec[i] = s
		t.stateToSpec[s] = i
	}
	for i, d := range m.Events {
		ev, ok := eventByName(d.Name)
		if !ok {
			bad(d, "unknown event %q", d.Name)
			continue
		}
		t.eventToSpec[ev] = i
	}
	actionFromSpec := make([]Actions, len(m.Actions))
	for i, d := range m.Actions {
		a, ok := actionByName(d.Name)
		if !ok {
			bad(d, "unknown action %q", d.Name)
			continue
		}
		actionFromSpec[i] = a
	}
	for i, d := range m.Guards {
		g, ok := guardByName(d.Name)
		if !ok {
			bad(d, "unknown guard %q", d.Name)
			continue
		}
		for b := 0; b < NumGuards; b++ {
			if g == 1<<b {
				t.guardToSpec[b] = 1 << i
			}
		}
	}

	where := spec.Pos{File: m.File}
	if t.stateToSpec[StateClosed] < 0 {
		errs = append(errs, fmt.Errorf("%v: missing state %q", where, StateClosed))
	} else if m.Initial != t.stateToSpec[StateClosed] {
		errs = append(errs, fmt.Errorf("%v: initial state is %q, want %q", where, m.States[m.Initial].Name, StateClosed))
	}
	for ev := Event(0); ev < NumEvents; ev++ {
		if t.eventToSpec[ev] < 0 {
			errs = append(errs, fmt.Errorf("%v: missing event %q", where, ev))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("tcpfsm: table %s does not fit the endpoint:\n%w", m.Name, errors.Join(errs...))
	}

	for i := range m.Rows {
		r := &m.Rows[i]
		for _, a := range r.Actions {
			t.rowActions[i] |= actionFromSpec[a]
		}
	}
	if !m.Indexed() {
		return nil, fmt.Errorf("tcpfsm: table %s is not indexed: call its Index method after changing its rows", m.Name)
	}
	return t, nil
}

// Machine returns the machine the table was made from.
func (t *Table) Machine() *spec.Machine { return t.m }

// step decides event ev in state s under guards g, like the generated Match
// and Step together.
func (t *Table) step(s State, ev Event, g Guards) (row int, next State, act Actions, ok bool) {
	si, ei := t.stateToSpec[s], t.eventToSpec[ev]
	var sg uint64
	for b := 0; b < NumGuards; b++ {
		if g&(1<<b) != 0 {
			sg |= t.guardToSpec[b]
		}
	}
	row, to, acts, ok := t.m.Decide(si, ei, sg)
	if row < 0 {
		return -1, s, 0, false
	}
	if acts != 0 {
		act = t.rowActions[row]
	}
	return row, t.stateFromSpec[to], act, ok
}

func stateByName(name string) (State, bool) {
	for s := State(0); s < NumStates; s++ {
		if s.String() == name {
			return s, true
		}
	}
	return 0, false
}

func eventByName(name string) (Event, bool) {
	for e := Event(0); e < NumEvents; e++ {
		if e.String() == name {
			return e, true
		}
	}
	return 0, false
}

func actionByName(name string) (Actions, bool) {
	for i := 0; i < NumActions; i++ {
		if a := Actions(1) << i; a.String() == name {
			return a, true
		}
	}
	return 0, false
}

func guardByName(name string) (Guards, bool) {
	for i := 0; i < NumGuards; i++ {
		if g := Guards(1) << i; g.String() == name {
			return g, true
		}
	}
	return 0, false
}
