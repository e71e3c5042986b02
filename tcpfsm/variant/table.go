package variant

import (
	"errors"
	"fmt"

	"github.com/synfin/synfin/spec"
	"github.com/synfin/synfin/tcpfsm"
)

// interp steps an Endpoint through a spec.Machine: it maps the Endpoint's
// states, events, guards and actions onto the machine's by name and asks
// the machine's interpreter (spec.Machine.Decide) for each step. It is
// immutable once made, so one may be shared by many Endpoints and
// goroutines.
type interp struct {
	m *spec.Machine

	stateToSpec   [tcpfsm.NumStates]int // -1: the variant has no such state
	eventToSpec   [tcpfsm.NumEvents]int
	guardToSpec   [tcpfsm.NumGuards]uint64 // the spec guard bit, 0 if absent
	stateFromSpec []tcpfsm.State           // by spec state index
	rowActions    []tcpfsm.Actions         // by row index: the actions in generated bits
}

// NewTable maps the machine m onto the Endpoint's vocabulary by name and
// returns the table an Endpoint steps through with the interpreter
// (tcpfsm.Endpoint.UseTable), a variant of spec/tcp.fsm that the model
// checker can check without generating code. It is an error, naming each
// offender, if m declares a state, event, action or guard that the
// generated table does not have, if it lacks one of the events (the
// Endpoint produces them all) or the state CLOSED, or if its initial state
// is not CLOSED. m may leave out states, actions and guards that its rows
// do not need.
func NewTable(m *spec.Machine) (*tcpfsm.Table, error) {
	if m == nil {
		return nil, errors.New("tcpfsm: NewTable: nil machine")
	}
	t := &interp{
		m:             m,
		stateFromSpec: make([]tcpfsm.State, len(m.States)),
		rowActions:    make([]tcpfsm.Actions, len(m.Rows)),
	}
	actionFromSpec, errs := t.mapNames()
	errs = append(errs, t.missing()...)
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
	return tcpfsm.TableOf(t), nil
}

// mapNames maps the states, events and guards of t.m onto the Endpoint's
// by name, and returns the Endpoint's action for each of the machine's
// actions, with an error for each declaration the Endpoint has no name for.
func (t *interp) mapNames() (actionFromSpec []tcpfsm.Actions, errs []error) {
	m := t.m
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
	actionFromSpec = make([]tcpfsm.Actions, len(m.Actions))
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
		for b := 0; b < tcpfsm.NumGuards; b++ {
			if g == 1<<b {
				t.guardToSpec[b] = 1 << i
			}
		}
	}
	return actionFromSpec, errs
}

// missing returns an error for the state CLOSED if t.m lacks it or does not
// start in it, and one for each event of the Endpoint that t.m lacks.
func (t *interp) missing() []error {
	var errs []error
	m := t.m
	where := spec.Pos{File: m.File}
	if t.stateToSpec[tcpfsm.StateClosed] < 0 {
		errs = append(errs, fmt.Errorf("%v: missing state %q", where, tcpfsm.StateClosed))
	} else if m.Initial != t.stateToSpec[tcpfsm.StateClosed] {
		errs = append(errs, fmt.Errorf("%v: initial state is %q, want %q", where, m.States[m.Initial].Name, tcpfsm.StateClosed))
	}
	for ev := tcpfsm.Event(0); ev < tcpfsm.NumEvents; ev++ {
		if t.eventToSpec[ev] < 0 {
			errs = append(errs, fmt.Errorf("%v: missing event %q", where, ev))
		}
	}
	return errs
}

// Machine returns the machine the table t was made from by NewTable, or
// nil if t is nil or was not made by NewTable.
func Machine(t *tcpfsm.Table) *spec.Machine {
	if t == nil {
		return nil
	}
	if in, ok := t.Rules().(*interp); ok {
		return in.m
	}
	return nil
}

// Decide decides event ev in state s under guards g, like the generated
// Match and Step together (tcpfsm.Rules).
func (t *interp) Decide(s tcpfsm.State, ev tcpfsm.Event, g tcpfsm.Guards) (row int, next tcpfsm.State, act tcpfsm.Actions, ok bool) {
	si, ei := t.stateToSpec[s], t.eventToSpec[ev]
	var sg uint64
	for b := 0; b < tcpfsm.NumGuards; b++ {
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

func stateByName(name string) (tcpfsm.State, bool) {
	for s := tcpfsm.State(0); s < tcpfsm.NumStates; s++ {
		if s.String() == name {
			return s, true
		}
	}
	return 0, false
}

func eventByName(name string) (tcpfsm.Event, bool) {
	for e := tcpfsm.Event(0); e < tcpfsm.NumEvents; e++ {
		if e.String() == name {
			return e, true
		}
	}
	return 0, false
}

func actionByName(name string) (tcpfsm.Actions, bool) {
	for i := 0; i < tcpfsm.NumActions; i++ {
		if a := tcpfsm.Actions(1) << i; a.String() == name {
			return a, true
		}
	}
	return 0, false
}

func guardByName(name string) (tcpfsm.Guards, bool) {
	for i := 0; i < tcpfsm.NumGuards; i++ {
		if g := tcpfsm.Guards(1) << i; g.String() == name {
			return g, true
		}
	}
	return 0, false
}
