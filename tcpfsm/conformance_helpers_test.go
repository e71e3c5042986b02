package tcpfsm_test

// The RFC conformance suite: helpers.
//
// The suite checks tcpfsm.Endpoint against the rules of RFC 9293 section
// 3.10 (with RFC 5961 and RFC 1337 where the table adopts them), one
// scenario per rule. A scenario is a case of a table (scenario: a name that
// reads state_stimulus_outcome, the rule it checks paraphrased with its
// section, and a body); the tables are grouped by concern, one file each:
//
//	conformance_open_test.go      handshakes; segments in CLOSED, LISTEN, SYN-SENT
//	conformance_user_test.go      OPEN, SEND, CLOSE, ABORT in every state
//	conformance_rst_test.go       RST and SYN in every synchronized state
//	conformance_segment_test.go   acceptability, ACK field, text, FIN
//	conformance_close_test.go     the segment group continued: half-close, closes
//	conformance_timer_test.go     retransmission, TIME-WAIT, FIN-WAIT-2
//	conformance_coverage_test.go  every row of spec/tcp.fsm is exercised; the
//	                              classifier sweep and the fuzz target
//	conformance_alloc_test.go     no Endpoint method allocates
//	conformance_internal_test.go  the acceptability test's zero-window cases
//	conformance_helpers_test.go   the suite: bases, scenarios, groups
//
// Every scenario runs once per base (see bases): the sequence numbers in a
// scenario are written relative to our ISS and the peer's IRS, never as
// literals, so the same scenario runs again with both spaces about to wrap
// around 2^32.
//
// The suite runs on the Endpoint harness of endpoint_harness_test.go and
// endpoint_fixtures_test.go (which the other tests of the package share),
// with strict connections: an assertion not made is an assertion that
// nothing happened.

import (
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

// base is a choice of initial sequence numbers: ours (ISS) and the peer's
// (IRS).
type base struct {
	name     string
	iss, irs Seq
}

// bases are the initial sequence numbers every scenario runs with: small
// ones, ones just below 2^32 so that every comparison in the first octets
// of each stream wraps (the peer's FIN of a short connection sits at 0),
// and ones astride 2^31, where a signed misreading of an unsigned number
// would show.
var bases = []base{
	{"iss=100,irs=300", 100, 300},
	{"iss=2^32-3,irs=2^32-2", 1<<32 - 3, 1<<32 - 2},
	{"iss=2^31-2,irs=2^31-1", 1<<31 - 2, 1<<31 - 1},
}

// scenario is one case of the conformance suite.
type scenario struct {
	name string     // state_stimulus_outcome
	rule string     // the rule checked, in our words, with its RFC section
	run  func(*ctx) // the scenario, with sequence numbers relative to x.I and x.R
}

// group is a table of scenarios about one concern.
type group struct {
	name      string
	scenarios []scenario
}

// groups lists every group of the suite, in the order they were
// registered. The coverage test runs them all.
var groups []*group

// registerGroup adds a group to the suite and returns it for its Test
// function to run.
func registerGroup(name string, scenarios []scenario) *group {
	seen := map[string]bool{}
	for _, sc := range scenarios {
		if seen[sc.name] {
			panic("conformance: duplicate scenario " + name + "/" + sc.name)
		}
		if sc.rule == "" {
			panic("conformance: scenario without a rule: " + name + "/" + sc.name)
		}
		seen[sc.name] = true
	}
	g := &group{name, scenarios}
	groups = append(groups, g)
	return g
}

// run runs every scenario of g once per base.
func (g *group) run(t *testing.T) {
	for _, b := range bases {
		t.Run(b.name, func(t *testing.T) {
			for _, sc := range g.scenarios {
				t.Run(sc.name, func(t *testing.T) { runScenario(t, b, sc, nil) })
			}
		})
	}
}

// runScenario runs one scenario with base b, recording the table rows it
// steps through in rec (which may be nil).
func runScenario(t *testing.T, b base, sc scenario, rec *recorder) {
	t.Helper()
	x := &ctx{t: t, b: b, sc: sc, rec: rec}
	sc.run(x)
	for _, c := range x.conns {
		c.settle()
	}
}
