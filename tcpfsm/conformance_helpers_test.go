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
//	conformance_segment_test.go   acceptability, ACK field, text, FIN, closes
//	conformance_timer_test.go     retransmission, TIME-WAIT, FIN-WAIT-2
//	conformance_coverage_test.go  every row of spec/tcp.fsm is exercised; the
//	                              classifier sweep and the fuzz target
//	conformance_alloc_test.go     no Endpoint method allocates
//	conformance_internal_test.go  the acceptability test's zero-window cases
//
// Every scenario runs once per base (see bases): the sequence numbers in a
// scenario are written relative to our ISS and the peer's IRS, never as
// literals, so the same scenario runs again with both spaces about to wrap
// around 2^32.
//
// The harness follows the smoltcp test style: fixtures build each state
// from the one before it, segment templates spell segments as the RFC
// writes them, and each call is followed by assertions that the Output
// holds exactly what they name and nothing else. An assertion not made is
// an assertion that nothing happened: no segment, no state change, nothing
// told, no error, no timer command, nothing acknowledged. After every call
// the harness also checks the Endpoint's invariants, that a segment or a
// timer never lands on an error row of the table, that the timer commands
// agree with the timers the Endpoint says are running, and that a Poll
// right after the call would send nothing more ("then nothing").

import (
	"fmt"
	"slices"
	"testing"
	"time"

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

// peerWnd is the window the peer offers in every segment of the templates.
const peerWnd uint32 = 8192

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

// ctx is the context of one scenario run.
type ctx struct {
	t     *testing.T
	b     base
	sc    scenario
	rec   *recorder
	conns []*conn
}

// I returns our sequence number ISS+n (n may be negative), modulo 2^32.
func (x *ctx) I(n int) Seq { return x.b.iss + Seq(uint32(n)) }

// R returns the peer's sequence number IRS+n, modulo 2^32.
func (x *ctx) R(n int) Seq { return x.b.irs + Seq(uint32(n)) }

// fatalf fails the scenario, naming the rule it checks.
func (x *ctx) fatalf(format string, args ...any) {
	x.t.Helper()
	x.t.Fatalf("%s\n\trule: %s", fmt.Sprintf(format, args...), x.sc.rule)
}

// ----------------------------------------------------------------------------
// Segment templates. What the peer sends us:

func inSyn(seq Seq) Segment { return Segment{Flags: FlagSYN, Seq: seq, Wnd: peerWnd} }
func inSynAck(seq, ack Seq) Segment {
	return Segment{Flags: FlagSYN | FlagACK, Seq: seq, Ack: ack, Wnd: peerWnd}
}
func inAck(seq, ack Seq) Segment { return Segment{Flags: FlagACK, Seq: seq, Ack: ack, Wnd: peerWnd} }
func inData(seq, ack Seq, n uint32) Segment {
	return Segment{Flags: FlagACK, Seq: seq, Ack: ack, Len: n, Wnd: peerWnd}
}
func inFin(seq, ack Seq) Segment {
	return Segment{Flags: FlagFIN | FlagACK, Seq: seq, Ack: ack, Wnd: peerWnd}
}
func inDataFin(seq, ack Seq, n uint32) Segment {
	return Segment{Flags: FlagFIN | FlagACK, Seq: seq, Ack: ack, Len: n, Wnd: peerWnd}
}
func inRst(seq Seq) Segment         { return Segment{Flags: FlagRST, Seq: seq} }
func inRstAck(seq, ack Seq) Segment { return Segment{Flags: FlagRST | FlagACK, Seq: seq, Ack: ack} }

// withWnd returns s offering window w.
func withWnd(s Segment, w uint32) Segment { s.Wnd = w; return s }

// What we send. Our segments other than resets offer our receive window,
// so the templates are methods of the connection.

func (c *conn) outSyn(seq Seq) OutSegment {
	return OutSegment{Segment: Segment{Flags: FlagSYN, Seq: seq, Wnd: c.rcvWnd}}
}
func (c *conn) outSynAck(seq, ack Seq) OutSegment {
	return OutSegment{Segment: Segment{Flags: FlagSYN | FlagACK, Seq: seq, Ack: ack, Wnd: c.rcvWnd}}
}
func (c *conn) outAck(seq, ack Seq) OutSegment {
	return OutSegment{Segment: Segment{Flags: FlagACK, Seq: seq, Ack: ack, Wnd: c.rcvWnd}}
}

// outData is n bytes of the send stream from offset off.
func (c *conn) outData(seq, ack Seq, n uint32, off uint64) OutSegment {
	return OutSegment{Segment: Segment{Flags: FlagACK, Seq: seq, Ack: ack, Len: n, Wnd: c.rcvWnd}, Off: off}
}
func (c *conn) outFin(seq, ack Seq) OutSegment {
	return OutSegment{Segment: Segment{Flags: FlagFIN | FlagACK, Seq: seq, Ack: ack, Wnd: c.rcvWnd}}
}
func (c *conn) outDataFin(seq, ack Seq, n uint32, off uint64) OutSegment {
	s := c.outData(seq, ack, n, off)
	s.Flags |= FlagFIN
	return s
}

// outRst is <SEQ=seq><CTL=RST>.
func outRst(seq Seq) OutSegment { return OutSegment{Segment: Segment{Flags: FlagRST, Seq: seq}} }

// outRstAck is <SEQ=0><ACK=ack><CTL=RST,ACK>.
func outRstAck(ack Seq) OutSegment {
	return OutSegment{Segment: Segment{Flags: FlagRST | FlagACK, Ack: ack}}
}

// ----------------------------------------------------------------------------
// Connections.

// conn is an Endpoint under test, with the Output of its last call and
// what has been asserted about it.
type conn struct {
	x      *ctx
	name   string
	e      Endpoint
	cfg    Config // as given, before defaults
	rcvWnd uint32 // the window our segments offer

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
	c := &conn{x: x, name: name, e: NewEndpoint(cfg), cfg: cfg, rcvWnd: w}
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
	st := c.out.Step
	if st.Taken {
		if st.From != c.before || st.To != c.e.State() {
			c.fatalf("Step says %v -> %v, the Endpoint went %v -> %v", st.From, st.To, c.before, c.e.State())
		}
		if st.Row < 0 || st.Row >= len(Rows) {
			c.fatalf("Step.Row %d out of range", st.Row)
		}
		if c.x.rec != nil {
			c.x.rec.step(st)
		}
		if !st.OK {
			if st.Event.Kind() != KindCall {
				c.fatalf("%v in %v reached the error row at tcp.fsm:%d: the Endpoint produced a pair it must never produce",
					st.Event, st.From, Rows[st.Row].Line)
			}
			if c.out.Err == nil || st.To != st.From {
				c.fatalf("refused user call without an error, or with a state change (Err %v)", c.out.Err)
			}
		} else if c.out.Err != nil {
			c.fatalf("Err %v on a step the table accepted", c.out.Err)
		}
	}

	// The timer commands must tell the truth about the timers.
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

	// Then nothing: the call sent all it could.
	if c.out.More {
		c.fatalf("Output.More set: the call left segments for Poll")
	}
	cp := c.e
	var o Output
	cp.Poll(&o)
	if o.NSegs != 0 || o.More {
		c.fatalf("a Poll right after the call sends %v", segsString(o.Segments()))
	}
	return c
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

// sends asserts that the call sent exactly segs, in order, and nothing
// else. The stream offset of a segment is compared when it carries data.
func (c *conn) sends(segs ...OutSegment) *conn {
	c.x.t.Helper()
	c.checked.segs = true
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

// ----------------------------------------------------------------------------
// Fixtures, each built from the one before, with every step asserted. They
// take an optional Config (our ISS always comes from the base).

func cfgOf(cfg []Config) Config {
	if len(cfg) > 0 {
		return cfg[0]
	}
	return Config{}
}

func (x *ctx) closed(cfg ...Config) *conn {
	return x.newConn("us", x.I(0), cfgOf(cfg))
}

func (x *ctx) listen(cfg ...Config) *conn {
	c := x.closed(cfg...)
	c.openPassive().state(StateListen)
	return c
}

func (x *ctx) synSent(cfg ...Config) *conn {
	c := x.closed(cfg...)
	c.openActive().sends(c.outSyn(x.I(0))).state(StateSynSent).arms(TimerRetx, c.rto(0))
	return c
}

// synReceived is SYN-RECEIVED after a passive OPEN.
func (x *ctx) synReceived(cfg ...Config) *conn {
	c := x.listen(cfg...)
	c.recv(inSyn(x.R(0))).sends(c.outSynAck(x.I(0), x.R(1))).state(StateSynReceived).arms(TimerRetx, c.rto(0))
	return c
}

// synReceivedActive is SYN-RECEIVED after an active OPEN: a simultaneous
// open.
func (x *ctx) synReceivedActive(cfg ...Config) *conn {
	c := x.synSent(cfg...)
	c.recv(inSyn(x.R(0))).sends(c.outSynAck(x.I(0), x.R(1))).state(StateSynReceived)
	return c
}

// established is ESTABLISHED after a passive OPEN: SND.NXT = ISS+1,
// RCV.NXT = IRS+1.
func (x *ctx) established(cfg ...Config) *conn {
	c := x.synReceived(cfg...)
	c.recv(inAck(x.R(1), x.I(1))).state(StateEstablished).tells(TellEstablished).cancels(TimerRetx)
	return c
}

// finWait1 has our FIN at ISS+1 outstanding.
func (x *ctx) finWait1(cfg ...Config) *conn {
	c := x.established(cfg...)
	c.close().sends(c.outFin(x.I(1), x.R(1))).state(StateFinWait1).arms(TimerRetx, c.rto(0))
	return c
}

// finWait1SynOutstanding is FIN-WAIT-1 after a CLOSE in SYN-RECEIVED:
// our SYN and our FIN are both outstanding.
func (x *ctx) finWait1SynOutstanding(cfg ...Config) *conn {
	c := x.synReceived(cfg...)
	c.close().sends(c.outFin(x.I(1), x.R(1))).state(StateFinWait1)
	return c
}

func (x *ctx) finWait2(cfg ...Config) *conn {
	c := x.finWait1(cfg...)
	c.recv(inAck(x.R(1), x.I(2))).state(StateFinWait2).cancels(TimerRetx)
	if d := finWait2Of(c.cfg); d > 0 {
		c.arms(TimerFinWait2, d)
	}
	return c
}

// closeWait has the peer's FIN at IRS+1 taken: RCV.NXT = IRS+2.
func (x *ctx) closeWait(cfg ...Config) *conn {
	c := x.established(cfg...)
	c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(1), x.R(2))).state(StateCloseWait).tells(TellEOF)
	return c
}

func (x *ctx) lastAck(cfg ...Config) *conn {
	c := x.closeWait(cfg...)
	c.close().sends(c.outFin(x.I(1), x.R(2))).state(StateLastAck).arms(TimerRetx, c.rto(0))
	return c
}

func (x *ctx) closing(cfg ...Config) *conn {
	c := x.finWait1(cfg...)
	c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(2), x.R(2))).state(StateClosing).tells(TellEOF)
	return c
}

