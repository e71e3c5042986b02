package tcpworld

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

var update = flag.Bool("update", false, "rewrite the golden charts in testdata")

// rowRefs are the table positions in a chart, which move whenever
// tcp.fsm is edited: the golden files have "tcp.fsm:N" instead.
var rowRefs = regexp.MustCompile(`tcp\.fsm:\d+`)

// TestChart draws the shortest run in which data arrives and B learns the
// end of A's stream, in both styles, against golden files.
func TestChart(t *testing.T) {
	s := newSystem(t, clientServer())
	p := findPath(t, s, func(w World) bool { return w.app[B].EOF() && w.app[A].delivered > 0 })
	tr, err := s.Trace(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		opt  ChartOptions
	}{
		{"client-server.chart", ChartOptions{}},
		{"client-server-ascii.chart", ChartOptions{ASCII: true, Width: 50}},
	} {
		got := rowRefs.ReplaceAllString(tr.Chart(tc.opt), "tcp.fsm:N")
		golden := filepath.Join("testdata", tc.file)
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o666); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs (go test -update rewrites it):\n%s", tc.file, got)
		}
	}

	// The trace as JSON: what the chart shows is there as data.
	b, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	var back Trace
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Steps) != len(p.Steps)+1 || back.CycleStart != -1 || back.Steps[0].Action != nil {
		t.Fatalf("trace of %d steps, cycle %d", len(back.Steps), back.CycleStart)
	}
	lastStep := back.Steps[len(back.Steps)-1]
	if lastStep.B.State != "CLOSE-WAIT" || !lastStep.B.EOF || lastStep.Table == nil || lastStep.Table.Event != "seg-fin" ||
		lastStep.Action.Kind != "deliver" || lastStep.Segment == nil || lastStep.Segment.Flags != "FIN|ACK" ||
		!strings.HasPrefix(lastStep.Table.Row, "tcp.fsm:") || len(lastStep.Sent) != 1 || lastStep.Sent[0].From != "B" {
		t.Errorf("last step %s", b)
	}
}

// TestLassoChart: a liveness counterexample is drawn with its cycle, and
// its trace says where the cycle starts.
func TestLassoChart(t *testing.T) {
	c := faultySmall()
	c.Table = tcptest.Table(t, tcptest.TimeWaitRestarts)
	s := newSystem(t, c)
	r := check(t, s)
	p := r.Property(PropBothClosed)
	if p.Status != model.Violated || len(p.Path.Cycle) == 0 {
		t.Fatalf("%v", r)
	}
	tr, err := s.Trace(p.Path)
	if err != nil {
		t.Fatal(err)
	}
	if tr.CycleStart != len(p.Path.Steps) || len(tr.Steps) != len(p.Path.Steps)+len(p.Path.Cycle)+1 {
		t.Fatalf("cycle starts at %d of %d steps", tr.CycleStart, len(tr.Steps))
	}
	chart := tr.Chart(ChartOptions{ASCII: true})
	lines := strings.Split(strings.TrimSpace(chart), "\n")
	if !strings.Contains(chart, "cycle starts here (after step ") ||
		!strings.Contains(lines[len(lines)-1], "back to step ") ||
		!strings.Contains(lines[len(lines)-2], "timer: TIME-WAIT runs out") {
		t.Errorf("chart:\n%s", chart)
	}
}
