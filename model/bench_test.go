package model_test

import (
	"fmt"
	"testing"

	"github.com/synfin/synfin/model"
)

// grid is a synthetic system: three counters modulo N, each step adds one
// to one counter. It has exactly N*N*N states and 3*N*N*N transitions, and
// every state is strongly connected to every other.
type grid struct{ n uint8 }

type gridState struct{ a, b, c uint8 }

func (g grid) Init(yield func(gridState)) { yield(gridState{}) }

func (g grid) Next(s gridState, yield func(model.Action, gridState)) {
	yield(model.Action{Code: 0, Fairness: 1}, gridState{(s.a + 1) % g.n, s.b, s.c})
	yield(model.Action{Code: 1, Fairness: 2}, gridState{s.a, (s.b + 1) % g.n, s.c})
	yield(model.Action{Code: 2, Fairness: 3}, gridState{s.a, s.b, (s.c + 1) % g.n})
}

// BenchmarkExplore explores 128^3 = 2,097,152 states. It reports the
// distinct states per second and the bytes kept per state (fingerprint
// table, parent links and, with liveness, the graph).
func BenchmarkExplore(b *testing.B) {
	const n = 128
	for _, live := range []bool{false, true} {
		for _, workers := range []int{1, 2} {
			name := fmt.Sprintf("safety/workers=%d", workers)
			props := []model.Property[gridState]{
				model.Always("bounded", func(s gridState) bool { return s.a < n }),
			}
			if live {
				name = fmt.Sprintf("liveness/workers=%d", workers)
				props = append(props, model.Eventually("a-wraps", func(s gridState) bool { return s.a == n-1 }))
			}
			b.Run(name, func(b *testing.B) {
				var r *model.Result[gridState]
				for b.Loop() {
					var err error
					r, err = model.Check(grid{n}, model.Options[gridState]{Workers: workers}, props...)
					if err != nil {
						b.Fatal(err)
					}
				}
				if r.States != n*n*n || !r.OK() {
					b.Fatalf("got %v", r)
				}
				b.ReportMetric(float64(r.States)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
				b.ReportMetric(r.BytesPerState(), "bytes/state")
				b.ReportMetric(float64(r.Memory.Peak)/float64(r.States), "peak-bytes/state")
			})
		}
	}
}
