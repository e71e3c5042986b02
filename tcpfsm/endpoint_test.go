package tcpfsm

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// The tests of this file follow one connection through the table: fixtures
// build each state from the one before it (established from a handshake,
// fin-wait-1 from established), segment templates spell segments as RFC
// 9293 writes them, and expect asserts that a call sent exactly the given
// segments and nothing else. Names read state_stimulus_outcome.
//
// The local end has ISS 100, the peer ISS 300, so after the handshake
// SND.NXT is 101 and RCV.NXT 301.

const (
	localISS  Seq    = 100
	remoteISS Seq    = 300
	theirWnd  uint32 = 8192
	ourWnd    uint32 = DefaultRcvWnd
)

// Segment templates: what the peer sends.

func pSyn(seq Seq) Segment { return Segment{Flags: FlagSYN, Seq: seq, Wnd: theirWnd} }
func pSynAck(seq, ack Seq) Segment {
	return Segment{Flags: FlagSYN | FlagACK, Seq: seq, Ack: ack, Wnd: theirWnd}
}
func pAck(seq, ack Seq) Segment { return Segment{Flags: FlagACK, Seq: seq, Ack: ack, Wnd: theirWnd} }
func pData(seq, ack Seq, n uint32) Segment {
	return Segment{Flags: FlagACK, Seq: seq, Ack: ack, Len: n, Wnd: theirWnd}
}
func pFin(seq, ack Seq) Segment {
	return Segment{Flags: FlagFIN | FlagACK, Seq: seq, Ack: ack, Wnd: theirWnd}
}
func pRst(seq Seq) Segment { return Segment{Flags: FlagRST, Seq: seq} }

// back returns s moved n back, modulo 2^32.
func back(s Seq, n uint32) Seq { return s - Seq(n) }

// What we send.

func oSyn(seq Seq) Segment { return Segment{Flags: FlagSYN, Seq: seq, Wnd: ourWnd} }
func oSynAck(seq, ack Seq) Segment {
	return Segment{Flags: FlagSYN | FlagACK, Seq: seq, Ack: ack, Wnd: ourWnd}
}
func oAck(seq, ack Seq) Segment { return Segment{Flags: FlagACK, Seq: seq, Ack: ack, Wnd: ourWnd} }
func oData(seq, ack Seq, n uint32) Segment {
	return Segment{Flags: FlagACK, Seq: seq, Ack: ack, Len: n, Wnd: ourWnd}
}
func oFin(seq, ack Seq) Segment {
	return Segment{Flags: FlagFIN | FlagACK, Seq: seq, Ack: ack, Wnd: ourWnd}
}
func oRst(seq Seq) Segment    { return Segment{Flags: FlagRST, Seq: seq} }
func oRstAck(ack Seq) Segment { return Segment{Flags: FlagRST | FlagACK, Ack: ack} }

// ep is an Endpoint under test with the Output of its last call.
type ep struct {
	t   testing.TB
	e   Endpoint
	out Output
}

func newEp(t testing.TB, cfg Config) *ep {
	t.Helper()
	if cfg.ISS == 0 {
		cfg.ISS = localISS
	}
	return &ep{t: t, e: NewEndpoint(cfg)}
}

// check runs after every call: the invariants hold, and a segment or timer
// event never lands on an error row (a pair the classifier must not
// produce).
func (c *ep) check() {
	c.t.Helper()
	if err := c.e.CheckInvariants(); err != nil {
		c.t.Fatalf("after %+v: %v", c.out.Step, err)
	}
	if s := c.out.Step; s.Taken && !s.OK && s.Event.Kind() != KindCall {
		c.t.Fatalf("%v in %v reached an error row (line %d)", s.Event, s.From, Rows[s.Row].Line)
	}
}

func (c *ep) seg(s Segment) *ep {
	c.t.Helper()
	c.e.Segment(s, &c.out)
	c.check()
	return c
}

func (c *ep) openPassive() *ep { c.t.Helper(); c.e.OpenPassive(&c.out); c.check(); return c }
func (c *ep) openActive() *ep  { c.t.Helper(); c.e.OpenActive(&c.out); c.check(); return c }
func (c *ep) send(n int) *ep   { c.t.Helper(); c.e.Send(n, &c.out); c.check(); return c }
func (c *ep) close() *ep       { c.t.Helper(); c.e.Close(&c.out); c.check(); return c }
func (c *ep) abort() *ep       { c.t.Helper(); c.e.Abort(&c.out); c.check(); return c }
func (c *ep) poll() *ep        { c.t.Helper(); c.e.Poll(&c.out); c.check(); return c }
func (c *ep) timeout(tm Timer) *ep {
	c.t.Helper()
	c.e.Timeout(tm, &c.out)
	c.check()
	return c
}

// expect asserts that the last call sent exactly segs, and nothing more.
func (c *ep) expect(segs ...Segment) *ep {
	c.t.Helper()
	var got []Segment
	for _, s := range c.out.Segments() {
		got = append(got, s.Segment)
	}
	if !slices.Equal(got, segs) {
		c.t.Fatalf("in %v after %v: sent\n\t%v\nwant\n\t%v", c.e.State(), c.out.Step.Event, got, segs)
	}
	if c.out.More {
		c.t.Fatalf("in %v: Output.More set, want nothing more", c.e.State())
	}
	return c
}

