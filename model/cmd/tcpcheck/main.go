package main

// flags_doc_gen.go is the manual's list of flags, made from the settings
// that package cli registers as flags; TestManualFlags fails while it is
// out of date.
//
//go:generate go run ./internal/mkdoc -o flags_doc_gen.go

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/model/cmd/tcpcheck/internal/cli"
	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/spec"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/variant"
)

// Exit statuses.
const (
	exitVerified   = 0
	exitViolated   = 1
	exitBadInput   = 2
	exitIncomplete = 3
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := cli.Parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitVerified
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(stderr, "tcpcheck: %s\n", line)
		}
		fmt.Fprintln(stderr, "run 'tcpcheck -h' for the flags")
		return exitBadInput
	}
	sys, tableName, err := world(o)
	if err != nil {
		fmt.Fprintf(stderr, "tcpcheck: %v\n", err)
		return exitBadInput
	}
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	limit, err := memoryLimit(o)
	if err != nil {
		fmt.Fprintf(stderr, "tcpcheck: %v\n", err)
		return exitBadInput
	}
	if w := sizeWarning(o, limit); w != "" {
		fmt.Fprintf(stderr, "tcpcheck: warning: %s\n", w)
	}
	in := watchSignals()
	defer in.stop()

	opts := model.Options[tcpworld.World]{Workers: o.Workers, MaxStates: o.MaxStates, MaxDepth: o.MaxDepth,
		MaxMemory: limit.bytes, Context: in.ctx}
	if !o.Quiet {
		opts.Progress = progressLine(o, stderr)
	}
	var props []model.Property[tcpworld.World]
	for _, p := range sys.Properties() {
		if o.Liveness || p.Kind != model.KindEventually {
			props = append(props, p)
		}
	}
	res, err := model.Check[tcpworld.World](sys, tcpworld.Options(opts), props...)
	if err != nil {
		fmt.Fprintf(stderr, "tcpcheck: the checker failed: %v\n", err)
		return exitIncomplete
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)

	rep := newReport(sys, res, tableName, o, ms.Sys, limit, in.signal())
	if err := rep.build(o.ASCII); err != nil {
		fmt.Fprintf(stderr, "tcpcheck: %v\n", err)
		return exitIncomplete
	}
	if o.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep.out); err != nil {
			fmt.Fprintf(stderr, "tcpcheck: %v\n", err)
		}
	} else {
		rep.writeText(stdout)
	}
	return rep.out.Exit
}

// world is the world the options describe, with the name of its table.
func world(o *cli.Options) (*tcpworld.System, string, error) {
	tableName := "spec/tcp.fsm (generated tcpfsm)"
	if o.Spec != "" {
		t, err := loadTable(o.Spec)
		if err != nil {
			return nil, "", err
		}
		o.Config.Table = t
		tableName = o.Spec + " (interpreted)"
	}
	sys, err := tcpworld.New(o.Config)
	return sys, tableName, err
}

// progressLine prints a Progress on stderr: about once a second the
// states, the queue, the depth, the rate and the resident memory, then a
// line when the breadth-first search ends.
func progressLine(o *cli.Options, stderr io.Writer) func(model.Progress) {
	return func(p model.Progress) {
		if p.Done {
			then := ""
			switch {
			case p.Stopped == model.StoppedMemory:
				then = "; stopped at the memory limit"
			case p.Stopped == model.StoppedCanceled:
				then = "; interrupted"
			case o.Liveness:
				then = "; checking liveness"
			}
			fmt.Fprintf(stderr, "tcpcheck: %s states, %s transitions in %s, RSS %s%s\n",
				group(int64(p.States)), group(p.Transitions), p.Elapsed.Round(time.Millisecond), cli.SizeText(p.RSS), then)
			return
		}
		fmt.Fprintf(stderr, "tcpcheck: %s states, %s queued, depth %d, %s states/s, RSS %s\n",
			group(int64(p.States)), group(int64(p.Queue)), p.Depth, group(int64(p.Rate)), cli.SizeText(p.RSS))
	}
}

// loadTable parses and validates a table file and maps it onto the
// endpoint. Errors are printed one per line, with file:line:col.
func loadTable(file string) (*tcpfsm.Table, error) {
	m, err := spec.ParseFile(file)
	if err != nil {
		var list spec.ErrorList
		if errors.As(err, &list) {
			return nil, fmt.Errorf("%s is not a valid table:\n%v", file, list)
		}
		return nil, err
	}
	t, err := variant.NewTable(m)
	if err != nil {
		if why := notTCP(m); why != "" {
			return nil, fmt.Errorf("%s is not a TCP table: %s\n%v", file, why, err)
		}
		return nil, fmt.Errorf("%s cannot drive the endpoint: %v", file, err)
	}
	return t, nil
}

// notTCP says why m is not a TCP table at all, rather than a variant with
// a few names wrong: when fewer than half of its states or of its events
// are the endpoint's; "" otherwise.
func notTCP(m *spec.Machine) string {
	states, events := map[string]bool{}, map[string]bool{}
	for s := tcpfsm.State(0); s < tcpfsm.NumStates; s++ {
		states[s.String()] = true
	}
	for e := tcpfsm.Event(0); e < tcpfsm.NumEvents; e++ {
		events[e.String()] = true
	}
	count := func(decls []spec.Decl, known map[string]bool) int {
		n := 0
		for _, d := range decls {
			if known[d.Name] {
				n++
			}
		}
		return n
	}
	ns, ne := count(m.States, states), count(m.Events, events)
	if 2*ns >= len(m.States) && 2*ne >= len(m.Events) {
		return ""
	}
	return fmt.Sprintf("machine %s's %d states include %d of TCP's %d, its %d events %d of TCP's %d; want a variant of spec/tcp.fsm",
		m.Name, len(m.States), ns, tcpfsm.NumStates, len(m.Events), ne, tcpfsm.NumEvents)
}

// group formats n with thousands separators: 1,234,567.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// bytesText formats a byte count: "512 B", "1.5 MB", "2.3 GB".
func bytesText(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
}
