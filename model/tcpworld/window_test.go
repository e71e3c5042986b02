package tcpworld

import (
	"testing"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// lazyWindow is a small world where the window is smaller than the data
// and the applications read lazily: windows close, zero-window probes
// go, and reads reopen the windows.
func lazyWindow() Config {
	c := clientServer()
	c.Capacity, c.Data, c.Window, c.LazyRead = 2, 2, 1, true
	return c
}

// misbehaving is a small world with a peer that injects crafted segments.
func misbehaving() Config {
	c := clientServer()
	c.Capacity, c.Misbehave = 2, 2
	return c
}

// TestWindowWorlds checks the window worlds completely on the generated
// table: every property holds, the zero window is offered, and the counts
// are those pinned here.
func TestWindowWorlds(t *testing.T) {
	for _, tc := range []struct {
		name        string
		cfg         Config
		states      int
		transitions int64
	}{
		{"lazy-window", lazyWindow(), 572433, 2232355},
		{"misbehave", misbehaving(), 69095, 403698},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := check(t, newSystem(t, tc.cfg))
			if !r.OK() || !r.Complete {
				t.Fatalf("%v", r)
			}
			if r.States != tc.states || r.Transitions != tc.transitions {
				t.Errorf("got %d states, %d transitions; want %d, %d", r.States, r.Transitions, tc.states, tc.transitions)
			}
			for _, p := range r.Properties {
				if p.Kind == model.KindSometimes && (p.Status != model.Holds || p.Path == nil) {
					t.Errorf("%v", p)
				}
			}
			if got := r.Property(PropZeroWindow) != nil; got != tc.cfg.LazyRead {
				t.Errorf("property %q present: %v, want %v", PropZeroWindow, got, tc.cfg.LazyRead)
			}
		})
	}
}

// TestZeroWindowProbe: the lazy world reaches a data segment bound for
// an endpoint whose window is zero (a probe), and a read there reopens
// the window with an update that carries it, without a table step.
func TestZeroWindowProbe(t *testing.T) {
	s := newSystem(t, lazyWindow())
	closedTo := func(w World) (Side, bool) {
		if int(w.n) == s.cfg.Capacity {
			return A, false // no room for the update
		}
		for _, g := range w.net[:w.n] {
			to := g.to()
			if g.length() > 0 && receives(w.ep[to].State()) && w.ep[to].RcvWnd(&s.proto[to]) == 0 && !w.ep[to].FinReceived() {
				return to, true
			}
		}
		return A, false
	}
	w := findPath(t, s, func(w World) bool { _, ok := closedTo(w); return ok }).Last()
	if w.Broken() {
		t.Fatalf("the probe broke the world: %v", w)
	}
	to, _ := closedTo(w)
	next, rep, err := s.Step(w, Action{Kind: Read, Side: to})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Step.Taken || len(rep.Sent) != 1 || rep.Sent[0].Wnd != 1 || rep.Sent[0].Flags != tcpfsm.FlagACK {
		t.Errorf("a read into a closed window: step %+v, sent %v, want a window update of 1 and no step", rep.Step, rep.Sent)
	}
	if next.ep[to].Unread() != 0 || next.ep[to].RcvWnd(&s.proto[to]) != 1 {
		t.Errorf("after the read: %v", next)
	}
	if got := s.InFlight(next); got[len(got)-1].Wnd > 1 {
		t.Errorf("in flight: %v", got)
	}
}

// TestInjectedCaught: an endpoint that takes the data of an ACK too old
// to accept (a table that takes text on seg-bad-ack) is caught by the
// misbehaving peer, and by it alone: the honest world never sends one.
func TestInjectedCaught(t *testing.T) {
	c := misbehaving()
	c.Table = tcptest.Table(t, tcptest.Variant{Name: "bad-ack-takes-text", Mistake: "text with an unacceptable ACK is taken",
		Edits: []tcptest.Edit{tcptest.Replace("ESTABLISHED", "seg-bad-ack", "", "ESTABLISHED seg-bad-ack stay : send-ack take-data")}})
	r := check(t, newSystem(t, c))
	if p := r.Property(PropInjected); p.Status != model.Violated {
		t.Errorf("a crafted old ACK with text taken: %v", r)
	}
	c.Misbehave = 0
	if r := check(t, newSystem(t, c)); !r.OK() {
		t.Errorf("without a misbehaving peer: %v", r)
	}
}

