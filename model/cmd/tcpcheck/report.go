package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/model/cmd/tcpcheck/internal/cli"
	"github.com/synfin/synfin/model/tcpworld"
)

// The JSON output (-json). Its schema is documented in doc.go and stable:
// fields are added, never renamed or removed.

type jsonOutput struct {
	Verdict    string          `json:"verdict"` // "verified", "violated" or "incomplete"
	Exit       int             `json:"exit"`
	Table      string          `json:"table"`
	Config     jsonConfig      `json:"config"`
	Stats      jsonStats       `json:"stats"`
	Rows       jsonRows        `json:"rows"`
	Properties []jsonProperty  `json:"properties"`
	Violations []jsonViolation `json:"violations"`
}

// jsonConfig is the world's configuration, written by its settings
// (tcpworld.Config.Settings), and whether liveness was checked.
type jsonConfig struct {
	tcpworld.Config
	Liveness bool // whether "both reach CLOSED" was checked
}

func (c *jsonConfig) settings() []tcpworld.Setting {
	return append(c.Config.Settings(), cli.LivenessSetting(&c.Liveness))
}

func (c jsonConfig) MarshalJSON() ([]byte, error) { return tcpworld.MarshalSettings(c.settings()) }

func (c *jsonConfig) UnmarshalJSON(data []byte) error {
	return tcpworld.UnmarshalSettings(data, c.settings())
}

type jsonStats struct {
	States          int     `json:"states"`
	Transitions     int64   `json:"transitions"`
	Depth           int     `json:"depth"`
	Terminal        int     `json:"terminal"`
	Deadlocks       int     `json:"deadlocks"`
	Complete        bool    `json:"complete"`
	Workers         int     `json:"workers"`
	Seconds         float64 `json:"seconds"`
	StatesPerSecond float64 `json:"states_per_second"`
	MemoryBytes     int64   `json:"memory_bytes"`            // kept for the whole search
	BytesPerState   float64 `json:"bytes_per_state"`         // memory_bytes / states
	PeakBytes       int64   `json:"peak_bytes"`              // transient working set at its largest
	SysBytes        uint64  `json:"sys_bytes"`               // obtained from the OS by the Go runtime
	GraphEdges      int64   `json:"graph_edges"`             // transitions kept for the liveness check
	RankRejected    string  `json:"rank_rejected,omitempty"` // why the world's rank was not used
	// Why an incomplete search stopped: "max-states", "max-depth",
	// "max-memory" or "signal" (then Signal names it); the breadth-first
	// levels expanded in full; the memory limit (0: none) and the
	// largest resident set sampled.
	Stopped        string `json:"stopped,omitempty"`
	Signal         string `json:"signal,omitempty"`
	LevelsExpanded int    `json:"levels_expanded"`
	MemoryLimit    int64  `json:"memory_limit"`
	PeakRSS        int64  `json:"peak_rss"`
}

// stopNames are the JSON names of the reasons a search stops.
var stopNames = map[model.StopReason]string{
	model.StoppedMaxStates: "max-states", model.StoppedMaxDepth: "max-depth",
	model.StoppedMemory: "max-memory", model.StoppedCanceled: "signal",
}

