package tcpfsm_test

// Copied into tcpfsm/ of a module whose spec/tcp.fsm has the additions of
// tcp.fsm.add, after go generate (TestExtendTable). It shows that the
// generated code, and the Endpoint without an edit, handle a new user
// call, a fourth timer and a new segment event.

import (
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

func TestExtendedKinds(t *testing.T) {
	kinds := []struct {
		ev   Event
		name string
		kind EventKind
	}{
		{EventKeepalive, "keepalive", KindCall},
		{EventTimeoutKeepalive, "timeout-keepalive", KindTimer},
		{EventSegProbe, "seg-probe", KindInput},
	}
	for _, k := range kinds {
		if k.ev.String() != k.name || k.ev.Kind() != k.kind {
			t.Errorf("event %q of kind %v, want %q of kind %v", k.ev, k.ev.Kind(), k.name, k.kind)
		}
	}
	if NumTimers != 4 || TimerEvents[3] != EventTimeoutKeepalive || TimerArms[3] != ActionArmKeepalive {
		t.Fatalf("NumTimers %d, TimerEvents %v, TimerArms %v: want a fourth timer timeout-keepalive armed by arm-keepalive",
			NumTimers, TimerEvents, TimerArms)
	}
	if NumCalls != 6 || CallEvents[5] != EventKeepalive {
		t.Errorf("NumCalls %d, CallEvents %v: want a sixth call, keepalive", NumCalls, CallEvents)
	}
	if s := Timer(3).String(); s != "timeout-keepalive" {
		t.Errorf("Timer(3) is %q, want timeout-keepalive", s)
	}
}

// connect opens a to b (b passive) and carries their segments until both
// are quiet.
func connect(t *testing.T, a, b *Endpoint) {
	var out Output
	a.SetISS(100)
	b.SetISS(300)
	b.OpenPassive(&out)
	a.OpenActive(&out)
	carry(a, b, out.Segments())
	if a.State() != StateEstablished || b.State() != StateEstablished {
		t.Fatalf("after the handshake: %v and %v, want ESTABLISHED", a.State(), b.State())
	}
}

// carry delivers segs from one endpoint to the other, and the answers
// back, until nothing more is sent.
func carry(from, to *Endpoint, segs []OutSegment) {
	for len(segs) > 0 {
		var out Output
		var next []OutSegment
		for _, s := range segs {
			to.Segment(s.Segment, &out)
			next = append(next, out.Segments()...)
		}
		segs, from, to = next, to, from
	}
}

func TestExtendedEndpoint(t *testing.T) {
	var a, b Endpoint
	var out Output
	a.Call(EventKeepalive, &out)
	if out.Err != ErrNoConn {
		t.Fatalf("keepalive in CLOSED: err %v, want %v", out.Err, ErrNoConn)
	}
	connect(t, &a, &b)

	a.Call(EventKeepalive, &out)
	ka := Timer(3)
	if !out.Step.OK || out.Step.Event != EventKeepalive || !a.Armed(ka) || out.Timers[ka].Op != TimerArm {
		t.Fatalf("keepalive in ESTABLISHED: step %+v, timers %v: want it accepted and %v armed", out.Step, out.Timers, ka)
	}

	a.Timeout(ka, &out)
	segs := out.Segments()
	if out.Step.Event != EventTimeoutKeepalive || !out.Step.OK || len(segs) != 1 || segs[0].Flags != FlagACK || !a.Armed(ka) {
		t.Fatalf("keepalive expiry: step %+v, sent %v, armed %v: want one ACK and the timer armed again", out.Step, segs, a.Armed(ka))
	}
	b.Segment(segs[0].Segment, &out)
	if out.Step.Event != EventSegAck || b.State() != StateEstablished {
		t.Fatalf("the probe at the peer: step %+v in %v, want seg-ack in ESTABLISHED", out.Step, b.State())
	}

	a.Close(&out)
	if a.State() != StateFinWait1 || a.Armed(ka) || out.Timers[ka].Op != TimerCancel {
		t.Fatalf("close: %v, %v armed %v (%v): want FIN-WAIT-1 with the timer cancelled", a.State(), ka, a.Armed(ka), out.Timers[ka])
	}
	a.Timeout(ka, &out)
	if out.Step.Taken {
		t.Fatalf("a timeout of a cancelled timer took a step: %+v", out.Step)
	}
}
