package tcpfsm_test

// Conformance, the segment group continued: sending and receiving after
// one side has closed, the closes segments lead to (RFC 9293 section
// 3.10.7.4 fifth and eighth, Figures 12 and 13), and the peer's FIN again.

import . "github.com/synfin/synfin/tcpfsm"

// pair returns two connections, A (active, our ISS) and B (passive, ISS =
// the base's IRS), brought to ESTABLISHED by the three-way handshake.
func (x *ctx) pair() (a, b *conn) {
	a = x.newConn("A", x.I(0), Config{})
	b = x.newConn("B", x.R(0), Config{})
	b.openPassive().state(StateListen)
	syn := a.openActive().sends(a.outSyn(x.I(0))).state(StateSynSent).arms(TimerRetx, a.rto(0)).out.Segs[0]
	synAck := b.recv(syn.Segment).sends(b.outSynAck(x.R(0), x.I(1))).state(StateSynReceived).
		arms(TimerRetx, b.rto(0)).out.Segs[0]
	ack := a.recv(synAck.Segment).sends(a.outAck(x.I(1), x.R(1))).state(StateEstablished).
		tells(TellEstablished).cancels(TimerRetx).out.Segs[0]
	b.recv(ack.Segment).state(StateEstablished).tells(TellEstablished).cancels(TimerRetx)
	return a, b
}

// halfCloseScenarios: sending and receiving after one side has closed.
var halfCloseScenarios = []scenario{
	{
		name: "close_wait_send_text_then_fin_right_after_it",
		rule: "RFC 9293 3.10.2 and 3.10.4: in CLOSE-WAIT we may go on sending; CLOSE then puts the FIN right after the last octet sent",
		run: func(x *ctx) {
			c := x.closeWait()
			c.send(10).sends(c.outData(x.I(1), x.R(2), 10, 0)).arms(TimerRetx, c.rto(0))
			c.recv(inAck(x.R(2), x.I(11))).acked(10).cancels(TimerRetx)
			c.close().sends(c.outFin(x.I(11), x.R(2))).state(StateLastAck).arms(TimerRetx, c.rto(0))
			c.recv(inAck(x.R(2), x.I(12))).state(StateClosed).tells(TellClosed).cancels(TimerRetx)
		},
	},
	{
		name: "close_wait_text_from_peer_ignored",
		rule: "RFC 9293 3.10.7.4 seventh: in CLOSE-WAIT the peer has sent its FIN, so text should not occur and is ignored",
		run: func(x *ctx) {
			c := x.closeWait()
			c.recv(inData(x.R(2), x.I(1), 5))
		},
	},
	{
		name: "fin_wait_2_text_taken_and_acked",
		rule: "RFC 9293 3.10.7.4 seventh: FIN-WAIT-2 still receives: in-order text is delivered and acknowledged (the FIN-WAIT-2 timer, an idle timer, restarts)",
		run: func(x *ctx) {
			c := x.finWait2()
			c.recv(inData(x.R(1), x.I(2), 10)).sends(c.outAck(x.I(2), x.R(11))).tells(TellData).data(0, 10, 0).
				arms(TimerFinWait2, DefaultFinWait2)
			c.recv(inFin(x.R(11), x.I(2))).sends(c.outAck(x.I(2), x.R(12))).state(StateTimeWait).tells(TellEOF).
				arms(TimerTimeWait, DefaultTimeWait).cancels(TimerFinWait2)
		},
	},
	{
		name: "fin_wait_1_text_taken_and_acked",
		rule: "RFC 9293 3.10.7.4 seventh: FIN-WAIT-1 still receives: in-order text is delivered and acknowledged",
		run: func(x *ctx) {
			c := x.finWait1()
			c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(2), x.R(11))).tells(TellData).data(0, 10, 0)
		},
	},
	{
		name: "established_close_with_queued_text_fin_after_it",
		rule: "RFC 9293 3.10.4: CLOSE waits until all preceding SENDs are segmentized; the FIN's sequence number follows the last queued octet",
		run: func(x *ctx) {
			c := x.peerWindow(5)
			c.send(10).sends(c.outData(x.I(1), x.R(1), 5, 0)).arms(TimerRetx, c.rto(0))
			c.close().state(StateFinWait1)
			c.recv(withWnd(inAck(x.R(1), x.I(6)), 100)).acked(5).
				sends(c.outDataFin(x.I(6), x.R(1), 5, 5)).arms(TimerRetx, c.rto(0))
			c.vars(x.I(6), x.I(12), x.R(1))
			c.recv(inAck(x.R(1), x.I(12))).acked(5).state(StateFinWait2).cancels(TimerRetx).
				arms(TimerFinWait2, DefaultFinWait2)
		},
	},
	{
		name: "syn_received_close_with_queued_text_fin_follows_text",
		rule: "RFC 9293 3.10.4: CLOSE in SYN-RECEIVED with data pending waits for ESTABLISHED, then the data and the FIN go; the table moves to FIN-WAIT-1 at once (spec/tcp.fsm CLOSE rows), which sends the same segments",
		run: func(x *ctx) {
			c := x.closedBehindText(5)
			c.recv(inAck(x.R(1), x.I(1))).sends(c.outDataFin(x.I(1), x.R(1), 5, 0)).arms(TimerRetx, c.rto(0))
			c.recv(inAck(x.R(1), x.I(7))).acked(5).state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
		},
	},
	{
		name: "established_close_after_sent_text_fin_next",
		rule: "RFC 9293 3.10.4: with all text sent, CLOSE sends the FIN at SND.NXT, after the text",
		run: func(x *ctx) {
			c := x.withText()
			c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
			c.vars(x.I(1), x.I(12), x.R(1))
		},
	},
}