func (x *ctx) timeWait(cfg ...Config) *conn {
	c := x.finWait2(cfg...)
	c.recv(inFin(x.R(1), x.I(2))).sends(c.outAck(x.I(2), x.R(2))).state(StateTimeWait).tells(TellEOF).
		arms(TimerTimeWait, timeWaitOf(c.cfg))
	if finWait2Of(c.cfg) > 0 {
		c.cancels(TimerFinWait2)
	}
	return c
}

// fixture is a connection in a known state, with the numbers the RFC
// gives it there: SND.UNA and SND.NXT as ISS+n, RCV.NXT as IRS+n, and the
// timers that run in it.
type fixture struct {
	name    string // as in scenario names: syn_received_passive
	state   State
	make    func(*ctx, ...Config) *conn
	una     int
	nxt     int
	rcv     int
	running []Timer
}

// The fixtures of the synchronized states (RFC 9293 section 3.10.7.4).
var synchronizedFixtures = []fixture{
	{"syn_received_passive", StateSynReceived, (*ctx).synReceived, 0, 1, 1, []Timer{TimerRetx}},
	{"syn_received_active", StateSynReceived, (*ctx).synReceivedActive, 0, 1, 1, []Timer{TimerRetx}},
	{"established", StateEstablished, (*ctx).established, 1, 1, 1, nil},
	{"fin_wait_1", StateFinWait1, (*ctx).finWait1, 1, 2, 1, []Timer{TimerRetx}},
	{"fin_wait_2", StateFinWait2, (*ctx).finWait2, 2, 2, 1, []Timer{TimerFinWait2}},
	{"close_wait", StateCloseWait, (*ctx).closeWait, 1, 1, 2, nil},
	{"closing", StateClosing, (*ctx).closing, 1, 2, 2, []Timer{TimerRetx}},
	{"last_ack", StateLastAck, (*ctx).lastAck, 1, 2, 2, []Timer{TimerRetx}},
	{"time_wait", StateTimeWait, (*ctx).timeWait, 2, 2, 2, []Timer{TimerTimeWait}},
}

