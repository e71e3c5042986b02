package tcpfsm_test

import (
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// TestAllocs: no Endpoint method allocates, on the generated table or a
// variant one.
func TestAllocs(t *testing.T) {
	tab := tcptest.Table(t, tcptest.AsWritten)
	for _, variant := range []*Table{nil, tab} {
		x := plain(t)
		est := x.established().e
		tcptest.Use(&est, variant)
		fw1 := x.finWait1().e
		tcptest.Use(&fw1, variant)
		tw := x.timeWait().e
		tcptest.Use(&tw, variant)
		closedE := x.closed().e
		tcptest.Use(&closedE, variant)
		var out Output
		var e Endpoint
		tests := []struct {
			name string
			from *Endpoint
			call func()
		}{
			{"OpenPassive", &closedE, func() { e.OpenPassive(&out) }},
			{"OpenActive", &closedE, func() { e.OpenActive(&out) }},
			{"OpenActiveError", &est, func() { e.OpenActive(&out) }},
			{"Send", &est, func() { e.Send(1000, &out) }},
			{"Close", &est, func() { e.Close(&out) }},
			{"Abort", &est, func() { e.Abort(&out) }},
			{"SegmentData", &est, func() { e.Segment(inData(301, 101, 100), &out) }},
			{"SegmentRst", &est, func() { e.Segment(inRst(301), &out) }},
			{"SegmentClosed", &closedE, func() { e.Segment(inSyn(5), &out) }},
			{"TimeoutRetx", &fw1, func() { e.Timeout(TimerRetx, &out) }},
			{"Timeout2MSL", &tw, func() { e.Timeout(TimerTimeWait, &out) }},
			{"Poll", &est, func() { e.Poll(&out) }},
			{"CheckInvariants", &est, func() { _ = e.CheckInvariants() }},
			{"Accessors", &est, func() { _, _, _, _ = e.State(), e.SndUna(), e.SndNxt(), e.RcvNxt() }},
		}
		for _, tt := range tests {
			name := tt.name
			if variant != nil {
				name += "/variant"
			}
			t.Run(name, func(t *testing.T) {
				if n := testing.AllocsPerRun(100, func() {
					e = *tt.from
					tt.call()
				}); n != 0 {
					t.Errorf("%v allocations per call", n)
				}
			})
		}
	}
}
