package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// small is the configuration the variant tests run: every fault on, no
// data, two segments in flight. It is enough for every broken table
// below to show its bug, with a small fraction of the default world's
// states.
var small = []string{"-data", "0", "-capacity", "2", "-quiet"}

type result struct {
	code           int
	stdout, stderr string
}

func tcpcheck(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return result{code, out.String(), errb.String()}
}

func decode(t *testing.T, r result) jsonOutput {
	t.Helper()
	var o jsonOutput
	if err := json.Unmarshal([]byte(r.stdout), &o); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, r.stdout)
	}
	return o
}

// TestDefault is what CI runs: the generated table, every fault on, the
// default size. It must verify.
func TestDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("the default model takes seconds")
	}
	r := tcpcheck(t, "-quiet")
	if r.code != exitVerified {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"tcpcheck: VERIFIED",
		"config:      " + tcpworld.DefaultConfig().String(),
		"ok   eventually both reach CLOSED: holds",
		"ok   sometimes  simultaneous open: reached",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	t.Logf("\n%s", r.stdout)
}

// The broken tables tcpcheck must catch: each must fail with a
// counterexample that ends where the bug is.
var variants = []struct {
	table tcptest.Variant
	// property is the violation to look for ("deadlock" for one), kind
	// its kind; side and state where its counterexample ends (side ""
	// for either); lasso whether it ends in a cycle.
	property, kind string
	side, state    string
	lasso          bool
	// chart is a string the chart's last lines must show.
	chart string
}{
	{
		table:    tcptest.TimeWaitNeverExpires,
		property: tcpworld.PropBothClosed, kind: "eventually", side: "A", state: "TIME-WAIT",
		chart: "A timeout-2msl: TIME-WAIT",
	},
	{
		table:    tcptest.TimeWaitNeverExpires,
		property: "deadlock", kind: "deadlock", side: "A", state: "TIME-WAIT",
		chart: "A timeout-2msl: TIME-WAIT",
	},
	{
		table:    tcptest.TimeWaitRestarts,
		property: tcpworld.PropBothClosed, kind: "eventually", side: "A", state: "TIME-WAIT", lasso: true,
		chart: "back to step",
	},
	{
		table:    tcptest.LastAckNeverRetransmits,
		property: tcpworld.PropBothClosed, kind: "eventually", state: "LAST-ACK", lasso: true,
		chart: "timer: retransmission runs out",
	},
	{
		table:    tcptest.FinWait2NeverTimesOut,
		property: tcpworld.PropBothClosed, kind: "eventually", side: "A", state: "FIN-WAIT-2",
		chart: "B tells its application: reset",
	},
	{
		table:    tcptest.CloseWaitSendsNoFin,
		property: tcpworld.PropInvariants, kind: "always", side: "B", state: "LAST-ACK",
		chart: "INVARIANT BROKEN B: tcpfsm: LAST-ACK with our FIN queued = false",
	},
	{
		table:    tcptest.SynReceivedIgnoresRst,
		property: tcpworld.PropRSTObeyed, kind: "always", side: "A", state: "SYN-RECEIVED",
		chart: "FAULT A: an acceptable RST did not end the connection",
	},
}

