package tcpfsm_test

// The Endpoint harness of the tests of package tcpfsm: connections
// (conn), the calls they make and the assertions about each call's
// Output. Segment templates and fixtures are in
// endpoint_fixtures_test.go.
//
// The harness follows the smoltcp test style: fixtures build each state
// from the one before it, segment templates spell segments as the RFC
// writes them, and each call is followed by assertions that the Output
// holds what they name. On a strict connection (the conformance suite's)
// an assertion not made is an assertion that nothing happened: no
// segment, no state change, nothing told, no error, no timer command,
// nothing acknowledged. After every call, on every connection, the
// harness also checks the Endpoint's invariants, that a segment or a
// timer never lands on an error row of the table, that the timer commands
// agree with the timers the Endpoint says are running, and that a Poll
// right after the call would send nothing more ("then nothing").

import (
	"fmt"
	"testing"
	"time"

	. "github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/variant"
)

// ctx is the context of the connections of one test: a scenario run of
// the conformance suite, or a plain test (see plain).
type ctx struct {
	t     testing.TB
	b     base
	sc    scenario
	rec   *recorder
	loose bool // its connections are loose (see conn)
	conns []*conn
}

// plain returns the context of a test outside the conformance suite: our
// ISS 100 and the peer's 300 (the first of bases), no rule to name, and
// loose connections.
func plain(t testing.TB) *ctx {
	return &ctx{t: t, b: bases[0], sc: scenario{name: t.Name()}, loose: true}
}

// I returns our sequence number ISS+n (n may be negative), modulo 2^32.
func (x *ctx) I(n int) Seq { return x.b.iss + Seq(uint32(n)) }

// R returns the peer's sequence number IRS+n, modulo 2^32.
func (x *ctx) R(n int) Seq { return x.b.irs + Seq(uint32(n)) }

// fatalf fails the test, naming the rule its scenario checks.
func (x *ctx) fatalf(format string, args ...any) {
	x.t.Helper()
	if x.sc.rule == "" {
		x.t.Fatalf(format, args...)
	}
	x.t.Fatalf("%s\n\trule: %s", fmt.Sprintf(format, args...), x.sc.rule)
}

// conn is an Endpoint under test, with the Output of its last call and
// what has been asserted about it. A strict connection (the conformance
// suite's) requires every part of an Output that no assertion names to be
// empty; a loose one (a plain test's) requires only what its assertions
// name (and leaves Output.More to sends). Both get the checks of every
// call (see do).
type conn struct {
	x       *ctx
	name    string
	e       Endpoint
	cfg     Config // as given, before defaults
	rcvWnd  uint32 // the window our segments offer
	loose   bool
	filling bool // the call in progress may fill the Output (sendFull)

	out     Output
	call    string // the last call, for messages
	before  State  // the state before it
	pending bool   // the last call's Output is not settled yet
	checked checked

	running [NumTimers]bool // the timers the commands so far leave running
}

// checked records which parts of an Output a scenario has asserted.
type checked struct {
	segs, state, tell, data, err, acked bool
	timers                              [NumTimers]bool
}

// The defaults of Config, as documented; the suite computes expected
// durations from them rather than asking the Endpoint.
func rtoOf(cfg Config) time.Duration {
	if cfg.RTO <= 0 {
		return DefaultRTO
	}
	return cfg.RTO
}

func maxRTOOf(cfg Config) time.Duration {
	m := cfg.MaxRTO
	if m <= 0 {
		m = DefaultMaxRTO
	}
	return max(m, rtoOf(cfg))
}

func timeWaitOf(cfg Config) time.Duration {
	if cfg.TimeWait <= 0 {
		return DefaultTimeWait
	}
	return cfg.TimeWait
}

func finWait2Of(cfg Config) time.Duration {
	if cfg.FinWait2 == 0 {
		return DefaultFinWait2
	}
	return cfg.FinWait2
}

// newConn returns a CLOSED connection named name with configuration cfg
// and our ISS from the base.
func (x *ctx) newConn(name string, iss Seq, cfg Config) *conn {
	cfg.ISS = iss
	w := cfg.RcvWnd
	if w == 0 {
		w = DefaultRcvWnd
	}
	c := &conn{x: x, name: name, e: NewEndpoint(cfg), cfg: cfg, rcvWnd: w, loose: x.loose}
	x.conns = append(x.conns, c)
	return c
}

func (c *conn) fatalf(format string, args ...any) {
	c.x.t.Helper()
	c.x.fatalf("%s: %s (in %v, after %s)", c.name, fmt.Sprintf(format, args...), c.e.State(), c.call)
}