// handshake returns an Endpoint of cfg that took a passive open, the
// SYN and ACK of the peer (ISS 300) and then n bytes of its data.
func handshake(t *testing.T, cfg tcpfsm.Config, n uint32) tcpfsm.Endpoint {
	t.Helper()
	e := tcpfsm.NewEndpoint(cfg)
	var out tcpfsm.Output
	e.OpenPassive(&out)
	e.Segment(tcpfsm.Segment{Flags: tcpfsm.FlagSYN, Seq: 300, Wnd: 10}, &out)
	e.Segment(tcpfsm.Segment{Flags: tcpfsm.FlagACK, Seq: 301, Ack: cfg.ISS + 1, Wnd: 10}, &out)
	if n > 0 {
		e.Segment(tcpfsm.Segment{Flags: tcpfsm.FlagACK, Seq: 301, Ack: cfg.ISS + 1, Len: n, Wnd: 10}, &out)
	}
	if e.State() != tcpfsm.StateEstablished || e.Received() != uint64(n) {
		t.Fatalf("handshake: %v, received %d", &e, e.Received())
	}
	return e
}

// TestWindowFaultCaught: a step that moves the right edge of a receive
// window left, or takes data beyond it, is a FaultWindow; a step that
// fills the window exactly is not.
func TestWindowFaultCaught(t *testing.T) {
	cfg := lazyWindow()
	cfg.Window, cfg.MSS = 2, 2
	s := newSystem(t, cfg)
	ecfg := cfg.endpointConfig(B)
	step := func(old tcpfsm.Endpoint, now tcpfsm.Endpoint, data uint32) Fault {
		var w World
		w.ep[B] = old.Snapshot()
		var out tcpfsm.Output
		if data > 0 {
			out.Tell, out.Data = tcpfsm.TellData, tcpfsm.Range{Len: data}
		}
		s.checkWindow(&w, &now, B, &out)
		return w.fault
	}
	// Honest: 1 byte into a window of 2, then a second into the last one.
	if f := step(handshake(t, ecfg, 0), handshake(t, ecfg, 1), 1); f != NoFault {
		t.Errorf("1 byte into a window of 2: %v", f)
	}
	// Data beyond the edge: from a window of 1, 2 bytes taken (by an
	// endpoint with a bigger buffer).
	big := ecfg
	big.RcvWnd = 4
	if f := step(handshake(t, ecfg, 1), handshake(t, big, 3), 2); f != FaultWindow {
		t.Errorf("2 bytes taken into a window of 1: %v", f)
	}
	// The edge moved left: the same RCV.NXT with a smaller window.
	small := ecfg
	small.RcvWnd = 1
	if f := step(handshake(t, ecfg, 0), handshake(t, small, 0), 0); f != FaultWindow {
		t.Errorf("the right edge moved left by 1: %v", f)
	}
}

// TestZeroWindowNeedsLazyReaders: with endpoints that take data at once
// although the world reads lazily, no zero window is ever offered and
// the example fails.
func TestZeroWindowNeedsLazyReaders(t *testing.T) {
	s := newSystem(t, lazyWindow())
	for side := A; side <= B; side++ {
		ecfg := s.cfg.endpointConfig(side)
		ecfg.Buffered = false
		s.proto[side] = tcpfsm.NewEndpoint(ecfg)
	}
	r := check(t, s)
	if p := r.Property(PropZeroWindow); p == nil || p.Status == model.Holds {
		t.Errorf("endpoints that never fill a buffer: %v", r)
	}
}

// TestWindowCarried: a segment keeps its window as how far it lies below
// the sender's full window, up to maxShrink and only with lazy reads;
// anything else is a segment the world cannot carry.
func TestWindowCarried(t *testing.T) {
	for _, tc := range []struct {
		lazy   bool
		wnd    uint32
		fault  bool
		window uint32
	}{
		{false, 100, false, 100},
		{false, 99, true, 0},
		{false, 101, true, 0},
		{true, 99, false, 99},
		{true, 100 - maxShrink, false, 100 - maxShrink},
		{true, 100 - maxShrink - 1, true, 0},
		{true, 101, true, 0},
	} {
		c := lazyWindow()
		c.Window, c.LazyRead = 100, tc.lazy
		s := newSystem(t, c)
		w := s.Initial()
		e := s.Endpoint(w, A)
		var p pending
		s.send(&w, A, &e, tcpfsm.OutSegment{Segment: tcpfsm.Segment{Flags: tcpfsm.FlagACK, Wnd: tc.wnd}}, &p)
		if got := w.fault == FaultUnmodelled; got != tc.fault {
			t.Errorf("lazy=%v window %d: unmodelled %v, want %v", tc.lazy, tc.wnd, got, tc.fault)
		}
		if !tc.fault && (p.n != 1 || s.segmentOf(p.segs[0]).Wnd != tc.window) {
			t.Errorf("lazy=%v window %d: carried as %v", tc.lazy, tc.wnd, s.segmentOf(p.segs[0]))
		}
	}
}
