package tcpfsm_test

import (
	"math/rand/v2"
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// checkReaction fails t unless React tells what Segment does with seg on
// e: the same table step, and, when the segment moves nothing on (the
// state, SND.UNA, SND.NXT and RCV.NXT stay), its Answer as the first
// segment sent, or nothing sent when there is none. With the generated
// table (single) nothing else is sent then either. e must not change. It
// returns the answering action of a segment that moved nothing on and was
// answered (send-rst, send-ack, send-challenge-ack or take-data), or 0.
func checkReaction(t *testing.T, e *Endpoint, seg Segment, single bool) Actions {
	t.Helper()
	before := *e
	var r Reaction
	e.React(seg, &r)
	if *e != before {
		t.Fatalf("React(%v) changed the Endpoint: %v, was %v", seg, e, &before)
	}
	// The same from the Endpoint's Snapshot, read under another Endpoint
	// of its Config and table.
	under := NewEndpoint(before.Config())
	under.UseTable(before.Table())
	snap := before.Snapshot()
	var fromSnap Reaction
	snap.React(&under, seg, &fromSnap)
	if fromSnap != r {
		t.Fatalf("in %v: Snapshot.React(%v) = %+v, Endpoint.React %+v", &before, seg, fromSnap, r)
	}
	after := before
	var out Output
	after.Segment(seg, &out)
	if r.Step != out.Step {
		t.Fatalf("in %v: React(%v) has step %+v, Segment took %+v", &before, seg, r.Step, out.Step)
	}
	if after.State() != before.State() || after.SndUna() != before.SndUna() ||
		after.SndNxt() != before.SndNxt() || after.RcvNxt() != before.RcvNxt() {
		return 0
	}
	segs := out.Segments()
	switch {
	case !r.Answered && len(segs) > 0:
		t.Fatalf("in %v: React(%v) has no answer, Segment sent %v", &before, seg, segs[0].Segment)
	case r.Answered && len(segs) == 0:
		t.Fatalf("in %v: React(%v) answers %v, Segment sent nothing", &before, seg, r.Answer)
	case r.Answered && segs[0].Segment != r.Answer:
		t.Fatalf("in %v: React(%v) answers %v, Segment sent %v", &before, seg, r.Answer, segs[0].Segment)
	case single && len(segs) > 1:
		t.Fatalf("in %v: %v moves nothing on, yet Segment sent %d segments", &before, seg, len(segs))
	}
	if !r.Answered {
		return 0
	}
	for _, a := range answering {
		if r.Step.Actions&a != 0 {
			return a
		}
	}
	t.Fatalf("in %v: React(%v) answers %v after a row with actions %v", &before, seg, r.Answer, r.Step.Actions)
	return 0
}

// answering are the actions that make an Answer, in the order checkReaction
// names them.
var answering = [...]Actions{ActionSendRst, ActionSendChallengeAck, ActionSendAck, ActionTakeData}

// TestReact checks React against Segment on every segment two Endpoints
// send each other over a network that loses, duplicates and reorders,
// and on random segments near their windows, with the generated table,
// the table as written through the interpreter, and the broken tables.
func TestReact(t *testing.T) {
	tables := map[string]*Table{"generated": nil, "as-written": tcptest.Table(t, tcptest.AsWritten)}
	for _, v := range tcptest.Broken {
		tables[v.Name] = tcptest.Table(t, v)
	}
	for name, tab := range tables {
		t.Run(name, func(t *testing.T) {
			steps := 40000
			if testing.Short() || tab != nil {
				steps = 4000
			}
			// The segments that moved nothing on and were answered, by
			// the action that answered them.
			answered := map[Actions]int{}
			w := pairWalk{r: rand.New(rand.NewPCG(3, 4)), table: tab, arriving: func(e *Endpoint, seg Segment) {
				if a := checkReaction(t, e, seg, tab == nil); a != 0 {
					answered[a]++
				}
			}}
			w.run(steps)
			if len(answered) == 0 {
				t.Fatal("no segment that moves nothing on was answered: the test tests nothing")
			}
			for _, a := range answering {
				if tab == nil && answered[a] == 0 {
					t.Errorf("no segment that moves nothing on was answered after %v: the test does not test that answer", a)
				}
			}
		})
	}
}

// TestReactUnderZeroEndpoint: a Snapshot read under the zero Endpoint is
// read under the default Config, and the zero Endpoint stays zero.
func TestReactUnderZeroEndpoint(t *testing.T) {
	e := NewEndpoint(Config{ISS: 100})
	var out Output
	e.OpenActive(&out)
	e.Segment(Segment{Flags: FlagSYN | FlagACK, Seq: 300, Ack: 101, Wnd: 1000}, &out)
	seg := Segment{Flags: FlagACK, Seq: 250, Ack: 101, Wnd: 1000} // old: answered with an ACK
	var want, got Reaction
	e.React(seg, &want)
	if !want.Answered {
		t.Fatalf("in %v: %v draws no answer", &e, seg)
	}
	var zero Endpoint
	snap := e.Snapshot()
	snap.React(&zero, seg, &got)
	if got != want {
		t.Errorf("under the zero Endpoint: %+v, want %+v", got, want)
	}
	if zero != (Endpoint{}) {
		t.Errorf("Snapshot.React wrote the Endpoint it reads under: %v", &zero)
	}
	if n := testing.AllocsPerRun(100, func() { snap.React(&zero, seg, &got) }); n != 0 {
		t.Errorf("Snapshot.React: %v allocations per call", n)
	}
}
