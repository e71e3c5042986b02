package tcpfsm_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/synfin/synfin/tcpfsm"
)

// Call with a call's event is that call's method: the same state, step,
// segments and answer, on endpoints that start alike.
func TestCallIsTheMethod(t *testing.T) {
	methods := []struct {
		ev   Event
		call func(*Endpoint, *Output)
	}{
		{EventOpenPassive, (*Endpoint).OpenPassive},
		{EventOpenActive, (*Endpoint).OpenActive},
		{EventSend, func(e *Endpoint, out *Output) { e.Send(0, out) }},
		{EventClose, (*Endpoint).Close},
		{EventAbort, (*Endpoint).Abort},
	}
	starts := []struct {
		name  string
		setup func(*Endpoint, *Output)
	}{
		{"closed", func(*Endpoint, *Output) {}},
		{"listen", (*Endpoint).OpenPassive},
		{"syn-sent", (*Endpoint).OpenActive},
	}
	for _, st := range starts {
		for _, m := range methods {
			var viaMethod, viaCall Endpoint
			var a, b Output
			for _, e := range []*Endpoint{&viaMethod, &viaCall} {
				e.SetISS(100)
				st.setup(e, &a)
			}
			m.call(&viaMethod, &a)
			viaCall.Call(m.ev, &b)
			if viaMethod != viaCall {
				t.Errorf("%s, %v: Call left %v, the method %v", st.name, m.ev, viaCall.State(), viaMethod.State())
			}
			if a.Step != b.Step || a.Err != b.Err || a.Tell != b.Tell {
				t.Errorf("%s, %v: Call gave step %+v err %v tell %v, the method %+v %v %v", st.name, m.ev, b.Step, b.Err, b.Tell, a.Step, a.Err, a.Tell)
			}
			if d := cmp.Diff(a.Segments(), b.Segments()); d != "" {
				t.Errorf("%s, %v: segments differ (-method +Call):\n%s", st.name, m.ev, d)
			}
		}
	}
}

// Call refuses what is not a user call, and takes no step.
func TestCallRefusesOtherKinds(t *testing.T) {
	for ev := Event(0); ev <= NumEvents; ev++ {
		if ev.Kind() == KindCall {
			continue
		}
		var e Endpoint
		e.OpenPassive(new(Output))
		before := e
		var out Output
		e.Call(ev, &out)
		if out.Err != ErrNotCall || out.Step.Taken || e != before {
			t.Errorf("Call(%v): err %v, step taken %v, state %v; want ErrNotCall, no step, LISTEN unchanged", ev, out.Err, out.Step.Taken, e.State())
		}
	}
}