func (c *ep) state(s State) *ep {
	c.t.Helper()
	if c.e.State() != s {
		c.t.Fatalf("state %v, want %v (last step %+v)", c.e.State(), s, c.out.Step)
	}
	return c
}

func (c *ep) tell(want Tell) *ep {
	c.t.Helper()
	if c.out.Tell != want {
		c.t.Fatalf("told %q, want %q", c.out.Tell, want)
	}
	return c
}

func (c *ep) err(want error) *ep {
	c.t.Helper()
	if c.out.Err != want {
		c.t.Fatalf("Err %v, want %v", c.out.Err, want)
	}
	return c
}

// timer asserts the command for tm in the last Output.
func (c *ep) timer(tm Timer, op TimerOp, after time.Duration) *ep {
	c.t.Helper()
	if got, want := c.out.Timers[tm], (TimerCmd{Op: op, After: after}); got != want {
		c.t.Fatalf("%v timer: %+v, want %+v", tm, got, want)
	}
	return c
}

// Fixtures, each built from the one before.

func closed(t testing.TB) *ep { return newEp(t, Config{}) }

func listen(t testing.TB) *ep {
	return closed(t).openPassive().expect().state(StateListen)
}

func synSent(t testing.TB) *ep {
	return closed(t).openActive().expect(oSyn(100)).state(StateSynSent).
		timer(TimerRetx, TimerArm, time.Second)
}

func synReceived(t testing.TB) *ep {
	return listen(t).seg(pSyn(300)).expect(oSynAck(100, 301)).state(StateSynReceived)
}

// synReceivedActive is SYN-RECEIVED after a simultaneous open.
func synReceivedActive(t testing.TB) *ep {
	return synSent(t).seg(pSyn(300)).expect(oSynAck(100, 301)).state(StateSynReceived)
}

func established(t testing.TB) *ep {
	return synReceived(t).seg(pAck(301, 101)).expect().state(StateEstablished).
		tell(TellEstablished).timer(TimerRetx, TimerCancel, 0)
}

func establishedActive(t testing.TB) *ep {
	return synSent(t).seg(pSynAck(300, 101)).expect(oAck(101, 301)).state(StateEstablished).
		tell(TellEstablished)
}

func finWait1(t testing.TB) *ep {
	return established(t).close().expect(oFin(101, 301)).state(StateFinWait1)
}

func finWait2(t testing.TB) *ep {
	return finWait1(t).seg(pAck(301, 102)).expect().state(StateFinWait2).
		timer(TimerFinWait2, TimerArm, DefaultFinWait2)
}

func closeWait(t testing.TB) *ep {
	return established(t).seg(pFin(301, 101)).expect(oAck(101, 302)).state(StateCloseWait).tell(TellEOF)
}

func lastAck(t testing.TB) *ep {
	return closeWait(t).close().expect(oFin(101, 302)).state(StateLastAck)
}

func closing(t testing.TB) *ep {
	return finWait1(t).seg(pFin(301, 101)).expect(oAck(102, 302)).state(StateClosing).tell(TellEOF)
}

func timeWait(t testing.TB) *ep {
	return finWait2(t).seg(pFin(301, 102)).expect(oAck(102, 302)).state(StateTimeWait).
		tell(TellEOF).timer(TimerTimeWait, TimerArm, DefaultTimeWait).timer(TimerFinWait2, TimerCancel, 0)
}

var fixtures = []struct {
	state State
	make  func(testing.TB) *ep
}{
	{StateClosed, closed},
	{StateListen, listen},
	{StateSynSent, synSent},
	{StateSynReceived, synReceived},
	{StateEstablished, established},
	{StateFinWait1, finWait1},
	{StateFinWait2, finWait2},
	{StateCloseWait, closeWait},
	{StateClosing, closing},
	{StateLastAck, lastAck},
	{StateTimeWait, timeWait},
}

func TestFixtures(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.state.String(), func(t *testing.T) {
			f.make(t).state(f.state)
		})
	}
	t.Run("established-active", func(t *testing.T) { establishedActive(t) })
	t.Run("syn-received-active", func(t *testing.T) { synReceivedActive(t) })
}

