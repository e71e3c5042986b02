package tcpworld_test

// Copied into model/tcpworld of a module whose spec/tcp.fsm has the
// additions of tcp.fsm.add (TestExtendTable in tcpfsm): the world makes
// the new call and fires the fourth timer without an edit, and the checker
// still proves every property.

import (
	"testing"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
)

func TestExtendedWorld(t *testing.T) {
	cfg := tcpworld.DefaultConfig()
	cfg.Data, cfg.Capacity = 0, 2
	sys, err := tcpworld.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	keepalive := tcpfsm.Timer(3)
	props := append(sys.Properties(),
		model.Sometimes("keepalive armed", func(w tcpworld.World) bool {
			a, b := w.Snapshot(tcpworld.A), w.Snapshot(tcpworld.B)
			return a.Armed(keepalive) || b.Armed(keepalive)
		}))
	r, err := model.Check[tcpworld.World](sys, tcpworld.Options(model.Options[tcpworld.World]{}), props...)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || !r.Complete {
		t.Fatalf("the extended world: %v", r)
	}
	if p := r.Property(tcpworld.PropBothClosed); p == nil || p.Status != model.Holds {
		t.Fatalf("liveness with the keepalive timer: %v", p)
	}
	path := r.Property("keepalive armed").Path
	called, fired := false, false
	for _, st := range path.Steps {
		a := tcpworld.ActionOf(st.Action)
		called = called || a.Kind == tcpworld.Call && a.Event == tcpfsm.EventKeepalive
	}
	// Where the timer runs, the world offers its expiry.
	w := path.Last()
	for _, a := range sys.Actions(w) {
		if a.Kind == tcpworld.Timeout && a.Timer == keepalive {
			if _, err := sys.Apply(w, a); err != nil {
				t.Fatalf("%v: %v", a, err)
			}
			fired = true
		}
	}
	if !called || !fired {
		t.Errorf("keepalive called on the way to its timer: %v; its expiry offered: %v", called, fired)
	}
}
