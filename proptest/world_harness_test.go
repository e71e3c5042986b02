package proptest

// The lossy-network harness of the world tests: two Endpoints in the TCP
// world of model/tcpworld, over a network that loses, reorders and
// duplicates segments, run under a schedule. The schedule comes from
// gopter (world_schedule_test.go: the hostile-network property, which
// shrinks a failing one) or from a seed (random_world_test.go). At each
// step one of the actions the world enables is taken (deliver, lose or
// copy a segment, a user call, a timer running out): the schedule's next
// choice picks it, and when the choices are used up a fair default policy
// does. Every step is checked: the world's invariants, the error rows, the
// Endpoints' own invariants; at the end both Endpoints must be CLOSED with
// nothing in flight. A run renders as the model checker's message sequence
// chart (describe).

import (
	"fmt"
	"strings"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/variant"
)

// run is what happened in one schedule.
type run struct {
	sys     *tcpworld.System
	init    tcpworld.World
	actions []tcpworld.Action
	reports []tcpworld.Report
	final   tcpworld.World
	used    int // choices used before the world ran out of actions or the policy took over

	violated string // the property violated, "" if none
	detail   string
}

// weights bias the choices, so that runs get somewhere: the network
// delivers more often than it copies, and applications close and abort
// less often than they open and send. A segment is lost with odds 1 to
// 5 (an action whose step sends k segments comes in 2^k variants, one
// for each subset lost: each lost segment divides its weight by 5). Every
// enabled action keeps a chance.
var weights = [...]float64{
	tcpworld.OpenActive:  32,
	tcpworld.OpenPassive: 32,
	tcpworld.Send:        8,
	tcpworld.Close:       1,
	tcpworld.Abort:       1,
	tcpworld.Timeout:     1,
	tcpworld.Deliver:     16,
	tcpworld.Duplicate:   2,
}

// pick returns the action that choice c selects among acts: c divides
// [0, 256) among the actions in proportion to their weights, in the
// world's order, so 0 is always the first enabled action.
func pick(acts []tcpworld.Action, c uint8) tcpworld.Action {
	total := 0.0
	for _, a := range acts {
		total += weight(a)
	}
	x := (float64(c) + 0.5) / 256 * total
	for _, a := range acts {
		if x -= weight(a); x < 0 {
			return a
		}
	}
	return acts[len(acts)-1]
}

func weight(a tcpworld.Action) float64 {
	w := 1.0
	if int(a.Kind) < len(weights) && weights[a.Kind] > 0 {
		w = weights[a.Kind]
	}
	for l := a.Lost; l != 0; l &= l - 1 {
		w /= 5
	}
	return w
}

// policy picks the default policy's action among the enabled ones: an
// application that has not opened opens; else the first segment in
// flight is delivered; else an application sends, then closes; else a
// timer runs out, the retransmission timer first (its timeout is the
// shortest, and a retransmission restarts the peer's FIN-WAIT-2 idle
// timer) and the FIN-WAIT-2 timer last. It loses and copies nothing and
// aborts only when nothing else is enabled, so a correct TCP ends:
// segments are consumed, data and retries are bounded.
func policy(acts []tcpworld.Action) tcpworld.Action {
	var best tcpworld.Action
	rank := 99
	for _, a := range acts {
		if a.Lost != 0 {
			continue
		}
		var r int
		switch a.Kind {
		case tcpworld.OpenActive, tcpworld.OpenPassive:
			r = 0
		case tcpworld.Deliver:
			r = 1
		case tcpworld.Send:
			r = 2
		case tcpworld.Close:
			r = 3
		case tcpworld.Timeout:
			r = 4 + [...]int{tcpfsm.TimerRetx: 0, tcpfsm.TimerTimeWait: 1, tcpfsm.TimerFinWait2: 2}[a.Timer]
		case tcpworld.Abort:
			r = 7
		default:
			r = 8
		}
		if r < rank {
			best, rank = a, r
		}
	}
	return best
}

// fail records the property the run violated, and how.
func (r *run) fail(name, format string, args ...any) {
	r.violated, r.detail = name, fmt.Sprintf(format, args...)
}

// worldChecks are the world's properties that a run checks: its
// invariants, the ones the checker checks on every state, and its
// examples, which the runs together must reach.
type worldChecks struct {
	always, sometimes []model.Property[tcpworld.World]
	listed            []string        // the names of the Sometimes properties
	reached           map[string]bool // those this run reached
}

func newWorldChecks(sys *tcpworld.System) *worldChecks {
	c := &worldChecks{reached: map[string]bool{}}
	for _, p := range sys.Properties() {
		switch p.Kind {
		case model.KindAlways:
			c.always = append(c.always, p)
		case model.KindSometimes:
			c.sometimes = append(c.sometimes, p)
			c.listed = append(c.listed, p.Name)
		}
	}
	return c
}

// runner takes one schedule through the world.
type runner struct {
	s      schedule
	r      *run
	checks *worldChecks
	cov    *coverage // the rows stepped through, nil when not recorded

	// seen holds the states the default policy has been in, by step. The
	// policy is deterministic: if it comes back to a state, it goes round
	// that cycle for ever.
	seen map[tcpworld.World]int
}

