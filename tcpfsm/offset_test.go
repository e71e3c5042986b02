package tcpfsm_test

import (
	"math/rand/v2"
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

// TestSendOffsetBeforeSyn: before its SYN is sent an Endpoint numbers its
// stream from the configured ISS, and a SetISS renumbers it.
func TestSendOffsetBeforeSyn(t *testing.T) {
	e := NewEndpoint(Config{ISS: 1<<32 - 1})
	if got := e.SendOffset(0); got != 0 {
		t.Errorf("ISS 2^32-1: SendOffset(0) = %d, want 0", got)
	}
	if got := e.SendOffset(10); got != 10 {
		t.Errorf("ISS 2^32-1: SendOffset(10) = %d, want 10", got)
	}
	e.SetISS(500)
	if got := e.SendOffset(503); got != 2 {
		t.Errorf("ISS 500: SendOffset(503) = %d, want 2", got)
	}
}

// TestSendOffset: every data segment an Endpoint sends carries the offset
// SendOffset gives its sequence number, then and at every later step of
// the connection, over a network that loses, duplicates and reorders.
func TestSendOffset(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var eps [2]Endpoint
	var out Output
	type sent struct {
		seq Seq
		off uint64
	}
	type pkt struct {
		to  int
		seg Segment
	}
	var net []pkt
	var kept [2][]sent
	checked := 0
	for i := 0; i < 20000; i++ {
		if i == 0 || eps[0].State() == StateClosed && eps[1].State() == StateClosed {
			for j := range eps {
				eps[j] = NewEndpoint(Config{ISS: Seq(r.Uint32()), MSS: uint32(1 + r.IntN(300)), RcvWnd: uint32(1 + r.IntN(3000))})
				kept[j] = kept[j][:0]
			}
			eps[0].OpenPassive(&out)
			eps[1].OpenActive(&out)
			net = net[:0]
			for _, s := range out.Segments() {
				net = append(net, pkt{0, s.Segment})
			}
		}
		side := r.IntN(2)
		switch k := r.IntN(10); {
		case k < 6 && len(net) > 0:
			j := r.IntN(len(net))
			p := net[j]
			if r.IntN(6) != 0 {
				net = append(net[:j], net[j+1:]...)
			}
			side = p.to
			eps[side].Segment(p.seg, &out)
		case k < 8:
			eps[side].Send(r.IntN(700), &out)
		case k == 8 && r.IntN(8) == 0:
			eps[side].Close(&out)
		default:
			eps[side].Timeout(Timer(r.IntN(NumTimers)), &out)
		}
		for _, s := range out.Segments() {
			if s.Len > 0 {
				kept[side] = append(kept[side], sent{s.Seq, s.Off})
			}
			if r.IntN(6) != 0 && len(net) < 100 {
				net = append(net, pkt{1 - side, s.Segment})
			}
		}
		for j := range eps {
			for _, s := range kept[j] {
				if got := eps[j].SendOffset(s.seq); got != s.off {
					t.Fatalf("in %v: SendOffset(%d) = %d, the segment carried offset %d", &eps[j], s.seq, got, s.off)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no data segment sent: the test tests nothing")
	}
}
