package proptest

// Two endpoints over a hostile network: gopter generates whole schedules
// for the TCP world of model/tcpworld, the world the model checker
// explores. A schedule is a configuration (bigger than the checker can
// enumerate: more segments in flight, more data, more duplications, more
// retries, any initial sequence numbers) and a choice sequence: at each
// step the next choice picks one of the actions the world enables there,
// in the world's own deterministic order and with a bias (which segment
// is delivered, lost or copied, when each application opens, sends,
// closes or aborts, when each timer runs out). When the choices are used
// up a fair default policy finishes the run: deliver the first segment in
// flight, let the applications open, send and close, then let timers run
// out. Shrinking a failure shrinks the choice sequence, then the
// configuration, and the shrunk schedule prints as the model checker's
// message sequence chart.
//
// This file holds the property and what its runs observed; the schedules
// are in world_schedule_test.go, and the harness that runs them, shared
// with TestRandomWorld, in world_harness_test.go.

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
)

// observer collects what the runs of a property did: row coverage and
// how far the runs got. It is safe for concurrent use; a nil observer
// records nothing.
type observer struct {
	cov *coverage

	mu      sync.Mutex
	runs    int
	steps   int
	choices int            // steps taken by choice, the rest by the policy
	cut     int            // runs in which a connection was cut (reset, refused, timed out, aborted)
	listed  map[string]int // the world's Sometimes properties, by the runs whose world lists them
	reached map[string]int // ... and by the runs that reached them
}

func newObserver() *observer {
	return &observer{cov: newCoverage(), listed: map[string]int{}, reached: map[string]int{}}
}

func (o *observer) add(r *run, listed []string, reached map[string]bool) {
	if o == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.runs++
	o.steps += len(r.actions)
	o.choices += r.used
	if a, b := r.final.App(tcpworld.A), r.final.App(tcpworld.B); a.Cut() || b.Cut() {
		o.cut++
	}
	for _, n := range listed {
		o.listed[n]++
		if reached[n] {
			o.reached[n]++
		}
	}
}

// summary describes the runs, and lists the Sometimes properties that no
// run reached.
func (o *observer) summary() (string, []string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d runs, %d steps (%.0f a run, %.0f%% by choice, the rest by the default policy), %d runs with a connection cut\n",
		o.runs, o.steps, float64(o.steps)/float64(max(o.runs, 1)), 100*float64(o.choices)/float64(max(o.steps, 1)), o.cut)
	var never []string
	names := slices.Sorted(maps.Keys(o.listed))
	for _, n := range names {
		fmt.Fprintf(&b, "  sometimes %-20q reached in %4d of %4d runs\n", n, o.reached[n], o.listed[n])
		if o.reached[n] == 0 {
			never = append(never, n)
		}
	}
	return b.String(), never
}

// worldProp is the property: every schedule runs to a clean end without
// violating anything.
func worldProp(table *tcpfsm.Table, obs *observer) gopter.Prop {
	return prop.ForAll(func(s schedule) *gopter.PropResult {
		r := runSchedule(s, obs)
		if r.violated != "" {
			return &gopter.PropResult{Status: gopter.PropFalse, Labels: []string{fmt.Sprintf("%s: %s (after %d steps, %d choices)", r.violated, r.detail, len(r.actions), r.used)}}
		}
		return &gopter.PropResult{Status: gopter.PropTrue}
	}, genSchedule(table))
}

// worldRuns is how many schedules the hostile-network property runs.
const worldRuns = 4000

// testWorld runs the hostile-network property on the real table,
// recording what the runs did in obs. The runs must reach every example
// (Sometimes property) of the world, or they explore too little.
func testWorld(t *testing.T, obs *observer) {
	res := check(t, "two endpoints over a hostile network", worldProp(nil, obs), params(worldRuns, maxChoices))
	if !res.Passed() && len(res.Args) > 0 {
		t.Logf("shrunk schedule:\n%s", describe(res.Args[0].Arg.(schedule)))
	}
	sum, never := obs.summary()
	t.Log(sum)
	if res.Passed() && len(never) > 0 {
		t.Errorf("no run reached %q", never)
	}
}
