package main

import (
	"strings"
	"testing"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// reincarnating are the flags of a small world of two incarnations in
// which old duplicates can outlive a connection.
var reincarnating = []string{"-incarnations", "2", "-loss=false", "-dup", "1", "-capacity", "2",
	"-retries", "0", "-data", "0", "-open", "client-server"}

// TestIncarnations: with two incarnations the table as written is
// verified with -rfc1337; without it, and with a TIME-WAIT shorter than
// 2 MSL either way, tcpcheck reports the old duplicate with a chart that
// names the new incarnation. A table that skips TIME-WAIT fails before,
// by the RFC reference.
func TestIncarnations(t *testing.T) {
	r := tcpcheck(t, append([]string{"-rfc1337"}, reincarnating...)...)
	if r.code != exitVerified || !strings.Contains(r.stdout, "ok   always     "+tcpworld.PropNoOldDuplicate) {
		t.Fatalf("-rfc1337: exit %d, want %d and %q checked\n%s%s", r.code, exitVerified, tcpworld.PropNoOldDuplicate, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"-rfc1337=false"}, {"-short-time-wait", "-rfc1337"}, {"-short-time-wait"}} {
		r := tcpcheck(t, append(args, reincarnating...)...)
		for _, want := range []string{"FAIL always     " + tcpworld.PropNoOldDuplicate, "as A#2", "FAULT A: " + tcpworld.FaultOldDuplicate.String()} {
			if r.code != exitViolated || !strings.Contains(r.stdout, want) {
				t.Errorf("%q: exit %d, want %d and %q\n%s%s", args, r.code, exitViolated, want, r.stdout, r.stderr)
			}
		}
	}
	skipped := tcptest.WriteFile(t, t.TempDir(), tcptest.TimeWaitSkipped)
	r = tcpcheck(t, append([]string{"-spec", skipped, "-rfc1337"}, reincarnating...)...)
	if want := "FAIL always     " + tcpworld.PropAnswered; r.code != exitViolated || !strings.Contains(r.stdout, want) {
		t.Errorf("TIME-WAIT skipped: exit %d, want %d and %q\n%s%s", r.code, exitViolated, want, r.stdout, r.stderr)
	}
}

// TestIncarnationsOutOfRange: -incarnations takes 0 to 3.
func TestIncarnationsOutOfRange(t *testing.T) {
	for _, n := range []string{"-1", "4"} {
		r := tcpcheck(t, "-incarnations", n)
		if want := "incarnations " + n + " out of range"; r.code != exitBadInput || !strings.Contains(r.stderr, want) {
			t.Errorf("-incarnations %s: exit %d, stderr %q; want exit %d and %q", n, r.code, r.stderr, exitBadInput, want)
		}
	}
}