// TestBrokenVariants writes broken tables to files and requires tcpcheck
// to find each bug, with a counterexample that ends where the bug is: in
// the JSON trace's last state and in the chart's last lines.
func TestBrokenVariants(t *testing.T) {
	for _, v := range variants {
		t.Run(v.table.Name+"/"+v.property, func(t *testing.T) {
			file := tcptest.WriteFile(t, t.TempDir(), v.table)

			r := tcpcheck(t, append([]string{"-spec", file, "-json"}, small...)...)
			if r.code != exitViolated {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, exitViolated, r.stdout, r.stderr)
			}
			o := decode(t, r)
			if o.Verdict != "violated" || o.Exit != exitViolated {
				t.Errorf("verdict %q, exit %d", o.Verdict, o.Exit)
			}
			var found *jsonViolation
			for i := range o.Violations {
				if o.Violations[i].Property == v.property {
					found = &o.Violations[i]
				}
			}
			if found == nil {
				t.Fatalf("no violation of %q among %+v", v.property, o.Violations)
			}
			if found.Kind != v.kind || found.Trace == nil {
				t.Fatalf("violation %+v", found)
			}
			tr := found.Trace
			last := tr.Steps[len(tr.Steps)-1]
			side := v.side
			if side == "" { // either: the one in the state
				side = "A"
				if last.B.State == v.state {
					side = "B"
				}
			}
			state := last.A.State
			if side == "B" {
				state = last.B.State
			}
			if state != v.state {
				t.Errorf("counterexample ends with %s in %s, want %s", side, state, v.state)
			}
			if lasso := tr.CycleStart >= 0; lasso != v.lasso {
				t.Errorf("lasso %v (cycle_start %d), want %v", lasso, tr.CycleStart, v.lasso)
			}
			if v.lasso {
				// The cycle stays where the bug is.
				for _, st := range tr.Steps[tr.CycleStart:] {
					if s := map[string]string{"A": st.A.State, "B": st.B.State}[side]; s != v.state {
						t.Errorf("cycle passes through %s in %s", side, s)
					}
					if len(st.InFlight) != 0 && st.Step > tr.CycleStart {
						t.Errorf("a segment stays in flight for ever: %+v", st.InFlight)
					}
				}
			}

			// The same counterexample as a chart.
			r = tcpcheck(t, append([]string{"-spec", file}, small...)...)
			if r.code != exitViolated {
				t.Fatalf("exit %d without -json", r.code)
			}
			chart := violationChart(t, r.stdout, v.property)
			lines := strings.Split(strings.TrimRight(chart, "\n"), "\n")
			tail := strings.Join(lines[max(0, len(lines)-4):], "\n")
			if !strings.Contains(tail, v.state) || !strings.Contains(tail, v.chart) {
				t.Errorf("chart ends\n%s\nwant %q and %q there", tail, v.state, v.chart)
			}
			if v.lasso != strings.Contains(chart, "cycle starts here") {
				t.Errorf("chart of a lasso %v without the cycle marked:\n%s", v.lasso, chart)
			}
		})
	}
}

// violationChart returns the part of the text output that shows the
// violation of property (or the earlier one whose run it shares).
func violationChart(t *testing.T, out, property string) string {
	t.Helper()
	parts := strings.Split(out, "\nviolation ")
	for _, p := range parts[1:] {
		head, _, _ := strings.Cut(p, "\n")
		if !strings.HasSuffix(head, " "+property) {
			continue
		}
		var k int
		if i := strings.Index(p, "the run of violation "); i >= 0 {
			if _, err := fmt.Sscanf(p[i:], "the run of violation %d", &k); err != nil || k < 1 || k >= len(parts) {
				t.Fatalf("bad reference in %q", p)
			}
			return parts[k]
		}
		return p
	}
	t.Fatalf("no violation of %q in\n%s", property, out)
	return ""
}

// TestHarmlessVariant: the rows of tcp.fsm in reverse order mean the same
// table: it verifies, with exactly the states of the generated code.
func TestHarmlessVariant(t *testing.T) {
	file := tcptest.WriteFile(t, t.TempDir(), tcptest.Reversed)
	args := append([]string{"-json"}, small...)
	gen := decode(t, tcpcheck(t, args...))
	r := tcpcheck(t, append([]string{"-spec", file}, args...)...)
	if r.code != exitVerified {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	rev := decode(t, r)
	if rev.Stats.States != gen.Stats.States || rev.Stats.Transitions != gen.Stats.Transitions || gen.Verdict != "verified" {
		t.Errorf("reversed rows: %+v; generated: %+v", rev.Stats, gen.Stats)
	}
	if !strings.HasSuffix(rev.Table, "reversed.fsm (interpreted)") {
		t.Errorf("table %q", rev.Table)
	}
}

// TestBadInput: exit 2 with a clear message.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	unknownEvent := tcptest.WriteFile(t, dir, tcptest.Variant{Name: "unknown-event", Mistake: "an event the Endpoint does not have",
		Edits: []tcptest.Edit{tcptest.AddEvent("seg-urgent", "synchronized, unsynchronized seg-urgent ignore")}})
	text, err := tcptest.AsWritten.Text()
	if err != nil {
		t.Fatal(err)
	}
	syntax := filepath.Join(dir, "syntax.fsm")
	if err := os.WriteFile(syntax, []byte(text+"LISTEN open-passive goto LISTEN\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"-spec", filepath.Join(t.TempDir(), "none.fsm")}, "no such file"},
		{"invalid table", []string{"-spec", syntax}, "syntax.fsm:"},
		{"unknown event", []string{"-spec", unknownEvent}, `unknown event "seg-urgent"`},
		{"bad flag", []string{"-colour"}, "flag provided but not defined"},
		{"bad capacity", []string{"-capacity", "0"}, "capacity 0 out of range"},
		{"bad retries", []string{"-retries", "99"}, "retries 99 out of range"},
		{"bad iss", []string{"-iss", "1"}, "-iss"},
		{"bad open", []string{"-open", "sideways"}, "unknown open mode"},
		{"bad mss", []string{"-mss", "0"}, "-mss"},
		{"argument", []string{"extra"}, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tcpcheck(t, tc.args...)
			if r.code != exitBadInput || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 and %q", r.code, r.stderr, r.stdout, tc.want)
			}
		})
	}
	// The position of a table error is file:line:col.
	r := tcpcheck(t, "-spec", syntax)
	if !strings.Contains(r.stderr, "syntax.fsm:") || strings.Count(r.stderr[strings.Index(r.stderr, "syntax.fsm:"):], ":") < 3 {
		t.Errorf("no file:line:col in %q", r.stderr)
	}
}

