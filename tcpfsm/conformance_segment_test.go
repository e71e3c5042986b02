package tcpfsm_test

// Conformance: segments in the synchronized states (RFC 9293 section
// 3.10.7.4): the sequence test, the ACK field (with RFC 5961 section 5),
// the text and the FIN. conformance_close_test.go holds the rest of the
// group: the half-close and the closes these segments lead to.

import (
	"slices"
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

var segmentGroup = registerGroup("segment", segmentScenarios())

func TestConformanceSegments(t *testing.T) { segmentGroup.run(t) }

// withText is an established connection with 10 bytes of ours outstanding
// (SND.UNA = ISS+1, SND.NXT = ISS+11), so that whether a segment's ACK
// field is processed shows in Output.Acked.
func (x *ctx) withText(cfg ...Config) *conn {
	c := x.established(cfg...)
	c.send(10).sends(c.outData(x.I(1), x.R(1), 10, 0)).arms(TimerRetx, c.rto(0))
	return c
}

// segmentScenarios is the table of the segment group.
func segmentScenarios() []scenario {
	return slices.Concat(segmentCheckScenarios(), acceptanceScenarios(), ackFieldScenarios, textScenarios, finScenarios,
		halfCloseScenarios, closingScenarios, finAgainScenarios(), twoEndpointCloseScenarios)
}

// segmentCheckScenarios: in every synchronized state, a segment failing
// the sequence test, a segment without ACK, an ACK of something not yet
// sent.
func segmentCheckScenarios() []scenario {
	var out []scenario
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
	return out
}

// acceptCase is one of the four cases of the acceptability test (Table
// 6) at one of its edges, for a nonzero receive window (the Endpoint never
// offers a zero one; conformance_internal_test.go checks those cases on
// the test itself).
type acceptCase struct {
	name   string
	seq    func(x *ctx, wnd uint32) Seq
	n      uint32
	accept bool
	rule   string
}

// acceptCases are the edges of the acceptability test.
var acceptCases = []acceptCase{
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
}

// acceptanceScenarios run the acceptCases in ESTABLISHED, with text of
// ours outstanding.
func acceptanceScenarios() []scenario {
	var out []scenario
	for _, ac := range acceptCases {
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
	return out
}

// ackFieldScenarios: the ACK field (RFC 9293 3.10.7.4 fifth, RFC 5961 5.2).
var ackFieldScenarios = []scenario{
	{
		name: "established_ack_of_text_advances_snd_una",
		rule: "RFC 9293 3.10.7.4 fifth: SND.UNA < SEG.ACK =< SND.NXT sets SND.UNA = SEG.ACK; RFC 6298 5.2 stops the timer when all is acknowledged",
		run: func(x *ctx) {
			c := x.withText()
			c.recv(inAck(x.R(1), x.I(11))).acked(10).cancels(TimerRetx)
			c.vars(x.I(11), x.I(11), x.R(1))
		},
	},
	{
		name: "established_partial_ack_restarts_timer",
		rule: "RFC 9293 3.10.7.4 fifth and RFC 6298 5.3: an ACK of part of the text advances SND.UNA and restarts the timer with the RTO",
		run: func(x *ctx) {
			c := x.withText()
			c.recv(inAck(x.R(1), x.I(6))).acked(5).arms(TimerRetx, c.rto(0))
			c.vars(x.I(6), x.I(11), x.R(1))
		},
	},
	{
		name: "established_duplicate_ack_ignored",
		rule: "RFC 9293 3.10.7.4 fifth: a duplicate ACK (SEG.ACK =< SND.UNA) is ignored",
		run: func(x *ctx) {
			c := x.withText()
			c.recv(inAck(x.R(1), x.I(1)))
		},
	},
	{
		name: "established_old_ack_within_max_snd_wnd_text_taken",
		rule: "RFC 5961 5.2: SEG.ACK down to SND.UNA-MAX.SND.WND is an acceptable duplicate; the segment's text is processed",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inData(x.R(1), x.I(1-int(peerWnd)), 5)).sends(c.outAck(x.I(1), x.R(6))).tells(TellData).data(0, 5, 0)
		},
	},
	{
		name: "established_ack_older_than_max_snd_wnd_acked_and_dropped",
		rule: "RFC 5961 5.2: SEG.ACK < SND.UNA-MAX.SND.WND is unacceptable: send an ACK and drop the segment, text and all",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inData(x.R(1), x.I(-int(peerWnd)), 5)).sends(c.outAck(x.I(1), x.R(1)))
		},
	},
	{
		name: "established_newer_segment_updates_send_window",
		rule: "RFC 9293 3.10.7.4 fifth: SND.WND is taken from a segment with SND.WL1 < SEG.SEQ, or SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK",
		run: func(x *ctx) {
			c := x.withText()
			c.recv(withWnd(inAck(x.R(1), x.I(11)), 1000)).acked(10).cancels(TimerRetx)
			c.sndWnd(1000)
		},
	},
	{
		name: "established_reordered_old_ack_does_not_update_send_window",
		rule: "RFC 9293 3.10.7.4 fifth: a segment with SND.WL1 = SEG.SEQ and SEG.ACK < SND.WL2 is older than the last window update; SND.WND stays",
		run: func(x *ctx) {
			c := x.withText()
			c.recv(inAck(x.R(1), x.I(11))).acked(10).cancels(TimerRetx)
			c.recv(withWnd(inAck(x.R(1), x.I(1)), 100))
			c.sndWnd(peerWnd)
		},
	},
}

