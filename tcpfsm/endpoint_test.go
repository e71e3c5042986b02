package tcpfsm_test

// The tests of this file and endpoint_flow_test.go follow one connection
// through the table, on plain contexts of the Endpoint harness
// (endpoint_harness_test.go): each asserts what it names, and the harness
// checks what must hold after any call. Names read
// state_stimulus_outcome.
//
// The local end has ISS 100, the peer ISS 300, so after the handshake
// SND.NXT is 101 and RCV.NXT 301.

import (
	"fmt"
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

// us holds the templates of our segments with the default receive
// window, for the tables written before any connection exists.
var us = &conn{rcvWnd: DefaultRcvWnd}

// back returns s moved n back, modulo 2^32.
func back(s Seq, n uint32) Seq { return s - Seq(n) }

func TestFixtures(t *testing.T) {
	for _, f := range allFixtures {
		t.Run(f.state.String(), func(t *testing.T) {
			f.make(plain(t)).state(f.state)
		})
	}
	t.Run("established-active", func(t *testing.T) { plain(t).establishedActive() })
	t.Run("syn-received-active", func(t *testing.T) { plain(t).synReceivedActive() })
}

// beyondWindow is a sequence number past our receive window after the
// handshake (RCV.NXT 301).
const beyondWindow = 301 + Seq(DefaultRcvWnd) + 10

// segmentCase is one segment in one state: the fixture it arrives in, the
// segment, and what must come of it.
type segmentCase struct {
	name  string
	from  func(*ctx, ...Config) *conn
	seg   Segment
	want  []OutSegment
	state State
	tell  Tell
}

// segmentCases are the cases of TestSegments.
var segmentCases = []segmentCase{
	// CLOSED (RFC 9293 3.10.7.1).
	{"closed_syn_rst_ack", (*ctx).closed, inSyn(300), []OutSegment{outRstAck(301)}, StateClosed, 0},
	{"closed_ack_rst", (*ctx).closed, inAck(300, 555), []OutSegment{outRst(555)}, StateClosed, 0},
	{"closed_rst_nothing", (*ctx).closed, inRst(300), nil, StateClosed, 0},
	{"closed_fin_rst_ack", (*ctx).closed, Segment{Flags: FlagFIN, Seq: 300, Len: 10}, []OutSegment{outRstAck(311)}, StateClosed, 0},

	// LISTEN (3.10.7.2).
	{"listen_rst_nothing", (*ctx).listen, inRst(300), nil, StateListen, 0},
	{"listen_ack_rst", (*ctx).listen, inAck(300, 555), []OutSegment{outRst(555)}, StateListen, 0},
	{"listen_syn_ack_rst", (*ctx).listen, inSynAck(300, 555), []OutSegment{outRst(555)}, StateListen, 0},
	{"listen_fin_nothing", (*ctx).listen, Segment{Flags: FlagFIN, Seq: 300}, nil, StateListen, 0},
	{"listen_syn_with_data_acks_syn_only", (*ctx).listen, Segment{Flags: FlagSYN | FlagFIN, Seq: 300, Len: 10, Wnd: peerWnd},
		[]OutSegment{us.outSynAck(100, 301)}, StateSynReceived, 0},

	// SYN-SENT (3.10.7.3).
	{"syn_sent_syn_ack_established", (*ctx).synSent, inSynAck(300, 101), []OutSegment{us.outAck(101, 301)}, StateEstablished, TellEstablished},
	{"syn_sent_syn_ack_too_high_rst", (*ctx).synSent, inSynAck(300, 150), []OutSegment{outRst(150)}, StateSynSent, 0},
	{"syn_sent_ack_iss_rst", (*ctx).synSent, inAck(300, 100), []OutSegment{outRst(100)}, StateSynSent, 0},
	{"syn_sent_rst_ack_reset", (*ctx).synSent, Segment{Flags: FlagRST | FlagACK, Seq: 0, Ack: 101}, nil, StateClosed, TellReset},
	{"syn_sent_rst_bad_ack_nothing", (*ctx).synSent, Segment{Flags: FlagRST | FlagACK, Seq: 0, Ack: 150}, nil, StateSynSent, 0},
	{"syn_sent_rst_no_ack_nothing", (*ctx).synSent, inRst(300), nil, StateSynSent, 0},
	{"syn_sent_syn_simultaneous", (*ctx).synSent, inSyn(300), []OutSegment{us.outSynAck(100, 301)}, StateSynReceived, 0},
	{"syn_sent_ack_alone_nothing", (*ctx).synSent, inAck(300, 101), nil, StateSynSent, 0},
	{"syn_sent_fin_nothing", (*ctx).synSent, Segment{Flags: FlagFIN, Seq: 300}, nil, StateSynSent, 0},

	// SYN-RECEIVED after a passive OPEN (3.10.7.4).
	{"syn_received_ack_established", (*ctx).synReceived, inAck(301, 101), nil, StateEstablished, TellEstablished},
	{"syn_received_rst_listen", (*ctx).synReceived, inRst(301), nil, StateListen, 0},
	{"syn_received_rst_in_window_challenge", (*ctx).synReceived, inRst(400), []OutSegment{us.outAck(101, 301)}, StateSynReceived, 0},
	{"syn_received_ack_too_high_rst", (*ctx).synReceived, inAck(301, 102), []OutSegment{outRst(102)}, StateSynReceived, 0},
	{"syn_received_ack_iss_rst", (*ctx).synReceived, inAck(301, 100), []OutSegment{outRst(100)}, StateSynReceived, 0},
	{"syn_received_syn_in_window_listen", (*ctx).synReceived, inSyn(400), nil, StateListen, 0},
	{"syn_received_syn_again_ack", (*ctx).synReceived, inSyn(300), []OutSegment{us.outAck(101, 301)}, StateSynReceived, 0},
	{"syn_received_no_ack_nothing", (*ctx).synReceived, Segment{Seq: 301, Len: 5}, nil, StateSynReceived, 0},
	{"syn_received_ack_data_established", (*ctx).synReceived, inData(301, 101, 10), []OutSegment{us.outAck(101, 311)}, StateEstablished, TellEstablished | TellData},
	{"syn_received_ack_fin_close_wait", (*ctx).synReceived, inFin(301, 101), []OutSegment{us.outAck(101, 302)}, StateCloseWait, TellEstablished | TellEOF},

	// SYN-RECEIVED after a simultaneous open.
	{"syn_received_active_syn_ack_established", (*ctx).synReceivedActive, inSynAck(300, 101), nil, StateEstablished, TellEstablished},
	{"syn_received_active_rst_refused", (*ctx).synReceivedActive, inRst(301), nil, StateClosed, TellRefused},
	{"syn_received_active_syn_challenge", (*ctx).synReceivedActive, inSyn(400), []OutSegment{us.outAck(101, 301)}, StateSynReceived, 0},

	// ESTABLISHED.
	{"established_rst_reset", (*ctx).established, inRst(301), nil, StateClosed, TellReset},
	{"established_rst_in_window_challenge", (*ctx).established, inRst(400), []OutSegment{us.outAck(101, 301)}, StateEstablished, 0},
	{"established_rst_beyond_window_nothing", (*ctx).established, inRst(beyondWindow), nil, StateEstablished, 0},
	{"established_rst_before_window_nothing", (*ctx).established, inRst(300), nil, StateEstablished, 0},
	{"established_syn_challenge", (*ctx).established, inSyn(500), []OutSegment{us.outAck(101, 301)}, StateEstablished, 0},
	{"established_syn_old_ack", (*ctx).established, inSyn(300), []OutSegment{us.outAck(101, 301)}, StateEstablished, 0},
	{"established_ack_too_high_ack", (*ctx).established, inAck(301, 200), []OutSegment{us.outAck(101, 301)}, StateEstablished, 0},
	{"established_ack_too_old_ack", (*ctx).established, inAck(301, back(101, peerWnd+1)), []OutSegment{us.outAck(101, 301)}, StateEstablished, 0},
	{"established_ack_old_duplicate_nothing", (*ctx).established, inAck(301, back(101, peerWnd)), nil, StateEstablished, 0},
	{"established_no_ack_nothing", (*ctx).established, Segment{Seq: 301, Len: 10}, nil, StateEstablished, 0},
	{"established_data", (*ctx).established, inData(301, 101, 10), []OutSegment{us.outAck(101, 311)}, StateEstablished, TellData},
	{"established_data_old_ack", (*ctx).established, inData(291, 101, 10), []OutSegment{us.outAck(101, 301)}, StateEstablished, 0},
	{"established_data_overlap_takes_new", (*ctx).established, inData(291, 101, 20), []OutSegment{us.outAck(101, 311)}, StateEstablished, TellData},
	{"established_data_out_of_order_ack", (*ctx).established, inData(311, 101, 10), []OutSegment{us.outAck(101, 301)}, StateEstablished, 0},
	{"established_data_beyond_window_ack", (*ctx).established, inData(beyondWindow, 101, 10), []OutSegment{us.outAck(101, 301)}, StateEstablished, 0},
	{"established_fin_close_wait", (*ctx).established, inFin(301, 101), []OutSegment{us.outAck(101, 302)}, StateCloseWait, TellEOF},
	{"established_data_fin_close_wait", (*ctx).established, Segment{Flags: FlagACK | FlagFIN, Seq: 301, Ack: 101, Len: 10, Wnd: peerWnd},
		[]OutSegment{us.outAck(101, 312)}, StateCloseWait, TellData | TellEOF},
	{"established_fin_out_of_order_ack", (*ctx).established, inFin(311, 101), []OutSegment{us.outAck(101, 301)}, StateEstablished, 0},
	{"established_fin_no_ack_nothing", (*ctx).established, Segment{Flags: FlagFIN, Seq: 301}, nil, StateEstablished, 0},

	// FIN-WAIT-1: our FIN is 101, SND.NXT 102.
	{"fin_wait_1_ack_fin_fin_wait_2", (*ctx).finWait1, inAck(301, 102), nil, StateFinWait2, 0},
	{"fin_wait_1_ack_old_stays", (*ctx).finWait1, inAck(301, 101), nil, StateFinWait1, 0},
	{"fin_wait_1_fin_closing", (*ctx).finWait1, inFin(301, 101), []OutSegment{us.outAck(102, 302)}, StateClosing, TellEOF},
	{"fin_wait_1_fin_ack_fin_time_wait", (*ctx).finWait1, inFin(301, 102), []OutSegment{us.outAck(102, 302)}, StateTimeWait, TellEOF},
	{"fin_wait_1_data_taken", (*ctx).finWait1, inData(301, 101, 10), []OutSegment{us.outAck(102, 311)}, StateFinWait1, TellData},
	{"fin_wait_1_rst_reset", (*ctx).finWait1, inRst(301), nil, StateClosed, TellReset},
	{"fin_wait_1_ack_too_high_ack", (*ctx).finWait1, inAck(301, 103), []OutSegment{us.outAck(102, 301)}, StateFinWait1, 0},

	// FIN-WAIT-2: the peer may still send.
	{"fin_wait_2_fin_time_wait", (*ctx).finWait2, inFin(301, 102), []OutSegment{us.outAck(102, 302)}, StateTimeWait, TellEOF},
	{"fin_wait_2_data_taken", (*ctx).finWait2, inData(301, 102, 10), []OutSegment{us.outAck(102, 311)}, StateFinWait2, TellData},
	{"fin_wait_2_rst_reset", (*ctx).finWait2, inRst(301), nil, StateClosed, TellReset},
	{"fin_wait_2_syn_challenge", (*ctx).finWait2, inSyn(400), []OutSegment{us.outAck(102, 301)}, StateFinWait2, 0},

	// CLOSE-WAIT: the peer's FIN is 301, RCV.NXT 302.
	{"close_wait_fin_again_ack", (*ctx).closeWait, inFin(301, 101), []OutSegment{us.outAck(101, 302)}, StateCloseWait, 0},
	{"close_wait_data_after_fin_ignored", (*ctx).closeWait, inData(302, 101, 5), nil, StateCloseWait, 0},
	{"close_wait_rst_reset", (*ctx).closeWait, inRst(302), nil, StateClosed, TellReset},

	// CLOSING.
	{"closing_ack_fin_time_wait", (*ctx).closing, inAck(302, 102), nil, StateTimeWait, 0},
	{"closing_fin_again_ack", (*ctx).closing, inFin(301, 101), []OutSegment{us.outAck(102, 302)}, StateClosing, 0},
	{"closing_ack_old_stays", (*ctx).closing, inAck(302, 101), nil, StateClosing, 0},
	{"closing_rst_reset", (*ctx).closing, inRst(302), nil, StateClosed, TellReset},

	// LAST-ACK.
	{"last_ack_ack_fin_closed", (*ctx).lastAck, inAck(302, 102), nil, StateClosed, TellClosed},
	{"last_ack_fin_again_ack", (*ctx).lastAck, inFin(301, 101), []OutSegment{us.outAck(102, 302)}, StateLastAck, 0},
	{"last_ack_rst_reset", (*ctx).lastAck, inRst(302), nil, StateClosed, TellReset},

	// TIME-WAIT.
	{"time_wait_fin_again_ack", (*ctx).timeWait, inFin(301, 102), []OutSegment{us.outAck(102, 302)}, StateTimeWait, 0},
	{"time_wait_ack_nothing", (*ctx).timeWait, inAck(302, 102), nil, StateTimeWait, 0},
	{"time_wait_rst_closed", (*ctx).timeWait, inRst(302), nil, StateClosed, TellClosed},
	{"time_wait_syn_challenge", (*ctx).timeWait, inSyn(1000), []OutSegment{us.outAck(102, 302)}, StateTimeWait, 0},
	{"time_wait_data_unacceptable_ack", (*ctx).timeWait, inData(290, 102, 5), []OutSegment{us.outAck(102, 302)}, StateTimeWait, 0},
}

// TestSegments: one segment in one state.
func TestSegments(t *testing.T) {
	for _, tt := range segmentCases {
		t.Run(tt.name, func(t *testing.T) {
			tt.from(plain(t)).recv(tt.seg).sends(tt.want...).state(tt.state).tells(tt.tell)
		})
	}
}

// TestUserCalls: every user call in every state (RFC 9293 3.10.1-3.10.5).
func TestUserCalls(t *testing.T) {
	type want struct {
		err   error
		state State // the state after the call
		segs  []OutSegment
	}
	none := []OutSegment(nil)
	// Per state: OPEN passive, OPEN active, SEND 5, CLOSE, ABORT.
	tests := []struct {
		from                                State
		passive, active, send, close, abort want
	}{
		{StateClosed,
			want{nil, StateListen, none}, want{nil, StateSynSent, []OutSegment{us.outSyn(100)}},
			want{ErrNoConn, StateClosed, none}, want{ErrNoConn, StateClosed, none}, want{ErrNoConn, StateClosed, none}},
		{StateListen,
			want{ErrExists, StateListen, none}, want{nil, StateSynSent, []OutSegment{us.outSyn(100)}},
			want{ErrUnspecified, StateListen, none}, want{nil, StateClosed, none}, want{nil, StateClosed, none}},
		{StateSynSent,
			want{ErrExists, StateSynSent, none}, want{ErrExists, StateSynSent, none},
			want{nil, StateSynSent, none}, want{nil, StateClosed, none}, want{nil, StateClosed, none}},
		{StateSynReceived,
			want{ErrExists, StateSynReceived, none}, want{ErrExists, StateSynReceived, none},
			want{nil, StateSynReceived, none}, want{nil, StateFinWait1, []OutSegment{us.outFin(101, 301)}}, want{nil, StateClosed, []OutSegment{outRst(101)}}},
		{StateEstablished,
			want{ErrExists, StateEstablished, none}, want{ErrExists, StateEstablished, none},
			want{nil, StateEstablished, []OutSegment{us.outData(101, 301, 5, 0)}}, want{nil, StateFinWait1, []OutSegment{us.outFin(101, 301)}}, want{nil, StateClosed, []OutSegment{outRst(101)}}},
		{StateFinWait1,
			want{ErrExists, StateFinWait1, none}, want{ErrExists, StateFinWait1, none},
			want{ErrClosing, StateFinWait1, none}, want{ErrClosing, StateFinWait1, none}, want{nil, StateClosed, []OutSegment{outRst(102)}}},
		{StateFinWait2,
			want{ErrExists, StateFinWait2, none}, want{ErrExists, StateFinWait2, none},
			want{ErrClosing, StateFinWait2, none}, want{ErrClosing, StateFinWait2, none}, want{nil, StateClosed, []OutSegment{outRst(102)}}},
		{StateCloseWait,
			want{ErrExists, StateCloseWait, none}, want{ErrExists, StateCloseWait, none},
			want{nil, StateCloseWait, []OutSegment{us.outData(101, 302, 5, 0)}}, want{nil, StateLastAck, []OutSegment{us.outFin(101, 302)}}, want{nil, StateClosed, []OutSegment{outRst(101)}}},
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
			do   func(*conn) *conn
			want want
		}{
			{"open_passive", (*conn).openPassive, tt.passive},
			{"open_active", (*conn).openActive, tt.active},
			{"send", func(c *conn) *conn { return c.send(5) }, tt.send},
			{"close", (*conn).close, tt.close},
			{"abort", (*conn).abort, tt.abort},
		} {
			t.Run(fmt.Sprintf("%v_%s", tt.from, call.name), func(t *testing.T) {
				c := allFixtures[tt.from].make(plain(t))
				call.do(c).err(call.want.err).state(call.want.state).sends(call.want.segs...)
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