func TestHelp(t *testing.T) {
	r := tcpcheck(t, "-h")
	if r.code != 0 || !strings.Contains(r.stderr, "-capacity N") || !strings.Contains(r.stderr, "Exit status") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// TestOutput checks the text and JSON outputs of a run that verifies.
func TestOutput(t *testing.T) {
	r := tcpcheck(t, small...)
	if r.code != exitVerified {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	for _, want := range []string{"tcpcheck: VERIFIED", "table:       spec/tcp.fsm (generated tcpfsm)",
		"config:      loss=on reorder=on dup=1 capacity=2 retries=1 data=0", "states:      ", "distinct", "transitions",
		"depth", "terminal (complete)", "time:        ", "states/s", "memory:      ", "bytes/state",
		"liveness:    ", "transitions kept", "the others lower the world's rank"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = tcpcheck(t, append([]string{"-json"}, small...)...)
	o := decode(t, r)
	if o.Verdict != "verified" || o.Exit != 0 || o.Stats.States == 0 || o.Stats.Transitions == 0 || !o.Stats.Complete ||
		o.Stats.BytesPerState <= 0 || o.Stats.MemoryBytes <= 0 || len(o.Violations) != 0 || o.Config.Capacity != 2 ||
		o.Config.ISS != [2]uint32{uint32(tcpworld.WrapISSA), uint32(tcpworld.WrapISSB)} {
		t.Errorf("%+v", o)
	}
	// The world's rank fits the real table: a few transitions kept.
	if o.Stats.RankRejected != "" || o.Stats.GraphEdges <= 0 || o.Stats.GraphEdges*20 > o.Stats.Transitions {
		t.Errorf("liveness graph: %d of %d transitions kept, rank rejected %q", o.Stats.GraphEdges, o.Stats.Transitions, o.Stats.RankRejected)
	}
	for _, p := range o.Properties {
		if p.Status != "holds" && p.Status != "reached" {
			t.Errorf("%+v", p)
		}
	}

	// Progress goes to stderr.
	r = tcpcheck(t, "-data", "0", "-capacity", "2")
	if !strings.Contains(r.stderr, "checking liveness") {
		t.Errorf("no progress on stderr: %q", r.stderr)
	}

	// Without liveness: every property but "both reach CLOSED", no graph
	// kept, and the same states.
	r = tcpcheck(t, append([]string{"-json", "-liveness=false"}, small...)...)
	safety := decode(t, r)
	if safety.Verdict != "verified" || safety.Config.Liveness || !o.Config.Liveness ||
		safety.Stats.States != o.Stats.States || len(safety.Properties) != len(o.Properties)-1 ||
		safety.Stats.BytesPerState >= o.Stats.BytesPerState {
		t.Errorf("-liveness=false: %+v\nwith liveness: %+v", safety, o)
	}
	if safety.Stats.GraphEdges != 0 || strings.Contains(tcpcheck(t, append([]string{"-liveness=false"}, small...)...).stdout, "liveness:") {
		t.Errorf("-liveness=false keeps %d transitions or prints a liveness line", safety.Stats.GraphEdges)
	}
	for _, p := range safety.Properties {
		if p.Kind == "eventually" {
			t.Errorf("-liveness=false checked %+v", p)
		}
	}

	// A search cut short is inconclusive.
	r = tcpcheck(t, append([]string{"-max-states", "100"}, small...)...)
	if r.code != exitIncomplete || !strings.Contains(r.stdout, "INCOMPLETE") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}
