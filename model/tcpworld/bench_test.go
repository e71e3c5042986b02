package tcpworld

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/synfin/synfin/model"
)

// BenchmarkTCPWorld explores TCP worlds with model.Check and reports the
// distinct states per second (wall clock), the bytes per state the
// explorer keeps for the whole search (fingerprint table, parent links,
// and the graph the liveness check needs) and how they split between the
// visited set with its tree and the graph, the transient peak per state,
// and the size of one World value.
//
// "faults-data" is every fault on with two segments in flight (about
// 150,000 states); "default" is DefaultConfig, what tcpcheck checks
// without flags (a few million states, seconds: skipped with -short).
// "retries2-abort" is the default with two retries and ABORT on
// (tcpcheck -retries 2 -abort: about three times the default's states).
// "safety" checks every property but the liveness one, so the explorer
// keeps no graph: what a search costs when only invariants are asked.
func BenchmarkTCPWorld(b *testing.B) {
	for _, bc := range []struct {
		name    string
		cfg     Config
		workers int
		safety  bool
	}{
		{"faults-data/workers=1", faultyData(), 1, false},
		{"faults-data/workers=2", faultyData(), 2, false},
		{"default/workers=2", DefaultConfig(), 2, false},
		{"default/workers=1", DefaultConfig(), 1, false},
		{"default/safety/workers=2", DefaultConfig(), 2, true},
		{"retries2-abort/workers=2", retries2Abort(), 2, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if testing.Short() && (bc.cfg == DefaultConfig() || bc.cfg == retries2Abort()) {
				b.Skip("the default world takes seconds")
			}
			s, err := New(bc.cfg)
			if err != nil {
				b.Fatal(err)
			}
			var props []model.Property[World]
			for _, p := range s.Properties() {
				if !bc.safety || p.Kind != model.KindEventually {
					props = append(props, p)
				}
			}
			var r *model.Result[World]
			states := 0
			for b.Loop() {
				r, err = model.Check[World](s, Options(model.Options[World]{Workers: bc.workers}), props...)
				if err != nil {
					b.Fatal(err)
				}
				if !r.OK() {
					b.Fatalf("%v", r)
				}
				states += r.States
			}
			b.ReportMetric(float64(states)/b.Elapsed().Seconds(), "states/s")
			b.ReportMetric(r.BytesPerState(), "bytes/state")
			// Of those: the visited set and the breadth-first tree, per
			// state, and the liveness graph, per transition.
			b.ReportMetric(float64(r.Memory.Table+r.Memory.PerState)/float64(r.States), "set+tree-bytes/state")
			b.ReportMetric(float64(r.Memory.Graph)/float64(r.Transitions), "graph-bytes/transition")
			b.ReportMetric(float64(r.Memory.Peak)/float64(r.States), "peak-bytes/state")
			b.ReportMetric(float64(unsafe.Sizeof(World{})), "bytes/World")
			b.ReportMetric(float64(r.Transitions)/float64(r.States), "transitions/state")
			b.Logf("%s: %s", bc.name, fmt.Sprint(r.States, " states, ", r.Transitions, " transitions"))
		})
	}
}

// retries2Abort is the default world with two retries and ABORT allowed.
func retries2Abort() Config {
	c := DefaultConfig()
	c.Retries, c.Abort = 2, true
	return c
}
