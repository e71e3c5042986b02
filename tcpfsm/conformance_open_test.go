package tcpfsm_test

// Conformance: opening a connection, and segments in the states without a
// receive window (RFC 9293 sections 3.5, 3.10.1, 3.10.7.1 to 3.10.7.3).

import (
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

var openGroup = registerGroup("open", openScenarios)

func TestConformanceOpen(t *testing.T) { openGroup.run(t) }

// openScenarios is the table of the open group.
var openScenarios = []scenario{
	// Opening.
	{
		name: "closed_open_active_sends_syn",
		rule: "RFC 9293 3.10.1: an active OPEN picks the ISS, sends <SEQ=ISS><CTL=SYN>, sets SND.UNA=ISS and SND.NXT=ISS+1 and enters SYN-SENT; RFC 6298 5.1 starts the retransmission timer with it",
		run: func(x *ctx) {
			c := x.closed()
			c.openActive().sends(c.outSyn(x.I(0))).state(StateSynSent).arms(TimerRetx, c.rto(0))
			c.vars(x.I(0), x.I(1), c.e.RcvNxt())
		},
	},
	{
		name: "closed_open_passive_listens",
		rule: "RFC 9293 3.10.1: a passive OPEN creates the TCB and waits in LISTEN, sending nothing",
		run: func(x *ctx) {
			c := x.closed()
			c.openPassive().state(StateListen)
		},
	},
	{
		name: "listen_syn_sends_syn_ack",
		rule: "RFC 9293 3.10.7.2: a SYN in LISTEN sets RCV.NXT=SEG.SEQ+1 and IRS=SEG.SEQ, answers <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, sets SND.NXT=ISS+1, SND.UNA=ISS and enters SYN-RECEIVED",
		run: func(x *ctx) {
			c := x.listen()
			c.recv(inSyn(x.R(0))).sends(c.outSynAck(x.I(0), x.R(1))).state(StateSynReceived).arms(TimerRetx, c.rto(0))
			c.vars(x.I(0), x.I(1), x.R(1))
			if c.e.IRS() != x.R(0) || c.e.SndWnd() != peerWnd {
				c.fatalf("IRS %d SND.WND %d, want %d %d", c.e.IRS(), c.e.SndWnd(), x.R(0), peerWnd)
			}
		},
	},
	{
		name: "syn_received_ack_of_syn_established",
		rule: "RFC 9293 3.10.7.4 fifth: in SYN-RECEIVED an ACK with SND.UNA < SEG.ACK =< SND.NXT enters ESTABLISHED; the user learns the connection is open",
		run: func(x *ctx) {
			c := x.synReceived()
			c.recv(withWnd(inAck(x.R(1), x.I(1)), 1234)).state(StateEstablished).tells(TellEstablished).cancels(TimerRetx)
			c.vars(x.I(1), x.I(1), x.R(1))
			c.sndWnd(1234) // SND.WND = SEG.WND
		},
	},
	{
		name: "syn_sent_syn_ack_established",
		rule: "RFC 9293 3.10.7.3: a SYN whose ACK acknowledges our SYN sets RCV.NXT=SEG.SEQ+1 and SND.UNA=SEG.ACK, enters ESTABLISHED and sends <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>",
		run: func(x *ctx) {
			c := x.synSent()
			c.recv(withWnd(inSynAck(x.R(0), x.I(1)), 1234)).sends(c.outAck(x.I(1), x.R(1))).state(StateEstablished).
				tells(TellEstablished).cancels(TimerRetx)
			c.vars(x.I(1), x.I(1), x.R(1))
			c.sndWnd(1234) // SND.WND = SEG.WND
		},
	},
	{
		name: "syn_sent_syn_simultaneous_open_syn_received",
		rule: "RFC 9293 3.10.7.3 (Figure 7): a SYN without ACK in SYN-SENT is a simultaneous open: enter SYN-RECEIVED and send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>",
		run: func(x *ctx) {
			c := x.synSent()
			c.recv(inSyn(x.R(0))).sends(c.outSynAck(x.I(0), x.R(1))).state(StateSynReceived)
			c.vars(x.I(0), x.I(1), x.R(1))
		},
	},
	{
		name: "syn_received_active_syn_ack_established",
		rule: "RFC 9293 Figure 7 line 6: after a simultaneous open the peer's SYN-ACK, whose SYN repeats the one taken, acknowledges ours: ESTABLISHED, and nothing to send",
		run: func(x *ctx) {
			c := x.synReceivedActive()
			c.recv(inSynAck(x.R(0), x.I(1))).state(StateEstablished).tells(TellEstablished).cancels(TimerRetx)
			c.vars(x.I(1), x.I(1), x.R(1))
		},
	},
	{
		name: "three_way_handshake_two_endpoints",
		rule: "RFC 9293 Figure 6: SYN, SYN-ACK, ACK between an active and a passive end bring both to ESTABLISHED",
		run: func(x *ctx) {
			a := x.newConn("A", x.I(0), Config{})
			b := x.newConn("B", x.R(0), Config{})
			b.openPassive().state(StateListen)
			syn := a.openActive().sends(a.outSyn(x.I(0))).state(StateSynSent).arms(TimerRetx, a.rto(0)).out.Segs[0]
			synAck := b.recv(syn.Segment).sends(b.outSynAck(x.R(0), x.I(1))).state(StateSynReceived).
				arms(TimerRetx, b.rto(0)).out.Segs[0]
			ack := a.recv(synAck.Segment).sends(a.outAck(x.I(1), x.R(1))).state(StateEstablished).
				tells(TellEstablished).cancels(TimerRetx).out.Segs[0]
			b.recv(ack.Segment).state(StateEstablished).tells(TellEstablished).cancels(TimerRetx)
			// Data flows in both directions.
			d := a.send(3).sends(a.outData(x.I(1), x.R(1), 3, 0)).arms(TimerRetx, a.rto(0)).out.Segs[0]
			b.recv(d.Segment).sends(b.outAck(x.R(1), x.I(4))).tells(TellData).data(0, 3, 0)
		},
	},
	{
		name: "simultaneous_open_two_endpoints",
		rule: "RFC 9293 Figure 7: SYNs that cross take both ends through SYN-RECEIVED to ESTABLISHED, each sending one SYN and one SYN-ACK",
		run: func(x *ctx) {
			a := x.newConn("A", x.I(0), Config{})
			b := x.newConn("B", x.R(0), Config{})
			synA := a.openActive().sends(a.outSyn(x.I(0))).state(StateSynSent).arms(TimerRetx, a.rto(0)).out.Segs[0]
			synB := b.openActive().sends(b.outSyn(x.R(0))).state(StateSynSent).arms(TimerRetx, b.rto(0)).out.Segs[0]
			synAckA := a.recv(synB.Segment).sends(a.outSynAck(x.I(0), x.R(1))).state(StateSynReceived).out.Segs[0]
			synAckB := b.recv(synA.Segment).sends(b.outSynAck(x.R(0), x.I(1))).state(StateSynReceived).out.Segs[0]
			a.recv(synAckB.Segment).state(StateEstablished).tells(TellEstablished).cancels(TimerRetx)
			b.recv(synAckA.Segment).state(StateEstablished).tells(TellEstablished).cancels(TimerRetx)
			a.vars(x.I(1), x.I(1), x.R(1))
			b.vars(x.R(1), x.R(1), x.I(1))
		},
	},
	{
		name: "syn_sent_queued_data_rides_on_handshake_ack",
		rule: "RFC 9293 3.10.2 and 3.10.7.3: data SENT in SYN-SENT is queued until ESTABLISHED and may ride on the ACK that completes the handshake",
		run: func(x *ctx) {
			c := x.synSent()
			c.send(7)
			c.recv(inSynAck(x.R(0), x.I(1))).sends(c.outData(x.I(1), x.R(1), 7, 0)).state(StateEstablished).
				tells(TellEstablished).arms(TimerRetx, c.rto(0))
		},
	},
	{
		name: "syn_received_queued_data_sent_once_established",
		rule: "RFC 9293 3.10.2: data SENT in SYN-RECEIVED waits for ESTABLISHED, then goes out",
		run: func(x *ctx) {
			c := x.synReceived()
			c.send(7)
			c.recv(inAck(x.R(1), x.I(1))).sends(c.outData(x.I(1), x.R(1), 7, 0)).state(StateEstablished).
				tells(TellEstablished).arms(TimerRetx, c.rto(0))
		},
	},
	{
		name: "syn_received_ack_with_data_established_takes_data",
		rule: "RFC 9293 3.10.7.4 fifth and seventh: the ACK of our SYN may carry text; ESTABLISHED, the text is delivered and acknowledged",
		run: func(x *ctx) {
			c := x.synReceived()
			c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(11))).state(StateEstablished).
				tells(TellEstablished|TellData).data(0, 10, 0).cancels(TimerRetx)
		},
	},
	{
		name: "syn_received_ack_with_fin_close_wait",
		rule: "RFC 9293 3.10.7.4 fifth and eighth: an ACK of our SYN with the peer's FIN establishes, then takes the FIN: CLOSE-WAIT, ACK of the FIN, the user hears both",
		run: func(x *ctx) {
			c := x.synReceived()
			c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(1), x.R(2))).state(StateCloseWait).
				tells(TellEstablished | TellEOF).cancels(TimerRetx)
		},
	},

	// CLOSED (RFC 9293 3.10.7.1).
	{
		name: "closed_rst_dropped",
		rule: "RFC 9293 3.10.7.1: in CLOSED an arriving RST is discarded",
		run: func(x *ctx) {
			x.closed().recv(inRst(x.R(0)))
		},
	},
	{
		name: "closed_rst_ack_dropped",
		rule: "RFC 9293 3.10.7.1: in CLOSED an RST is discarded whatever its ACK field",
		run: func(x *ctx) {
			x.closed().recv(inRstAck(x.R(0), x.I(5)))
		},
	},
	{
		name: "closed_syn_rst_ack_seq_plus_len",
		rule: "RFC 9293 3.10.7.1: in CLOSED a segment without ACK gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; the SYN counts in SEG.LEN",
		run: func(x *ctx) {
			c := x.closed()
			c.recv(inSyn(x.R(0))).sends(outRstAck(x.R(1)))
		},
	},
	{
		name: "closed_syn_fin_data_rst_ack_counts_syn_and_fin",
		rule: "RFC 9293 3.10.7.1 and 3.4: SEG.LEN counts the text, the SYN and the FIN, so the reset acknowledges SEG.SEQ+text+2",
		run: func(x *ctx) {
			c := x.closed()
			c.recv(Segment{Flags: FlagSYN | FlagFIN, Seq: x.R(0), Len: 10, Wnd: peerWnd}).sends(outRstAck(x.R(12)))
		},
	},
	{
		name: "closed_fin_rst_ack_counts_fin",
		rule: "RFC 9293 3.10.7.1: a FIN without ACK in CLOSED: the reset acknowledges SEG.SEQ+1",
		run: func(x *ctx) {
			c := x.closed()
			c.recv(Segment{Flags: FlagFIN, Seq: x.R(5)}).sends(outRstAck(x.R(6)))
		},
	},
	{
		name: "closed_text_without_ack_rst_ack_counts_text",
		rule: "RFC 9293 3.10.7.1: text without ACK in CLOSED: the reset acknowledges SEG.SEQ plus the text length",
		run: func(x *ctx) {
			c := x.closed()
			c.recv(Segment{Seq: x.R(5), Len: 10}).sends(outRstAck(x.R(15)))
		},
	},
	{
		name: "closed_ack_rst_seq_seg_ack",
		rule: "RFC 9293 3.10.7.1: in CLOSED a segment with ACK gets <SEQ=SEG.ACK><CTL=RST>",
		run: func(x *ctx) {
			c := x.closed()
			c.recv(inAck(x.R(1), x.I(7))).sends(outRst(x.I(7)))
		},
	},
	{
		name: "closed_syn_ack_rst_seq_seg_ack",
		rule: "RFC 9293 3.10.7.1: a SYN-ACK in CLOSED has the ACK bit: <SEQ=SEG.ACK><CTL=RST>",
		run: func(x *ctx) {
			c := x.closed()
			c.recv(inSynAck(x.R(0), x.I(1))).sends(outRst(x.I(1)))
		},
	},
	{
		name: "closed_fin_ack_with_data_rst_seq_seg_ack",
		rule: "RFC 9293 3.10.7.1: text and FIN do not matter when the ACK bit is on: <SEQ=SEG.ACK><CTL=RST>",
		run: func(x *ctx) {
			c := x.closed()
			c.recv(inDataFin(x.R(1), x.I(-1), 20)).sends(outRst(x.I(-1)))
		},
	},

	// LISTEN (RFC 9293 3.10.7.2).
	{
		name: "listen_rst_dropped",
		rule: "RFC 9293 3.10.7.2: in LISTEN an RST cannot be valid and is ignored",
		run: func(x *ctx) {
			x.listen().recv(inRst(x.R(0)))
		},
	},
	{
		name: "listen_rst_ack_dropped",
		rule: "RFC 9293 3.10.7.2: RST is checked first in LISTEN: an RST with ACK is ignored too",
		run: func(x *ctx) {
			x.listen().recv(inRstAck(x.R(0), x.I(1)))
		},
	},
	{
		name: "listen_ack_rst_seq_seg_ack",
		rule: "RFC 9293 3.10.7.2: any acknowledgment is bad in LISTEN: answer <SEQ=SEG.ACK><CTL=RST>",
		run: func(x *ctx) {
			c := x.listen()
			c.recv(inAck(x.R(1), x.I(1))).sends(outRst(x.I(1)))
		},
	},
	{
		name: "listen_syn_ack_rst_seq_seg_ack",
		rule: "RFC 9293 3.10.7.2: the ACK check comes before the SYN check: a SYN-ACK in LISTEN gets <SEQ=SEG.ACK><CTL=RST>",
		run: func(x *ctx) {
			c := x.listen()
			c.recv(inSynAck(x.R(0), x.I(-5))).sends(outRst(x.I(-5)))
		},
	},
	{
		name: "listen_fin_without_syn_dropped",
		rule: "RFC 9293 3.10.7.2: any other control or text without SYN or ACK is dropped in LISTEN",
		run: func(x *ctx) {
			x.listen().recv(Segment{Flags: FlagFIN, Seq: x.R(0), Len: 4})
		},
	},
	{
		name: "listen_syn_with_text_and_fin_acks_syn_only",
		rule: "RFC 9293 3.10.7.2 lets text and FIN on a SYN wait for later; the table does not keep them (spec/tcp.fsm LISTEN seg-syn), so the SYN-ACK acknowledges the SYN alone and the peer sends them again",
		run: func(x *ctx) {
			c := x.listen()
			c.recv(Segment{Flags: FlagSYN | FlagFIN, Seq: x.R(0), Len: 10, Wnd: peerWnd}).
				sends(c.outSynAck(x.I(0), x.R(1))).state(StateSynReceived).arms(TimerRetx, c.rto(0))
		},
	},
	{
		name: "listen_returns_after_reset_and_accepts_next_syn",
		rule: "RFC 9293 3.10.7.4 second: a passive SYN-RECEIVED reset goes back to LISTEN, which then handles the next SYN as new",
		run: func(x *ctx) {
			c := x.synReceived()
			c.recv(inRst(x.R(1))).state(StateListen).cancels(TimerRetx)
			c.recv(inSyn(x.R(1000))).sends(c.outSynAck(x.I(0), x.R(1001))).state(StateSynReceived).arms(TimerRetx, c.rto(0))
		},
	},

	// SYN-SENT (RFC 9293 3.10.7.3).
	{
		name: "syn_sent_ack_of_iss_rst",
		rule: "RFC 9293 3.10.7.3: SEG.ACK =< ISS is unacceptable in SYN-SENT: send <SEQ=SEG.ACK><CTL=RST>, drop the segment",
		run: func(x *ctx) {
			c := x.synSent()
			c.recv(inAck(x.R(0), x.I(0))).sends(outRst(x.I(0)))
		},
	},
	{
		name: "syn_sent_ack_below_iss_rst",
		rule: "RFC 9293 3.10.7.3: SEG.ACK below ISS (modulo 2^32) is unacceptable: <SEQ=SEG.ACK><CTL=RST>",
		run: func(x *ctx) {
			c := x.synSent()
			c.recv(inAck(x.R(0), x.I(-1000))).sends(outRst(x.I(-1000)))
		},
	},
	{
		name: "syn_sent_ack_beyond_snd_nxt_rst",
		rule: "RFC 9293 3.10.7.3: SEG.ACK > SND.NXT is unacceptable in SYN-SENT: <SEQ=SEG.ACK><CTL=RST>",
		run: func(x *ctx) {
			c := x.synSent()
			c.recv(inAck(x.R(0), x.I(2))).sends(outRst(x.I(2)))
		},
	},
	{
		name: "syn_sent_syn_ack_bad_ack_rst",
		rule: "RFC 9293 3.10.7.3: the ACK check comes first: a SYN-ACK acknowledging beyond SND.NXT gets <SEQ=SEG.ACK><CTL=RST> and SYN-SENT stays",
		run: func(x *ctx) {
			c := x.synSent()
			c.recv(inSynAck(x.R(0), x.I(50))).sends(outRst(x.I(50)))
		},
	},
	{
		name: "syn_sent_rst_bad_ack_dropped",
		rule: "RFC 9293 3.10.7.3: an unacceptable ACK on an RST draws no reset: drop the segment",
		run: func(x *ctx) {
			x.synSent().recv(inRstAck(x.R(0), x.I(0)))
		},
	},
	{
		name: "syn_sent_rst_acceptable_ack_reset",
		rule: "RFC 9293 3.10.7.3 and RFC 5961 3.2: an RST whose ACK acknowledges our SYN is obeyed: \"connection reset\", CLOSED",
		run: func(x *ctx) {
			c := x.synSent()
			c.recv(inRstAck(x.R(0), x.I(1))).state(StateClosed).tells(TellReset).cancels(TimerRetx)
		},
	},
	{
		name: "syn_sent_rst_without_ack_dropped",
		rule: "RFC 9293 3.10.7.3: an RST without an ACK in SYN-SENT is dropped",
		run: func(x *ctx) {
			x.synSent().recv(inRst(x.R(0)))
		},
	},
	{
		name: "syn_sent_bare_acceptable_ack_dropped",
		rule: "RFC 9293 3.10.7.3: with neither SYN nor RST, an acceptable ACK is dropped in SYN-SENT",
		run: func(x *ctx) {
			x.synSent().recv(inAck(x.R(0), x.I(1)))
		},
	},
	{
		name: "syn_sent_no_control_dropped",
		rule: "RFC 9293 3.10.7.3: a segment with neither SYN nor RST (here a FIN with text, no ACK) is dropped in SYN-SENT",
		run: func(x *ctx) {
			x.synSent().recv(Segment{Flags: FlagFIN, Seq: x.R(0), Len: 3})
		},
	},
	{
		name: "syn_sent_syn_ack_with_text_acks_syn_only",
		rule: "RFC 9293 3.10.7.3 lets the text of a SYN-ACK go on to the sixth step; the table does not take it (spec/tcp.fsm SYN-SENT seg-syn-ack), so the ACK covers the SYN alone and the peer sends the text again",
		run: func(x *ctx) {
			c := x.synSent()
			c.recv(Segment{Flags: FlagSYN | FlagACK, Seq: x.R(0), Ack: x.I(1), Len: 10, Wnd: peerWnd}).
				sends(c.outAck(x.I(1), x.R(1))).state(StateEstablished).tells(TellEstablished).cancels(TimerRetx)
		},
	},
}
