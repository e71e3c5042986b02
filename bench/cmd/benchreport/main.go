// Command benchreport writes docs/benchmarks.md, the one place synfin's
// measured figures live: it reads `go test -bench -benchmem` output on
// stdin (the main module's and this module's, one after the other) and,
// with -tcpcheck, the JSON of one tcpcheck run, and writes a Markdown
// report: the machine, the date and the commit, the comparison with the
// peers with its ratios, the model checker's cost, and every benchmark by
// package. `make bench-report` runs the benchmarks and this command.
//
// Usage:
//
//	benchreport [-o FILE] [-tcpcheck FILE [-tcpcheck-args ARGS]] [-generated FILE] [-commit REV] [-benchtime D] [-date YYYY-MM-DD] < bench.txt
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("benchreport", flag.ContinueOnError)
	out := fs.String("o", "", "write the report to `FILE` (default stdout)")
	checkFile := fs.String("tcpcheck", "", "the JSON of a `tcpcheck -json` run on the default world")
	generated := fs.String("generated", "", "a generated `FILE` whose header line the report quotes (tcpfsm/fsm_gen.go)")
	f := Facts{GoVersion: runtime.Version(), Cores: runtime.NumCPU()}
	fs.StringVar(&f.Commit, "commit", "unknown", "the commit the benchmarks ran on")
	fs.StringVar(&f.BenchTime, "benchtime", "1s", "the -benchtime the benchmarks ran with")
	fs.StringVar(&f.CheckArgs, "tcpcheck-args", "", "the flags the -tcpcheck run had besides -json (none: the default world)")
	fs.StringVar(&f.Date, "date", time.Now().UTC().Format(time.DateOnly), "the date of the run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("want no arguments (the benchmark output comes on stdin), found %q", fs.Args())
	}
	bench, err := Parse(stdin)
	if err != nil {
		return fmt.Errorf("stdin: %v", err)
	}
	if len(bench.Benchmarks) == 0 {
		return errors.New("stdin: want `go test -bench` output, found no benchmark results")
	}
	var check *Check
	if *checkFile != "" {
		if check, err = readCheck(*checkFile); err != nil {
			return err
		}
	}
	if *generated != "" {
		if f.Generated, err = firstLine(*generated); err != nil {
			return err
		}
	}
	report := Render(f, bench, check)
	if *out == "" {
		_, err := io.WriteString(stdout, report)
		return err
	}
	return os.WriteFile(*out, []byte(report), 0o644)
}

func readCheck(name string) (*Check, error) {
	file, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	c, err := ParseCheck(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return c, nil
}

// firstLine is a file's first line without its comment marker.
func firstLine(name string) (string, error) {
	file, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return "", err
		}
		return "", fmt.Errorf("%s: want a header line, found an empty file", name)
	}
	return strings.TrimPrefix(sc.Text(), "// "), nil
}
