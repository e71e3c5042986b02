package main

import (
	"strings"
	"testing"
)

const header = "goos: linux\ngoarch: arm64\npkg: example.com/p\ncpu: Some CPU @ 2.0GHz\n"

func TestParseMedianAndNames(t *testing.T) {
	in := header +
		"BenchmarkA/workers=2-8   \t 100\t 30 ns/op\t 5 B/op\t 1 allocs/op\n" +
		"BenchmarkA/workers=2-8   \t 100\t 10 ns/op\t 7 B/op\t 1 allocs/op\n" +
		"BenchmarkA/workers=2-8   \t 100\t 20 ns/op\t 9 B/op\t 1 allocs/op\n" +
		"BenchmarkB/SYN-options-8 \t 100\t 4 ns/op\t 2.5 ns/event\n" +
		"BenchmarkB/SYN-options-8 \t 100\t 6 ns/op\t 3.5 ns/event\n" +
		"--- BENCH: BenchmarkB/SYN-options-8\n    b_test.go:9: 100 states\n" +
		"BenchmarkSlow-8 \nsome output the benchmark printed\n" +
		"BenchmarkSlow-8 \t 1\t 1000000 ns/op\n" +
		"PASS\nok  \texample.com/p\t1.0s\n"
	run, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if run.GOOS != "linux" || run.GOARCH != "arm64" || run.CPU != "Some CPU @ 2.0GHz" || run.Procs != 8 {
		t.Errorf("machine = %s/%s %q GOMAXPROCS %d, want linux/arm64 \"Some CPU @ 2.0GHz\" 8", run.GOOS, run.GOARCH, run.CPU, run.Procs)
	}
	var names []string
	for _, b := range run.Benchmarks {
		names = append(names, b.Name)
	}
	if got, want := strings.Join(names, " "), "A/workers=2 B/SYN-options Slow"; got != want {
		t.Fatalf("names = %q, want %q", got, want)
	}
	a := run.Find("example.com/p", "A/workers=2")
	for unit, want := range map[string]float64{"ns/op": 20, "B/op": 7, "allocs/op": 1} {
		if v, _ := a.Value(unit); v != want || a.Runs != 3 {
			t.Errorf("A %s = %v over %d runs, want the median %v of 3", unit, v, a.Runs, want)
		}
	}
	b := run.Find("example.com/p", "B/SYN-options")
	if v, _ := b.Value("ns/event"); v != 3 {
		t.Errorf("B ns/event = %v, want the median 3 of two runs", v)
	}
	if len(b.Metrics) != 2 || b.Metrics[0].Unit != "ns/op" || b.Metrics[1].Unit != "ns/event" {
		t.Errorf("B metrics = %+v, want ns/op then ns/event, in the line's order", b.Metrics)
	}
}

func TestParseOneProc(t *testing.T) {
	run, err := Parse(strings.NewReader(header + "BenchmarkStep/lifecycle \t 10\t 1.5 ns/op\n"))
	if err != nil {
		t.Fatal(err)
	}
	if run.Procs != 1 || run.Find("example.com/p", "Step/lifecycle") == nil {
		t.Errorf("GOMAXPROCS %d, benchmarks %+v; want 1 and Step/lifecycle", run.Procs, run.Benchmarks[0])
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{header + "--- FAIL: BenchmarkA\nFAIL\texample.com/p\t0.1s\n", `line 5: want benchmark output without failures, found "--- FAIL: BenchmarkA"`},
		{header + "FAIL\n", `line 5: want benchmark output without failures, found "FAIL"`},
		{header + "BenchmarkA-2 \t 10\t 1.5 ns/op\t 3\n", `line 5: want value-unit pairs after the iteration count, found "BenchmarkA-2 \t 10\t 1.5 ns/op\t 3"`},
		{header + "BenchmarkA-2 \t 10\t fast ns/op\n", `line 5: want a number before unit "ns/op", found "fast"`},
	} {
		_, err := Parse(strings.NewReader(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %s", tt.in, err, tt.want)
		}
	}
}
