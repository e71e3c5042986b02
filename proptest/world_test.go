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

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/variant"
)

// schedule is one generated run of the world. With Config.Abort it starts
// from the world's second initial state, the one in which an application
// may abort.
type schedule struct {
	Config  tcpworld.Config // Table is set by the test, not generated
	Choices []uint8
}

func (s schedule) String() string {
	return fmt.Sprintf("{%v; %d choices %v}", s.Config, len(s.Choices), s.Choices)
}

// Limits of the generated schedules. The checker's default world has 3
// segments in flight, 1 duplication, 1 retry and 1 byte each way.
const (
	maxChoices = 200 // choices per schedule (gopter's size grows to it)
	maxData    = 48  // bytes each application may send
	maxMSS     = 8
	maxRetries = 6
	stepBound  = 4000 // steps per run, choices and policy together

	// maxStepData is the most data segments one step may send: the world
	// offers every subset of a step's segments as lost, 2^k actions for
	// k segments (and at most 16 segments), so the window must keep k
	// small. With an ACK and a FIN, a step sends at most 5 segments.
	maxStepData = 3
)

// small reports whether c keeps the segments of one step within
// maxStepData data segments: its window, or all its data, fits in that
// many segments.
func small(c tcpworld.Config) bool {
	w := int(c.Window)
	if w == 0 {
		w = tcpfsm.DefaultRcvWnd
	}
	mss := max(c.MSS, 1)
	return (min(w, c.Data)+mss-1)/mss <= maxStepData
}

// genSchedule generates schedules whose endpoints step through table (nil
// for the generated one).
func genSchedule(table *tcpfsm.Table) gopter.Gen {
	choices := gen.SliceOf(gen.UInt8())
	return func(p *gopter.GenParameters) *gopter.GenResult {
		r := p.Rng
		iss := [2]gopter.Gen{genSeq(), genSeq()}
		var s schedule
		c := &s.Config
		c.Table = table
		c.Loss = r.Intn(8) != 0
		c.Reorder = r.Intn(8) != 0
		c.Capacity = 2 + r.Intn(tcpworld.MaxCapacity-1)
		c.Dup = r.Intn(tcpworld.MaxDup + 1)
		c.Retries = 1 + r.Intn(maxRetries)
		if r.Intn(16) == 0 {
			c.Retries = 0
		}
		c.Data = r.Intn(maxData + 1)
		c.MSS = 1 + r.Intn(maxMSS)
		if !small(*c) || r.Intn(4) == 0 {
			// Window-limited sends and probes, and a bound on the
			// segments a step sends.
			c.Window = uint32(1 + r.Intn(maxStepData*c.MSS))
		}
		for i := range c.ISS {
			v, _ := iss[i](p).Retrieve()
			c.ISS[i] = v.(tcpfsm.Seq)
		}
		c.RFC1337 = r.Intn(4) == 0
		c.Open = tcpworld.OpenMode(r.Intn(3))
		c.Abort = r.Intn(4) == 0
		cr := choices(p)
		v, _ := cr.Retrieve()
		s.Choices = v.([]uint8)
		return gopter.NewGenResult(s, scheduleShrinker)
	}
}

// scheduleShrinker shrinks the choice sequence: first by removing runs of
// choices (halves, quarters, ... single ones), then by setting one choice
// at a time to 0 (the first enabled action). Then it shrinks the
// configuration towards the checker's small world, one knob at a time:
// less data, fewer duplications, fewer retries, a 1-byte MSS, the default
// window, fewer segments in flight, no ABORT, no RFC 1337; the initial
// sequence numbers stay. Each candidate costs a whole run, so it proposes
// few.
func scheduleShrinker(v any) gopter.Shrink {
	s := v.(schedule)
	zero := func(v any) gopter.Shrink {
		if v.(uint8) == 0 {
			return gopter.NoShrink
		}
		return listShrink([]any{uint8(0)})
	}
	choices := gen.SliceShrinker(zero)(s.Choices).Map(func(c []uint8) schedule {
		t := s
		t.Choices = c
		return t
	})
	var knobs []any
	try := func(f func(c *tcpworld.Config)) {
		t := s
		f(&t.Config)
		for _, k := range knobs {
			if k.(schedule).Config == t.Config {
				return
			}
		}
		if t.Config != s.Config && small(t.Config) {
			knobs = append(knobs, t)
		}
	}
	// less proposes lo, half and one less than the knob, if smaller.
	less := func(knob func(*tcpworld.Config) *int, lo int) {
		cur := *knob(&s.Config)
		for _, m := range []int{lo, cur / 2, cur - 1} {
			if m >= lo && m < cur {
				try(func(c *tcpworld.Config) { *knob(c) = m })
			}
		}
	}
	less(func(c *tcpworld.Config) *int { return &c.Data }, 0)
	less(func(c *tcpworld.Config) *int { return &c.Dup }, 0)
	less(func(c *tcpworld.Config) *int { return &c.Retries }, 1)
	less(func(c *tcpworld.Config) *int { return &c.MSS }, 1)
	less(func(c *tcpworld.Config) *int { return &c.Capacity }, 1)
	try(func(c *tcpworld.Config) { c.Window = 0 })
	try(func(c *tcpworld.Config) { c.Abort = false })
	try(func(c *tcpworld.Config) { c.RFC1337 = false })
	return gopter.ConcatShrinks(choices, listShrink(knobs))
}