// TestSegments: one segment in one state.
func TestSegments(t *testing.T) {
	const beyond = 301 + Seq(ourWnd) + 10 // beyond the receive window
	tests := []struct {
		name  string
		from  func(testing.TB) *ep
		seg   Segment
		want  []Segment
		state State
		tell  Tell
	}{
		// CLOSED (RFC 9293 3.10.7.1).
		{"closed_syn_rst_ack", closed, pSyn(300), []Segment{oRstAck(301)}, StateClosed, 0},
		{"closed_ack_rst", closed, pAck(300, 555), []Segment{oRst(555)}, StateClosed, 0},
		{"closed_rst_nothing", closed, pRst(300), nil, StateClosed, 0},
		{"closed_fin_rst_ack", closed, Segment{Flags: FlagFIN, Seq: 300, Len: 10}, []Segment{oRstAck(311)}, StateClosed, 0},

		// LISTEN (3.10.7.2).
		{"listen_rst_nothing", listen, pRst(300), nil, StateListen, 0},
		{"listen_ack_rst", listen, pAck(300, 555), []Segment{oRst(555)}, StateListen, 0},
		{"listen_syn_ack_rst", listen, pSynAck(300, 555), []Segment{oRst(555)}, StateListen, 0},
		{"listen_fin_nothing", listen, Segment{Flags: FlagFIN, Seq: 300}, nil, StateListen, 0},
		{"listen_syn_with_data_acks_syn_only", listen, Segment{Flags: FlagSYN | FlagFIN, Seq: 300, Len: 10, Wnd: theirWnd},
			[]Segment{oSynAck(100, 301)}, StateSynReceived, 0},

		// SYN-SENT (3.10.7.3).
		{"syn_sent_syn_ack_established", synSent, pSynAck(300, 101), []Segment{oAck(101, 301)}, StateEstablished, TellEstablished},
		{"syn_sent_syn_ack_too_high_rst", synSent, pSynAck(300, 150), []Segment{oRst(150)}, StateSynSent, 0},
		{"syn_sent_ack_iss_rst", synSent, pAck(300, 100), []Segment{oRst(100)}, StateSynSent, 0},
		{"syn_sent_rst_ack_reset", synSent, Segment{Flags: FlagRST | FlagACK, Seq: 0, Ack: 101}, nil, StateClosed, TellReset},
		{"syn_sent_rst_bad_ack_nothing", synSent, Segment{Flags: FlagRST | FlagACK, Seq: 0, Ack: 150}, nil, StateSynSent, 0},
		{"syn_sent_rst_no_ack_nothing", synSent, pRst(300), nil, StateSynSent, 0},
		{"syn_sent_syn_simultaneous", synSent, pSyn(300), []Segment{oSynAck(100, 301)}, StateSynReceived, 0},
		{"syn_sent_ack_alone_nothing", synSent, pAck(300, 101), nil, StateSynSent, 0},
		{"syn_sent_fin_nothing", synSent, Segment{Flags: FlagFIN, Seq: 300}, nil, StateSynSent, 0},

		// SYN-RECEIVED after a passive OPEN (3.10.7.4).
		{"syn_received_ack_established", synReceived, pAck(301, 101), nil, StateEstablished, TellEstablished},
		{"syn_received_rst_listen", synReceived, pRst(301), nil, StateListen, 0},
		{"syn_received_rst_in_window_challenge", synReceived, pRst(400), []Segment{oAck(101, 301)}, StateSynReceived, 0},
		{"syn_received_ack_too_high_rst", synReceived, pAck(301, 102), []Segment{oRst(102)}, StateSynReceived, 0},
		{"syn_received_ack_iss_rst", synReceived, pAck(301, 100), []Segment{oRst(100)}, StateSynReceived, 0},
		{"syn_received_syn_in_window_listen", synReceived, pSyn(400), nil, StateListen, 0},
		{"syn_received_syn_again_ack", synReceived, pSyn(300), []Segment{oAck(101, 301)}, StateSynReceived, 0},
		{"syn_received_no_ack_nothing", synReceived, Segment{Seq: 301, Len: 5}, nil, StateSynReceived, 0},
		{"syn_received_ack_data_established", synReceived, pData(301, 101, 10), []Segment{oAck(101, 311)}, StateEstablished, TellEstablished | TellData},
		{"syn_received_ack_fin_close_wait", synReceived, pFin(301, 101), []Segment{oAck(101, 302)}, StateCloseWait, TellEstablished | TellEOF},

		// SYN-RECEIVED after a simultaneous open.
		{"syn_received_active_syn_ack_established", synReceivedActive, pSynAck(300, 101), nil, StateEstablished, TellEstablished},
		{"syn_received_active_rst_refused", synReceivedActive, pRst(301), nil, StateClosed, TellRefused},
		{"syn_received_active_syn_challenge", synReceivedActive, pSyn(400), []Segment{oAck(101, 301)}, StateSynReceived, 0},

		// ESTABLISHED.
		{"established_rst_reset", established, pRst(301), nil, StateClosed, TellReset},
		{"established_rst_in_window_challenge", established, pRst(400), []Segment{oAck(101, 301)}, StateEstablished, 0},
		{"established_rst_beyond_window_nothing", established, pRst(beyond), nil, StateEstablished, 0},
		{"established_rst_before_window_nothing", established, pRst(300), nil, StateEstablished, 0},
		{"established_syn_challenge", established, pSyn(500), []Segment{oAck(101, 301)}, StateEstablished, 0},
		{"established_syn_old_ack", established, pSyn(300), []Segment{oAck(101, 301)}, StateEstablished, 0},
		{"established_ack_too_high_ack", established, pAck(301, 200), []Segment{oAck(101, 301)}, StateEstablished, 0},
		{"established_ack_too_old_ack", established, pAck(301, back(101, theirWnd+1)), []Segment{oAck(101, 301)}, StateEstablished, 0},
		{"established_ack_old_duplicate_nothing", established, pAck(301, back(101, theirWnd)), nil, StateEstablished, 0},
		{"established_no_ack_nothing", established, Segment{Seq: 301, Len: 10}, nil, StateEstablished, 0},
		{"established_data", established, pData(301, 101, 10), []Segment{oAck(101, 311)}, StateEstablished, TellData},
		{"established_data_old_ack", established, pData(291, 101, 10), []Segment{oAck(101, 301)}, StateEstablished, 0},
		{"established_data_overlap_takes_new", established, pData(291, 101, 20), []Segment{oAck(101, 311)}, StateEstablished, TellData},
		{"established_data_out_of_order_ack", established, pData(311, 101, 10), []Segment{oAck(101, 301)}, StateEstablished, 0},
		{"established_data_beyond_window_ack", established, pData(beyond, 101, 10), []Segment{oAck(101, 301)}, StateEstablished, 0},
		{"established_fin_close_wait", established, pFin(301, 101), []Segment{oAck(101, 302)}, StateCloseWait, TellEOF},
		{"established_data_fin_close_wait", established, Segment{Flags: FlagACK | FlagFIN, Seq: 301, Ack: 101, Len: 10, Wnd: theirWnd},
			[]Segment{oAck(101, 312)}, StateCloseWait, TellData | TellEOF},
		{"established_fin_out_of_order_ack", established, pFin(311, 101), []Segment{oAck(101, 301)}, StateEstablished, 0},
		{"established_fin_no_ack_nothing", established, Segment{Flags: FlagFIN, Seq: 301}, nil, StateEstablished, 0},

		// FIN-WAIT-1: our FIN is 101, SND.NXT 102.
		{"fin_wait_1_ack_fin_fin_wait_2", finWait1, pAck(301, 102), nil, StateFinWait2, 0},
		{"fin_wait_1_ack_old_stays", finWait1, pAck(301, 101), nil, StateFinWait1, 0},
		{"fin_wait_1_fin_closing", finWait1, pFin(301, 101), []Segment{oAck(102, 302)}, StateClosing, TellEOF},
		{"fin_wait_1_fin_ack_fin_time_wait", finWait1, pFin(301, 102), []Segment{oAck(102, 302)}, StateTimeWait, TellEOF},
		{"fin_wait_1_data_taken", finWait1, pData(301, 101, 10), []Segment{oAck(102, 311)}, StateFinWait1, TellData},
		{"fin_wait_1_rst_reset", finWait1, pRst(301), nil, StateClosed, TellReset},
		{"fin_wait_1_ack_too_high_ack", finWait1, pAck(301, 103), []Segment{oAck(102, 301)}, StateFinWait1, 0},

		// FIN-WAIT-2: the peer may still send.
		{"fin_wait_2_fin_time_wait", finWait2, pFin(301, 102), []Segment{oAck(102, 302)}, StateTimeWait, TellEOF},
		{"fin_wait_2_data_taken", finWait2, pData(301, 102, 10), []Segment{oAck(102, 311)}, StateFinWait2, TellData},
		{"fin_wait_2_rst_reset", finWait2, pRst(301), nil, StateClosed, TellReset},
		{"fin_wait_2_syn_challenge", finWait2, pSyn(400), []Segment{oAck(102, 301)}, StateFinWait2, 0},

		// CLOSE-WAIT: the peer's FIN is 301, RCV.NXT 302.
		{"close_wait_fin_again_ack", closeWait, pFin(301, 101), []Segment{oAck(101, 302)}, StateCloseWait, 0},
		{"close_wait_data_after_fin_ignored", closeWait, pData(302, 101, 5), nil, StateCloseWait, 0},
		{"close_wait_rst_reset", closeWait, pRst(302), nil, StateClosed, TellReset},

		// CLOSING.
		{"closing_ack_fin_time_wait", closing, pAck(302, 102), nil, StateTimeWait, 0},
		{"closing_fin_again_ack", closing, pFin(301, 101), []Segment{oAck(102, 302)}, StateClosing, 0},
		{"closing_ack_old_stays", closing, pAck(302, 101), nil, StateClosing, 0},
		{"closing_rst_reset", closing, pRst(302), nil, StateClosed, TellReset},

		// LAST-ACK.
		{"last_ack_ack_fin_closed", lastAck, pAck(302, 102), nil, StateClosed, TellClosed},
		{"last_ack_fin_again_ack", lastAck, pFin(301, 101), []Segment{oAck(102, 302)}, StateLastAck, 0},
		{"last_ack_rst_reset", lastAck, pRst(302), nil, StateClosed, TellReset},

		// TIME-WAIT.
		{"time_wait_fin_again_ack", timeWait, pFin(301, 102), []Segment{oAck(102, 302)}, StateTimeWait, 0},
		{"time_wait_ack_nothing", timeWait, pAck(302, 102), nil, StateTimeWait, 0},
		{"time_wait_rst_closed", timeWait, pRst(302), nil, StateClosed, TellClosed},
		{"time_wait_syn_challenge", timeWait, pSyn(1000), []Segment{oAck(102, 302)}, StateTimeWait, 0},
		{"time_wait_data_unacceptable_ack", timeWait, pData(290, 102, 5), []Segment{oAck(102, 302)}, StateTimeWait, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.from(t).seg(tt.seg).expect(tt.want...).state(tt.state).tell(tt.tell)
		})
	}
}

