package tcpfsm

import "testing"

// TestAllocs: no Endpoint method allocates, on the generated table or a
// variant one.
func TestAllocs(t *testing.T) {
	tab := mustTable(t, readTable(t))
	for _, variant := range []*Table{nil, tab} {
		est := established(t).e
		est.UseTable(variant)
		fw1 := finWait1(t).e
		fw1.UseTable(variant)
		tw := timeWait(t).e
		tw.UseTable(variant)
		closedE := closed(t).e
		closedE.UseTable(variant)
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
			{"SegmentData", &est, func() { e.Segment(pData(301, 101, 100), &out) }},
			{"SegmentRst", &est, func() { e.Segment(pRst(301), &out) }},
			{"SegmentClosed", &closedE, func() { e.Segment(pSyn(5), &out) }},
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
