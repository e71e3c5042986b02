// Package cli is tcpcheck's command line: its options, each described
// once as a tcpworld.Setting (the world's own settings, and the
// command's), from which the flags are registered and checked, -h is
// written, and the list of flags in tcpcheck's manual is generated
// (Manual, written to flags_doc_gen.go by the go:generate line of
// package main).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
)

// Options are what the command line says: the world to check and how.
type Options struct {
	Config    tcpworld.Config
	Spec      string // the table file; "" for the generated table
	ISSWrap   bool   // -iss-wrap: the default ISNs, whatever -iss says
	Workers   int
	MaxStates int
	MaxDepth  int
	// MaxMemory is -max-memory in bytes (0: no limit) when MemoryGiven;
	// without the flag the command takes model.DefaultMemoryLimit.
	MaxMemory   int64
	MemoryGiven bool
	memoryText  string
	Liveness    bool // check that both endpoints always reach CLOSED
	JSON        bool
	ASCII       bool
	Quiet       bool
}

// Defaults are the options without flags.
func Defaults() Options {
	return Options{Config: tcpworld.DefaultConfig(), Liveness: true}
}

// Settings describes o's options, bound to its fields: the world's
// settings (Config.Settings), then the command's own.
func (o *Options) Settings() []tcpworld.Setting {
	return append(o.Config.Settings(),
		tcpworld.Setting{Name: "iss-wrap", Group: "endpoints", Var: &o.ISSWrap,
			Usage: "the same as the default -iss: both ISNs just below 2^32"},
		tcpworld.Setting{Name: "spec", Arg: "FILE", Group: "table", Var: &o.Spec,
			Usage: "check the table in FILE, a variant of spec/tcp.fsm, instead of the generated code",
			Note: "it is parsed and validated by package spec (spec.ParseFile), mapped onto the endpoint (variant.NewTable) " +
				"and stepped by the interpreter (tcpfsm.Endpoint.UseTable); the endpoint logic around the table " +
				"(classification of segments, sequence numbers, timers) is the same"},
		tcpworld.Setting{Name: "workers", Arg: "N", Group: "search", Var: &o.Workers, Max: tcpworld.NoMax, Zero: "GOMAXPROCS",
			Usage: "goroutines exploring states", Note: "results do not depend on it"},
		tcpworld.Setting{Name: "max-states", Arg: "N", Group: "search", Var: &o.MaxStates, Max: tcpworld.NoMax, Zero: "no limit",
			Usage: "stop after N distinct states", Note: "the result is then inconclusive"},
		tcpworld.Setting{Name: "max-depth", Arg: "N", Group: "search", Var: &o.MaxDepth, Max: tcpworld.NoMax, Zero: "no limit",
			Usage: "do not expand states N steps from the start", Note: "the result is then inconclusive"},
		tcpworld.Setting{Name: "max-memory", Arg: "SIZE", Group: "search", Var: &o.memoryText,
			Usage: "stop before the process's resident memory reaches SIZE: " + sizeWanted + ", 0 for no limit " +
				"(default: the cgroup's memory limit or 80% of RAM, whichever is lower)",
			Note: "the search stops at 9/10 of it, so that the report fits, with the statistics of the levels expanded in full; " +
				"the result is then inconclusive"},
		LivenessSetting(&o.Liveness),
		tcpworld.Setting{Name: "json", Group: "search", Var: &o.JSON,
			Usage: "print the result, statistics and counterexamples as JSON instead of text"},
		tcpworld.Setting{Name: "ascii", Group: "search", Var: &o.ASCII,
			Usage: "draw charts with ASCII only"},
		tcpworld.Setting{Name: "quiet", Group: "search", Var: &o.Quiet,
			Usage: "no progress on stderr"},
	)
}

// LivenessSetting describes -liveness, bound to p. The JSON report's
// "config" object has it after the world's settings.
func LivenessSetting(p *bool) tcpworld.Setting {
	return tcpworld.Setting{Name: "liveness", Group: "search", Var: p,
		Usage: "check that both endpoints always reach CLOSED",
		Note: "-liveness=false checks the invariants only: the explorer then keeps no state ids and no graph " +
			"and ranks no state, so it needs less memory and less time; for worlds too big to check whole"}
}

// flagValue is a flag of a setting. It keeps the text the command line
// gave; Parse sets the setting from it once every flag is read, so that a
// bad value is reported by the setting, with its range, and not with the
// whole usage.
type flagValue struct {
	s    *tcpworld.Setting
	text string
	set  bool
}

func (v *flagValue) String() string {
	if v == nil || v.s == nil {
		return ""
	}
	return v.s.FlagText()
}

func (v *flagValue) Set(text string) error {
	v.text, v.set = text, true
	return nil
}

func (v *flagValue) IsBoolFlag() bool { return v != nil && v.s != nil && v.s.IsSwitch() }

// Parse reads the command line. -h prints the usage to stderr and gives
// flag.ErrHelp; a flag syntax error gives an error, and a value out of its
// range an error that names the flag, the value and the range, one line
// for each bad value.
func Parse(args []string, stderr io.Writer) (*Options, error) {
	o := Defaults()
	settings := o.Settings()
	help := Usage(settings)
	fs := flag.NewFlagSet("tcpcheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // a syntax error is the caller's one line
	fs.Usage = func() {}
	values := make([]flagValue, len(settings))
	for i := range settings {
		values[i].s = &settings[i]
		fs.Var(&values[i], settings[i].Name, settings[i].Help())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(stderr, help)
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var errs []error
	for _, v := range values {
		if v.set {
			if err := v.s.Set(v.text); err != nil {
				errs = append(errs, fmt.Errorf("-%w", err))
			}
		}
	}
	if o.memoryText != "" {
		n, err := ParseSize(o.memoryText)
		if err != nil {
			errs = append(errs, fmt.Errorf("-max-memory %w", err))
		}
		o.MaxMemory, o.MemoryGiven, o.memoryText = n, true, ""
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if o.ISSWrap {
		o.Config.ISS = [2]tcpfsm.Seq{tcpworld.WrapISSA, tcpworld.WrapISSB}
	}
	if err := o.Config.Validate(); err != nil {
		return nil, err
	}
	return &o, nil
}
