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

// TestPredictAck tries the combinations of control bits with a grid of
// sequence numbers, acknowledgment numbers, lengths and windows around
// the edges of the tests, in every synchronized state, with data and a
// FIN outstanding or not, and windows from one byte to more than 2^31.
func TestPredictAck(t *testing.T) {
	type start struct {
		name string
		e    Endpoint
	}
	var starts []start
	add := func(name string, c *ep) { starts = append(starts, start{name, c.e}) }
	for _, f := range fixtures {
		add(f.state.String(), f.make(t))
	}
	add("SYN-RECEIVED active", synReceivedActive(t))
	add("ESTABLISHED active", establishedActive(t))
	add("ESTABLISHED data outstanding", established(t).send(1000))
	add("ESTABLISHED data queued", established(t).seg(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 0}).send(1000))
	add("ESTABLISHED huge peer window", established(t).seg(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 1<<31 + 5}).send(100))
	add("ESTABLISHED one-byte window", newEp(t, Config{RcvWnd: 1}).openPassive().seg(pSyn(300)).seg(pAck(301, 101)))
	zero := established(t)
	zero.e.cfg.RcvWnd = 0 // Config cannot ask for this; the classifier handles it all the same
	add("ESTABLISHED zero receive window", zero)
	add("FIN-WAIT-1 data outstanding", established(t).send(100).close())
	add("CLOSE-WAIT data outstanding", closeWait(t).send(100))
	wrap := newEp(t, Config{ISS: 0xffffff00}).openPassive().seg(pSyn(0xfffffff0)).seg(pAck(0xfffffff1, 0xffffff01)).send(1000)
	add("ESTABLISHED wrapping", wrap)

	offsets := []int64{0, 1, -1, 2, -2, 99, 100, 101, 536, 1000, 1001, 65534, 65535, 65536, 1 << 30, 1<<31 - 1, 1 << 31, 1<<31 + 1, -(1 << 30)}
	lens := []uint32{0, 1, 2, 536, 65535, 65536}
	wnds := []uint32{0, 1, 8192, 1<<31 + 7}
	predicted := 0
	for _, st := range starts {
		e := st.e
		if !e.synchronized() {
			continue
		}
		n, k := 0, 0
		for f := range 32 {
			// The four bits the classifier reads, and once more with
			// the four it does not.
			flags := Flags(f&1)*FlagSYN | Flags(f>>1&1)*FlagACK | Flags(f>>2&1)*FlagRST | Flags(f>>3&1)*FlagFIN
			if f >= 16 {
				flags |= FlagPSH | FlagURG | FlagECE | FlagCWR
			}
			for _, so := range offsets {
				for _, ao := range offsets {
					for _, base := range []Seq{e.SndUna(), e.SndNxt()} {
						for _, l := range lens {
							seg := Segment{
								Flags: flags,
								Seq:   e.RcvNxt() + Seq(so),
								Ack:   base + Seq(ao),
								Len:   l,
								Wnd:   wnds[k%len(wnds)],
							}
							k++
							if checkPrediction(t, &e, seg) {
								n++
							}
						}
					}
				}
			}
		}
		t.Logf("%s: %d segments predicted", st.name, n)
		predicted += n
	}
	if predicted == 0 {
		t.Fatal("predictAck never said true: the test tests nothing")
	}
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

// FuzzPredictAck checks the prediction on the inputs of
// FuzzEndpointSegment: every segment segmentFrom makes, on an Endpoint
// that the earlier records have moved.
func FuzzPredictAck(f *testing.F) {
	f.Add([]byte{4, 7, 0x10, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{4, 2, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0x10, 0, 1, 0, 0x10, 0, 3, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		c := fixtures[int(data[0])%len(fixtures)].make(t)
		data = data[1:]
		for len(data) >= 9 {
			op, rec := data[0], data[1:9]
			data = data[9:]
			switch op % 8 {
			case 0:
				c.e.Send(int(rec[0])*7, &c.out)
			case 1:
				c.e.Close(&c.out)
			case 2:
				c.e.Timeout(Timer(rec[0])%NumTimers, &c.out)
			default:
				seg := segmentFrom(rec, &c.e)
				checkPrediction(t, &c.e, seg)
				c.e.Segment(seg, &c.out)
			}
		}
	})
}
