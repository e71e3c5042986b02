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
			answered := reactWalk(t, tab, steps)
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

// reactWalk runs two Endpoints on table tab for the given number of
// steps, checking React on every segment delivered and on random ones,
// and counts those that moved nothing on and were answered, by the action
// that answered them.
func reactWalk(t *testing.T, tab *Table, steps int) map[Actions]int {
	r := rand.New(rand.NewPCG(3, 4))
	var eps [2]Endpoint
	var out Output
	type pkt struct {
		to  int
		seg Segment
	}
	var net []pkt
	answered := map[Actions]int{}
	check := func(e *Endpoint, seg Segment) {
		if a := checkReaction(t, e, seg, tab == nil); a != 0 {
			answered[a]++
		}
	}
	for i := 0; i < steps; i++ {
		if i == 0 || eps[0].State() == StateClosed && eps[1].State() == StateClosed {
			for j := range eps {
				eps[j] = NewEndpoint(Config{ISS: Seq(r.Uint32()), MSS: uint32(1 + r.IntN(600)), RcvWnd: uint32(1 + r.IntN(5000))})
				eps[j].UseTable(tab)
			}
			eps[0].OpenPassive(&out)
			eps[1].OpenActive(&out)
			net = net[:0]
			for _, s := range out.Segments() {
				net = append(net, pkt{0, s.Segment})
			}
		}
		side := r.IntN(2)
		e := &eps[side]
		switch k := r.IntN(20); {
		case k < 12 && len(net) > 0:
			j := r.IntN(len(net))
			p := net[j]
			if r.IntN(8) != 0 {
				net = append(net[:j], net[j+1:]...)
			}
			side, e = p.to, &eps[p.to]
			check(e, p.seg)
			e.Segment(p.seg, &out)
		case k < 14:
			e.Send(r.IntN(1500), &out)
		case k == 14 && r.IntN(10) == 0:
			e.Close(&out)
		case k == 15 && r.IntN(50) == 0:
			e.Abort(&out)
		case k == 16:
			e.Timeout(Timer(r.IntN(NumTimers)), &out)
		case k == 17:
			e.Poll(&out)
		default:
			seg := Segment{
				Flags: Flags(r.IntN(256)),
				Seq:   e.RcvNxt() + Seq(r.IntN(9)-4),
				Ack:   e.SndUna() + Seq(r.IntN(3000)-10),
				Len:   uint32(r.IntN(3)) * uint32(r.IntN(1000)),
				Wnd:   uint32(r.IntN(10000)),
			}
			check(e, seg)
			continue
		}
		for _, s := range out.Segments() {
			if r.IntN(8) != 0 && len(net) < 200 {
				net = append(net, pkt{1 - side, s.Segment})
			}
		}
	}
	return answered
}