// closingScenarios: the closes (RFC 9293 3.10.7.4 fifth and eighth, Figures
// 12 and 13).
var closingScenarios = []scenario{
	{
		name: "fin_wait_1_ack_of_fin_fin_wait_2",
		rule: "RFC 9293 3.10.7.4 fifth: in FIN-WAIT-1, once our FIN is acknowledged, enter FIN-WAIT-2",
		run: func(x *ctx) {
			c := x.finWait1()
			c.recv(inAck(x.R(1), x.I(2))).state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
		},
	},
	{
		name: "fin_wait_1_text_with_ack_of_fin_fin_wait_2",
		rule: "RFC 9293 3.10.7.4 fifth and seventh: text that comes with the ACK of our FIN is delivered and acknowledged as FIN-WAIT-1 becomes FIN-WAIT-2",
		run: func(x *ctx) {
			c := x.finWait1()
			c.recv(inData(x.R(1), x.I(2), 10)).sends(c.outAck(x.I(2), x.R(11))).tells(TellData).data(0, 10, 0).
				state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
		},
	},
	{
		name: "fin_wait_2_segment_updates_send_window",
		rule: "RFC 9293 3.10.7.4 fifth: FIN-WAIT-2 processes the ACK field as ESTABLISHED does, so a newer segment updates SND.WND",
		run: func(x *ctx) {
			c := x.finWait2()
			c.recv(withWnd(inAck(x.R(1), x.I(2)), 777)).arms(TimerFinWait2, DefaultFinWait2)
			c.sndWnd(777)
		},
	},
	{
		name: "fin_wait_2_fin_updates_send_window",
		rule: "RFC 9293 3.10.7.4 fifth and eighth: the ACK field of the peer's FIN is processed in FIN-WAIT-2 too (SND.WND from the segment) before TIME-WAIT",
		run: func(x *ctx) {
			c := x.finWait2()
			c.recv(withWnd(inFin(x.R(1), x.I(2)), 777)).sends(c.outAck(x.I(2), x.R(2))).state(StateTimeWait).tells(TellEOF).
				arms(TimerTimeWait, DefaultTimeWait).cancels(TimerFinWait2)
			c.sndWnd(777)
		},
	},
	{
		name: "fin_wait_1_ack_of_text_not_fin_stays",
		rule: "RFC 9293 3.10.7.4 fifth: an ACK that stops short of our FIN leaves FIN-WAIT-1",
		run: func(x *ctx) {
			c := x.withText()
			c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
			c.recv(inAck(x.R(1), x.I(11))).acked(10).arms(TimerRetx, c.rto(0))
		},
	},
	{
		name: "fin_wait_1_fin_closing",
		rule: "RFC 9293 3.10.7.4 eighth: a FIN in FIN-WAIT-1 that does not acknowledge our FIN is acknowledged and leads to CLOSING",
		run: func(x *ctx) {
			c := x.finWait1()
			c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(2), x.R(2))).state(StateClosing).tells(TellEOF)
		},
	},
	{
		name: "fin_wait_1_fin_with_ack_of_fin_time_wait",
		rule: "RFC 9293 3.10.7.4 eighth: a FIN that also acknowledges our FIN takes FIN-WAIT-1 straight to TIME-WAIT, starting the 2 MSL timer and stopping the others",
		run: func(x *ctx) {
			c := x.finWait1()
			c.recv(inFin(x.R(1), x.I(2))).sends(c.outAck(x.I(2), x.R(2))).state(StateTimeWait).tells(TellEOF).
				cancels(TimerRetx).arms(TimerTimeWait, DefaultTimeWait)
		},
	},
	{
		name: "fin_wait_1_syn_outstanding_ack_of_syn_stays",
		rule: "RFC 9293 3.10.4 and 3.10.7.4 fifth: after CLOSE in SYN-RECEIVED, the ACK of our SYN alone leaves FIN-WAIT-1; the user, who closed, is told nothing",
		run: func(x *ctx) {
			c := x.finWait1SynOutstanding()
			c.recv(inAck(x.R(1), x.I(1))).arms(TimerRetx, c.rto(0))
			c.vars(x.I(1), x.I(2), x.R(1))
		},
	},
	{
		name: "fin_wait_1_syn_outstanding_ack_of_syn_and_fin_fin_wait_2",
		rule: "RFC 9293 3.10.7.4 fifth: one ACK may cover our SYN and our FIN: FIN-WAIT-2",
		run: func(x *ctx) {
			c := x.finWait1SynOutstanding()
			c.recv(inAck(x.R(1), x.I(2))).state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
		},
	},
	{
		name: "fin_wait_1_syn_outstanding_fin_closing",
		rule: "RFC 9293 3.10.7.4 fifth and eighth: the peer's FIN with the ACK of our SYN (not of our FIN) leads to CLOSING",
		run: func(x *ctx) {
			c := x.finWait1SynOutstanding()
			c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(2), x.R(2))).state(StateClosing).tells(TellEOF).
				arms(TimerRetx, c.rto(0))
		},
	},
	{
		name: "fin_wait_2_fin_time_wait",
		rule: "RFC 9293 3.10.7.4 eighth: a FIN in FIN-WAIT-2 is acknowledged and leads to TIME-WAIT, starting the 2 MSL timer",
		run: func(x *ctx) {
			c := x.finWait2()
			c.recv(inFin(x.R(1), x.I(2))).sends(c.outAck(x.I(2), x.R(2))).state(StateTimeWait).tells(TellEOF).
				arms(TimerTimeWait, DefaultTimeWait).cancels(TimerFinWait2)
		},
	},
	{
		name: "closing_ack_of_fin_time_wait",
		rule: "RFC 9293 3.10.7.4 fifth: in CLOSING, the ACK of our FIN leads to TIME-WAIT",
		run: func(x *ctx) {
			c := x.closing()
			c.recv(inAck(x.R(2), x.I(2))).state(StateTimeWait).cancels(TimerRetx).arms(TimerTimeWait, DefaultTimeWait)
		},
	},
	{
		name: "closing_ack_short_of_fin_stays",
		rule: "RFC 9293 3.10.7.4 fifth: in CLOSING an ACK that does not cover our FIN is ignored",
		run: func(x *ctx) {
			x.closing().recv(inAck(x.R(2), x.I(1)))
		},
	},
	{
		name: "last_ack_ack_of_fin_closed",
		rule: "RFC 9293 3.10.7.4 fifth: in LAST-ACK, once our FIN is acknowledged, delete the TCB and enter CLOSED",
		run: func(x *ctx) {
			c := x.lastAck()
			c.recv(inAck(x.R(2), x.I(2))).state(StateClosed).tells(TellClosed).cancels(TimerRetx)
		},
	},
	{
		name: "last_ack_ack_short_of_fin_stays",
		rule: "RFC 9293 3.10.7.4 fifth: in LAST-ACK only the acknowledgment of our FIN closes",
		run: func(x *ctx) {
			x.lastAck().recv(inAck(x.R(2), x.I(1)))
		},
	},
	{
		name: "last_ack_ack_of_text_not_fin_stays",
		rule: "RFC 9293 3.10.7.4 fifth: an ACK of our text but not of the FIN after it keeps LAST-ACK and restarts the timer",
		run: func(x *ctx) {
			c := x.closeWait()
			c.send(10).sends(c.outData(x.I(1), x.R(2), 10, 0)).arms(TimerRetx, c.rto(0))
			c.close().sends(c.outFin(x.I(11), x.R(2))).state(StateLastAck)
			c.recv(inAck(x.R(2), x.I(11))).acked(10).arms(TimerRetx, c.rto(0))
		},
	},
	// One ACK for our text and our FIN: the text counts as acknowledged
	// (the user may forget it) whichever state the ACK leads to.
	{
		name: "fin_wait_1_ack_of_text_and_fin_fin_wait_2",
		rule: "RFC 9293 3.10.7.4 fifth: an ACK covering our text and our FIN advances SND.UNA over both and leads FIN-WAIT-1 to FIN-WAIT-2",
		run: func(x *ctx) {
			c := x.withText()
			c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
			c.recv(inAck(x.R(1), x.I(12))).acked(10).state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
		},
	},
	{
		name: "fin_wait_1_fin_with_ack_of_text_and_fin_time_wait",
		rule: "RFC 9293 3.10.7.4 fifth and eighth: the peer's FIN with an ACK of our text and FIN acknowledges the text and goes to TIME-WAIT",
		run: func(x *ctx) {
			c := x.withText()
			c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
			c.recv(inFin(x.R(1), x.I(12))).acked(10).sends(c.outAck(x.I(12), x.R(2))).state(StateTimeWait).tells(TellEOF).
				cancels(TimerRetx).arms(TimerTimeWait, DefaultTimeWait)
		},
	},
	{
		name: "closing_ack_of_text_and_fin_time_wait",
		rule: "RFC 9293 3.10.7.4 fifth: in CLOSING an ACK covering our text and FIN acknowledges both and leads to TIME-WAIT",
		run: func(x *ctx) {
			c := x.withText()
			c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
			c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(12), x.R(2))).state(StateClosing).tells(TellEOF)
			c.recv(inAck(x.R(2), x.I(12))).acked(10).state(StateTimeWait).cancels(TimerRetx).arms(TimerTimeWait, DefaultTimeWait)
		},
	},
	{
		name: "closing_ack_of_text_not_fin_stays",
		rule: "RFC 9293 3.10.7.4 fifth: in CLOSING an ACK of our text but not of the FIN advances SND.UNA and keeps CLOSING",
		run: func(x *ctx) {
			c := x.withText()
			c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
			c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(12), x.R(2))).state(StateClosing).tells(TellEOF)
			c.recv(inAck(x.R(2), x.I(11))).acked(10).arms(TimerRetx, c.rto(0))
		},
	},
	{
		name: "last_ack_ack_of_text_and_fin_closed",
		rule: "RFC 9293 3.10.7.4 fifth: in LAST-ACK an ACK covering our text and FIN acknowledges both, deletes the TCB and enters CLOSED",
		run: func(x *ctx) {
			c := x.closeWait()
			c.send(10).sends(c.outData(x.I(1), x.R(2), 10, 0)).arms(TimerRetx, c.rto(0))
			c.close().sends(c.outFin(x.I(11), x.R(2))).state(StateLastAck)
			c.recv(inAck(x.R(2), x.I(12))).acked(10).state(StateClosed).tells(TellClosed).cancels(TimerRetx)
		},
	},
	{
		name: "time_wait_ack_dropped",
		rule: "RFC 9293 3.10.7.4 fifth: in TIME-WAIT only a retransmitted FIN is expected; a plain acceptable ACK changes nothing",
		run: func(x *ctx) {
			x.timeWait().recv(inAck(x.R(2), x.I(2)))
		},
	},
}