// TestUserCalls: every user call in every state (RFC 9293 3.10.1-3.10.5).
func TestUserCalls(t *testing.T) {
	type want struct {
		err   error
		state State // the state after the call
		segs  []Segment
	}
	none := []Segment(nil)
	// Per state: OPEN passive, OPEN active, SEND 5, CLOSE, ABORT.
	tests := []struct {
		from                                State
		passive, active, send, close, abort want
	}{
		{StateClosed,
			want{nil, StateListen, none}, want{nil, StateSynSent, []Segment{oSyn(100)}},
			want{ErrNoConn, StateClosed, none}, want{ErrNoConn, StateClosed, none}, want{ErrNoConn, StateClosed, none}},
		{StateListen,
			want{ErrExists, StateListen, none}, want{nil, StateSynSent, []Segment{oSyn(100)}},
			want{ErrUnspecified, StateListen, none}, want{nil, StateClosed, none}, want{nil, StateClosed, none}},
		{StateSynSent,
			want{ErrExists, StateSynSent, none}, want{ErrExists, StateSynSent, none},
			want{nil, StateSynSent, none}, want{nil, StateClosed, none}, want{nil, StateClosed, none}},
		{StateSynReceived,
			want{ErrExists, StateSynReceived, none}, want{ErrExists, StateSynReceived, none},
			want{nil, StateSynReceived, none}, want{nil, StateFinWait1, []Segment{oFin(101, 301)}}, want{nil, StateClosed, []Segment{oRst(101)}}},
		{StateEstablished,
			want{ErrExists, StateEstablished, none}, want{ErrExists, StateEstablished, none},
			want{nil, StateEstablished, []Segment{oData(101, 301, 5)}}, want{nil, StateFinWait1, []Segment{oFin(101, 301)}}, want{nil, StateClosed, []Segment{oRst(101)}}},
		{StateFinWait1,
			want{ErrExists, StateFinWait1, none}, want{ErrExists, StateFinWait1, none},
			want{ErrClosing, StateFinWait1, none}, want{ErrClosing, StateFinWait1, none}, want{nil, StateClosed, []Segment{oRst(102)}}},
		{StateFinWait2,
			want{ErrExists, StateFinWait2, none}, want{ErrExists, StateFinWait2, none},
			want{ErrClosing, StateFinWait2, none}, want{ErrClosing, StateFinWait2, none}, want{nil, StateClosed, []Segment{oRst(102)}}},
		{StateCloseWait,
			want{ErrExists, StateCloseWait, none}, want{ErrExists, StateCloseWait, none},
			want{nil, StateCloseWait, []Segment{oData(101, 302, 5)}}, want{nil, StateLastAck, []Segment{oFin(101, 302)}}, want{nil, StateClosed, []Segment{oRst(101)}}},
		{StateClosing,
			want{ErrExists, StateClosing, none}, want{ErrExists, StateClosing, none},
			want{ErrClosing, StateClosing, none}, want{ErrClosing, StateClosing, none}, want{nil, StateClosed, none}},
		{StateLastAck,
			want{ErrExists, StateLastAck, none}, want{ErrExists, StateLastAck, none},
			want{ErrClosing, StateLastAck, none}, want{ErrClosing, StateLastAck, none}, want{nil, StateClosed, none}},
		{StateTimeWait,
			want{ErrExists, StateTimeWait, none}, want{ErrExists, StateTimeWait, none},
			want{ErrClosing, StateTimeWait, none}, want{ErrClosing, StateTimeWait, none}, want{nil, StateClosed, none}},
	}
	for _, tt := range tests {
		for _, call := range []struct {
			name string
			do   func(*ep) *ep
			want want
		}{
			{"open_passive", (*ep).openPassive, tt.passive},
			{"open_active", (*ep).openActive, tt.active},
			{"send", func(c *ep) *ep { return c.send(5) }, tt.send},
			{"close", (*ep).close, tt.close},
			{"abort", (*ep).abort, tt.abort},
		} {
			t.Run(fmt.Sprintf("%v_%s", tt.from, call.name), func(t *testing.T) {
				c := fixtures[tt.from].make(t)
				call.do(c).err(call.want.err).state(call.want.state).expect(call.want.segs...)
				if ok := c.out.Step.OK; ok != (call.want.err == nil) {
					t.Errorf("Step.OK = %v with Err %v", ok, c.out.Err)
				}
				if call.want.state == StateClosed && tt.from != StateClosed && c.out.Tell != TellClosed {
					t.Errorf("told %q on the way to CLOSED, want %q", c.out.Tell, TellClosed)
				}
			})
		}
	}
}