type jsonProperty struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`   // "always", "sometimes", "eventually"
	Status string `json:"status"` // "holds", "violated", "reached", "never reached", "unknown"
	Steps  *int   `json:"steps,omitempty"`
}

type jsonViolation struct {
	Property    string          `json:"property"` // a property name, or "deadlock"
	Kind        string          `json:"kind"`     // "always", "eventually", "sometimes" or "deadlock"
	Description string          `json:"description"`
	Trace       *tcpworld.Trace `json:"trace"` // null for a "sometimes" never reached
}

type report struct {
	sys   *tcpworld.System
	res   *model.Result[tcpworld.World]
	file  string // the table's file, for row lines
	limit memLimit
	out   jsonOutput
	paths []*model.Path[tcpworld.World] // per violation
	chart []string                      // per violation
}

func newReport(sys *tcpworld.System, res *model.Result[tcpworld.World], table string, o *cli.Options, sysBytes uint64,
	limit memLimit, signal string) *report {
	file := o.Spec
	if file == "" {
		file = "spec/tcp.fsm"
	}
	r := &report{sys: sys, res: res, file: file, limit: limit}
	r.out = jsonOutput{
		Table:  table,
		Config: jsonConfig{Config: sys.Config(), Liveness: o.Liveness},
		Stats: jsonStats{
			States: res.States, Transitions: res.Transitions, Depth: res.MaxDepth, Terminal: res.Terminal,
			Deadlocks: res.Deadlocks, Complete: res.Complete, Workers: res.Workers,
			Seconds: res.Duration.Seconds(), StatesPerSecond: res.StatesPerSecond,
			MemoryBytes:   res.Memory.Table + res.Memory.PerState + res.Memory.Graph,
			BytesPerState: res.BytesPerState(), PeakBytes: res.Memory.Peak, SysBytes: sysBytes,
			GraphEdges: res.GraphEdges, RankRejected: res.RankRejected,
			Stopped: stopNames[res.Stopped], LevelsExpanded: res.Levels, MemoryLimit: limit.bytes, PeakRSS: res.PeakRSS,
		},
		Rows:       rowCoverage(sys, o.Config.Table),
		Properties: []jsonProperty{},
		Violations: []jsonViolation{},
	}
	if res.Stopped == model.StoppedCanceled {
		r.out.Stats.Signal = signal
	}
	switch res.Verdict {
	case model.Pass:
		r.out.Verdict, r.out.Exit = "verified", exitVerified
	case model.Fail:
		r.out.Verdict, r.out.Exit = "violated", exitViolated
	default:
		r.out.Verdict, r.out.Exit = "incomplete", exitIncomplete
	}
	return r
}

// descriptions say what a violation of each property means.
var descriptions = map[string]string{
	tcpworld.PropInvariants:   "an endpoint's variables are inconsistent (tcpfsm.Endpoint.CheckInvariants, or the two endpoints' sequence numbers disagree)",
	tcpworld.PropNoErrorRow:   "a segment or a timer reached an error row of the table",
	tcpworld.PropRSTObeyed:    "an RST that the endpoint must obey (exactly at RCV.NXT) left the connection in place",
	tcpworld.PropDataOrder:    "data was delivered out of order, twice, with a gap, or more than was sent",
	tcpworld.PropEOF:          "the end of a stream was reported before all its data, twice, or without a CLOSE",
	tcpworld.PropModelled:     "an endpoint sent a segment the world cannot carry; the model is no longer faithful",
	tcpworld.PropAllDelivered: "both endpoints are CLOSED after a normal close, but some data or an end of stream never arrived",
	tcpworld.PropBothClosed:   "a run in which the endpoints never both reach CLOSED, although every application and armed timer got its turn and no segment stayed in flight for ever",
}

// build fills in the properties and the violations with their traces and
// charts: invariants first, then deadlocks, then liveness, then the
// examples never reached.
func (r *report) build(ascii bool) error {
	res := r.res
	var always, eventually, sometimes []jsonViolation
	var alwaysP, eventuallyP []*model.Path[tcpworld.World]
	for _, p := range res.Properties {
		jp := jsonProperty{Name: p.Name, Kind: p.Kind.String(), Status: p.Status.String()}
		if p.Kind == model.KindSometimes {
			switch p.Status {
			case model.Holds:
				jp.Status = "reached"
			case model.Violated:
				jp.Status = "never reached"
			}
		}
		if p.Path != nil {
			n := len(p.Path.Steps) + len(p.Path.Cycle)
			jp.Steps = &n
		}
		r.out.Properties = append(r.out.Properties, jp)
		if p.Status != model.Violated {
			continue
		}
		v := jsonViolation{Property: p.Name, Kind: p.Kind.String(), Description: descriptions[p.Name]}
		switch p.Kind {
		case model.KindAlways:
			always, alwaysP = append(always, v), append(alwaysP, p.Path)
		case model.KindEventually:
			eventually, eventuallyP = append(eventually, v), append(eventuallyP, p.Path)
		default:
			v.Description = "no reachable state shows it: the model explores less than it should"
			sometimes = append(sometimes, v)
		}
	}
	viols := append([]jsonViolation(nil), always...)
	paths := append([]*model.Path[tcpworld.World](nil), alwaysP...)
	if res.Deadlock != nil {
		viols = append(viols, jsonViolation{Property: "deadlock", Kind: "deadlock",
			Description: fmt.Sprintf("a state in which nothing can happen, yet the endpoints are not both CLOSED with nothing in flight (%s such states)", group(int64(res.Deadlocks)))})
		paths = append(paths, res.Deadlock)
	}
	viols = append(viols, eventually...)
	paths = append(paths, eventuallyP...)
	for range sometimes {
		paths = append(paths, nil)
	}
	viols = append(viols, sometimes...)
	for i := range viols {
		r.chart = append(r.chart, "")
		if paths[i] == nil {
			continue
		}
		t, err := r.sys.Trace(paths[i])
		if err != nil {
			return fmt.Errorf("counterexample of %s: %v", viols[i].Property, err)
		}
		viols[i].Trace = t
		r.chart[i] = t.Chart(tcpworld.ChartOptions{ASCII: ascii})
	}
	r.out.Violations = viols
	r.paths = paths
	return nil
}

func (r *report) writeText(w io.Writer) {
	o := &r.out
	switch o.Verdict {
	case "verified":
		fmt.Fprintln(w, "tcpcheck: VERIFIED: every property holds in every reachable state")
	case "violated":
		names := make([]string, len(o.Violations))
		for i, v := range o.Violations {
			names[i] = v.Property
		}
		fmt.Fprintf(w, "tcpcheck: VIOLATED: %s\n", strings.Join(names, "; "))
	default:
		fmt.Fprintf(w, "tcpcheck: INCOMPLETE: the search stopped %s; nothing is violated in the part explored\n", r.stopText())
	}
	fmt.Fprintf(w, "table:       %s\n", o.Table)
	if o.Config.Liveness {
		fmt.Fprintf(w, "config:      %v\n", r.sys.Config())
	} else {
		fmt.Fprintf(w, "config:      %v, liveness not checked\n", r.sys.Config())
	}
	r.writeStats(w)
	fmt.Fprintln(w, "properties:")
	for _, p := range o.Properties {
		mark := "ok  "
		if p.Status == "violated" || p.Status == "never reached" {
			mark = "FAIL"
		} else if p.Status == "unknown" {
			mark = "?   "
		}
		steps := ""
		if p.Steps != nil && p.Kind == "sometimes" {
			steps = fmt.Sprintf(" (in %d steps)", *p.Steps)
		}
		fmt.Fprintf(w, "  %s %-10s %s: %s%s\n", mark, p.Kind, p.Name, p.Status, steps)
	}
	if o.Stats.Deadlocks > 0 {
		fmt.Fprintf(w, "  FAIL %-10s %s terminal states are not a clean end\n", "deadlock", group(int64(o.Stats.Deadlocks)))
	}
	for i, v := range o.Violations {
		fmt.Fprintf(w, "\nviolation %d of %d: %s %s\n", i+1, len(o.Violations), v.Kind, v.Property)
		fmt.Fprintf(w, "  %s\n", v.Description)
		p := r.paths[i]
		if p == nil {
			continue
		}
		if j := r.sameRun(i); j >= 0 {
			fmt.Fprintf(w, "  shortest counterexample: the run of violation %d\n", j+1)
			continue
		}
		switch {
		case len(p.Cycle) > 0:
			fmt.Fprintf(w, "  shortest counterexample: %d steps, then a cycle of %d repeated for ever\n\n", len(p.Steps), len(p.Cycle))
		case v.Kind == "eventually" || v.Kind == "deadlock":
			fmt.Fprintf(w, "  shortest counterexample: %d steps, to a state where nothing more can happen\n\n", len(p.Steps))
		default:
			fmt.Fprintf(w, "  shortest counterexample: %d steps\n\n", len(p.Steps))
		}
		io.WriteString(w, r.chart[i])
	}
}

// writeStats writes the lines of statistics: states, time, memory, the
// limit, where the search stopped, the liveness graph, and the rows
// taken.
func (r *report) writeStats(w io.Writer) {
	s, res := r.out.Stats, r.res
	complete := "complete"
	if !s.Complete {
		complete = "incomplete"
	}
	fmt.Fprintf(w, "states:      %s distinct, %s transitions, depth %d, %s terminal (%s)\n",
		group(int64(s.States)), group(s.Transitions), s.Depth, group(int64(s.Terminal)), complete)
	fmt.Fprintf(w, "time:        %s with %d workers, %s states/s\n",
		res.Duration.Round(1e6), s.Workers, group(int64(s.StatesPerSecond)))
	fmt.Fprintf(w, "memory:      %s kept (%.1f bytes/state), %s transient peak, %s from the OS\n",
		bytesText(s.MemoryBytes), s.BytesPerState, bytesText(s.PeakBytes), bytesText(int64(s.SysBytes)))
	if s.MemoryLimit > 0 {
		fmt.Fprintf(w, "limit:       %s resident at most, limit %s\n", cli.SizeText(s.PeakRSS), r.limit)
	}
	if s.Stopped != "" {
		fmt.Fprintf(w, "stopped:     %s, after %d levels expanded in full\n", r.stopText(), s.LevelsExpanded)
	}
	switch {
	case !r.out.Config.Liveness:
	case s.RankRejected != "":
		fmt.Fprintf(w, "liveness:    every transition kept: the world's rank does not fit this table (%s)\n", s.RankRejected)
	case s.Transitions > 0:
		fmt.Fprintf(w, "liveness:    %s of %s transitions kept (%.1f%%): the others lower the world's rank\n",
			group(s.GraphEdges), group(s.Transitions), 100*float64(s.GraphEdges)/float64(s.Transitions))
	}
	writeRows(w, r.out.Rows, r.file)
}

// sameRun returns the index of an earlier violation with the same
// counterexample as violation i, or -1.
func (r *report) sameRun(i int) int {
	p := r.paths[i]
	for j := range i {
		q := r.paths[j]
		if q != nil && len(q.Cycle) == len(p.Cycle) && slices.Equal(q.Choices(), p.Choices()) {
			return j
		}
	}
	return -1
}

// stopText says where the search stopped: "at -max-states", "at the
// memory limit (...)", "on SIGINT".
func (r *report) stopText() string {
	s := r.out.Stats
	switch s.Stopped {
	case "max-states", "max-depth":
		return "at -" + s.Stopped
	case "max-memory":
		return fmt.Sprintf("at the memory limit: %s resident, its threshold is 9/10 of %s", cli.SizeText(s.PeakRSS), r.limit)
	case "signal":
		return "on " + s.Signal
	}
	return "at a limit"
}
