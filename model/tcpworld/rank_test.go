package tcpworld

import (
	"testing"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// unranked is a System without the Rank method: model keeps the whole
// graph for it.
type unranked struct{ s *System }

func (u unranked) Init(yield func(World))                        { u.s.Init(yield) }
func (u unranked) Next(w World, yield func(model.Action, World)) { u.s.Next(w, yield) }

// TestRank checks worlds and broken tables twice, with the rank and with
// the whole graph, and requires the same counts, verdicts and
// counterexample lengths; on the real table the rank must be accepted and
// keep under 2% of the transitions. (model checks the rank on every step;
// this test shows that the world's rank fits the worlds users check, so
// that they get the small memory.)
func TestRank(t *testing.T) {
	twRestarts := tcptest.Table(t, tcptest.TimeWaitRestarts)
	fw2Forever := tcptest.Table(t, tcptest.FinWait2NeverTimesOut)
	for _, tc := range []struct {
		name   string
		cfg    func() Config
		broken bool
	}{
		{"lossless", lossless, false},
		{"client-server", clientServer, false},
		{"faulty-small", faultySmall, false},
		{"faulty-data", faultyData, false},
		{"abort", func() Config { c := faultySmall(); c.Abort = true; return c }, false},
		{"rfc1337", func() Config { c := faultySmall(); c.RFC1337 = true; return c }, false},
		{"two-retries", func() Config { c := lossless(); c.Retries, c.Loss = 2, true; return c }, false},
		{"time-wait-restarts", func() Config { c := faultySmall(); c.Table = twRestarts; return c }, true},
		{"fin-wait-2-forever", func() Config { c := faultySmall(); c.Table = fw2Forever; return c }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSystem(t, tc.cfg())
			opts := Options(model.Options[World]{})
			ranked, err := model.Check[World](s, opts, s.Properties()...)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := model.Check[World](unranked{s}, opts, s.Properties()...)
			if err != nil {
				t.Fatal(err)
			}
			if ranked.RankRejected != "" {
				t.Errorf("rank rejected: %s", ranked.RankRejected)
			}
			if ranked.GraphEdges*50 > ranked.Transitions {
				t.Errorf("the rank keeps %d of %d transitions, want under 2%%", ranked.GraphEdges, ranked.Transitions)
			}
			if whole.GraphEdges != whole.Transitions {
				t.Errorf("without the rank: %d of %d transitions kept", whole.GraphEdges, whole.Transitions)
			}
			if ranked.States != whole.States || ranked.Transitions != whole.Transitions || ranked.Verdict != whole.Verdict {
				t.Fatalf("ranked: %v\nwhole graph: %v", ranked, whole)
			}
			if ranked.OK() == tc.broken {
				t.Errorf("verdict %v", ranked.Verdict)
			}
			for i, p := range ranked.Properties {
				q := whole.Properties[i]
				if p.Status != q.Status || (p.Path == nil) != (q.Path == nil) {
					t.Fatalf("%s: ranked %v, whole graph %v", p.Name, p.Status, q.Status)
				}
				if p.Path != nil && (len(p.Path.Steps) != len(q.Path.Steps) || (len(p.Path.Cycle) == 0) != (len(q.Path.Cycle) == 0)) {
					t.Errorf("%s: ranked counterexample %d steps + cycle %d, whole graph %d + %d",
						p.Name, len(p.Path.Steps), len(p.Path.Cycle), len(q.Path.Steps), len(q.Path.Cycle))
				}
			}
			if tc.broken && ranked.Property(PropBothClosed).Status != model.Violated {
				t.Errorf("the broken table passes the liveness check with the rank")
			}
		})
	}
}

// TestRankFrom checks RankFrom against Rank (model.FloorRanker) on every
// transition of a world with data and faults, at the floors the checker
// uses (the source's rank) and around the successor's own rank.
func TestRankFrom(t *testing.T) {
	s := newSystem(t, faultyData())
	seen := map[World]bool{}
	var queue []World
	s.Init(func(w World) { seen[w], queue = true, append(queue, w) })
	checked := 0
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		src := s.Rank(&w)
		s.Next(w, func(_ model.Action, u World) {
			r := s.Rank(&u)
			for _, floor := range []uint64{src, r, r + 1, max(r, 1) - 1, 0} {
				got := s.RankFrom(&u, floor)
				if r >= floor && got != r || r < floor && got >= floor {
					t.Fatalf("RankFrom(%v, %d) = %d, Rank %d", u, floor, got, r)
				}
			}
			checked++
			if !seen[u] {
				seen[u], queue = true, append(queue, u)
			}
		})
	}
	t.Logf("%d states, %d transitions", len(seen), checked)
}