// TestSimultaneousOpen runs RFC 9293 Figure 7 between two Endpoints.
func TestSimultaneousOpen(t *testing.T) {
	a := newEp(t, Config{ISS: 100})
	b := newEp(t, Config{ISS: 300})
	a.openActive().expect(oSyn(100))
	b.openActive().expect(oSyn(300))
	// The SYNs cross.
	a.seg(pSyn(300)).expect(oSynAck(100, 301)).state(StateSynReceived)
	b.seg(Segment{Flags: FlagSYN, Seq: 100, Wnd: ourWnd}).expect(oSynAck(300, 101)).state(StateSynReceived)
	// So do the SYN-ACKs.
	a.seg(Segment{Flags: FlagSYN | FlagACK, Seq: 300, Ack: 101, Wnd: ourWnd}).expect().state(StateEstablished).tell(TellEstablished)
	b.seg(Segment{Flags: FlagSYN | FlagACK, Seq: 100, Ack: 301, Wnd: ourWnd}).expect().state(StateEstablished).tell(TellEstablished)
}

// TestSimultaneousClose: both FINs cross, both ends pass through CLOSING.
func TestSimultaneousClose(t *testing.T) {
	c := finWait1(t)
	c.seg(pFin(301, 101)).expect(oAck(102, 302)).state(StateClosing)
	c.seg(pAck(302, 102)).expect().state(StateTimeWait).timer(TimerTimeWait, TimerArm, DefaultTimeWait).
		timer(TimerRetx, TimerCancel, 0)
	c.timeout(TimerTimeWait).expect().state(StateClosed).tell(TellClosed)
}

