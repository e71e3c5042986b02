package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/synfin/synfin/model"
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

// options are the command's flags.
type options struct {
	cfg       tcpworld.Config
	specFile  string
	workers   int
	maxStates int
	maxDepth  int
	json      bool
	ascii     bool
	quiet     bool
	liveness  bool
}

const usageText = `usage: tcpcheck [flags]

tcpcheck explores every run of two TCP endpoints over a network that loses,
reorders and duplicates segments, and checks that the endpoints keep their
invariants, deliver each other's data, and always end both CLOSED. With no
flags it checks the generated tcpfsm (spec/tcp.fsm) with every fault on.

Exit status: 0 verified, 1 a property violated, 2 bad input, 3 inconclusive
(stopped at -max-states or -max-depth) or the checker itself failed.

Flags:
`

// parse reads the command line into o.
func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{cfg: tcpworld.DefaultConfig(), liveness: true}
	c := &o.cfg
	fs := flag.NewFlagSet("tcpcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.specFile, "spec", "", "check the table in `FILE` (a variant of spec/tcp.fsm) through the interpreter instead of the generated code")
	fs.BoolVar(&c.Loss, "loss", c.Loss, "the network may lose segments (-loss=false turns it off)")
	fs.BoolVar(&c.Reorder, "reorder", c.Reorder, "the network may deliver segments out of order (-reorder=false: FIFO per direction)")
	fs.IntVar(&c.Dup, "dup", c.Dup, "the network may duplicate `N` segments in a run (0 turns duplication off)")
	fs.IntVar(&c.Retries, "retries", c.Retries, "retransmissions of a SYN, data or FIN before an endpoint gives up (`N`)")
	fs.IntVar(&c.Capacity, "capacity", c.Capacity, "segments the network holds in flight, both ways together (`N`)")
	fs.IntVar(&c.Data, "data", c.Data, "bytes each application sends (`N`)")
	fs.IntVar(&c.MSS, "mss", c.MSS, "segment size, and the size of each SEND (`N` bytes)")
	window := fs.Uint("window", 0, "receive window both endpoints offer (`N` bytes; 0: tcpfsm's default, 65535)")
	iss := fs.String("iss", fmt.Sprintf("%d,%d", c.ISS[0], c.ISS[1]), "initial sequence numbers of A and B (`A,B`); the default wraps around 2^32")
	issWrap := fs.Bool("iss-wrap", false, "the same as the default -iss: both ISNs just below 2^32")
	open := fs.String("open", c.Open.String(), "how the applications open: any (B passive or active), client-server, simultaneous")
	fs.BoolVar(&c.Abort, "abort", c.Abort, "one application may ABORT, once, at any moment")
	fs.BoolVar(&c.RFC1337, "rfc1337", c.RFC1337, "endpoints ignore RST in TIME-WAIT (RFC 1337)")
	fs.IntVar(&o.workers, "workers", 0, "goroutines exploring states (`N`; 0: GOMAXPROCS)")
	fs.IntVar(&o.maxStates, "max-states", 0, "stop after `N` distinct states (0: no limit); the result is then inconclusive")
	fs.IntVar(&o.maxDepth, "max-depth", 0, "do not expand states `N` steps from the start (0: no limit)")
	fs.BoolVar(&o.liveness, "liveness", true, "check that both endpoints always reach CLOSED (-liveness=false checks the invariants only: less memory kept, and about a quarter faster)")
	fs.BoolVar(&o.json, "json", false, "print the result, statistics and counterexamples as JSON")
	fs.BoolVar(&o.ascii, "ascii", false, "draw charts with ASCII only")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress on stderr")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *window > tcpfsm.MaxQueue {
		return nil, fmt.Errorf("-window %d above %d", *window, tcpfsm.MaxQueue)
	}
	c.Window = uint32(*window)
	if *issWrap {
		c.ISS = [2]tcpfsm.Seq{tcpworld.WrapISSA, tcpworld.WrapISSB}
	} else {
		a, b, ok := strings.Cut(*iss, ",")
		x, errA := strconv.ParseUint(strings.TrimSpace(a), 10, 32)
		y, errB := strconv.ParseUint(strings.TrimSpace(b), 10, 32)
		if !ok || errA != nil || errB != nil {
			return nil, fmt.Errorf("-iss %q: want two numbers below 2^32, as 100,300", *iss)
		}
		c.ISS = [2]tcpfsm.Seq{tcpfsm.Seq(x), tcpfsm.Seq(y)}
	}
	var err error
	if c.Open, err = tcpworld.ParseOpenMode(*open); err != nil {
		return nil, fmt.Errorf("-open: %v", err)
	}
	if c.MSS < 1 {
		return nil, fmt.Errorf("-mss %d: want at least 1", c.MSS)
	}
	if o.workers < 0 || o.maxStates < 0 || o.maxDepth < 0 {
		return nil, errors.New("-workers, -max-states and -max-depth must not be negative")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// run is the command: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitVerified
	}
	if err != nil {
		fmt.Fprintf(stderr, "tcpcheck: %v\n", err)
		fmt.Fprintln(stderr, "run 'tcpcheck -h' for the flags")
		return exitBadInput
	}
	tableName := "spec/tcp.fsm (generated tcpfsm)"
	if o.specFile != "" {
		t, err := loadTable(o.specFile)
		if err != nil {
			fmt.Fprintf(stderr, "tcpcheck: %v\n", err)
			return exitBadInput
		}
		o.cfg.Table = t
		tableName = o.specFile + " (interpreted)"
	}
	sys, err := tcpworld.New(o.cfg)
	if err != nil {
		fmt.Fprintf(stderr, "tcpcheck: %v\n", err)
		return exitBadInput
	}

	opts := model.Options[tcpworld.World]{Workers: o.workers, MaxStates: o.maxStates, MaxDepth: o.maxDepth}
	if !o.quiet {
		opts.Progress = func(p model.Progress) {
			if p.Done {
				then := ""
				if o.liveness {
					then = "; checking liveness"
				}
				fmt.Fprintf(stderr, "tcpcheck: %s states, %s transitions in %s%s\n",
					group(int64(p.States)), group(p.Transitions), p.Elapsed.Round(time.Millisecond), then)
				return
			}
			fmt.Fprintf(stderr, "tcpcheck: %s states, %s queued, depth %d, %s states/s\n",
				group(int64(p.States)), group(int64(p.Queue)), p.Depth, group(int64(p.Rate)))
		}
	}
	var props []model.Property[tcpworld.World]
	for _, p := range sys.Properties() {
		if o.liveness || p.Kind != model.KindEventually {
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

	rep := newReport(sys, res, tableName, o, ms.Sys)
	if err := rep.build(o.ascii); err != nil {
		fmt.Fprintf(stderr, "tcpcheck: %v\n", err)
		return exitIncomplete
	}
	if o.json {
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
		return nil, fmt.Errorf("%s cannot drive the endpoint: %v", file, err)
	}
	return t, nil
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
