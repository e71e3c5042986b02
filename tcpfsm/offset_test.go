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
	type sent struct {
		seq Seq
		off uint64
	}
	var kept [2][]sent
	checked := 0
	w := pairWalk{
		r:        rand.New(rand.NewPCG(5, 6)),
		started:  func(*[2]Endpoint) { kept[0], kept[1] = kept[0][:0], kept[1][:0] },
		arriving: func(*Endpoint, Segment) {},
		called: func(eps *[2]Endpoint, side int, out *Output) {
			for _, s := range out.Segments() {
				if s.Len > 0 {
					kept[side] = append(kept[side], sent{s.Seq, s.Off})
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
		},
	}
	w.run(20000)
	if checked == 0 {
		t.Fatal("no data segment sent: the test tests nothing")
	}
}