func TestPassiveClose(t *testing.T) {
	c := closeWait(t)
	c.close().expect(oFin(101, 302)).state(StateLastAck).timer(TimerRetx, TimerArm, time.Second)
	c.seg(pAck(302, 102)).expect().state(StateClosed).tell(TellClosed).timer(TimerRetx, TimerCancel, 0)
}

func TestActiveClose(t *testing.T) {
	c := timeWait(t)
	c.timeout(TimerTimeWait).expect().state(StateClosed).tell(TellClosed)
}

func TestTimeWaitRestart(t *testing.T) {
	c := timeWait(t)
	c.seg(pFin(301, 102)).expect(oAck(102, 302)).timer(TimerTimeWait, TimerArm, DefaultTimeWait)
	if !c.e.Armed(TimerTimeWait) {
		t.Fatal("TIME-WAIT timer not running")
	}
}

func TestTimeWaitRFC1337(t *testing.T) {
	c := newEp(t, Config{RFC1337: true})
	c.openPassive().seg(pSyn(300)).seg(pAck(301, 101)).close().seg(pFin(301, 102)).state(StateTimeWait)
	c.seg(pRst(302)).expect().state(StateTimeWait)
	if c.out.Step.Guards&GuardRfc1337 == 0 {
		t.Fatalf("guards %v lack rfc1337", c.out.Step.Guards)
	}
}

// TestDataBothWays: data one way, the other, then acknowledged.
func TestDataBothWays(t *testing.T) {
	c := established(t)
	c.send(10).expect(oData(101, 301, 10)).timer(TimerRetx, TimerArm, time.Second)
	if got := c.out.Segs[0].Off; got != 0 {
		t.Fatalf("Off %d, want 0", got)
	}
	c.seg(pData(301, 111, 20)).expect(oAck(111, 321)).tell(TellData).timer(TimerRetx, TimerCancel, 0)
	if c.out.Acked != 10 || c.out.Data != (Range{Off: 0, Len: 20}) {
		t.Fatalf("Acked %d Data %+v", c.out.Acked, c.out.Data)
	}
	c.send(5).expect(oData(111, 321, 5))
	if got := c.out.Segs[0].Off; got != 10 {
		t.Fatalf("Off %d, want 10", got)
	}
	c.seg(pData(321, 111, 5)).expect(oAck(116, 326))
	if c.out.Data != (Range{Off: 20, Len: 5}) {
		t.Fatalf("Data %+v", c.out.Data)
	}
	if c.e.Acked() != 10 || c.e.Received() != 25 || c.e.Queued() != 5 {
		t.Fatalf("Acked %d Received %d Queued %d", c.e.Acked(), c.e.Received(), c.e.Queued())
	}
	c.seg(pAck(326, 116)).expect()
	if c.e.Acked() != 15 || c.e.Queued() != 0 {
		t.Fatalf("Acked %d Queued %d", c.e.Acked(), c.e.Queued())
	}
}

func TestDataOverlapSkip(t *testing.T) {
	c := established(t).seg(pData(291, 101, 20)).expect(oAck(101, 311))
	if c.out.DataSkip != 10 || c.out.Data != (Range{0, 10}) {
		t.Fatalf("DataSkip %d Data %+v", c.out.DataSkip, c.out.Data)
	}
}

// TestSegmentation: MSS-sized segments, as far as the peer's window goes,
// then the rest when it opens.
func TestSegmentation(t *testing.T) {
	c := newEp(t, Config{MSS: 100})
	c.openPassive().seg(pSyn(300)).seg(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 250}).state(StateEstablished)
	c.send(400).expect(oData(101, 301, 100), oData(201, 301, 100), oData(301, 301, 50))
	c.seg(Segment{Flags: FlagACK, Seq: 301, Ack: 201, Wnd: 250}).expect(oData(351, 301, 100))
	c.seg(Segment{Flags: FlagACK, Seq: 301, Ack: 451, Wnd: 250}).expect(oData(451, 301, 50))
	c.seg(Segment{Flags: FlagACK, Seq: 301, Ack: 501, Wnd: 250}).expect()
	if c.out.Acked != 50 || c.e.Acked() != 400 {
		t.Fatalf("out.Acked %d Acked %d", c.out.Acked, c.e.Acked())
	}
}

