package tcpfsm_test

import (
	"math/rand/v2"

	. "github.com/synfin/synfin/tcpfsm"
)

// pairWalk drives two Endpoints with random calls, timeouts and segments
// over a network that loses, duplicates and reorders what they send, and
// on random segments near their windows in between; when both are CLOSED
// it starts a new pair, one passive, one active. The tests that check a
// property of every step hook into it.
type pairWalk struct {
	r     *rand.Rand
	table *Table // the table both step through, nil for the generated one

	// started is called when a new pair starts, if not nil.
	started func(eps *[2]Endpoint)
	// arriving is called with every segment before it is delivered to e.
	arriving func(e *Endpoint, seg Segment)
	// called is called after every call on the Endpoint of side, with
	// its Output, if not nil.
	called func(eps *[2]Endpoint, side int, out *Output)
}

// run takes the given number of steps.
func (w *pairWalk) run(steps int) {
	r := w.r
	var eps [2]Endpoint
	var out Output
	type pkt struct {
		to  int
		seg Segment
	}
	var net []pkt
	for i := 0; i < steps; i++ {
		if i == 0 || eps[0].State() == StateClosed && eps[1].State() == StateClosed {
			for j := range eps {
				eps[j] = NewEndpoint(Config{ISS: Seq(r.Uint32()), MSS: uint32(1 + r.IntN(600)), RcvWnd: uint32(1 + r.IntN(5000))})
				eps[j].UseTable(w.table)
			}
			if w.started != nil {
				w.started(&eps)
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
			w.arriving(e, p.seg)
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
			w.arriving(e, seg)
			e.Segment(seg, &out)
		case r.IntN(50) == 0:
			e.Abort(&out)
		default:
			continue
		}
		if w.called != nil {
			w.called(&eps, side, &out)
		}
		for _, s := range out.Segments() {
			if r.IntN(8) != 0 && len(net) < 200 {
				net = append(net, pkt{1 - side, s.Segment})
			}
		}
	}
}
