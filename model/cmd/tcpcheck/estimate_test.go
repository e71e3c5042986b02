package main

import (
	"io"
	"strings"
	"testing"

	"github.com/synfin/synfin/model/cmd/tcpcheck/internal/cli"
)

// knownWorlds are worlds whose states the README's table gives: the
// estimate must be within a factor of 2 of each.
var knownWorlds = []struct {
	args   []string
	states float64
}{
	{nil, 3_664_905},
	{[]string{"-loss=false", "-reorder=false", "-dup", "0"}, 157_929},
	{[]string{"-dup", "0"}, 1_350_654},
	{[]string{"-dup", "2"}, 6_117_301},
	{[]string{"-capacity", "2"}, 364_110},
	{[]string{"-data", "0"}, 179_285},
	{[]string{"-data", "2", "-capacity", "2"}, 2_597_723},
	{[]string{"-retries", "0"}, 644_373},
	{[]string{"-retries", "2"}, 7_107_580},
	{[]string{"-abort"}, 5_735_567},
	{[]string{"-open", "client-server"}, 1_742_249},
	{[]string{"-data", "0", "-capacity", "4"}, 746_080},
	{[]string{"-data", "3", "-capacity", "1"}, 168_167},
}

func TestEstimateStates(t *testing.T) {
	for _, w := range knownWorlds {
		o, err := cli.Parse(w.args, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if got := estimateStates(&o.Config); got < w.states/2 || got > w.states*2 {
			t.Errorf("%q: estimate %.0f states, has %.0f", w.args, got, w.states)
		}
	}
}

// TestSizeWarning: the default world fits a CI runner's 6 GiB without a
// warning; two bytes each way do not, and the warning says so in one
// line. -max-states bounds the estimate.
func TestSizeWarning(t *testing.T) {
	runner := memLimit{bytes: 6 << 30, from: "the cgroup limit"}
	for _, tc := range []struct {
		args []string
		warn bool
	}{
		{nil, false},
		{[]string{"-data", "2"}, true},
		{[]string{"-data", "3"}, true},
		{[]string{"-capacity", "4"}, false},
		{[]string{"-capacity", "5"}, true},
		{[]string{"-data", "2", "-max-states", "1000000"}, false},
		{[]string{"-data", "2", "-max-memory", "0"}, false},
	} {
		o, err := cli.Parse(tc.args, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		limit := runner
		if o.MemoryGiven {
			limit = memLimit{bytes: o.MaxMemory, from: "-max-memory"}
		}
		w := sizeWarning(o, limit)
		if (w != "") != tc.warn || strings.Contains(w, "\n") {
			t.Errorf("%q: warning %q", tc.args, w)
		}
		if tc.warn && (!strings.Contains(w, "6GiB (the cgroup limit)") || !strings.Contains(w, "exit 3")) {
			t.Errorf("%q: the warning %q lacks the limit or the exit status", tc.args, w)
		}
	}
}