// TestOutputFull: more data than one Output holds; Poll gets the rest.
func TestOutputFull(t *testing.T) {
	c := newEp(t, Config{MSS: 10})
	c.openPassive().seg(pSyn(300)).seg(pAck(301, 101))
	c.e.Send(100, &c.out)
	if c.out.NSegs != MaxOutSegments || !c.out.More {
		t.Fatalf("NSegs %d More %v", c.out.NSegs, c.out.More)
	}
	c.poll().expect(oData(181, 301, 10), oData(191, 301, 10))
	c.poll().expect()
}

// TestCloseAfterData: the FIN follows the data, in the last data segment.
func TestCloseAfterData(t *testing.T) {
	c := newEp(t, Config{MSS: 100})
	c.openPassive().seg(pSyn(300)).seg(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 150})
	c.send(200).expect(oData(101, 301, 100), oData(201, 301, 50))
	c.close().expect().state(StateFinWait1)
	fin := oData(251, 301, 50)
	fin.Flags |= FlagFIN
	c.seg(Segment{Flags: FlagACK, Seq: 301, Ack: 201, Wnd: 150}).expect(fin)
	c.seg(pAck(301, 302)).expect().state(StateFinWait2)
	if c.out.Acked != 100 || c.e.Acked() != 200 {
		t.Fatalf("out.Acked %d Acked %d", c.out.Acked, c.e.Acked())
	}
}

// TestHalfClose: after the peer's FIN we go on sending (CLOSE-WAIT); after
// ours the peer goes on sending (FIN-WAIT-2).
func TestHalfClose(t *testing.T) {
	c := closeWait(t)
	c.send(10).expect(oData(101, 302, 10))
	c.seg(pAck(302, 111)).expect()
	c.send(10).expect(oData(111, 302, 10))
	// The FIN goes at once after the data in flight.
	c.close().expect(oFin(121, 302)).state(StateLastAck)
	c.seg(pAck(302, 122)).expect().state(StateClosed).tell(TellClosed)
}

func TestHalfCloseFinWait2(t *testing.T) {
	c := finWait2(t)
	for i := Seq(0); i < 3; i++ {
		c.seg(pData(301+10*i, 102, 10)).expect(oAck(102, 311+10*i)).tell(TellData).
			timer(TimerFinWait2, TimerArm, DefaultFinWait2)
	}
	c.seg(pFin(331, 102)).expect(oAck(102, 332)).state(StateTimeWait).tell(TellEOF)
	if c.e.Received() != 30 {
		t.Fatalf("Received %d", c.e.Received())
	}
}

func TestFinWait2Timeout(t *testing.T) {
	c := finWait2(t)
	c.timeout(TimerFinWait2).expect().state(StateClosed).tell(TellTimeout)
}

func TestFinWait2TimeoutOff(t *testing.T) {
	c := newEp(t, Config{FinWait2: -1})
	c.openPassive().seg(pSyn(300)).seg(pAck(301, 101)).close().seg(pAck(301, 102)).state(StateFinWait2)
	if c.e.Armed(TimerFinWait2) || c.out.Timers[TimerFinWait2].Op != TimerKeep {
		t.Fatal("FIN-WAIT-2 timer armed with Config.FinWait2 < 0")
	}
}

// Retransmission.

func TestSynRetransmitAndGiveUp(t *testing.T) {
	c := synSent(t)
	d := time.Second
	for i := 0; i < DefaultSynRetries; i++ {
		d = min(2*d, DefaultMaxRTO)
		c.timeout(TimerRetx).expect(oSyn(100)).state(StateSynSent).timer(TimerRetx, TimerArm, d)
	}
	c.timeout(TimerRetx).expect().state(StateClosed).tell(TellTimeout)
	if c.out.Step.Guards&GuardExhausted == 0 {
		t.Fatal("no exhausted guard")
	}
}

func TestSynAckRetransmit(t *testing.T) {
	c := synReceived(t)
	c.timeout(TimerRetx).expect(oSynAck(100, 301)).timer(TimerRetx, TimerArm, 2*time.Second)
}

// TestSynReceivedGiveUp: a passive half-open connection goes back to
// LISTEN; an active one closes.
func TestSynReceivedGiveUp(t *testing.T) {
	c := newEp(t, Config{SynRetries: 1})
	c.openPassive().seg(pSyn(300))
	c.timeout(TimerRetx).expect(oSynAck(100, 301))
	c.timeout(TimerRetx).expect().state(StateListen).tell(0)

	c = newEp(t, Config{SynRetries: -1})
	c.openActive().seg(pSyn(300)).state(StateSynReceived)
	c.timeout(TimerRetx).expect().state(StateClosed).tell(TellTimeout)
}

func TestDataRetransmit(t *testing.T) {
	c := newEp(t, Config{DataRetries: 2, MSS: 100})
	c.openPassive().seg(pSyn(300)).seg(pAck(301, 101))
	c.send(150).expect(oData(101, 301, 100), oData(201, 301, 50))
	c.timeout(TimerRetx).expect(oData(101, 301, 100), oData(201, 301, 50)).timer(TimerRetx, TimerArm, 2*time.Second)
	// A partial ACK is progress: the backoff and the count start over.
	c.seg(pAck(301, 201)).expect().timer(TimerRetx, TimerArm, time.Second)
	c.timeout(TimerRetx).expect(oData(201, 301, 50))
	c.timeout(TimerRetx).expect(oData(201, 301, 50)).timer(TimerRetx, TimerArm, 4*time.Second)
	c.timeout(TimerRetx).expect().state(StateClosed).tell(TellTimeout)
}

