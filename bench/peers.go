package bench

import (
	"context"
	"errors"
	"fmt"

	"github.com/looplab/fsm"
	"github.com/qmuntal/stateless"

	"github.com/synfin/synfin/tcpfsm"
)

// A Machine answers one table event at a time: it moves to the next state
// and reports the actions the row asks for, or refuses the event (an error
// row: the state stays and the actions say why), exactly as tcpfsm.Step
// does. The three implementations below are built from the same rows,
// tcpfsm.Rows, so they are the same machine.
type Machine interface {
	// Fire decides event e under guards g.
	Fire(e tcpfsm.Event, g tcpfsm.Guards) (act tcpfsm.Actions, ok bool)
	// State returns the current state.
	State() tcpfsm.State
	// Reset puts the machine in state s without deciding anything.
	Reset(s tcpfsm.State)
}

// guardSets is the number of values a tcpfsm.Guards can take.
const guardSets = 1 << tcpfsm.NumGuards

// matches reports whether guards g satisfy row r.
func matches(r *tcpfsm.Row, g tcpfsm.Guards) bool {
	return g&r.Require == r.Require && g&r.Forbid == 0
}

// target is where row r leads from state s: its To for a goto row, s for
// the others (stay, ignore and error rows leave the state alone).
func target(r *tcpfsm.Row, s tcpfsm.State) tcpfsm.State {
	if r.Outcome == tcpfsm.OutcomeGoto {
		return r.To
	}
	return s
}

// errRefused is how the peers refuse an event that an error row decides.
var errRefused = errors.New("bench: refused by an error row")

// ---------------------------------------------------------------------------
// synfin

// Synfin is the generated machine: the state is a variable and tcpfsm.Step
// decides. It exists so that the tests can drive all three through one
// interface; the benchmarks call tcpfsm.Step directly.
type Synfin struct{ state tcpfsm.State }

// NewSynfin returns the generated machine in its initial state.
func NewSynfin() *Synfin { return &Synfin{state: tcpfsm.InitialState} }

// Fire implements Machine.
func (m *Synfin) Fire(e tcpfsm.Event, g tcpfsm.Guards) (tcpfsm.Actions, bool) {
	next, act, ok := tcpfsm.Step(m.state, e, g)
	m.state = next
	return act, ok
}

// State implements Machine.
func (m *Synfin) State() tcpfsm.State { return m.state }

// Reset implements Machine.
func (m *Synfin) Reset(s tcpfsm.State) { m.state = s }

// ---------------------------------------------------------------------------
// looplab/fsm

// Looplab is the table as a github.com/looplab/fsm machine. States and
// events are named by their table spellings ("SYN-SENT", "seg-ack").
//
// looplab/fsm maps (event, source state) to one destination and has no
// guards. So an event that some row guards is split into one looplab event
// per value of the guard set, named like "send[full]" or "seg-rst[]", and
// each row is registered under the names whose guards it accepts; Fire
// picks the name from a table built here, without building strings. Stay
// and ignore rows are transitions to the same state (looplab reports them
// as NoTransitionError, which Fire takes as success). Error rows are
// transitions to the same state too, which a before_event callback cancels.
// That callback, the one place looplab calls for every event, also reports
// the row's actions: looplab has no per-transition data, so it looks them
// up by source state and event name in a map built from the rows.
type Looplab struct {
	fsm   *fsm.FSM
	names [tcpfsm.NumEvents][guardSets]string
	rows  map[looplabKey]looplabRow
	state map[string]tcpfsm.State
	act   tcpfsm.Actions
}

type looplabKey struct{ src, event string }

type looplabRow struct {
	act    tcpfsm.Actions
	refuse bool
}

// NewLooplab builds the looplab/fsm machine from tcpfsm.Rows, in the
// initial state.
func NewLooplab() (*Looplab, error) {
	m := &Looplab{
		rows:  make(map[looplabKey]looplabRow),
		state: make(map[string]tcpfsm.State, tcpfsm.NumStates),
	}
	for s := range tcpfsm.State(tcpfsm.NumStates) {
		m.state[s.String()] = s
	}
	var guarded [tcpfsm.NumEvents]bool
	for i := range tcpfsm.Rows {
		r := &tcpfsm.Rows[i]
		if r.Require|r.Forbid != 0 {
			guarded[r.Event] = true
		}
	}
	for e := range tcpfsm.Event(tcpfsm.NumEvents) {
		for g := range tcpfsm.Guards(guardSets) {
			if guarded[e] {
				m.names[e][g] = e.String() + "[" + g.String() + "]"
			} else {
				m.names[e][g] = e.String()
			}
		}
	}

	var events fsm.Events
	for i := range tcpfsm.Rows {
		r := &tcpfsm.Rows[i]
		for _, s := range r.From {
			for g := range tcpfsm.Guards(guardSets) {
				if !matches(r, g) || (!guarded[r.Event] && g != 0) {
					continue
				}
				k := looplabKey{s.String(), m.names[r.Event][g]}
				if _, dup := m.rows[k]; dup {
					return nil, fmt.Errorf("bench: looplab: %s on %s decided twice (tcp.fsm:%d)", k.event, k.src, r.Line)
				}
				m.rows[k] = looplabRow{act: r.Actions, refuse: r.Outcome == tcpfsm.OutcomeError}
				events = append(events, fsm.EventDesc{Name: k.event, Src: []string{k.src}, Dst: target(r, s).String()})
			}
		}
	}
	m.fsm = fsm.NewFSM(tcpfsm.InitialState.String(), events, fsm.Callbacks{
		"before_event": func(_ context.Context, e *fsm.Event) {
			r := m.rows[looplabKey{e.Src, e.Event}]
			m.act = r.act
			if r.refuse {
				e.Cancel(errRefused)
			}
		},
	})
	return m, nil
}