// do makes one call on the Endpoint and checks what must hold after any
// call.
func (c *conn) do(call string, f func(*Output)) *conn {
	c.x.t.Helper()
	c.settle()
	c.call, c.before = call, c.e.State()
	f(&c.out)
	c.pending, c.checked = true, checked{}

	if err := c.e.CheckInvariants(); err != nil {
		c.fatalf("invariant broken: %v", err)
	}
	c.checkStep()
	c.checkTimers()

	// Then nothing: the call sent all it could, unless it may leave the
	// rest to Poll (sendFull; on a loose connection, any call that sends
	// asserts it with sends).
	switch {
	case c.filling && !c.out.More:
		c.fatalf("Output.More not set: the call's segments fit one Output")
	case c.filling, c.loose && c.out.More:
	case c.out.More:
		c.fatalf("Output.More set: the call left segments for Poll")
	default:
		cp := c.e
		var o Output
		cp.Poll(&o)
		if o.NSegs != 0 || o.More {
			c.fatalf("a Poll right after the call sends %v", segsString(o.Segments()))
		}
	}
	if c.loose {
		c.anything()
	}
	return c
}

// checkStep checks the table step of the last call: it agrees with the
// Endpoint, no segment or timer reached an error row, and a refused user
// call, and only that, answers an error.
func (c *conn) checkStep() {
	c.x.t.Helper()
	st := c.out.Step
	if !st.Taken {
		return
	}
	if st.From != c.before || st.To != c.e.State() {
		c.fatalf("Step says %v -> %v, the Endpoint went %v -> %v", st.From, st.To, c.before, c.e.State())
	}
	if st.Row < 0 || st.Row >= c.rows() {
		c.fatalf("Step.Row %d out of range", st.Row)
	}
	if c.x.rec != nil {
		c.x.rec.step(st)
	}
	if !st.OK {
		if st.Event.Kind() != KindCall {
			c.fatalf("%v in %v reached the error row at %s: the Endpoint produced a pair it must never produce",
				st.Event, st.From, c.rowPos(st.Row))
		}
		if c.out.Err == nil || st.To != st.From {
			c.fatalf("refused user call without an error, or with a state change (Err %v)", c.out.Err)
		}
	} else if c.out.Err != nil {
		c.fatalf("Err %v on a step the table accepted", c.out.Err)
	}
}

// rows is the number of rows of the table the Endpoint steps through.
func (c *conn) rows() int {
	if t := c.e.Table(); t != nil {
		return len(variant.Machine(t).Rows)
	}
	return len(Rows)
}

// rowPos is where a row of the table the Endpoint steps through is.
func (c *conn) rowPos(row int) string {
	if t := c.e.Table(); t != nil {
		return variant.Machine(t).Rows[row].Pos.String()
	}
	return fmt.Sprintf("tcp.fsm:%d", Rows[row].Line)
}

// checkTimers checks that the timer commands tell the truth about the
// timers.
func (c *conn) checkTimers() {
	c.x.t.Helper()
	for tm := Timer(0); tm < NumTimers; tm++ {
		switch cmd := c.out.Timers[tm]; cmd.Op {
		case TimerArm:
			if cmd.After <= 0 {
				c.fatalf("%v timer armed for %v", tm, cmd.After)
			}
			c.running[tm] = true
		case TimerCancel:
			if !c.running[tm] {
				c.fatalf("%v timer cancelled, but no command armed it", tm)
			}
			c.running[tm] = false
		}
		if c.running[tm] != c.e.Armed(tm) {
			c.fatalf("%v timer: the commands leave it running=%v, Armed says %v", tm, c.running[tm], c.e.Armed(tm))
		}
	}
}

// The user calls, timer expiries and arriving segments.

func (c *conn) openPassive() *conn { c.x.t.Helper(); return c.do("OPEN passive", c.e.OpenPassive) }
func (c *conn) openActive() *conn  { c.x.t.Helper(); return c.do("OPEN active", c.e.OpenActive) }
func (c *conn) close() *conn       { c.x.t.Helper(); return c.do("CLOSE", c.e.Close) }
func (c *conn) abort() *conn       { c.x.t.Helper(); return c.do("ABORT", c.e.Abort) }
func (c *conn) send(n int) *conn {
	c.x.t.Helper()
	return c.do(fmt.Sprintf("SEND %d", n), func(o *Output) { c.e.Send(n, o) })
}
func (c *conn) recv(s Segment) *conn {
	c.x.t.Helper()
	return c.do("receiving "+s.String(), func(o *Output) { c.e.Segment(s, o) })
}
func (c *conn) poll() *conn { c.x.t.Helper(); return c.do("POLL", c.e.Poll) }

