package main

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/synfin/synfin/model/cmd/tcpcheck/internal/cli"
	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
)

// badValue is a value of setting s that it rejects, and what the error
// must say of its range ("" when s takes any text).
func badValue(s *tcpworld.Setting) (string, string) {
	switch s.Var.(type) {
	case *bool:
		return "perhaps", "want true or false"
	case *string:
		if s.Name == "max-memory" {
			return "lots", "want a size"
		}
		return "", ""
	case *tcpworld.OpenMode:
		return "sideways", "want any, client-server or simultaneous"
	case *[2]tcpfsm.Seq:
		return "1", "want two numbers, each 0 to 4294967295"
	}
	want := fmt.Sprintf("want %d to %d", s.Min, s.Max)
	if s.Max == tcpworld.NoMax {
		want = fmt.Sprintf("want %d or more", s.Min)
	}
	if s.Min > 0 {
		return fmt.Sprint(s.Min - 1), want
	}
	if s.Max == tcpworld.NoMax {
		return "-1", want
	}
	return fmt.Sprint(s.Max + 1), want
}

// TestFlagOutOfRange: every flag given a value it rejects gets exit 2 and
// one line that names the flag and its range, then the hint; nothing on
// stdout.
func TestFlagOutOfRange(t *testing.T) {
	o := cli.Defaults()
	for _, s := range o.Settings() {
		value, want := badValue(&s)
		if want == "" {
			continue
		}
		arg := "-" + s.Name + "=" + value
		r := tcpcheck(t, arg)
		lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
		if r.code != exitBadInput || r.stdout != "" || len(lines) != 2 ||
			!strings.HasPrefix(lines[0], "tcpcheck: -"+s.Name) || !strings.Contains(lines[0], want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and one line with -%s and %q", arg, r.code, r.stderr, s.Name, want)
		}
	}
}

// TestBadMemoryLimit: a size that is not one, or a limit under which the
// search cannot start, is bad input: one line, exit 2.
func TestBadMemoryLimit(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"12 apples", `-max-memory "12 apples": want a size such as 1GiB, 512MiB or 2G`},
		{"-1GiB", `-max-memory "-1GiB" out of range`},
		{"1MiB", "-max-memory 1MiB too small: want 0 (no limit) or at least"},
	} {
		r := tcpcheck(t, "-max-memory", tc.value)
		first, _, _ := strings.Cut(r.stderr, "\n")
		if r.code != exitBadInput || r.stdout != "" || !strings.HasPrefix(first, "tcpcheck: "+tc.want) {
			t.Errorf("-max-memory %s: exit %d, stderr %q; want exit 2 and %q", tc.value, r.code, r.stderr, tc.want)
		}
	}
}

// TestNotTCPTable: a table that parses but is another machine says so on
// its first line, before the details.
func TestNotTCPTable(t *testing.T) {
	_, here, _, _ := runtime.Caller(0)
	file := filepath.Join(filepath.Dir(here), "..", "..", "..", "gen", "example", "doorlock", "doorlock.fsm")
	r := tcpcheck(t, "-spec", file)
	lines := strings.Split(r.stderr, "\n")
	want := "tcpcheck: " + file + " is not a TCP table: machine doorlock's 5 states include 0 of TCP's 11"
	if r.code != exitBadInput || r.stdout != "" || !strings.HasPrefix(lines[0], want) || len(lines) < 3 {
		t.Fatalf("exit %d, stderr %q; want exit 2 and first %q, then the details", r.code, r.stderr, want)
	}
	if !strings.Contains(r.stderr, `unknown state "LOCKED"`) || strings.Contains(lines[0], "LOCKED") {
		t.Errorf("the details are not after the first line:\n%s", r.stderr)
	}
}
