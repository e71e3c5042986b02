package tcpfsm_test

import (
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/wire"
)

// wireSegments are segments of each kind, the last with a window wider than
// a header's 16 bits.
var wireSegments = []Segment{
	{Flags: FlagSYN, Seq: 1000, Wnd: 64240},
	{Flags: FlagSYN | FlagACK, Seq: 0xffffffff, Ack: 1001, Wnd: 65535},
	{Flags: FlagACK | FlagPSH, Seq: 1001, Ack: 1, Len: 100, Wnd: 501},
	{Flags: FlagFIN | FlagACK, Seq: 1101, Ack: 1, Wnd: 501},
	{Flags: FlagRST, Seq: 7},
	{Flags: FlagACK, Seq: 5, Ack: 9, Wnd: 1 << 20},
}

// TestSegmentHeaderRoundTrip: a Segment written with Segment.Header and
// read back with SegmentFromHeader is the same Segment, its window cut to
// 65535, and the header carries the ports it was given and nothing else.
func TestSegmentHeaderRoundTrip(t *testing.T) {
	for _, seg := range wireSegments {
		h := seg.Header(443, 50000)
		want := wire.Header{SrcPort: 443, DstPort: 50000, Seq: seg.Seq, Ack: seg.Ack, Flags: seg.Flags,
			Window: uint16(min(seg.Wnd, 0xffff))}
		if h != want {
			t.Errorf("%v: Header = %+v, want %+v", seg, h, want)
		}
		b, err := h.AppendTo(nil)
		if err != nil {
			t.Fatalf("%v: AppendTo: %v", seg, err)
		}
		b = append(b, make([]byte, seg.Len)...)
		var back wire.Header
		payload, err := back.Parse(b)
		if err != nil {
			t.Fatalf("%v: Parse: %v", seg, err)
		}
		got := SegmentFromHeader(&back, len(payload))
		wantSeg := seg
		wantSeg.Wnd = min(seg.Wnd, 0xffff)
		if got != wantSeg {
			t.Errorf("%v: read back as %v", seg, got)
		}
	}
}

// TestSegmentHeaderAllocs: the conversions allocate nothing.
func TestSegmentHeaderAllocs(t *testing.T) {
	seg := wireSegments[2]
	var h wire.Header
	var back Segment
	if n := testing.AllocsPerRun(100, func() {
		h = seg.Header(443, 50000)
		back = SegmentFromHeader(&h, int(seg.Len))
	}); n != 0 {
		t.Errorf("%v allocations per conversion", n)
	}
	if back != seg {
		t.Errorf("converted %v to %v", seg, back)
	}
}