// sendFull makes a SEND whose segments do not fit one Output: Output.More
// must be set, and Poll sends the rest.
func (c *conn) sendFull(n int) *conn {
	c.x.t.Helper()
	c.filling = true
	defer func() { c.filling = false }()
	return c.send(n)
}

// fire runs out timer tm, which must be running.
func (c *conn) fire(tm Timer) *conn {
	c.x.t.Helper()
	if !c.running[tm] {
		c.fatalf("the scenario fires the %v timer, which is not running", tm)
	}
	c.running[tm] = false // an expiry stops the timer
	c.do(tm.String()+" timeout", func(o *Output) { c.e.Timeout(tm, o) })
	if !c.out.Step.Taken {
		c.fatalf("%v timeout took no step", tm)
	}
	return c
}

// timeout reports timer tm as run out, whether it runs (fire) or not
// (fireStale).
func (c *conn) timeout(tm Timer) *conn {
	c.x.t.Helper()
	if c.running[tm] {
		return c.fire(tm)
	}
	return c.fireStale(tm)
}

// fireStale reports timer tm as run out though it is not running: the
// Endpoint must ignore it.
func (c *conn) fireStale(tm Timer) *conn {
	c.x.t.Helper()
	if c.running[tm] {
		c.fatalf("fireStale: the %v timer is running", tm)
	}
	c.do("stale "+tm.String()+" timeout", func(o *Output) { c.e.Timeout(tm, o) })
	if c.out.Step.Taken {
		c.fatalf("a timeout of the %v timer, not running, took a step: %+v", tm, c.out.Step)
	}
	return c
}

// bugIf skips the scenario, reporting a disagreement with the RFC, when
// cond holds: the Endpoint did not do what the rule says. The scenario
// goes on (and so passes) once the Endpoint does, so the skip disappears
// with the bug.
func (c *conn) bugIf(cond bool, format string, args ...any) {
	c.x.t.Helper()
	if cond {
		c.x.t.Skipf("BUG: %s: %s (in %v, after %s; rule: %s)",
			c.name, fmt.Sprintf(format, args...), c.e.State(), c.call, c.x.sc.rule)
	}
}

// settle checks that the last call did nothing beyond what was asserted.
func (c *conn) settle() {
	c.x.t.Helper()
	if !c.pending {
		return
	}
	c.pending = false
	ck, o := c.checked, &c.out
	if !ck.segs && o.NSegs != 0 {
		c.fatalf("sent %s, want nothing", segsString(o.Segments()))
	}
	if !ck.state && c.e.State() != c.before {
		c.fatalf("went from %v to %v, want no change", c.before, c.e.State())
	}
	if !ck.tell && o.Tell != 0 {
		c.fatalf("told the user %q, want nothing", o.Tell)
	}
	if o.Tell&TellData != 0 && !ck.data {
		c.fatalf("told of data %+v (skip %d) that the scenario does not check", o.Data, o.DataSkip)
	}
	if !ck.err && o.Err != nil {
		c.fatalf("Err %v, want none", o.Err)
	}
	if !ck.acked && o.Acked != 0 {
		c.fatalf("acknowledged %d bytes, want none", o.Acked)
	}
	for tm := Timer(0); tm < NumTimers; tm++ {
		if !ck.timers[tm] && o.Timers[tm].Op != TimerKeep {
			c.fatalf("%v timer command %+v, want none", tm, o.Timers[tm])
		}
	}
}

// Assertions about the last call.

// anything marks the last call's Output as checked: what it holds needs
// no assertion (a loose connection, the classifier sweep and the fuzz
// targets assert only what must hold after any call).
func (c *conn) anything() *conn {
	c.checked = checked{true, true, true, true, true, true, [NumTimers]bool{true, true, true}}
	return c
}

// sends asserts that the call sent exactly segs, in order, and nothing
// else, and left nothing for Poll. The stream offset of a segment is
// compared when it carries data.
func (c *conn) sends(segs ...OutSegment) *conn {
	c.x.t.Helper()
	c.checked.segs = true
	if c.out.More {
		c.fatalf("Output.More set: the call left segments for Poll, want nothing more")
	}
	got := c.out.Segments()
	same := len(got) == len(segs)
	for i := 0; same && i < len(got); i++ {
		same = got[i].Segment == segs[i].Segment && (got[i].Len == 0 || got[i].Off == segs[i].Off)
	}
	if !same {
		c.fatalf("sent\n\t%s\nwant\n\t%s", segsString(got), segsString(segs))
	}
	return c
}

