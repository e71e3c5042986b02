package proptest

// The Endpoint properties and their row coverage.

import (
	"strings"
	"testing"
)

// TestEndpointProperties runs the two properties that drive Endpoints,
// the hostile-network property (world_test.go) and the stateful API test
// (api_test.go), in parallel, then requires that together they stepped
// through every reachable row of spec/tcp.fsm (coverage_test.go) with
// this run's seed and run count.
func TestEndpointProperties(t *testing.T) {
	t.Parallel()
	world, api := newObserver(), newCoverage()
	var worldOK, apiOK bool
	t.Run("properties", func(t *testing.T) {
		t.Run("hostile_network", func(t *testing.T) {
			t.Parallel()
			testWorld(t, world)
			worldOK = !t.Failed()
		})
		t.Run("api", func(t *testing.T) {
			t.Parallel()
			testAPI(t, api)
			apiOK = !t.Failed()
		})
	})
	t.Run("row_coverage", func(t *testing.T) {
		if !worldOK || !apiOK {
			t.Skip("needs both properties to run and pass")
		}
		all := merge(world.cov, api)
		t.Logf("rows of spec/tcp.fsm stepped through by the Endpoints (seed %d, runs x%d):\n  %s\n  %s\n  %s",
			seed, scale, world.cov.summary("hostile network"), api.summary("API"), all.summary("together"))
		if pairs := all.missingPairs(); len(pairs) > 0 {
			t.Logf("(row, state) pairs never stepped through:\n  %s", strings.Join(pairs, "\n  "))
		}
		for _, m := range all.missing() {
			t.Errorf("reachable row never stepped through: %s", m)
		}
	})
}