// textScenarios: text (RFC 9293 3.10.7.4 seventh).
var textScenarios = []scenario{
	{
		name: "established_text_in_order_taken_and_acked",
		rule: "RFC 9293 3.10.7.4 seventh: in-order text is delivered, RCV.NXT advances over it, and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> is sent",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(11))).tells(TellData).data(0, 10, 0)
			c.vars(x.I(1), x.I(1), x.R(11))
		},
	},
	{
		name: "established_text_out_of_order_dropped_and_acked",
		rule: "RFC 9293 3.10.7.4 seventh: text beyond RCV.NXT need not be kept; dropped, it is answered with an ACK of RCV.NXT (and delivered when it comes again in order)",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inData(x.R(11), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(1)))
			c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(11))).tells(TellData).data(0, 10, 0)
			c.recv(inData(x.R(11), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(21))).tells(TellData).data(10, 10, 0)
		},
	},
	{
		name: "established_text_overlapping_left_edge_takes_new_part",
		rule: "RFC 9293 3.10.7.4 first and seventh: a segment starting before RCV.NXT is acceptable if it reaches into the window; only the new octets are delivered",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inData(x.R(-9), x.I(1), 20)).sends(c.outAck(x.I(1), x.R(11))).tells(TellData).data(0, 10, 10)
		},
	},
	{
		name: "established_duplicate_text_acked_not_delivered",
		rule: "RFC 9293 3.10.7.4 first: text already received fails the sequence test: ACK, nothing delivered twice",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(11))).tells(TellData).data(0, 10, 0)
			c.recv(inData(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(11)))
		},
	},
	{
		name: "established_text_trimmed_to_window",
		rule: "RFC 9293 3.10.7.4 first and seventh: text beyond RCV.NXT+RCV.WND is trimmed off; the part inside the window is delivered and acknowledged",
		run: func(x *ctx) {
			c := x.established(Config{RcvWnd: 100})
			c.recv(inData(x.R(1), x.I(1), 150)).sends(c.outAck(x.I(1), x.R(101))).tells(TellData).data(0, 100, 0)
		},
	},
	{
		name: "established_fin_beyond_window_not_taken",
		rule: "RFC 9293 3.10.7.4 first and eighth: a FIN trimmed off with the text past the window is not processed; the connection stays ESTABLISHED",
		run: func(x *ctx) {
			c := x.established(Config{RcvWnd: 100})
			c.recv(inDataFin(x.R(1), x.I(1), 150)).sends(c.outAck(x.I(1), x.R(101))).tells(TellData).data(0, 100, 0)
		},
	},
}

// finScenarios: the FIN (RFC 9293 3.10.7.4 eighth).
var finScenarios = []scenario{
	{
		name: "established_fin_close_wait",
		rule: "RFC 9293 3.10.7.4 eighth: an in-order FIN advances RCV.NXT over it, is acknowledged, tells the user the peer closed, and ESTABLISHED becomes CLOSE-WAIT",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inFin(x.R(1), x.I(1))).sends(c.outAck(x.I(1), x.R(2))).state(StateCloseWait).tells(TellEOF)
			c.vars(x.I(1), x.I(1), x.R(2))
		},
	},
	{
		name: "established_fin_with_ack_of_text_close_wait",
		rule: "RFC 9293 3.10.7.4 fifth and eighth: the ACK field of the peer's FIN is processed before the FIN: our text is acknowledged, then CLOSE-WAIT",
		run: func(x *ctx) {
			c := x.withText()
			c.recv(inFin(x.R(1), x.I(11))).acked(10).cancels(TimerRetx).sends(c.outAck(x.I(11), x.R(2))).
				state(StateCloseWait).tells(TellEOF)
		},
	},
	{
		name: "established_text_with_fin_close_wait",
		rule: "RFC 9293 3.10.7.4 seventh and eighth: text and FIN together: the text is delivered, then the FIN taken; one ACK covers both",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inDataFin(x.R(1), x.I(1), 10)).sends(c.outAck(x.I(1), x.R(12))).state(StateCloseWait).
				tells(TellData|TellEOF).data(0, 10, 0)
		},
	},
	{
		name: "established_fin_out_of_order_not_taken",
		rule: "RFC 9293 3.10.7.4 eighth: a FIN is processed only once all before it is received; out of order, the segment is acknowledged at RCV.NXT",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inFin(x.R(11), x.I(1))).sends(c.outAck(x.I(1), x.R(1)))
		},
	},
	{
		name: "established_fin_without_ack_bit_dropped",
		rule: "RFC 9293 3.10.7.4 fifth: the ACK bit is checked before the FIN; a FIN without it is dropped",
		run: func(x *ctx) {
			x.established().recv(Segment{Flags: FlagFIN, Seq: x.R(1), Wnd: peerWnd})
		},
	},
}