func (c *conn) state(s State) *conn {
	c.x.t.Helper()
	c.checked.state = true
	if c.e.State() != s {
		c.fatalf("state %v, want %v", c.e.State(), s)
	}
	return c
}

// tells asserts exactly what the user was told.
func (c *conn) tells(want Tell) *conn {
	c.x.t.Helper()
	c.checked.tell = true
	if c.out.Tell != want {
		c.fatalf("told %q, want %q", c.out.Tell, want)
	}
	return c
}

// data asserts the received data the user was told of: n bytes of the
// receive stream from offset off, at byte skip of the segment's text.
func (c *conn) data(off uint64, n uint32, skip uint32) *conn {
	c.x.t.Helper()
	c.checked.data = true
	if c.out.Tell&TellData == 0 {
		c.fatalf("no data told, want %d bytes at %d", n, off)
	}
	if c.out.Data != (Range{Off: off, Len: n}) || c.out.DataSkip != skip {
		c.fatalf("data %+v skip %d, want %+v skip %d", c.out.Data, c.out.DataSkip, Range{Off: off, Len: n}, skip)
	}
	return c
}

func (c *conn) err(want error) *conn {
	c.x.t.Helper()
	c.checked.err = true
	if c.out.Err != want {
		c.fatalf("Err %v, want %v", c.out.Err, want)
	}
	return c
}

// acked asserts how many bytes of the send stream were newly
// acknowledged.
func (c *conn) acked(n uint64) *conn {
	c.x.t.Helper()
	c.checked.acked = true
	if c.out.Acked != n {
		c.fatalf("acknowledged %d bytes, want %d", c.out.Acked, n)
	}
	return c
}

func (c *conn) timer(tm Timer, want TimerCmd) *conn {
	c.x.t.Helper()
	c.checked.timers[tm] = true
	if got := c.out.Timers[tm]; got != want {
		c.fatalf("%v timer command %+v, want %+v", tm, got, want)
	}
	return c
}

// arms asserts that the call (re)started timer tm for d.
func (c *conn) arms(tm Timer, d time.Duration) *conn {
	c.x.t.Helper()
	return c.timer(tm, TimerCmd{Op: TimerArm, After: d})
}

// cancels asserts that the call stopped timer tm.
func (c *conn) cancels(tm Timer) *conn {
	c.x.t.Helper()
	return c.timer(tm, TimerCmd{Op: TimerCancel})
}

// cancelsAll asserts that the call stopped each of the timers in tms.
func (c *conn) cancelsAll(tms []Timer) *conn {
	c.x.t.Helper()
	for _, tm := range tms {
		c.cancels(tm)
	}
	return c
}

// vars asserts SND.UNA, SND.NXT and RCV.NXT.
func (c *conn) vars(una, nxt, rcvNxt Seq) *conn {
	c.x.t.Helper()
	if c.e.SndUna() != una || c.e.SndNxt() != nxt || c.e.RcvNxt() != rcvNxt {
		c.fatalf("SND.UNA=%d SND.NXT=%d RCV.NXT=%d, want %d %d %d",
			c.e.SndUna(), c.e.SndNxt(), c.e.RcvNxt(), una, nxt, rcvNxt)
	}
	return c
}

// sndWnd asserts SND.WND.
func (c *conn) sndWnd(w uint32) *conn {
	c.x.t.Helper()
	if c.e.SndWnd() != w {
		c.fatalf("SND.WND=%d, want %d", c.e.SndWnd(), w)
	}
	return c
}

// rto returns the retransmission timeout after k doublings, as RFC 6298
// section 5.5 backs it off, capped at the configured maximum.
func (c *conn) rto(k int) time.Duration {
	d, m := rtoOf(c.cfg), maxRTOOf(c.cfg)
	for ; k > 0 && d < m; k-- {
		d *= 2
	}
	return min(d, m)
}

func segsString(segs []OutSegment) string {
	if len(segs) == 0 {
		return "nothing"
	}
	s := ""
	for i, g := range segs {
		if i > 0 {
			s += " "
		}
		s += g.Segment.String()
		if g.Len > 0 {
			s += fmt.Sprintf("[off %d]", g.Off)
		}
	}
	return s
}
