package bench

import (
	"testing"

	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/wire"
)

// machines returns a fresh machine of each implementation, in the
// initial state.
func machines(t testing.TB) map[string]Machine {
	t.Helper()
	ll, err := NewLooplab()
	if err != nil {
		t.Fatal(err)
	}
	sl, err := NewStateless()
	if err != nil {
		t.Fatal(err)
	}
	return map[string]Machine{"synfin": NewSynfin(), "looplab": ll, "stateless": sl}
}

// TestPeersAgreeWithStep puts each peer in every state, fires every event
// under every guard set, and requires tcpfsm.Step's answer: the same next
// state, the same actions, the same refusal.
func TestPeersAgreeWithStep(t *testing.T) {
	for name, m := range machines(t) {
		t.Run(name, func(t *testing.T) {
			bad := 0
			for s := range tcpfsm.State(tcpfsm.NumStates) {
				for e := range tcpfsm.Event(tcpfsm.NumEvents) {
					for g := range tcpfsm.Guards(guardSets) {
						next, act, ok := tcpfsm.Step(s, e, g)
						m.Reset(s)
						gotAct, gotOK := m.Fire(e, g)
						if got := m.State(); got != next || gotAct != act || gotOK != ok {
							t.Errorf("%s %s [%s]: got %s %q ok=%t, want %s %q ok=%t",
								s, e, g, got, gotAct, gotOK, next, act, ok)
							if bad++; bad == 10 {
								t.Fatal("too many differences")
							}
						}
					}
				}
			}
		})
	}
}

// TestWalks drives every implementation through each walk, one event at
// a time, and requires each step to reach the state the walk names, with
// the same actions from all three.
func TestWalks(t *testing.T) {
	for _, w := range Walks {
		t.Run(w.Name, func(t *testing.T) {
			ms := machines(t)
			ref := ms["synfin"]
			for i, in := range w.Inputs {
				want, _ := ref.Fire(in.Event, in.Guards)
				if got := ref.State(); got != in.Want {
					t.Fatalf("step %d, %s [%s]: synfin reached %s, the walk wants %s", i, in.Event, in.Guards, got, in.Want)
				}
				for name, m := range ms {
					if name == "synfin" {
						continue
					}
					act, ok := m.Fire(in.Event, in.Guards)
					if got := m.State(); got != in.Want || ok == in.Refused || act != want {
						t.Fatalf("step %d, %s [%s]: %s reached %s %q ok=%t, want %s %q ok=%t",
							i, in.Event, in.Guards, name, got, act, ok, in.Want, want, !in.Refused)
					}
				}
			}
			for name, m := range ms {
				if m.State() != w.Inputs[len(w.Inputs)-1].Want {
					t.Errorf("%s ends in %s", name, m.State())
				}
			}
		})
	}
}

// TestWalksRefused checks the Refused marks of the walks against the table
// itself, so a walk cannot claim a refusal that Step does not make.
func TestWalksRefused(t *testing.T) {
	for _, w := range Walks {
		s := tcpfsm.InitialState
		for i, in := range w.Inputs {
			var ok bool
			s, _, ok = tcpfsm.Step(s, in.Event, in.Guards)
			if ok == in.Refused {
				t.Errorf("%s step %d, %s [%s]: ok=%t, the walk says refused=%t", w.Name, i, in.Event, in.Guards, ok, in.Refused)
			}
		}
	}
}

// TestLifecyclesCycle checks what BenchmarkTransition relies on: the
// stream starts and ends in CLOSED, so it can be repeated.
func TestLifecyclesCycle(t *testing.T) {
	in := Lifecycles()
	if len(in) != len(Active.Inputs)+len(Passive.Inputs) || in[len(in)-1].Want != tcpfsm.InitialState {
		t.Fatalf("Lifecycles: %d events ending in %s", len(in), in[len(in)-1].Want)
	}
	for _, w := range []Walk{Active, Passive} {
		if last := w.Inputs[len(w.Inputs)-1].Want; last != tcpfsm.StateClosed {
			t.Errorf("%s ends in %s, not CLOSED", w.Name, last)
		}
	}
}

// TestZeroAllocs holds synfin to "0 allocs" on everything the comparison
// in docs/benchmarks.md reports for it.
func TestZeroAllocs(t *testing.T) {
	in := Lifecycles()
	s := tcpfsm.InitialState
	if n := testing.AllocsPerRun(100, func() {
		for _, x := range in {
			s, _, _ = tcpfsm.Step(s, x.Event, x.Guards)
		}
	}); n != 0 {
		t.Errorf("Step: %v allocs per life cycle, want 0", n)
	}

	e, seg := establishedEndpoint(t)
	var out tcpfsm.Output
	if n := testing.AllocsPerRun(100, func() {
		e.Segment(seg, &out)
		seg.Seq = seg.Seq.Add(seg.Len)
	}); n != 0 {
		t.Errorf("Endpoint.Segment: %v allocs per segment, want 0", n)
	}
	if out.Step.From != tcpfsm.StateEstablished || out.Step.Event != tcpfsm.EventSegAck || out.NSegs != 1 {
		t.Errorf("Endpoint.Segment took %+v and sent %d segments; want seg-ack in ESTABLISHED and one ACK", out.Step, out.NSegs)
	}

	for _, h := range headers(t) {
		if n := testing.AllocsPerRun(100, func() {
			if _, _, err := wire.ParseHeader(h.wire); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("ParseHeader %s: %v allocs, want 0", h.name, n)
		}
	}
}