// runSchedule runs s to its end, or to the first violation. obs, if not
// nil, records the Endpoints' table steps and how far the run got.
func runSchedule(s schedule, obs *observer) *run {
	sys, err := tcpworld.New(s.Config)
	if err != nil {
		return &run{violated: "valid configuration", detail: err.Error()}
	}
	x := &runner{s: s, r: &run{sys: sys}, checks: newWorldChecks(sys), seen: map[tcpworld.World]int{}}
	if obs != nil && s.Config.Table == nil {
		x.cov = obs.cov
	}
	r := x.r
	r.init = sys.Initial()
	w := r.init
	for step := 0; ; step++ {
		acts := sys.Actions(w)
		if len(acts) == 0 {
			break
		}
		a, ok := x.choose(w, acts, step)
		if !ok {
			break
		}
		next, rep, err := sys.Step(w, a)
		if err != nil {
			r.fail("enabled actions apply", "%v", err)
			break
		}
		w = next
		r.actions = append(r.actions, a)
		r.reports = append(r.reports, rep)
		x.observe(w, rep)
		if !x.check(w, rep) {
			break
		}
	}
	r.final = w
	if r.violated == "" && !w.CleanEnd() {
		r.fail(tcpworld.PropBothClosed, "the run ended with %v in %v and %v in %v, %d segments in flight",
			tcpworld.A, w.State(tcpworld.A), tcpworld.B, w.State(tcpworld.B), len(sys.InFlight(w)))
	}
	obs.add(r, x.checks.listed, x.checks.reached)
	return r
}

// choose picks the action of step among acts, enabled in w: by the
// schedule's next choice while there is one, then by the default policy.
// It fails the run, and reports false, at the step bound or when the
// policy comes back to a state.
func (x *runner) choose(w tcpworld.World, acts []tcpworld.Action, step int) (tcpworld.Action, bool) {
	r := x.r
	if step == stepBound {
		r.fail(propEnds, "%d steps, still %d actions enabled: %v", stepBound, len(acts), w)
		return tcpworld.Action{}, false
	}
	if r.used < len(x.s.Choices) {
		a := pick(acts, x.s.Choices[r.used])
		r.used++
		return a, true
	}
	if at, ok := x.seen[w]; ok {
		r.fail(propEnds, "the default policy is back in the state of step %d: it goes round for ever", at)
		return tcpworld.Action{}, false
	}
	x.seen[w] = step
	return policy(acts), true
}

// observe records the row the step went through and the examples w
// reaches.
func (x *runner) observe(w tcpworld.World, rep tcpworld.Report) {
	x.cov.record(rep.Step)
	for _, p := range x.checks.sometimes {
		if !x.checks.reached[p.Name] && p.Pred(w) {
			x.checks.reached[p.Name] = true
		}
	}
}

// check checks the step that reached w and reported rep, and reports
// whether the run may go on: first what is checked here, independently
// of the world's bookkeeping (no error row for a segment or a timer,
// both Endpoints in the table's states and keeping their invariants),
// then the world's named invariants.
func (x *runner) check(w tcpworld.World, rep tcpworld.Report) bool {
	r := x.r
	if st := rep.Step; st.Taken && !st.OK && st.Event.Kind() != tcpfsm.KindCall {
		r.fail(tcpworld.PropNoErrorRow, "%v: %v %v stepped through the error row at tcp.fsm:%d", rep.Stepped, st.From, st.Event, rowLine(x.s.Config.Table, st.Row))
		return false
	}
	for side := tcpworld.A; side <= tcpworld.B; side++ {
		e := r.sys.Endpoint(w, side)
		if e.State() >= tcpfsm.NumStates {
			r.fail(tcpworld.PropInvariants, "%v left the table's states: %v", side, e.State())
		} else if err := e.CheckInvariants(); err != nil {
			r.fail(tcpworld.PropInvariants, "%v: %v", side, err)
		}
	}
	if r.violated != "" {
		return false
	}
	for _, p := range x.checks.always {
		if !p.Pred(w) {
			r.fail(p.Name, "%s", invariantDetail(w))
			return false
		}
	}
	return true
}

// invariantDetail says what is wrong with w, which breaks an invariant:
// the fault an Endpoint recorded, else the world's own account, else w.
func invariantDetail(w tcpworld.World) string {
	if f, side := w.Fault(); f != tcpworld.NoFault {
		return fmt.Sprintf("%v: %v", side, f)
	}
	if err := w.InvariantError(); err != nil {
		return err.Error()
	}
	return fmt.Sprint(w)
}

// propEnds names the property that every run ends: the default policy
// brings the world to a state without actions within the step bound.
const propEnds = "run ends within the step bound"

// rowLine is the tcp.fsm line of a row of the generated table or of t.
func rowLine(t *tcpfsm.Table, row int) int {
	switch {
	case row < 0:
		return 0
	case t != nil:
		return variant.Machine(t).Rows[row].Pos.Line
	case row < len(tcpfsm.Rows):
		return tcpfsm.Rows[row].Line
	}
	return 0
}

// describe runs s again and renders it: the configuration, the choices,
// the violation and the message sequence chart.
func describe(s schedule) string {
	r := runSchedule(s, nil)
	var b strings.Builder
	fmt.Fprintf(&b, "config: %v\n", s.Config)
	fmt.Fprintf(&b, "choices (%d, %d used): %v\n", len(s.Choices), r.used, s.Choices)
	if r.violated != "" {
		fmt.Fprintf(&b, "violated: %s: %s\n", r.violated, r.detail)
	}
	b.WriteString(chart(r))
	return b.String()
}
