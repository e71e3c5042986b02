package tcpworld

import (
	"fmt"
	"slices"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm"
)

// ActionKind is the kind of an Action.
type ActionKind uint8

// The kinds of action. The world enumerates the applications' calls
// first (OpenActive to Abort, then Call), then timers, then the network.
// There is no "lose" action: a loss is decided as a segment is sent
// (Action.Lost).
const (
	// An application's active OPEN.
	OpenActive ActionKind = iota + 1
	// An application's passive OPEN.
	OpenPassive
	// An application's SEND of the next chunk of its data.
	Send
	// An application's CLOSE.
	Close
	// An application's ABORT.
	Abort
	// An armed timer of an endpoint runs out.
	Timeout
	// The network delivers a segment in flight.
	Deliver
	// The network copies a segment in flight.
	Duplicate
	// An application's call that the table declares beyond the five
	// above (Action.Event); the world offers it to an open application
	// as often as it likes, as it offers ABORT.
	Call
	// An application reads the next chunk of the data its endpoint holds
	// for it (Config.LazyRead).
	Read
	// A misbehaving peer injects a crafted segment (Config.Misbehave):
	// Action.Index picks it from the list crafted makes.
	Inject
	numKinds
)

var kindNames = [...]string{
	OpenActive:  "open-active",
	OpenPassive: "open-passive",
	Send:        "send",
	Close:       "close",
	Abort:       "abort",
	Timeout:     "timeout",
	Deliver:     "deliver",
	Duplicate:   "duplicate",
	Call:        "call",
	Read:        "read",
	Inject:      "inject",
}

func (k ActionKind) String() string {
	if k > 0 && k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("ActionKind(%d)", k)
}

// User reports whether k is an application's call.
func (k ActionKind) User() bool { return k >= OpenActive && k <= Abort || k == Call || k == Read }

// Network reports whether k is the network's doing (a misbehaving peer's
// injection counts as the network's).
func (k ActionKind) Network() bool { return k == Deliver || k == Duplicate || k == Inject }

// Action is one thing that may happen in the world.
type Action struct {
	Kind ActionKind
	// Side is the application or endpoint that acts; for a network
	// action, the side the segment is bound for.
	Side Side
	// Timer is the timer that runs out (Timeout).
	Timer tcpfsm.Timer
	// Event is the call's event (Call).
	Event tcpfsm.Event
	// Index is a network action's segment: its position in
	// System.InFlight of the state the action is taken in.
	Index int
	// Lost says which of the segments the step sends the network loses:
	// bit i for the i-th. The world decides a segment's loss when it is
	// sent (see the package documentation); 0 when Config.Loss is off.
	Lost uint16
}

// String is a short description, such as "A close", "B timeout
// retransmission" or "deliver #1 to B".
func (a Action) String() string {
	var s string
	switch {
	case a.Kind == Timeout:
		s = fmt.Sprintf("%v timeout %v", a.Side, a.Timer)
	case a.Kind == Call:
		s = fmt.Sprintf("%v %v", a.Side, a.Event)
	case a.Kind.Network():
		s = fmt.Sprintf("%v #%d to %v", a.Kind, a.Index, a.Side)
	default:
		s = fmt.Sprintf("%v %v", a.Side, a.Kind)
	}
	if a.Lost != 0 {
		s += fmt.Sprintf(" lost=%#b", a.Lost)
	}
	return s
}

// The weak-fairness classes (model.Action.Fairness). Applications
// eventually open and, once open, eventually close; an armed timer that
// stays able to run out eventually does; a segment the network has not
// lost does not stay in flight for ever (the network may still lose
// anything: a loss is decided when a segment is sent); an application
// that has data to read eventually reads it. SEND, ABORT, duplication and
// injection are never forced.
const (
	fairOpen    = 1                              // + side
	fairClose   = 3                              // + side
	fairTimer   = 5                              // + NumTimers*side + timer
	fairDeliver = fairTimer + 2*tcpfsm.NumTimers // + destination
	fairRead    = fairDeliver + 2                // + side
	numFairness = fairRead + 2
)

// Fairness returns the weak-fairness class of a, 0 for none.
func (a Action) Fairness() uint8 {
	switch a.Kind {
	case OpenActive, OpenPassive:
		return fairOpen + uint8(a.Side)
	case Close:
		return fairClose + uint8(a.Side)
	case Timeout:
		return fairTimer + tcpfsm.NumTimers*uint8(a.Side) + uint8(a.Timer)
	case Deliver:
		return fairDeliver + uint8(a.Side)
	case Read:
		return fairRead + uint8(a.Side)
	}
	return 0
}

// timerMask is the field of a timer in an action's code: bits 5 to 7 hold
// any of the Endpoint's timers (at most 8: they are bits of a uint8).
const timerMask = 7

// Code packs a into model.Action.Code: kind (4 bits), side (1), timer (3),
// index (8; a call's event in its place) and losses (16).
func (a Action) Code() uint32 {
	index := uint32(a.Index & 0xFF)
	if a.Kind == Call {
		index = uint32(a.Event)
	}
	return uint32(a.Kind) | uint32(a.Side&1)<<4 | uint32(a.Timer&timerMask)<<5 | index<<8 | uint32(a.Lost)<<16
}

// ActionOf unpacks a model.Action made by the world.
func ActionOf(m model.Action) Action {
	c := m.Code
	a := Action{Kind: ActionKind(c & 15), Side: Side(c >> 4 & 1), Timer: tcpfsm.Timer(c >> 5 & timerMask), Index: int(c >> 8 & 0xFF), Lost: uint16(c >> 16)}
	if a.Kind == Call {
		a.Event, a.Index = tcpfsm.Event(a.Index), 0
	}
	return a
}

// model is a as a model.Action. An ABORT is optional: it never has to
// happen, so a state where it is the only thing left is still terminal.
func (a Action) model() model.Action {
	return model.Action{Code: a.Code(), Fairness: a.Fairness(), Optional: a.Kind == Abort}
}

// tableCalls are the user calls the table declares beyond OPEN, SEND,
// CLOSE and ABORT, which the world makes as Call actions.
var tableCalls = func() (calls []tcpfsm.Event) {
	for _, ev := range tcpfsm.CallEvents {
		switch ev {
		case tcpfsm.EventOpenActive, tcpfsm.EventOpenPassive, tcpfsm.EventSend, tcpfsm.EventClose, tcpfsm.EventAbort:
		default:
			calls = append(calls, ev)
		}
	}
	return calls
}()

// isTableCall reports whether ev is one of tableCalls.
func isTableCall(ev tcpfsm.Event) bool { return slices.Contains(tableCalls, ev) }