// finAgainScenarios: a retransmission of the peer's FIN, after it was
// taken.
func finAgainScenarios() []scenario {
	var out []scenario
	for _, f := range synchronizedFixtures {
		switch f.state {
		case StateCloseWait, StateClosing, StateLastAck:
			out = append(out, scenario{
				name: f.name + "_fin_again_acked",
				rule: "RFC 9293 3.10.7.4 first and eighth: the peer's FIN, repeated, falls before RCV.NXT: acknowledge it again and stay",
				run: func(x *ctx) {
					c := f.build(x)
					c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(f.snd(x), x.R(2)))
				},
			})
		case StateTimeWait:
			out = append(out, scenario{
				name: f.name + "_fin_again_acked_timer_restarted",
				rule: "RFC 9293 3.10.7.4 fifth and eighth: in TIME-WAIT a retransmitted FIN is acknowledged and the 2 MSL timeout restarts",
				run: func(x *ctx) {
					c := f.build(x)
					c.recv(inFin(x.R(1), x.I(2))).sends(c.outAck(x.I(2), x.R(2))).arms(TimerTimeWait, DefaultTimeWait)
				},
			})
		}
	}
	return out
}

// twoEndpointCloseScenarios: both ends of a connection close, one after
// the other and at once.
var twoEndpointCloseScenarios = []scenario{
	{
		name: "normal_close_two_endpoints",
		rule: "RFC 9293 Figure 12: A closes first (FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT), B follows (CLOSE-WAIT, LAST-ACK, CLOSED); A is CLOSED after 2 MSL",
		run: func(x *ctx) {
			a, b := x.pair()
			fin := a.close().sends(a.outFin(x.I(1), x.R(1))).state(StateFinWait1).arms(TimerRetx, a.rto(0)).out.Segs[0]
			ack := b.recv(fin.Segment).sends(b.outAck(x.R(1), x.I(2))).state(StateCloseWait).tells(TellEOF).out.Segs[0]
			a.recv(ack.Segment).state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
			fin = b.close().sends(b.outFin(x.R(1), x.I(2))).state(StateLastAck).arms(TimerRetx, b.rto(0)).out.Segs[0]
			ack = a.recv(fin.Segment).sends(a.outAck(x.I(2), x.R(2))).state(StateTimeWait).tells(TellEOF).
				arms(TimerTimeWait, DefaultTimeWait).cancels(TimerFinWait2).out.Segs[0]
			b.recv(ack.Segment).state(StateClosed).tells(TellClosed).cancels(TimerRetx)
			a.fire(TimerTimeWait).state(StateClosed).tells(TellClosed)
		},
	},
	{
		name: "simultaneous_close_two_endpoints",
		rule: "RFC 9293 Figure 13: FINs that cross take both ends through CLOSING to TIME-WAIT",
		run: func(x *ctx) {
			a, b := x.pair()
			finA := a.close().sends(a.outFin(x.I(1), x.R(1))).state(StateFinWait1).arms(TimerRetx, a.rto(0)).out.Segs[0]
			finB := b.close().sends(b.outFin(x.R(1), x.I(1))).state(StateFinWait1).arms(TimerRetx, b.rto(0)).out.Segs[0]
			ackA := a.recv(finB.Segment).sends(a.outAck(x.I(2), x.R(2))).state(StateClosing).tells(TellEOF).out.Segs[0]
			ackB := b.recv(finA.Segment).sends(b.outAck(x.R(2), x.I(2))).state(StateClosing).tells(TellEOF).out.Segs[0]
			a.recv(ackB.Segment).state(StateTimeWait).cancels(TimerRetx).arms(TimerTimeWait, DefaultTimeWait)
			b.recv(ackA.Segment).state(StateTimeWait).cancels(TimerRetx).arms(TimerTimeWait, DefaultTimeWait)
		},
	},
}