func TestFinRetransmit(t *testing.T) {
	c := finWait1(t)
	c.timeout(TimerRetx).expect(oFin(101, 301)).state(StateFinWait1)
	c = lastAck(t)
	c.timeout(TimerRetx).expect(oFin(101, 302)).state(StateLastAck)
}

// TestCloseInSynReceived: the FIN goes at once (no data); a timeout
// repeats both the SYN-ACK and the FIN; one ACK for both reaches
// FIN-WAIT-2.
func TestCloseInSynReceived(t *testing.T) {
	c := synReceived(t)
	c.close().expect(oFin(101, 301)).state(StateFinWait1)
	c.timeout(TimerRetx).expect(oSynAck(100, 301), oFin(101, 301))
	c.seg(pAck(301, 102)).expect().state(StateFinWait2).tell(0)
}

// TestSendInSynSent: data queued before the handshake goes with the ACK.
func TestSendInSynSent(t *testing.T) {
	c := synSent(t)
	c.send(7).expect()
	c.seg(pSynAck(300, 101)).expect(oData(101, 301, 7)).state(StateEstablished)
}

func TestZeroWindowProbe(t *testing.T) {
	c := newEp(t, Config{DataRetries: 1})
	c.openPassive().seg(pSyn(300)).seg(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 0})
	c.send(10).expect(oData(101, 301, 1)) // the probe
	// The peer acknowledges nothing, window still shut: keep probing, do
	// not give up while it answers.
	for i := 0; i < 5; i++ {
		c.timeout(TimerRetx).expect(oData(101, 301, 1))
		c.seg(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 0}).expect()
	}
	c.state(StateEstablished)
	// The window opens: the rest goes.
	c.seg(Segment{Flags: FlagACK, Seq: 301, Ack: 102, Wnd: 100}).expect(oData(102, 301, 9))
}

func TestStaleTimeout(t *testing.T) {
	c := established(t)
	for tm := Timer(0); tm < NumTimers; tm++ {
		c.timeout(tm).expect().state(StateEstablished)
		if c.out.Step.Taken {
			t.Fatalf("%v: a step for a timer that is not running", tm)
		}
	}
}

func TestSendFull(t *testing.T) {
	c := established(t)
	c.send(MaxQueue).err(nil)
	c.send(1).err(ErrResources)
	if c.out.Step.OK || c.e.Queued() != MaxQueue {
		t.Fatalf("Step.OK %v, Queued %d", c.out.Step.OK, c.e.Queued())
	}
}

func TestZeroEndpoint(t *testing.T) {
	var e Endpoint
	var out Output
	e.OpenActive(&out)
	if e.State() != StateSynSent || out.NSegs != 1 || out.Segs[0].Segment != (Segment{Flags: FlagSYN, Wnd: DefaultRcvWnd}) {
		t.Fatalf("zero Endpoint: %v, %v", e.State(), out.Segments())
	}
}

// TestWrap runs a connection across the 2^32 wrap of both sequence spaces.
func TestWrap(t *testing.T) {
	iss, irs := Seq(1<<32-5), Seq(1<<32-3)
	c := newEp(t, Config{ISS: iss, MSS: 4})
	c.openActive().expect(oSyn(iss))
	c.seg(pSynAck(irs, iss+1)).expect(oAck(iss+1, irs+1))
	c.send(12).expect(oData(iss+1, irs+1, 4), oData(iss+5, irs+1, 4), oData(iss+9, irs+1, 4))
	c.seg(pData(irs+1, iss+13, 10)).expect(oAck(iss+13, irs+11)).tell(TellData)
	c.close().expect(oFin(iss+13, irs+11))
	c.seg(pFin(irs+11, iss+14)).expect(oAck(iss+14, irs+12)).state(StateTimeWait)
}

// TestRowsToClosed: every row into CLOSED tells exactly one of closed,
// reset, refused, timeout.
func TestRowsToClosed(t *testing.T) {
	const tells = ActionTellClosed | ActionTellReset | ActionTellRefused | ActionTellTimeout
	for i, r := range Rows {
		if r.Outcome != OutcomeGoto || r.To != StateClosed {
			continue
		}
		n := 0
		for a := r.Actions & tells; a != 0; a &= a - 1 {
			n++
		}
		if n != 1 {
			t.Errorf("row %d (tcp.fsm:%d) into CLOSED tells %q", i, r.Line, r.Actions&tells)
		}
	}
}

// TestFinWait1AckOfSyn: after a CLOSE in SYN-RECEIVED, the ACK of our SYN
// alone leaves FIN-WAIT-1; with the peer's FIN it leads to CLOSING.
func TestFinWait1AckOfSyn(t *testing.T) {
	c := synReceived(t).close().expect(oFin(101, 301))
	c.seg(pAck(301, 101)).expect().state(StateFinWait1).tell(0)
	c.seg(pAck(301, 102)).expect().state(StateFinWait2)

	c = synReceived(t).close().expect(oFin(101, 301))
	c.seg(pFin(301, 101)).expect(oAck(102, 302)).state(StateClosing).tell(TellEOF)
	c.seg(pAck(302, 102)).expect().state(StateTimeWait)
}
