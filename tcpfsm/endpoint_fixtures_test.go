package tcpfsm_test

// The Endpoint harness: segment templates and fixtures.

import (
	"slices"
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

// peerWnd is the window the peer offers in every segment of the templates.
const peerWnd uint32 = 8192

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

// establishedActive is ESTABLISHED after an active OPEN.
func (x *ctx) establishedActive(cfg ...Config) *conn {
	c := x.synSent(cfg...)
	c.recv(inSynAck(x.R(0), x.I(1))).sends(c.outAck(x.I(1), x.R(1))).state(StateEstablished).tells(TellEstablished).
		cancels(TimerRetx)
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
