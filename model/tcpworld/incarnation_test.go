package tcpworld

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// reincarnating is a small world of two incarnations in which old
// duplicates can outlive a connection: one duplication, room for two
// segments, no loss, no retries, no data, client and server.
func reincarnating(rfc1337 bool) Config {
	c := DefaultConfig()
	c.Loss, c.Dup, c.Capacity, c.Retries, c.Data, c.Open = false, 1, 2, 0, 0, OpenClientServer
	c.Incarnations, c.RFC1337 = 2, rfc1337
	return c
}

// TestIncarnationsVerified: with RFC 1337 on, the table as written lets
// no old duplicate into a later incarnation, and every other property
// holds too.
func TestIncarnationsVerified(t *testing.T) {
	r := check(t, newSystem(t, reincarnating(true)))
	if !r.OK() {
		t.Fatalf("the table with two incarnations and RFC 1337: %v", r)
	}
	if p := r.Property(PropNoOldDuplicate); p == nil || p.Status != model.Holds {
		t.Errorf("%q not checked or not holding: %+v", PropNoOldDuplicate, p)
	}
}

// oldDuplicateChart checks cfg and wants PropNoOldDuplicate violated, and
// no other property but those in also; it returns the counterexample's
// chart.
func oldDuplicateChart(t *testing.T, cfg Config, also ...string) string {
	t.Helper()
	s := newSystem(t, cfg)
	r := check(t, s)
	var bad []string
	for _, p := range r.Properties {
		if p.Kind != model.KindSometimes && p.Status == model.Violated {
			bad = append(bad, p.Name)
		}
	}
	if !slices.Contains(bad, PropNoOldDuplicate) || slices.ContainsFunc(bad, func(n string) bool {
		return n != PropNoOldDuplicate && !slices.Contains(also, n)
	}) {
		t.Fatalf("violated %q, want %q and none but %q", bad, PropNoOldDuplicate, also)
	}
	tr, err := s.Trace(r.Property(PropNoOldDuplicate).Path)
	if err != nil {
		t.Fatal(err)
	}
	chart := tr.Chart(ChartOptions{})
	for _, want := range []string{"A#2", "FAULT A: " + FaultOldDuplicate.String()} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart lacks %q:\n%s", want, chart)
		}
	}
	return chart
}

// TestShortTimeWaitTakesOldDuplicate: a TIME-WAIT that may end while
// segments are still in flight lets the next incarnation take an old
// duplicate, RFC 1337 or not: the reason for 2 MSL, as a chart
// (testdata/time-wait-short.chart). The old segment can also stand in for
// the new connection's FIN, whose own is then never delivered.
func TestShortTimeWaitTakesOldDuplicate(t *testing.T) {
	cfg := reincarnating(true)
	cfg.ShortTimeWait = true
	chart := oldDuplicateChart(t, cfg, PropAllDelivered)
	golden(t, "time-wait-short.chart", chart)
	cfg.RFC1337 = false
	oldDuplicateChart(t, cfg, PropAllDelivered)
}

// TestTimeWaitSkipped: a table that leaves out TIME-WAIT is wrong before
// any old duplicate arrives: the RFC reference says a FIN in FIN-WAIT-2
// leads to TIME-WAIT, and the world stops there, RFC 1337 or not.
func TestTimeWaitSkipped(t *testing.T) {
	for _, rfc1337 := range []bool{true, false} {
		cfg := reincarnating(rfc1337)
		cfg.Table = tcptest.Table(t, tcptest.TimeWaitSkipped)
		r := check(t, newSystem(t, cfg))
		if p := r.Property(PropAnswered); p == nil || p.Status != model.Violated {
			t.Errorf("rfc1337 %v: %q not violated: %v", rfc1337, PropAnswered, r)
		}
	}
}

// TestTimeWaitAssassination: without RFC 1337, an RST that the peer
// sends to TIME-WAIT's ACK ends TIME-WAIT early (RFC 1337 section 2),
// and the next incarnation takes an old duplicate that TIME-WAIT would
// have outlived (testdata/time-wait-assassination.chart).
func TestTimeWaitAssassination(t *testing.T) {
	chart := oldDuplicateChart(t, reincarnating(false))
	if !strings.Contains(chart, "A seg-rst") || !strings.Contains(chart, "TIME-WAIT → CLOSED") {
		t.Errorf("the chart shows no RST ending TIME-WAIT:\n%s", chart)
	}
	golden(t, "time-wait-assassination.chart", chart)
}

// golden compares got with testdata/name, or writes it with
// TCPWORLD_UPDATE=1.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("TCPWORLD_UPDATE") != "" {
		if err := os.WriteFile(path, []byte(got), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("chart differs from %s (TCPWORLD_UPDATE=1 rewrites it):\n%s", path, got)
	}
}

// TestIncarnationsRange: Config.Incarnations takes 0 (once) to
// MaxIncarnations, and the setting says what it expected.
func TestIncarnationsRange(t *testing.T) {
	for _, n := range []int{0, 1, MaxIncarnations} {
		c := DefaultConfig()
		c.Incarnations = n
		if err := c.Validate(); err != nil {
			t.Errorf("incarnations %d: %v", n, err)
		}
	}
	for _, n := range []int{-1, MaxIncarnations + 1} {
		c := DefaultConfig()
		c.Incarnations = n
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "incarnations") {
			t.Errorf("incarnations %d: error %v, want one about incarnations", n, err)
		}
	}
}

// TestReopenISSChoices: a side that waited out TIME-WAIT may reopen with
// the clock's ISS, its old one or one inside the old space; a side that
// closed second only with the clock's.
func TestReopenISSChoices(t *testing.T) {
	s := newSystem(t, reincarnating(true))
	var w World
	w.iss = [2]tcpfsm.Seq{100, 300}
	w.app[A].flags, w.app[B].flags = appOpened|appClosed|appEOF, appOpened|appClosed|appEOF
	w.life[A] = lifeWaited
	var c candidates
	s.candidates(&w, &c)
	var got []string
	for _, a := range c.list[:c.n] {
		iss, _ := s.issOf(&w, a.Side, a.Index)
		got = append(got, fmt.Sprintf("%v iss=%d", a, iss))
	}
	want := []string{"A open-active iss=66637", "A open-active iss=100", "B open-passive iss=66837"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("reopen actions %q, want %q", got, want)
	}
}
