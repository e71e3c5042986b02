package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// A Run is what one or more `go test -bench` invocations printed: the
// machine they reported and every benchmark, in the order first seen.
type Run struct {
	GOOS, GOARCH, CPU string
	Procs             int // GOMAXPROCS, from the "-N" suffix of the names (1 without one)
	Benchmarks        []*Benchmark
}

// A Benchmark is one benchmark of one package: its metrics, each the
// median of the runs (-count) that reported it.
type Benchmark struct {
	Pkg     string // import path, from the "pkg:" line above it
	Name    string // without the "Benchmark" prefix and the GOMAXPROCS suffix
	Runs    int
	Metrics []Metric // in the order the first run printed them
	samples map[string][]float64
}

// A Metric is one value-unit pair of a benchmark line: ns/op, B/op,
// allocs/op or a unit the benchmark reported itself (b.ReportMetric,
// b.SetBytes).
type Metric struct {
	Value float64
	Unit  string
}

// Value returns the benchmark's metric in unit, and whether it has one.
func (b *Benchmark) Value(unit string) (float64, bool) {
	for _, m := range b.Metrics {
		if m.Unit == unit {
			return m.Value, true
		}
	}
	return 0, false
}

// Find returns the benchmark of pkg named name, or nil.
func (r *Run) Find(pkg, name string) *Benchmark {
	for _, b := range r.Benchmarks {
		if b.Pkg == pkg && b.Name == name {
			return b
		}
	}
	return nil
}

// Parse reads `go test -bench` output. Lines other than the machine
// header, "pkg:" and benchmark results (test logs, PASS, ok, "--- BENCH"
// and the lines under it) are skipped; a failing package is an error,
// because a report of the benchmarks that did pass would look complete.
func Parse(r io.Reader) (*Run, error) {
	run := &Run{Procs: 1}
	index := map[string]*Benchmark{}
	var pkg string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), " \t\r")
		if key, value, ok := strings.Cut(text, ": "); ok && !strings.ContainsAny(key, " \t") {
			switch key {
			case "goos":
				run.GOOS = value
			case "goarch":
				run.GOARCH = value
			case "cpu":
				run.CPU = value
			case "pkg":
				pkg = value
			}
		}
		if text == "FAIL" || strings.HasPrefix(text, "FAIL\t") || strings.HasPrefix(text, "--- FAIL") {
			return nil, fmt.Errorf("line %d: want benchmark output without failures, found %q", line, text)
		}
		if !strings.HasPrefix(text, "Benchmark") {
			continue
		}
		if err := run.addLine(index, pkg, text); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, b := range run.Benchmarks {
		b.summarize()
	}
	return run, nil
}

// addLine adds one "BenchmarkName-N  iterations  value unit ..." line.
// A line whose second field is not an iteration count is a benchmark's
// name printed before its own output, not a result, and is skipped.
func (r *Run) addLine(index map[string]*Benchmark, pkg, text string) error {
	f := strings.Fields(text)
	if len(f) < 2 {
		return nil
	}
	if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
		return nil
	}
	if len(f)%2 != 0 {
		return fmt.Errorf("want value-unit pairs after the iteration count, found %q", text)
	}
	name, procs := splitProcs(strings.TrimPrefix(f[0], "Benchmark"))
	r.Procs = procs
	key := pkg + "\x00" + name
	b := index[key]
	if b == nil {
		b = &Benchmark{Pkg: pkg, Name: name, samples: map[string][]float64{}}
		index[key] = b
		r.Benchmarks = append(r.Benchmarks, b)
	}
	b.Runs++
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return fmt.Errorf("want a number before unit %q, found %q", f[i+1], f[i])
		}
		unit := f[i+1]
		if _, seen := b.samples[unit]; !seen {
			b.Metrics = append(b.Metrics, Metric{Unit: unit})
		}
		b.samples[unit] = append(b.samples[unit], v)
	}
	return nil
}

// splitProcs splits the "-N" that go test appends to a benchmark's name
// when GOMAXPROCS is N > 1.
func splitProcs(name string) (string, int) {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name, 1
	}
	n, err := strconv.Atoi(name[i+1:])
	if err != nil || n < 2 {
		return name, 1
	}
	return name[:i], n
}

// summarize sets each metric to the median of its samples.
func (b *Benchmark) summarize() {
	for i := range b.Metrics {
		b.Metrics[i].Value = median(b.samples[b.Metrics[i].Unit])
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
