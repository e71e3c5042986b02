package tcpfsm_test

// Conformance: segments in the synchronized states (RFC 9293 section
// 3.10.7.4): the sequence test, the ACK field (with RFC 5961 section 5),
// the text, the FIN, and the closes they lead to.

import (
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

var segmentGroup = registerGroup("segment", segmentScenarios())

func TestConformanceSegments(t *testing.T) { segmentGroup.run(t) }

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

// withText is an established connection with 10 bytes of ours outstanding
// (SND.UNA = ISS+1, SND.NXT = ISS+11), so that whether a segment's ACK
// field is processed shows in Output.Acked.
func (x *ctx) withText(cfg ...Config) *conn {
	c := x.established(cfg...)
	c.send(10).sends(c.outData(x.I(1), x.R(1), 10, 0)).arms(TimerRetx, c.rto(0))
	return c
}

func segmentScenarios() []scenario {
	var out []scenario

	// In every synchronized state: a segment failing the sequence test, a
	// segment without ACK, an ACK of something not yet sent.
	for _, f := range synchronizedFixtures {
		out = append(out,
			scenario{
				name: f.name + "_unacceptable_text_acked_and_dropped",
				rule: "RFC 9293 3.10.7.4 first: a segment that fails the sequence test is answered with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and dropped, its ACK field unprocessed",
				run: func(x *ctx) {
					c := f.build(x)
					c.recv(inData(f.rcvNxt(x).Add(c.rcvWnd), f.snd(x), 10)).sends(c.outAck(f.snd(x), f.rcvNxt(x)))
				},
			},
			scenario{
				name: f.name + "_no_ack_bit_dropped",
				rule: "RFC 9293 3.10.7.4 fifth: a segment without the ACK bit is dropped, text and all",
				run: func(x *ctx) {
					c := f.build(x)
					c.recv(Segment{Seq: f.rcvNxt(x), Len: 5, Wnd: peerWnd})
				},
			},
		)
		if f.state == StateSynReceived {
			out = append(out, scenario{
				name: f.name + "_ack_beyond_snd_nxt_rst",
				rule: "RFC 9293 3.10.7.4 fifth: in SYN-RECEIVED an ACK outside SND.UNA < SEG.ACK =< SND.NXT draws <SEQ=SEG.ACK><CTL=RST>",
				run: func(x *ctx) {
					c := f.build(x)
					c.recv(inData(x.R(1), x.I(2), 5)).sends(outRst(x.I(2)))
				},
			}, scenario{
				name: f.name + "_ack_of_iss_rst",
				rule: "RFC 9293 3.10.7.4 fifth: in SYN-RECEIVED SEG.ACK = ISS acknowledges nothing new: <SEQ=SEG.ACK><CTL=RST>",
				run: func(x *ctx) {
					c := f.build(x)
					c.recv(inAck(x.R(1), x.I(0))).sends(outRst(x.I(0)))
				},
			})
			continue
		}
		out = append(out, scenario{
			name: f.name + "_ack_beyond_snd_nxt_acked_and_dropped",
			rule: "RFC 9293 3.10.7.4 fifth and RFC 5961 5.2: SEG.ACK > SND.NXT acknowledges what was never sent: send an ACK, drop the segment (its text too)",
			run: func(x *ctx) {
				c := f.build(x)
				c.recv(inData(f.rcvNxt(x), f.snd(x)+1, 5)).sends(c.outAck(f.snd(x), f.rcvNxt(x)))
			},
		})
	}

	// The four cases of the acceptability test (Table 6) at their edges,
	// for a nonzero receive window (the Endpoint never offers a zero one;
	// conformance_internal_test.go checks those cases on the test itself).
	type acceptCase struct {
		name   string
		seq    func(x *ctx, wnd uint32) Seq
		n      uint32
		accept bool
		rule   string
	}
	for _, ac := range []acceptCase{
		{"empty_segment_at_rcv_nxt_minus_1", func(x *ctx, w uint32) Seq { return x.R(0) }, 0, false,
			"RFC 9293 3.10.7.4 Table 6, SEG.LEN=0, RCV.WND>0: RCV.NXT =< SEG.SEQ fails one below RCV.NXT"},
		{"empty_segment_at_rcv_nxt", func(x *ctx, w uint32) Seq { return x.R(1) }, 0, true,
			"RFC 9293 3.10.7.4 Table 6, SEG.LEN=0, RCV.WND>0: SEG.SEQ = RCV.NXT is acceptable"},
		{"empty_segment_at_rcv_nxt_plus_wnd_minus_1", func(x *ctx, w uint32) Seq { return x.R(1).Add(w - 1) }, 0, true,
			"RFC 9293 3.10.7.4 Table 6, SEG.LEN=0, RCV.WND>0: the last sequence number of the window is acceptable"},
		// A documented departure (classify.go, atRightEdge): Table 6 wants
		// SEG.SEQ < RCV.NXT+RCV.WND, but an empty non-RST segment at the
		// right edge is accepted, as in Linux and the BSDs, because the
		// strict rule lets two peers that filled each other's window trade
		// ACKs for ever once the data is lost.
		{"empty_segment_at_rcv_nxt_plus_wnd", func(x *ctx, w uint32) Seq { return x.R(1).Add(w) }, 0, true,
			"RFC 9293 3.10.7.4 Table 6 with Linux's right-edge exception (tcp_sequence): an empty segment at RCV.NXT+RCV.WND is taken, so that full windows cannot start an ACK war"},
		{"text_ending_at_rcv_nxt_minus_1", func(x *ctx, w uint32) Seq { return x.R(-9) }, 10, false,
			"RFC 9293 3.10.7.4 Table 6, SEG.LEN>0, RCV.WND>0: neither the first nor the last octet (RCV.NXT-1) is in the window"},
		{"text_ending_at_rcv_nxt", func(x *ctx, w uint32) Seq { return x.R(-8) }, 10, true,
			"RFC 9293 3.10.7.4 Table 6, SEG.LEN>0, RCV.WND>0: acceptable when the last octet, SEG.SEQ+SEG.LEN-1, is RCV.NXT"},
		{"text_starting_at_rcv_nxt_plus_wnd_minus_1", func(x *ctx, w uint32) Seq { return x.R(1).Add(w - 1) }, 10, true,
			"RFC 9293 3.10.7.4 Table 6, SEG.LEN>0, RCV.WND>0: acceptable when the first octet is the window's last"},
		{"text_starting_at_rcv_nxt_plus_wnd", func(x *ctx, w uint32) Seq { return x.R(1).Add(w) }, 10, false,
			"RFC 9293 3.10.7.4 Table 6, SEG.LEN>0, RCV.WND>0: a segment wholly past the window is not acceptable"},
		{"text_spanning_whole_window", func(x *ctx, w uint32) Seq { return x.R(0) }, 0, false,
			"RFC 9293 3.10.7.4 Table 6, SEG.LEN>0, RCV.WND>0: the test looks at the first and last octets only, so a segment from RCV.NXT-1 to past the window is not acceptable"},
	} {
		accepted := "unacceptable_acked_and_dropped"
		if ac.accept {
			accepted = "acceptable_ack_processed"
		}
		out = append(out, scenario{
			name: "established_" + ac.name + "_" + accepted,
			rule: ac.rule,
			run: func(x *ctx) {
				c := x.withText()
				n := ac.n
				if ac.name == "text_spanning_whole_window" {
					n = c.rcvWnd + 2
				}
				// The segment acknowledges our 10 bytes: processed only if
				// acceptable.
				c.recv(inData(ac.seq(x, c.rcvWnd), x.I(11), n))
				switch {
				case !ac.accept:
					c.sends(c.outAck(x.I(11), x.R(1)))
				case ac.name == "text_ending_at_rcv_nxt":
					// The one new octet is taken.
					c.acked(10).cancels(TimerRetx).sends(c.outAck(x.I(11), x.R(2))).tells(TellData).data(0, 1, 9)
				case n > 0:
					// Out of order: dropped and acknowledged.
					c.acked(10).cancels(TimerRetx).sends(c.outAck(x.I(11), x.R(1)))
				default:
					c.acked(10).cancels(TimerRetx)
				}
			},
		})
	}

	out = append(out,
		// The ACK field.
		scenario{
			name: "established_ack_of_text_advances_snd_una",
			rule: "RFC 9293 3.10.7.4 fifth: SND.UNA < SEG.ACK =< SND.NXT sets SND.UNA = SEG.ACK; RFC 6298 5.2 stops the timer when all is acknowledged",
			run: func(x *ctx) {
				c := x.withText()
				c.recv(inAck(x.R(1), x.I(11))).acked(10).cancels(TimerRetx)
				c.vars(x.I(11), x.I(11), x.R(1))
			},
		},
		scenario{
			name: "established_partial_ack_restarts_timer",
			rule: "RFC 9293 3.10.7.4 fifth and RFC 6298 5.3: an ACK of part of the text advances SND.UNA and restarts the timer with the RTO",
			run: func(x *ctx) {
				c := x.withText()
				c.recv(inAck(x.R(1), x.I(6))).acked(5).arms(TimerRetx, c.rto(0))
				c.vars(x.I(6), x.I(11), x.R(1))
			},
		},
		scenario{
			name: "established_duplicate_ack_ignored",
			rule: "RFC 9293 3.10.7.4 fifth: a duplicate ACK (SEG.ACK =< SND.UNA) is ignored",
			run: func(x *ctx) {
				c := x.withText()
				c.recv(inAck(x.R(1), x.I(1)))
			},
		},
		scenario{
			name: "established_old_ack_within_max_snd_wnd_text_taken",
			rule: "RFC 5961 5.2: SEG.ACK down to SND.UNA-MAX.SND.WND is an acceptable duplicate; the segment's text is processed",
			run: func(x *ctx) {
				c := x.established()
				c.recv(inData(x.R(1), x.I(1-int(peerWnd)), 5)).sends(c.outAck(x.I(1), x.R(6))).tells(TellData).data(0, 5, 0)
			},
		},
		scenario{
			name: "established_ack_older_than_max_snd_wnd_acked_and_dropped",
			rule: "RFC 5961 5.2: SEG.ACK < SND.UNA-MAX.SND.WND is unacceptable: send an ACK and drop the segment, text and all",
			run: func(x *ctx) {
				c := x.established()
				c.recv(inData(x.R(1), x.I(-int(peerWnd)), 5)).sends(c.outAck(x.I(1), x.R(1)))
			},
		},
		scenario{
			name: "established_newer_segment_updates_send_window",
			rule: "RFC 9293 3.10.7.4 fifth: SND.WND is taken from a segment with SND.WL1 < SEG.SEQ, or SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK",
			run: func(x *ctx) {
				c := x.withText()
				c.recv(withWnd(inAck(x.R(1), x.I(11)), 1000)).acked(10).cancels(TimerRetx)
				c.sndWnd(1000)
			},
		},
		scenario{
			name: "established_reordered_old_ack_does_not_update_send_window",
			rule: "RFC 9293 3.10.7.4 fifth: a segment with SND.WL1 = SEG.SEQ and SEG.ACK < SND.WL2 is older than the last window update; SND.WND stays",
			run: func(x *ctx) {
				c := x.withText()
				c.recv(inAck(x.R(1), x.I(11))).acked(10).cancels(TimerRetx)
				c.recv(withWnd(inAck(x.R(1), x.I(1)), 100))
				c.sndWnd(peerWnd)
			},
		},

		// Text (RFC 9293 3.10.7.4 seventh).
		scenario{
			name: "established_text_in_order_taken_and_acked",
			rule: "RFC 9293 3.10.7.4 seventh: in-order text is delivered, RCV.NXT advances over it, and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> is sent",
			run: func(x *ctx) {
				c := x.established()
				c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(11))).tells(TellData).data(0, 10, 0)
				c.vars(x.I(1), x.I(1), x.R(11))
			},
		},
		scenario{
			name: "established_text_out_of_order_dropped_and_acked",
			rule: "RFC 9293 3.10.7.4 seventh: text beyond RCV.NXT need not be kept; dropped, it is answered with an ACK of RCV.NXT (and delivered when it comes again in order)",
			run: func(x *ctx) {
				c := x.established()
				c.recv(inData(x.R(11), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(1)))
				c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(11))).tells(TellData).data(0, 10, 0)
				c.recv(inData(x.R(11), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(21))).tells(TellData).data(10, 10, 0)
			},
		},
		scenario{
			name: "established_text_overlapping_left_edge_takes_new_part",
			rule: "RFC 9293 3.10.7.4 first and seventh: a segment starting before RCV.NXT is acceptable if it reaches into the window; only the new octets are delivered",
			run: func(x *ctx) {
				c := x.established()
				c.recv(inData(x.R(-9), x.I(1), 20)).sends(c.outAck(x.I(1), x.R(11))).tells(TellData).data(0, 10, 10)
			},
		},
		scenario{
			name: "established_duplicate_text_acked_not_delivered",
			rule: "RFC 9293 3.10.7.4 first: text already received fails the sequence test: ACK, nothing delivered twice",
			run: func(x *ctx) {
				c := x.established()
				c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(11))).tells(TellData).data(0, 10, 0)
				c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(11)))
			},
		},
		scenario{
			name: "established_text_trimmed_to_window",
			rule: "RFC 9293 3.10.7.4 first and seventh: text beyond RCV.NXT+RCV.WND is trimmed off; the part inside the window is delivered and acknowledged",
			run: func(x *ctx) {
				c := x.established(Config{RcvWnd: 100})
				c.recv(inData(x.R(1), x.I(1), 150)).sends(c.outAck(x.I(1), x.R(101))).tells(TellData).data(0, 100, 0)
			},
		},
		scenario{
			name: "established_fin_beyond_window_not_taken",
			rule: "RFC 9293 3.10.7.4 first and eighth: a FIN trimmed off with the text past the window is not processed; the connection stays ESTABLISHED",
			run: func(x *ctx) {
				c := x.established(Config{RcvWnd: 100})
				c.recv(inDataFin(x.R(1), x.I(1), 150)).sends(c.outAck(x.I(1), x.R(101))).tells(TellData).data(0, 100, 0)
			},
		},

		// FIN (RFC 9293 3.10.7.4 eighth).
		scenario{
			name: "established_fin_close_wait",
			rule: "RFC 9293 3.10.7.4 eighth: an in-order FIN advances RCV.NXT over it, is acknowledged, tells the user the peer closed, and ESTABLISHED becomes CLOSE-WAIT",
			run: func(x *ctx) {
				c := x.established()
				c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(1), x.R(2))).state(StateCloseWait).tells(TellEOF)
				c.vars(x.I(1), x.I(1), x.R(2))
			},
		},
		scenario{
			name: "established_fin_with_ack_of_text_close_wait",
			rule: "RFC 9293 3.10.7.4 fifth and eighth: the ACK field of the peer's FIN is processed before the FIN: our text is acknowledged, then CLOSE-WAIT",
			run: func(x *ctx) {
				c := x.withText()
				c.recv(inFin(x.R(1), x.I(11))).acked(10).cancels(TimerRetx).sends(c.outAck(x.I(11), x.R(2))).
					state(StateCloseWait).tells(TellEOF)
			},
		},
		scenario{
			name: "established_text_with_fin_close_wait",
			rule: "RFC 9293 3.10.7.4 seventh and eighth: text and FIN together: the text is delivered, then the FIN taken; one ACK covers both",
			run: func(x *ctx) {
				c := x.established()
				c.recv(inDataFin(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(12))).state(StateCloseWait).
					tells(TellData|TellEOF).data(0, 10, 0)
			},
		},
		scenario{
			name: "established_fin_out_of_order_not_taken",
			rule: "RFC 9293 3.10.7.4 eighth: a FIN is processed only once all before it is received; out of order, the segment is acknowledged at RCV.NXT",
			run: func(x *ctx) {
				c := x.established()
				c.recv(inFin(x.R(11), x.I(1))).sends(c.outAck(x.I(1), x.R(1)))
			},
		},
		scenario{
			name: "established_fin_without_ack_bit_dropped",
			rule: "RFC 9293 3.10.7.4 fifth: the ACK bit is checked before the FIN; a FIN without it is dropped",
			run: func(x *ctx) {
				x.established().recv(Segment{Flags: FlagFIN, Seq: x.R(1), Wnd: peerWnd})
			},
		},

		// Half-close.
		scenario{
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
		scenario{
			name: "close_wait_text_from_peer_ignored",
			rule: "RFC 9293 3.10.7.4 seventh: in CLOSE-WAIT the peer has sent its FIN, so text should not occur and is ignored",
			run: func(x *ctx) {
				c := x.closeWait()
				c.recv(inData(x.R(2), x.I(1), 5))
			},
		},
		scenario{
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
		scenario{
			name: "fin_wait_1_text_taken_and_acked",
			rule: "RFC 9293 3.10.7.4 seventh: FIN-WAIT-1 still receives: in-order text is delivered and acknowledged",
			run: func(x *ctx) {
				c := x.finWait1()
				c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(2), x.R(11))).tells(TellData).data(0, 10, 0)
			},
		},
		scenario{
			name: "established_close_with_queued_text_fin_after_it",
			rule: "RFC 9293 3.10.4: CLOSE waits until all preceding SENDs are segmentized; the FIN's sequence number follows the last queued octet",
			run: func(x *ctx) {
				c := x.established()
				c.recv(withWnd(inAck(x.R(1), x.I(1)), 5))
				c.sndWnd(5)
				c.send(10).sends(c.outData(x.I(1), x.R(1), 5, 0)).arms(TimerRetx, c.rto(0))
				c.close().state(StateFinWait1)
				c.recv(withWnd(inAck(x.R(1), x.I(6)), 100)).acked(5).
					sends(c.outDataFin(x.I(6), x.R(1), 5, 5)).arms(TimerRetx, c.rto(0))
				c.vars(x.I(6), x.I(12), x.R(1))
				c.recv(inAck(x.R(1), x.I(12))).acked(5).state(StateFinWait2).cancels(TimerRetx).
					arms(TimerFinWait2, DefaultFinWait2)
			},
		},
		scenario{
			name: "syn_received_close_with_queued_text_fin_follows_text",
			rule: "RFC 9293 3.10.4: CLOSE in SYN-RECEIVED with data pending waits for ESTABLISHED, then the data and the FIN go; the table moves to FIN-WAIT-1 at once (spec/tcp.fsm CLOSE rows), which sends the same segments",
			run: func(x *ctx) {
				c := x.synReceived()
				c.send(5)
				c.close().state(StateFinWait1)
				c.recv(inAck(x.R(1), x.I(1))).sends(c.outDataFin(x.I(1), x.R(1), 5, 0)).arms(TimerRetx, c.rto(0))
				c.recv(inAck(x.R(1), x.I(7))).acked(5).state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
			},
		},
		scenario{
			name: "established_close_after_sent_text_fin_next",
			rule: "RFC 9293 3.10.4: with all text sent, CLOSE sends the FIN at SND.NXT, after the text",
			run: func(x *ctx) {
				c := x.withText()
				c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
				c.vars(x.I(1), x.I(12), x.R(1))
			},
		},

		// Closing (RFC 9293 3.10.7.4 fifth and eighth, Figures 12 and 13).
		scenario{
			name: "fin_wait_1_ack_of_fin_fin_wait_2",
			rule: "RFC 9293 3.10.7.4 fifth: in FIN-WAIT-1, once our FIN is acknowledged, enter FIN-WAIT-2",
			run: func(x *ctx) {
				c := x.finWait1()
				c.recv(inAck(x.R(1), x.I(2))).state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
			},
		},
		scenario{
			name: "fin_wait_1_text_with_ack_of_fin_fin_wait_2",
			rule: "RFC 9293 3.10.7.4 fifth and seventh: text that comes with the ACK of our FIN is delivered and acknowledged as FIN-WAIT-1 becomes FIN-WAIT-2",
			run: func(x *ctx) {
				c := x.finWait1()
				c.recv(inData(x.R(1), x.I(2), 10)).sends(c.outAck(x.I(2), x.R(11))).tells(TellData).data(0, 10, 0).
					state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
			},
		},
		scenario{
			name: "fin_wait_2_segment_updates_send_window",
			rule: "RFC 9293 3.10.7.4 fifth: FIN-WAIT-2 processes the ACK field as ESTABLISHED does, so a newer segment updates SND.WND",
			run: func(x *ctx) {
				c := x.finWait2()
				c.recv(withWnd(inAck(x.R(1), x.I(2)), 777)).arms(TimerFinWait2, DefaultFinWait2)
				c.sndWnd(777)
			},
		},
		scenario{
			name: "fin_wait_2_fin_updates_send_window",
			rule: "RFC 9293 3.10.7.4 fifth and eighth: the ACK field of the peer's FIN is processed in FIN-WAIT-2 too (SND.WND from the segment) before TIME-WAIT",
			run: func(x *ctx) {
				c := x.finWait2()
				c.recv(withWnd(inFin(x.R(1), x.I(2)), 777)).sends(c.outAck(x.I(2), x.R(2))).state(StateTimeWait).tells(TellEOF).
					arms(TimerTimeWait, DefaultTimeWait).cancels(TimerFinWait2)
				c.sndWnd(777)
			},
		},
		scenario{
			name: "fin_wait_1_ack_of_text_not_fin_stays",
			rule: "RFC 9293 3.10.7.4 fifth: an ACK that stops short of our FIN leaves FIN-WAIT-1",
			run: func(x *ctx) {
				c := x.withText()
				c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
				c.recv(inAck(x.R(1), x.I(11))).acked(10).arms(TimerRetx, c.rto(0))
			},
		},
		scenario{
			name: "fin_wait_1_fin_closing",
			rule: "RFC 9293 3.10.7.4 eighth: a FIN in FIN-WAIT-1 that does not acknowledge our FIN is acknowledged and leads to CLOSING",
			run: func(x *ctx) {
				c := x.finWait1()
				c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(2), x.R(2))).state(StateClosing).tells(TellEOF)
			},
		},
		scenario{
			name: "fin_wait_1_fin_with_ack_of_fin_time_wait",
			rule: "RFC 9293 3.10.7.4 eighth: a FIN that also acknowledges our FIN takes FIN-WAIT-1 straight to TIME-WAIT, starting the 2 MSL timer and stopping the others",
			run: func(x *ctx) {
				c := x.finWait1()
				c.recv(inFin(x.R(1), x.I(2))).sends(c.outAck(x.I(2), x.R(2))).state(StateTimeWait).tells(TellEOF).
					cancels(TimerRetx).arms(TimerTimeWait, DefaultTimeWait)
			},
		},
		scenario{
			name: "fin_wait_1_syn_outstanding_ack_of_syn_stays",
			rule: "RFC 9293 3.10.4 and 3.10.7.4 fifth: after CLOSE in SYN-RECEIVED, the ACK of our SYN alone leaves FIN-WAIT-1; the user, who closed, is told nothing",
			run: func(x *ctx) {
				c := x.finWait1SynOutstanding()
				c.recv(inAck(x.R(1), x.I(1))).arms(TimerRetx, c.rto(0))
				c.vars(x.I(1), x.I(2), x.R(1))
			},
		},
		scenario{
			name: "fin_wait_1_syn_outstanding_ack_of_syn_and_fin_fin_wait_2",
			rule: "RFC 9293 3.10.7.4 fifth: one ACK may cover our SYN and our FIN: FIN-WAIT-2",
			run: func(x *ctx) {
				c := x.finWait1SynOutstanding()
				c.recv(inAck(x.R(1), x.I(2))).state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
			},
		},
		scenario{
			name: "fin_wait_1_syn_outstanding_fin_closing",
			rule: "RFC 9293 3.10.7.4 fifth and eighth: the peer's FIN with the ACK of our SYN (not of our FIN) leads to CLOSING",
			run: func(x *ctx) {
				c := x.finWait1SynOutstanding()
				c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(2), x.R(2))).state(StateClosing).tells(TellEOF).
					arms(TimerRetx, c.rto(0))
			},
		},
		scenario{
			name: "fin_wait_2_fin_time_wait",
			rule: "RFC 9293 3.10.7.4 eighth: a FIN in FIN-WAIT-2 is acknowledged and leads to TIME-WAIT, starting the 2 MSL timer",
			run: func(x *ctx) {
				c := x.finWait2()
				c.recv(inFin(x.R(1), x.I(2))).sends(c.outAck(x.I(2), x.R(2))).state(StateTimeWait).tells(TellEOF).
					arms(TimerTimeWait, DefaultTimeWait).cancels(TimerFinWait2)
			},
		},
		scenario{
			name: "closing_ack_of_fin_time_wait",
			rule: "RFC 9293 3.10.7.4 fifth: in CLOSING, the ACK of our FIN leads to TIME-WAIT",
			run: func(x *ctx) {
				c := x.closing()
				c.recv(inAck(x.R(2), x.I(2))).state(StateTimeWait).cancels(TimerRetx).arms(TimerTimeWait, DefaultTimeWait)
			},
		},
		scenario{
			name: "closing_ack_short_of_fin_stays",
			rule: "RFC 9293 3.10.7.4 fifth: in CLOSING an ACK that does not cover our FIN is ignored",
			run: func(x *ctx) {
				x.closing().recv(inAck(x.R(2), x.I(1)))
			},
		},
		scenario{
			name: "last_ack_ack_of_fin_closed",
			rule: "RFC 9293 3.10.7.4 fifth: in LAST-ACK, once our FIN is acknowledged, delete the TCB and enter CLOSED",
			run: func(x *ctx) {
				c := x.lastAck()
				c.recv(inAck(x.R(2), x.I(2))).state(StateClosed).tells(TellClosed).cancels(TimerRetx)
			},
		},
		scenario{
			name: "last_ack_ack_short_of_fin_stays",
			rule: "RFC 9293 3.10.7.4 fifth: in LAST-ACK only the acknowledgment of our FIN closes",
			run: func(x *ctx) {
				x.lastAck().recv(inAck(x.R(2), x.I(1)))
			},
		},
		scenario{
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
		scenario{
			name: "fin_wait_1_ack_of_text_and_fin_fin_wait_2",
			rule: "RFC 9293 3.10.7.4 fifth: an ACK covering our text and our FIN advances SND.UNA over both and leads FIN-WAIT-1 to FIN-WAIT-2",
			run: func(x *ctx) {
				c := x.withText()
				c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
				c.recv(inAck(x.R(1), x.I(12))).acked(10).state(StateFinWait2).cancels(TimerRetx).arms(TimerFinWait2, DefaultFinWait2)
			},
		},
		scenario{
			name: "fin_wait_1_fin_with_ack_of_text_and_fin_time_wait",
			rule: "RFC 9293 3.10.7.4 fifth and eighth: the peer's FIN with an ACK of our text and FIN acknowledges the text and goes to TIME-WAIT",
			run: func(x *ctx) {
				c := x.withText()
				c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
				c.recv(inFin(x.R(1), x.I(12))).acked(10).sends(c.outAck(x.I(12), x.R(2))).state(StateTimeWait).tells(TellEOF).
					cancels(TimerRetx).arms(TimerTimeWait, DefaultTimeWait)
			},
		},
		scenario{
			name: "closing_ack_of_text_and_fin_time_wait",
			rule: "RFC 9293 3.10.7.4 fifth: in CLOSING an ACK covering our text and FIN acknowledges both and leads to TIME-WAIT",
			run: func(x *ctx) {
				c := x.withText()
				c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
				c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(12), x.R(2))).state(StateClosing).tells(TellEOF)
				c.recv(inAck(x.R(2), x.I(12))).acked(10).state(StateTimeWait).cancels(TimerRetx).arms(TimerTimeWait, DefaultTimeWait)
			},
		},
		scenario{
			name: "closing_ack_of_text_not_fin_stays",
			rule: "RFC 9293 3.10.7.4 fifth: in CLOSING an ACK of our text but not of the FIN advances SND.UNA and keeps CLOSING",
			run: func(x *ctx) {
				c := x.withText()
				c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
				c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(12), x.R(2))).state(StateClosing).tells(TellEOF)
				c.recv(inAck(x.R(2), x.I(11))).acked(10).arms(TimerRetx, c.rto(0))
			},
		},
		scenario{
			name: "last_ack_ack_of_text_and_fin_closed",
			rule: "RFC 9293 3.10.7.4 fifth: in LAST-ACK an ACK covering our text and FIN acknowledges both, deletes the TCB and enters CLOSED",
			run: func(x *ctx) {
				c := x.closeWait()
				c.send(10).sends(c.outData(x.I(1), x.R(2), 10, 0)).arms(TimerRetx, c.rto(0))
				c.close().sends(c.outFin(x.I(11), x.R(2))).state(StateLastAck)
				c.recv(inAck(x.R(2), x.I(12))).acked(10).state(StateClosed).tells(TellClosed).cancels(TimerRetx)
			},
		},
		scenario{
			name: "time_wait_ack_dropped",
			rule: "RFC 9293 3.10.7.4 fifth: in TIME-WAIT only a retransmitted FIN is expected; a plain acceptable ACK changes nothing",
			run: func(x *ctx) {
				x.timeWait().recv(inAck(x.R(2), x.I(2)))
			},
		},
	)

	// A retransmission of the peer's FIN, after it was taken.
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

	out = append(out,
		scenario{
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
		scenario{
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
	)
	return out
}
