package tcpworld

import (
	"fmt"

	"github.com/synfin/synfin/tcpfsm"
)

// Report tells what one step of the world did, for charts and for tests
// that drive the world by hand (see System.Step).
type Report struct {
	Action Action
	// Segment is the segment delivered or copied by a network action.
	Segment Segment
	// Stepped is the endpoint that was called, and Step the table step
	// it took (Step.Taken is false for a loss or a duplication).
	Stepped Side
	Step    tcpfsm.StepInfo
	// Tell and Data are what the endpoint told its application.
	Tell tcpfsm.Tell
	Data tcpfsm.Range
	// Refused: the endpoint refused the application's call (an error row),
	// yet changed or sent something.
	Refused bool
	// Sent are the segments the step put in flight; Lost those the
	// network lost (Action.Lost); Overflow those it sent into a full
	// network, which dropped them.
	Sent, Lost, Overflow []Segment
}

// Step performs a in w like Apply, and also reports what happened.
func (s *System) Step(w World, a Action) (World, Report, error) {
	var rep Report
	if w.broken() {
		return w, rep, errNotEnabled(a, true)
	}
	if !s.apply(&w, a, &rep) {
		return w, rep, errNotEnabled(a, false)
	}
	return w, rep, nil
}

func errNotEnabled(a Action, broken bool) error {
	if broken {
		return fmt.Errorf("tcpworld: %v: the state is broken, nothing is enabled", a)
	}
	return fmt.Errorf("tcpworld: %v is not enabled", a)
}
