package tcpworld

import (
	"testing"

	"github.com/synfin/synfin/tcpfsm"
)

// An action survives its packing into model.Action.Code, a call's event
// included.
func TestActionCode(t *testing.T) {
	for _, a := range []Action{
		{Kind: OpenActive, Side: B},
		{Kind: Timeout, Side: A, Timer: tcpfsm.NumTimers - 1},
		{Kind: Deliver, Side: B, Index: MaxCapacity - 1, Lost: 0b101},
		{Kind: Call, Side: B, Event: tcpfsm.NumEvents - 1, Lost: 1},
	} {
		if got := ActionOf(a.model()); got != a {
			t.Errorf("%v: unpacked as %v", a, got)
		}
	}
	if s := (Action{Kind: Call, Side: A, Event: tcpfsm.EventClose}).String(); s != "A close" {
		t.Errorf("a call reads %q, want %q", s, "A close")
	}
}