// Fire implements Machine.
func (m *Looplab) Fire(e tcpfsm.Event, g tcpfsm.Guards) (tcpfsm.Actions, bool) {
	m.act = 0
	err := m.fsm.Event(context.Background(), m.names[e][g&(guardSets-1)])
	switch err.(type) {
	case nil, fsm.NoTransitionError:
		return m.act, true
	case fsm.CanceledError:
		return m.act, false
	}
	return 0, false
}

// State implements Machine.
func (m *Looplab) State() tcpfsm.State { return m.state[m.fsm.Current()] }

// Reset implements Machine.
func (m *Looplab) Reset(s tcpfsm.State) { m.fsm.SetState(s.String()) }

// ---------------------------------------------------------------------------
// qmuntal/stateless

// Stateless is the table as a github.com/qmuntal/stateless machine, with
// tcpfsm.State values as its states and tcpfsm.Event values as its
// triggers (small integers, which an interface holds without allocating).
// The state is kept here (external storage), and the machine fires in
// FiringImmediate mode: this is single-goroutine use, and the mode skips
// the queue of the default one.
//
// Every row becomes one trigger behaviour of each of its source states,
// with one guard function when the row has guards: it reads the guard set
// that Fire stored, so nothing is passed through Fire's variadic
// arguments. Goto rows are Permit, stay rows InternalTransition whose
// action reports the row's actions, ignore rows Ignore, and error rows an
// InternalTransition whose action reports the actions and returns an error,
// which Fire passes back. Permit has no per-transition action, so the
// actions of goto rows are reported by an OnTransitioned callback from an
// array indexed by source, trigger and destination, built from the rows.
type Stateless struct {
	sm    *stateless.StateMachine
	state tcpfsm.State
	g     tcpfsm.Guards
	act   tcpfsm.Actions
	moves [tcpfsm.NumStates][tcpfsm.NumEvents][tcpfsm.NumStates]tcpfsm.Actions
}

// NewStateless builds the qmuntal/stateless machine from tcpfsm.Rows, in
// the initial state.
func NewStateless() (*Stateless, error) {
	m := &Stateless{state: tcpfsm.InitialState}
	m.sm = stateless.NewStateMachineWithExternalStorage(
		func(context.Context) (stateless.State, error) { return m.state, nil },
		func(_ context.Context, s stateless.State) error { m.state = s.(tcpfsm.State); return nil },
		stateless.FiringImmediate)
	var moved [tcpfsm.NumStates][tcpfsm.NumEvents][tcpfsm.NumStates]bool
	for i := range tcpfsm.Rows {
		r := &tcpfsm.Rows[i]
		var guards []stateless.GuardFunc
		if req, forbid := r.Require, r.Forbid; req|forbid != 0 {
			guards = append(guards, func(context.Context, ...any) bool {
				return m.g&req == req && m.g&forbid == 0
			})
		}
		act := r.Actions
		for _, s := range r.From {
			c := m.sm.Configure(s)
			switch r.Outcome {
			case tcpfsm.OutcomeGoto:
				if r.To == s {
					return nil, fmt.Errorf("bench: stateless: tcp.fsm:%d goes from %s to itself", r.Line, s)
				}
				if moved[s][r.Event][r.To] {
					return nil, fmt.Errorf("bench: stateless: %s on %s to %s decided twice (tcp.fsm:%d)", r.Event, s, r.To, r.Line)
				}
				moved[s][r.Event][r.To] = true
				m.moves[s][r.Event][r.To] = act
				c.Permit(r.Event, r.To, guards...)
			case tcpfsm.OutcomeStay:
				c.InternalTransition(r.Event, func(context.Context, ...any) error {
					m.act = act
					return nil
				}, guards...)
			case tcpfsm.OutcomeIgnore:
				c.Ignore(r.Event, guards...)
			case tcpfsm.OutcomeError:
				c.InternalTransition(r.Event, func(context.Context, ...any) error {
					m.act = act
					return errRefused
				}, guards...)
			}
		}
	}
	m.sm.OnTransitioned(func(_ context.Context, t stateless.Transition) {
		m.act = m.moves[t.Source.(tcpfsm.State)][t.Trigger.(tcpfsm.Event)][t.Destination.(tcpfsm.State)]
	})
	return m, nil
}

// Fire implements Machine.
func (m *Stateless) Fire(e tcpfsm.Event, g tcpfsm.Guards) (tcpfsm.Actions, bool) {
	m.g, m.act = g, 0
	if err := m.sm.Fire(e); err != nil {
		if err == errRefused {
			return m.act, false
		}
		return 0, false
	}
	return m.act, true
}

// State implements Machine.
func (m *Stateless) State() tcpfsm.State { return m.state }

// Reset implements Machine.
func (m *Stateless) Reset(s tcpfsm.State) { m.state = s }
