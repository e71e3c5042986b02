package tcpfsm

import (
	"math/rand/v2"
	"testing"
)

// predictAck (classify.go) is a shortcut past classifySynchronized for the
// common segment. These tests check what makes it safe: whenever it says
// true, classifySynchronized says seg-ack. (When it says false the full
// checks run, so its misses cost time only.)

// checkPrediction fails t if predictAck takes seg, on e, to be seg-ack
// and classifySynchronized does not. It reports whether predictAck said
// true.
func checkPrediction(t *testing.T, e *Endpoint, seg Segment) bool {
	if !e.synchronized() {
		return false
	}
	c := segCtx{seg: seg, seq: seg.Seq, flags: seg.Flags}
	if !e.predictAck(&c) {
		return false
	}
	full := c
	if ev := e.classifySynchronized(&full); ev != EventSegAck {
		t.Helper()
		t.Fatalf("in %v (%v): predictAck takes %v for seg-ack, classifySynchronized says %v", e.State(), e, seg, ev)
	}
	return true
}

// TestPredictAckWalk checks the prediction on every segment two Endpoints
// send each other over a network that loses, duplicates and reorders, and
// on random segments near their windows in between.
func TestPredictAckWalk(t *testing.T) {
	steps := 200000
	if testing.Short() {
		steps = 20000
	}
	r := rand.New(rand.NewPCG(1, 2))
	var eps [2]Endpoint
	var out Output
	type pkt struct {
		to  int
		seg Segment
	}
	var net []pkt
	predicted := 0
	for i := 0; i < steps; i++ {
		if i == 0 || eps[0].State() == StateClosed && eps[1].State() == StateClosed {
			for j := range eps {
				eps[j] = NewEndpoint(Config{ISS: Seq(r.Uint32()), MSS: uint32(1 + r.IntN(600)), RcvWnd: uint32(1 + r.IntN(5000))})
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
			j := 0
			if r.IntN(4) == 0 {
				j = r.IntN(len(net))
			}
			p := net[j]
			if r.IntN(8) != 0 {
				net = append(net[:j], net[j+1:]...)
			}
			side, e = p.to, &eps[p.to]
			if checkPrediction(t, e, p.seg) {
				predicted++
			}
			e.Segment(p.seg, &out)
		case k < 15:
			e.Send(r.IntN(3000), &out)
		case k == 15 && r.IntN(10) == 0:
			e.Close(&out)
		case k == 16:
			e.Timeout(Timer(r.IntN(NumTimers)), &out)
		case k == 17:
			e.Poll(&out)
		case k == 18:
			seg := Segment{
				Flags: Flags(r.IntN(256)),
				Seq:   e.RcvNxt() + Seq(r.IntN(5)-2),
				Ack:   e.SndUna() + Seq(r.IntN(3000)-10),
				Len:   uint32(r.IntN(3)) * uint32(r.IntN(1000)),
				Wnd:   uint32(r.IntN(10000)),
			}
			if r.IntN(4) != 0 {
				seg.Flags = FlagACK
			}
			if checkPrediction(t, e, seg) {
				predicted++
			}
			e.Segment(seg, &out)
		}
		for _, s := range out.Segments() {
			if r.IntN(8) != 0 && len(net) < 200 {
				net = append(net, pkt{1 - side, s.Segment})
			}
		}
	}
	t.Logf("%d of %d steps predicted", predicted, steps)
	if predicted == 0 {
		t.Fatal("predictAck never said true: the test tests nothing")
	}
}
