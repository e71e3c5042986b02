package tcpworld

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// Configurations small enough to explore in a test.
func lossless() Config {
	return Config{Capacity: 3, Retries: 1, Data: 1, MSS: 1, ISS: [2]tcpfsm.Seq{WrapISSA, WrapISSB}}
}

func clientServer() Config {
	c := lossless()
	c.Open, c.ISS = OpenClientServer, [2]tcpfsm.Seq{100, 300}
	return c
}

// faultySmall has every fault on but no data and room for two segments.
func faultySmall() Config {
	c := DefaultConfig()
	c.Data, c.Capacity = 0, 2
	return c
}

func faultyData() Config {
	c := DefaultConfig()
	c.Capacity, c.Dup = 2, 0
	return c
}

func newSystem(t testing.TB, c Config) *System {
	t.Helper()
	s, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func check(t testing.TB, s *System) *model.Result[World] {
	t.Helper()
	r, err := s.Check(model.Options[World]{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestWorlds checks small worlds completely: every property holds, every
// example is reached, and the counts are those pinned here (they change
// when the table, the Endpoint or the world changes; check the new ones
// make sense and update them).
func TestWorlds(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		cfg                    Config
		states                 int
		transitions            int64
		depth, terminal        int
		simultaneous, dataSeen bool
	}{
		{"lossless-fifo", lossless(), 157929, 470021, 24, 76, true, true},
		{"client-server", clientServer(), 83713, 236869, 25, 74, false, true},
		{"faults-no-data", faultySmall(), 29356, 129545, 18, 24, true, false},
		{"faults-data", faultyData(), 153568, 724490, 21, 76, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSystem(t, tc.cfg)
			r := check(t, s)
			if !r.OK() || !r.Complete {
				t.Fatalf("%v", r)
			}
			if r.States != tc.states || r.Transitions != tc.transitions || r.MaxDepth != tc.depth || r.Terminal != tc.terminal {
				t.Errorf("got %d states, %d transitions, depth %d, %d terminal; want %d, %d, %d, %d",
					r.States, r.Transitions, r.MaxDepth, r.Terminal, tc.states, tc.transitions, tc.depth, tc.terminal)
			}
			if got := r.Property(PropSimultaneous) != nil; got != tc.simultaneous {
				t.Errorf("property %q present: %v, want %v", PropSimultaneous, got, tc.simultaneous)
			}
			if got := r.Property(PropDataArrived) != nil; got != tc.dataSeen {
				t.Errorf("property %q present: %v, want %v", PropDataArrived, got, tc.dataSeen)
			}
			for _, p := range r.Properties {
				if p.Kind == model.KindSometimes && (p.Status != model.Holds || p.Path == nil) {
					t.Errorf("%v", p)
				}
			}
		})
	}
}

// explore visits every state of s (a small world) breadth-first and calls
// f on each.
func explore(t *testing.T, s *System, f func(w World)) int {
	t.Helper()
	seen := map[World]bool{}
	var queue []World
	s.Init(func(w World) {
		if !seen[w] {
			seen[w] = true
			queue = append(queue, w)
		}
	})
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		f(w)
		s.Next(w, func(_ model.Action, n World) {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		})
		if len(seen) > 1_000_000 {
			t.Fatal("world too large for explore")
		}
	}
	return len(seen)
}

// TestActionsAgreeWithNext: Actions lists what Next yields, in the same
// order, Apply reaches the same states, Code round-trips, and what is not
// enabled is refused.
func TestActionsAgreeWithNext(t *testing.T) {
	for _, cfg := range []Config{faultySmall(), func() Config { c := faultySmall(); c.Abort, c.Reorder, c.Loss = true, false, false; return c }()} {
		s := newSystem(t, cfg)
		n := explore(t, s, func(w World) {
			acts := s.Actions(w)
			i := 0
			s.Next(w, func(m model.Action, next World) {
				if i >= len(acts) {
					t.Fatalf("Next yields more than Actions (%d)", len(acts))
				}
				a := acts[i]
				if ActionOf(m) != a || m.Code != a.Code() || m.Fairness != a.Fairness() || m.Optional != (a.Kind == Abort) {
					t.Fatalf("action %d: Next %v, Actions %v", i, ActionOf(m), a)
				}
				got, err := s.Apply(w, a)
				if err != nil || got != next {
					t.Fatalf("Apply(%v) = %v, %v; Next gave %v", a, got, err, next)
				}
				i++
			})
			if i != len(acts) {
				t.Fatalf("Next yields %d, Actions %d", i, len(acts))
			}
			for _, a := range []Action{{Kind: Deliver, Index: int(w.n)}, {Kind: numKinds}, {Kind: Send, Side: 2}, {Kind: Timeout, Timer: tcpfsm.NumTimers}} {
				if _, err := s.Apply(w, a); err == nil {
					t.Fatalf("Apply(%v) in %v succeeded", a, w)
				}
			}
		})
		if n < 1000 {
			t.Fatalf("only %d states", n)
		}
	}
}

// TestLossChoicesDistinct: Next leaves out only the loss choices that
// repeat an earlier choice of the same step (a lost segment that a full
// network would have dropped anyway): it yields every state that some
// choice leads to, with the step's fairness class, and never one state
// twice for one step.
func TestLossChoicesDistinct(t *testing.T) {
	type edge struct {
		fair uint8
		to   World
	}
	s := newSystem(t, faultySmall())
	dropped := 0
	explore(t, s, func(w World) {
		// Every choice, as a step and a loss pattern: the segments not
		// lost enter the network while it has room.
		all := map[edge]bool{}
		choices := 0
		for a, st := range s.enabledSteps(&w) {
			u, p := &st.w, &st.p
			for lost := range 1 << p.n {
				if lost != 0 && !s.cfg.Loss {
					break
				}
				v := *u
				for i, g := range p.segs[:p.n] {
					if lost&(1<<i) == 0 && int(v.n) < s.cfg.Capacity {
						s.insert(&v, g, -1)
					}
				}
				all[edge{a.Fairness(), v}] = true
				choices++
			}
		}
		type stepTo struct {
			step Action // Lost zeroed
			to   World
		}
		got := map[edge]bool{}
		byStep := map[stepTo]bool{}
		s.Next(w, func(m model.Action, next World) {
			got[edge{m.Fairness, next}] = true
			step := ActionOf(m)
			step.Lost = 0
			if byStep[stepTo{step, next}] {
				t.Fatalf("in %v, %v and an earlier loss choice of the same step lead to the same state", w, ActionOf(m))
			}
			byStep[stepTo{step, next}] = true
		})
		if len(got) != len(all) {
			t.Fatalf("in %v: Next leads to %d (class, state) pairs, all loss choices to %d", w, len(got), len(all))
		}
		for e := range got {
			if !all[e] {
				t.Fatalf("in %v: Next yields a state no choice leads to", w)
			}
		}
		dropped += choices - len(byStep)
	})
	if dropped == 0 {
		t.Fatal("no loss choice repeats another: the test shows nothing")
	}
}

// TestStoredEndpoints: every stored endpoint comes back with the world's
// Config and variant table, and is stored without window history.
func TestStoredEndpoints(t *testing.T) {
	s := newSystem(t, faultySmall())
	want := [2]tcpfsm.Config{s.proto[A].Config(), s.proto[B].Config()}
	if want[A].ISS == want[B].ISS {
		t.Fatalf("both sides have ISS %d: the test cannot tell them apart", want[A].ISS)
	}
	explore(t, s, func(w World) {
		for side := A; side <= B; side++ {
			e := s.Endpoint(w, side)
			if e.Config() != want[side] || e.Table() != s.cfg.Table {
				t.Fatalf("%v: config %+v, table %p; want %+v, %p", side, e.Config(), e.Table(), want[side], s.cfg.Table)
			}
			if st := w.Snapshot(side); st.Canonical() != st {
				t.Fatalf("%v: window history not zero in a stored endpoint", side)
			}
		}
	})
}

// withoutWindowHistory is w with both endpoints' window history zeroed.
func withoutWindowHistory(w World) World {
	for side := A; side <= B; side++ {
		w.ep[side] = w.ep[side].Canonical()
	}
	return w
}

// TestCanonicalBisimulation: zeroing the window history changes nothing
// that happens. A world that keeps it is explored, and in every state
// each action is enabled exactly when it is in the zeroed state, and
// leads to a state whose zeroing is where the action leads from the
// zeroed state.
func TestCanonicalBisimulation(t *testing.T) {
	s := newSystem(t, faultyData())
	keep := *s
	keep.keepWindowHistory = true
	differ := 0
	n := explore(t, &keep, func(w World) {
		v := withoutWindowHistory(w)
		if v == w {
			return
		}
		differ++
		want := s.Actions(v)
		got := keep.Actions(w)
		if len(got) != len(want) {
			t.Fatalf("%d actions, want %d, in %v", len(got), len(want), w)
		}
		for i, a := range want {
			if got[i] != a {
				t.Fatalf("action %d is %v, want %v", i, got[i], a)
			}
			x, _ := s.Apply(v, a)
			y, _ := keep.Apply(w, a)
			if y = withoutWindowHistory(y); x != y {
				t.Fatalf("%v leads to\n%v\nfrom the state with history, and to\n%v\nfrom %v", a, y, x, v)
			}
		}
	})
	if differ < 10000 {
		t.Fatalf("only %d of %d states have a window history", differ, n)
	}
}

// TestWorldLayout: a World's fields leave no gap, so model's default
// fingerprint hashes each state with one maphash.Bytes call over its
// first bytes, and holds no pointer, so the explorer's blocks of states
// cost the collector nothing.
func TestWorldLayout(t *testing.T) {
	var w World
	var walk func(typ reflect.Type, base uintptr)
	at := uintptr(0)
	walk = func(typ reflect.Type, base uintptr) {
		switch typ.Kind() {
		case reflect.Array:
			for i := range typ.Len() {
				walk(typ.Elem(), base+uintptr(i)*typ.Elem().Size())
			}
		case reflect.Struct:
			for i := range typ.NumField() {
				walk(typ.Field(i).Type, base+typ.Field(i).Offset)
			}
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.String, reflect.Interface, reflect.UnsafePointer:
			t.Errorf("a World holds a %v at offset %d", typ, base)
		default:
			if base != at {
				t.Errorf("%d bytes of padding at offset %d", base-at, at)
			}
			at = base + typ.Size()
		}
	}
	walk(reflect.TypeOf(w), 0)
	if end := unsafe.Offsetof(w.faulty) + unsafe.Sizeof(w.faulty); at != end {
		t.Errorf("the fields end at %d, want %d (faulty last)", at, end)
	}
}

// TestTimeWaitWaits: TIME-WAIT never ends while a segment bound for its
// endpoint is in flight, and may end as soon as none is; the other timers
// run out whenever they are armed.
func TestTimeWaitWaits(t *testing.T) {
	s := newSystem(t, faultySmall())
	var blocked, free int
	explore(t, s, func(w World) {
		for side := A; side <= B; side++ {
			e := s.Endpoint(w, side)
			fires := map[tcpfsm.Timer]bool{}
			for _, a := range s.Actions(w) {
				if a.Kind == Timeout && a.Side == side {
					fires[a.Timer] = true
				}
			}
			for tm := tcpfsm.Timer(0); tm < tcpfsm.NumTimers; tm++ {
				want := e.Armed(tm)
				if tm == tcpfsm.TimerTimeWait && w.inFlightTo(side) {
					want = false
					if e.Armed(tm) {
						blocked++
					}
				} else if tm == tcpfsm.TimerTimeWait && e.Armed(tm) {
					free++
				}
				if fires[tm] != want {
					t.Fatalf("%v %v timer: fires %v, want %v, in %v", side, tm, fires[tm], want, w)
				}
			}
		}
	})
	if blocked == 0 || free == 0 {
		t.Fatalf("TIME-WAIT blocked in %d states, free in %d: the test proves nothing", blocked, free)
	}
}

// TestFIFO: without reordering only the oldest segment each way is
// delivered; with it, any.
func TestFIFO(t *testing.T) {
	for _, reorder := range []bool{false, true} {
		c := faultySmall()
		c.Reorder = reorder
		s := newSystem(t, c)
		overtakes := 0
		explore(t, s, func(w World) {
			for _, a := range s.Actions(w) {
				if a.Kind == Deliver && !s.head(&w, a.Index) {
					overtakes++
				}
			}
		})
		if (overtakes > 0) != reorder {
			t.Errorf("reorder %v: %d deliveries overtake an older segment", reorder, overtakes)
		}
	}
}

// TestLossChoices: with loss, a step that sends k segments into a network
// with room comes in 2^k versions, one per set of segments lost; without,
// in one.
func TestLossChoices(t *testing.T) {
	for _, loss := range []bool{false, true} {
		c := faultySmall()
		c.Loss = loss
		s := newSystem(t, c)
		w := s.Initial()
		acts := s.Actions(w)
		var opens []Action
		for _, a := range acts {
			if a.Kind == OpenActive && a.Side == A {
				opens = append(opens, a)
			}
		}
		want := 1
		if loss {
			want = 2 // the SYN arrives or is lost
		}
		if len(opens) != want {
			t.Fatalf("loss %v: %d versions of A's OPEN, want %d: %v", loss, len(opens), want, opens)
		}
		if loss {
			lost, rep, err := s.Step(w, opens[1])
			if err != nil || lost.n != 0 || len(rep.Lost) != 1 || len(rep.Sent) != 0 {
				t.Fatalf("lost SYN: %v, %+v, %v", lost, rep, err)
			}
		}
	}
}

// TestCapacity: a segment sent into a full network is dropped.
func TestCapacity(t *testing.T) {
	c := lossless()
	c.Capacity = 1
	s := newSystem(t, c)
	w := s.Initial()
	for _, a := range []Action{{Kind: OpenActive, Side: A}, {Kind: OpenActive, Side: B}} {
		var rep Report
		var err error
		w, rep, err = s.Step(w, a)
		if err != nil {
			t.Fatal(err)
		}
		if a.Side == B && (len(rep.Overflow) != 1 || len(rep.Sent) != 0) {
			t.Fatalf("B's SYN into a full network: sent %v, overflow %v", rep.Sent, rep.Overflow)
		}
	}
	if w.n != 1 {
		t.Fatalf("%d segments in flight, capacity 1", w.n)
	}
}

// TestChecksCanFail breaks the world on purpose, once per check, and
// requires the property to notice.
func TestChecksCanFail(t *testing.T) {
	s := newSystem(t, clientServer())
	r := check(t, s)
	props := map[string]model.Property[World]{}
	for _, p := range s.Properties() {
		props[p.Name] = p
	}
	holds := func(name string, w World) bool { return props[name].Pred(w) }

	// The run to the first data delivered: the step before it delivers
	// the data segment.
	path := r.Property(PropDataArrived).Path
	states := path.States()
	last := path.Steps[len(path.Steps)-1]
	before := states[len(states)-2]
	to := ActionOf(last.Action).Side
	if !holds(PropDataOrder, last.State) {
		t.Fatal("the example itself breaks the data property")
	}
	mutate := func(name string, f func(w *World)) World {
		w := before
		f(&w)
		next, err := s.Apply(w, ActionOf(last.Action))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return next
	}
	if w := mutate("delivered", func(w *World) { w.app[to].delivered = 1 }); holds(PropDataOrder, w) {
		t.Errorf("data at offset 0 after 1 byte delivered passes: %v", w)
	}
	if w := mutate("sent", func(w *World) { w.app[to.Peer()].sent = 0 }); holds(PropDataOrder, w) {
		t.Errorf("data that was never sent passes: %v", w)
	}

	// EOF: the first state where an application is told the end of the
	// stream, reached again with the peer pretending it sent one more
	// byte.
	eof := findPath(t, s, func(w World) bool { return w.app[A].EOF() || w.app[B].EOF() })
	es := eof.States()
	eb, ea := es[len(es)-2], ActionOf(eof.Steps[len(eof.Steps)-1].Action)
	eb.app[ea.Side.Peer()].sent++
	if w, err := s.Apply(eb, ea); err != nil || holds(PropEOF, w) {
		t.Errorf("an end of stream before all data passes (%v): %v", err, w)
	}

	// All data delivered: a clean end, with a byte missing.
	end := findPath(t, s, func(w World) bool { return w.CleanEnd() && !w.app[A].Cut() && !w.app[B].Cut() && w.app[A].sent > 0 }).Last()
	if !holds(PropAllDelivered, end) {
		t.Fatal("a clean end breaks the delivery property")
	}
	end.app[B].delivered--
	if holds(PropAllDelivered, end) {
		t.Error("a byte missing at the end passes")
	}

	// The cross invariant: A's RCV.NXT beyond what B has sent.
	est := findPath(t, s, World.BothEstablished).Last()
	got := findPath(t, s, func(w World) bool { return w.BothEstablished() && w.app[A].delivered > 0 }).Last()
	mixed := est
	mixed.ep[A] = got.ep[A]
	if est.ep[B].SndNxt() == got.ep[B].SndNxt() {
		t.Fatal("no data sent between the two states")
	}
	if holds(PropInvariants, mixed) || mixed.InvariantError() == nil {
		t.Errorf("A's RCV.NXT beyond B's SND.NXT passes: %v", mixed)
	}

	// A segment the world cannot carry.
	w := s.Initial()
	var p pending
	e := s.Endpoint(w, A)
	s.send(&w, A, &e, tcpfsm.OutSegment{Segment: tcpfsm.Segment{Flags: tcpfsm.FlagSYN, Wnd: 1}}, &p)
	if holds(PropModelled, w) {
		t.Error("a segment with another window passes")
	}
}

// findPath returns a shortest path to a state where pred holds.
func findPath(t *testing.T, s *System, pred func(World) bool) *model.Path[World] {
	t.Helper()
	r, err := model.Check[World](s, Options(model.Options[World]{}), model.Sometimes("target", pred))
	if err != nil {
		t.Fatal(err)
	}
	p := r.Property("target")
	if p.Path == nil {
		t.Fatal("no state found")
	}
	return p.Path
}

// TestVariantTables: the world steps through a variant table, the same
// table as generated explores the same states, and an error row reached
// by a segment is a fault.
func TestVariantTables(t *testing.T) {
	c := faultySmall()
	plain := check(t, newSystem(t, c))
	c.Table = tcptest.Table(t, tcptest.AsWritten)
	same := check(t, newSystem(t, c))
	if !same.OK() || same.States != plain.States || same.Transitions != plain.Transitions {
		t.Errorf("tcp.fsm interpreted: %v; generated: %v", same, plain)
	}

	c.Table = tcptest.Table(t, tcptest.ListenRejectsSyn)
	c.Open = OpenClientServer
	s := newSystem(t, c)
	r := check(t, s)
	p := r.Property(PropNoErrorRow)
	if p.Status != model.Violated {
		t.Fatalf("a SYN on an error row in LISTEN: %v", r)
	}
	tr, err := s.Trace(p.Path)
	if err != nil {
		t.Fatal(err)
	}
	lastStep := tr.Steps[len(tr.Steps)-1]
	if lastStep.Table == nil || lastStep.Table.Event != "seg-syn" || lastStep.Table.OK || lastStep.Fault == "" || lastStep.B.State != "LISTEN" {
		t.Errorf("last step %+v", lastStep)
	}
}