// listShrink proposes the values of vs in order.
func listShrink(vs []any) gopter.Shrink {
	return func() (any, bool) {
		if len(vs) == 0 {
			return nil, false
		}
		v := vs[0]
		vs = vs[1:]
		return v, true
	}
}

// run is what happened in one schedule.
type run struct {
	sys     *tcpworld.System
	init    tcpworld.World
	initIdx int
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

// runSchedule runs s to its end, or to the first violation. obs, if not
// nil, records the Endpoints' table steps and how far the run got.
func runSchedule(s schedule, obs *observer) *run {
	sys, err := tcpworld.New(s.Config)
	if err != nil {
		return &run{violated: "valid configuration", detail: err.Error()}
	}
	r := &run{sys: sys}
	var inits []tcpworld.World
	sys.Init(func(w tcpworld.World) { inits = append(inits, w) })
	if s.Config.Abort && len(inits) > 1 {
		r.initIdx = 1
	}
	r.init = inits[r.initIdx]
	w := r.init

	// The world's invariants, the ones the checker checks on every state,
	// and its examples, which the runs together must reach.
	var always, sometimes []model.Property[tcpworld.World]
	var listed []string
	for _, p := range sys.Properties() {
		switch p.Kind {
		case model.KindAlways:
			always = append(always, p)
		case model.KindSometimes:
			sometimes = append(sometimes, p)
			listed = append(listed, p.Name)
		}
	}
	reached := map[string]bool{}
	var cov *coverage
	if obs != nil && s.Config.Table == nil {
		cov = obs.cov
	}
	fail := func(name, format string, args ...any) {
		r.violated, r.detail = name, fmt.Sprintf(format, args...)
	}
	// The default policy is deterministic: if it comes back to a state,
	// it goes round that cycle for ever.
	seen := map[tcpworld.World]int{}
	for step := 0; ; step++ {
		acts := sys.Actions(w)
		if len(acts) == 0 {
			break
		}
		if step == stepBound {
			fail(propEnds, "%d steps, still %d actions enabled: %v", stepBound, len(acts), w)
			break
		}
		var a tcpworld.Action
		if r.used < len(s.Choices) {
			a = pick(acts, s.Choices[r.used])
			r.used++
		} else {
			if at, ok := seen[w]; ok {
				fail(propEnds, "the default policy is back in the state of step %d: it goes round for ever", at)
				break
			}
			seen[w] = step
			a = policy(acts)
		}
		next, rep, err := sys.Step(w, a)
		if err != nil {
			fail("enabled actions apply", "%v", err)
			break
		}
		w = next
		r.actions = append(r.actions, a)
		r.reports = append(r.reports, rep)
		cov.record(rep.Step)
		for _, p := range sometimes {
			if !reached[p.Name] && p.Pred(w) {
				reached[p.Name] = true
			}
		}

		// Checked here, independently of the world's bookkeeping.
		if st := rep.Step; st.Taken && !st.OK && st.Event.Kind() != tcpfsm.KindCall {
			fail(tcpworld.PropNoErrorRow, "%v: %v %v stepped through the error row at tcp.fsm:%d", rep.Stepped, st.From, st.Event, rowLine(s.Config.Table, st.Row))
			break
		}
		for side := tcpworld.A; side <= tcpworld.B; side++ {
			e := sys.Endpoint(w, side)
			if e.State() >= tcpfsm.NumStates {
				fail(tcpworld.PropInvariants, "%v left the table's states: %v", side, e.State())
			} else if err := e.CheckInvariants(); err != nil {
				fail(tcpworld.PropInvariants, "%v: %v", side, err)
			}
		}
		if r.violated != "" {
			break
		}
		// The world's named invariants.
		for _, p := range always {
			if !p.Pred(w) {
				f, side := w.Fault()
				d := fmt.Sprint(w)
				if f != tcpworld.NoFault {
					d = fmt.Sprintf("%v: %v", side, f)
				} else if err := w.InvariantError(); err != nil {
					d = err.Error()
				}
				fail(p.Name, "%s", d)
				break
			}
		}
		if r.violated != "" {
			break
		}
	}
	r.final = w
	if r.violated == "" && !w.CleanEnd() {
		fail(tcpworld.PropBothClosed, "the run ended with %v in %v and %v in %v, %d segments in flight",
			tcpworld.A, w.State(tcpworld.A), tcpworld.B, w.State(tcpworld.B), len(sys.InFlight(w)))
	}
	obs.add(r, listed, reached)
	return r
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