// allFixtures has one fixture per state, in State order.
var allFixtures = append([]fixture{
	{"closed", StateClosed, (*ctx).closed, 0, 0, 0, nil},
	{"listen", StateListen, (*ctx).listen, 0, 0, 0, nil},
	{"syn_sent", StateSynSent, (*ctx).synSent, 0, 1, 0, []Timer{TimerRetx}},
}, slices.Delete(slices.Clone(synchronizedFixtures), 1, 2)...)

// build builds the fixture and checks its numbers and timers.
func (f fixture) build(x *ctx, cfg ...Config) *conn {
	x.t.Helper()
	c := f.make(x, cfg...)
	c.settle()
	if c.e.State() != f.state {
		c.fatalf("fixture %s in %v", f.name, c.e.State())
	}
	if f.state != StateClosed && f.state != StateListen {
		rcv := x.R(f.rcv)
		if f.state == StateSynSent {
			rcv = c.e.RcvNxt() // not yet known
		}
		c.vars(x.I(f.una), x.I(f.nxt), rcv)
	}
	for tm := Timer(0); tm < NumTimers; tm++ {
		if c.e.Armed(tm) != slices.Contains(f.running, tm) {
			c.fatalf("fixture %s: %v timer running=%v", f.name, tm, c.e.Armed(tm))
		}
	}
	return c
}

// snd and rcvNxt are the fixture's SND.NXT and RCV.NXT.
func (f fixture) snd(x *ctx) Seq    { return x.I(f.nxt) }
func (f fixture) rcvNxt(x *ctx) Seq { return x.R(f.rcv) }

// TestConformanceFixtures builds every fixture with every base: each
// checks its state, its numbers and its timers.
func TestConformanceFixtures(t *testing.T) {
	for i, f := range allFixtures {
		if f.state != State(i) {
			t.Fatalf("allFixtures[%d] is %v", i, f.state)
		}
	}
	for _, b := range bases {
		t.Run(b.name, func(t *testing.T) {
			for _, f := range append(slices.Clone(allFixtures), synchronizedFixtures[1]) {
				t.Run(f.name, func(t *testing.T) {
					runScenario(t, b, scenario{name: f.name, rule: "fixture", run: func(x *ctx) { f.build(x) }}, nil)
				})
			}
		})
	}
}
