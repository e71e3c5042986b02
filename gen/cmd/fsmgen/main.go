package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/synfin/synfin/gen"
	"github.com/synfin/synfin/spec"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const synopsis = "usage: fsmgen -spec FILE [-o FILE] [-pkg NAME] [-format go|dot|mermaid|godoc] [-lookup]\n"

// Exit statuses.
const (
	exitOK    = 0
	exitError = 2 // misuse, a bad table or a failed write: always 2, never 1
)

// options are the parsed command line.
type options struct {
	spec, out, pkg, format string
	lookup                 bool
}

// run is the whole command: it parses args, generates, and writes the
// output to a file or to stdout. Problems go to stderr, one line each. It
// returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("fsmgen", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // errors are reported below, usage by usage
	flags.Usage = func() {}
	var o options
	flags.StringVar(&o.spec, "spec", "", "the table `file` to read (required)")
	flags.StringVar(&o.out, "o", "", "the `file` to write, \"-\" for standard output (default: the table's base\nname with _gen.go, .dot, .mmd or _doc_gen.go, in the current directory)")
	flags.StringVar(&o.pkg, "pkg", "", "the package `name` of Go output (default: $GOPACKAGE, set by go generate)")
	flags.StringVar(&o.format, "format", "go", "the output `format`: go, dot, mermaid or godoc (a Go file whose package comment is the Mermaid diagram)")
	flags.BoolVar(&o.lookup, "lookup", false, "write Step and Match of Go output as table lookups, not nested switches")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stderr, flags)
			return exitOK
		}
		fmt.Fprintf(stderr, "fsmgen: %v\n%s", err, synopsis)
		return exitError
	}
	if problems := o.check(flags.Args()); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "fsmgen: %s\n", p)
		}
		fmt.Fprint(stderr, synopsis)
		return exitError
	}
	if err := generate(o, stdout); err != nil {
		report(stderr, err)
		return exitError
	}
	return exitOK
}

// usage prints the help text that -h asks for.
func usage(w io.Writer, flags *flag.FlagSet) {
	fmt.Fprint(w, synopsis)
	fmt.Fprint(w, `
Fsmgen reads a transition table and writes Go source that implements it,
or a Graphviz (dot) or Mermaid diagram of it. Run it from a go:generate line:

	//go:generate go run github.com/synfin/synfin/gen/cmd/fsmgen -spec doorlock.fsm -o doorlock_gen.go

Flags:
`)
	flags.SetOutput(w)
	flags.PrintDefaults()
	flags.SetOutput(io.Discard)
	fmt.Fprint(w, `
Exit status is 0 on success and 2 on any error. The full manual is the
documentation of package github.com/synfin/synfin/gen.
`)
}

// check fills in defaults and returns every problem with the command line.
func (o *options) check(extra []string) []string {
	var problems []string
	if len(extra) > 0 {
		problems = append(problems, fmt.Sprintf("unexpected arguments %q: fsmgen takes flags only", extra))
	}
	if o.spec == "" {
		problems = append(problems, "missing -spec: name the table file to generate from")
	}
	var ext string
	switch o.format {
	case "go":
		ext = "_gen.go"
		if o.pkg == "" {
			o.pkg = os.Getenv("GOPACKAGE")
		}
		if o.pkg == "" {
			problems = append(problems, "missing -pkg: name the package of the generated file ($GOPACKAGE is not set, so this is not go generate)")
		}
	case "dot":
		ext = ".dot"
	case "mermaid":
		ext = ".mmd"
	case "godoc":
		ext = godocSuffix
		problems = append(problems, o.checkGodoc()...)
	default:
		problems = append(problems, fmt.Sprintf("unknown -format %q: want go, dot, mermaid or godoc", o.format))
	}
	if o.out == "" && o.spec != "" && ext != "" {
		base := filepath.Base(o.spec)
		o.out = strings.TrimSuffix(base, filepath.Ext(base)) + ext
	}
	return problems
}

// generate parses the table, renders it and writes the result.
func generate(o options, stdout io.Writer) error {
	m, err := spec.ParseFile(o.spec)
	if err != nil {
		return err
	}
	var out []byte
	switch o.format {
	case "go":
		out, err = gen.Go(m, gen.GoOptions{Package: o.pkg, Source: filepath.Base(o.spec), Lookup: o.lookup})
		if err != nil {
			return err
		}
	case "dot":
		out = gen.Dot(m)
	case "mermaid":
		out = gen.Mermaid(m)
	case "godoc":
		if out, err = godoc(m, o); err != nil {
			return err
		}
	}
	if o.out == "-" {
		_, err := stdout.Write(out)
		return err
	}
	return writeFile(o.out, out)
}

// report prints err: a table's errors as file:line:col: message, one per
// line, and anything else after "fsmgen: ".
func report(w io.Writer, err error) {
	var list spec.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, e.Error())
		}
		return
	}
	var one *spec.Error
	if errors.As(err, &one) {
		fmt.Fprintln(w, one.Error())
		return
	}
	fmt.Fprintf(w, "fsmgen: %v\n", err)
}

// writeFile replaces the file at path with data, all at once: the data
// goes to a temporary file in the same directory, which is then renamed
// over path, so a failure leaves the old file as it was. When the file
// already holds data, it is not written at all and keeps its mtime.
func writeFile(path string, data []byte) (err error) {
	mode := fs.FileMode(0o644)
	if info, err := os.Stat(path); err == nil {
		if !info.Mode().IsRegular() {
			return fmt.Errorf("cannot write %s: not a regular file", path)
		}
		mode = info.Mode().Perm()
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
			return nil
		}
	}
	fail := func(err error) error {
		// The temporary file's random name would only confuse: report
		// the path asked for and the reason.
		var pe *fs.PathError
		var le *os.LinkError
		switch {
		case errors.As(err, &pe):
			err = pe.Err
		case errors.As(err, &le):
			err = le.Err
		}
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fail(err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fail(err)
	}
	return nil
}
