package tcpfsm_test

// Conformance: RST and SYN in every synchronized state (RFC 9293 section
// 3.10.7.4, second and fourth checks, with RFC 5961 sections 3.2 and 4.2,
// and RFC 1337 section 4 for TIME-WAIT).

import (
	"slices"
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

var rstGroup = registerGroup("rst-syn", rstScenarios())

func TestConformanceResetAndSyn(t *testing.T) { rstGroup.run(t) }

// position is where in sequence space, relative to the receive window, a
// test segment starts.
type position struct {
	name string
	at   func(rcvNxt Seq, wnd uint32) Seq
	in   bool // inside the receive window
	edge bool // exactly RCV.NXT
}

var positions = []position{
	{"rcv_nxt_minus_1", func(r Seq, w uint32) Seq { return r - 1 }, false, false},
	{"rcv_nxt", func(r Seq, w uint32) Seq { return r }, true, true},
	{"rcv_nxt_plus_1", func(r Seq, w uint32) Seq { return r + 1 }, true, false},
	{"rcv_nxt_plus_wnd_minus_1", func(r Seq, w uint32) Seq { return r.Add(w - 1) }, true, false},
	{"rcv_nxt_plus_wnd", func(r Seq, w uint32) Seq { return r.Add(w) }, false, false},
}

// resetOutcome is what an RST at exactly RCV.NXT does in a fixture's
// state (RFC 9293 3.10.7.4 second).
type resetOutcome struct {
	name  string
	state State
	tell  Tell
	rule  string
}

func resetAt(f fixture, rfc1337 bool) resetOutcome {
	switch {
	case f.name == "syn_received_passive":
		return resetOutcome{"listen", StateListen, 0,
			"a passive SYN-RECEIVED returns to LISTEN, the user need not be told"}
	case f.name == "syn_received_active":
		return resetOutcome{"closed_refused", StateClosed, TellRefused,
			"an active SYN-RECEIVED was refused: \"connection refused\", CLOSED"}
	case f.state == StateTimeWait && rfc1337:
		return resetOutcome{"ignored", StateTimeWait, 0,
			"RFC 1337 section 4 (fix F1): with protection on, TIME-WAIT ignores the RST"}
	case f.state == StateTimeWait:
		return resetOutcome{"closed", StateClosed, TellClosed,
			"TIME-WAIT enters CLOSED and deletes the TCB (TIME-WAIT assassination, RFC 1337 off)"}
	case f.state == StateClosing || f.state == StateLastAck:
		return resetOutcome{"closed_reset", StateClosed, TellReset,
			"CLOSING and LAST-ACK enter CLOSED and delete the TCB"}
	}
	return resetOutcome{"closed_reset", StateClosed, TellReset,
		"ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 and CLOSE-WAIT signal \"connection reset\" and enter CLOSED"}
}

// rstScenarios is the table of the rst-syn group.
func rstScenarios() []scenario {
	return slices.Concat(rstWindowScenarios(), rstSpecialScenarios, synWindowScenarios(), synAckScenarios)
}

// rstVariant is a fixture the RST scenarios run in, with RFC 1337 on or
// off.
type rstVariant struct {
	f       fixture
	prefix  string // of the scenarios' names
	rfc1337 bool
}

// rstVariants are the synchronized fixtures, and TIME-WAIT again with
// RFC 1337 on.
func rstVariants() []rstVariant {
	var variants []rstVariant
	for _, f := range synchronizedFixtures {
		variants = append(variants, rstVariant{f, f.name, false})
		if f.state == StateTimeWait {
			variants = append(variants, rstVariant{f, "time_wait_rfc1337", true})
		}
	}
	return variants
}

// rstWindowScenarios: an RST at the edges of the receive window, in every
// synchronized state.
func rstWindowScenarios() []scenario {
	var out []scenario
	for _, v := range rstVariants() {
		for _, p := range positions {
			sc := scenario{}
			ro := resetAt(v.f, v.rfc1337)
			switch {
			case !p.in:
				sc.name = v.prefix + "_rst_at_" + p.name + "_dropped"
				sc.rule = "RFC 9293 3.10.7.4 first and RFC 5961 3.2: an RST outside the receive window is silently dropped"
			case p.edge:
				sc.name = v.prefix + "_rst_at_" + p.name + "_" + ro.name
				sc.rule = "RFC 9293 3.10.7.4 second and RFC 5961 3.2: an RST exactly at RCV.NXT is obeyed: " + ro.rule
			default:
				sc.name = v.prefix + "_rst_at_" + p.name + "_challenge_ack"
				sc.rule = "RFC 5961 3.2: an RST in the window but not at RCV.NXT is dropped and answered with a challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
			}
			sc.run = func(x *ctx) {
				c := v.f.build(x, Config{RFC1337: v.rfc1337})
				seq := p.at(v.f.rcvNxt(x), c.rcvWnd)
				c.recv(inRst(seq))
				switch {
				case !p.in:
					c.bugIf(c.out.NSegs != 0 && p.name == "rcv_nxt_plus_wnd", "an RST at RCV.NXT+RCV.WND, outside the window, "+
						"draws %s instead of being dropped: the classifier accepts an empty segment at the right edge",
						segsString(c.out.Segments()))
				case p.edge:
					c.state(ro.state).tells(ro.tell)
					if ro.state != v.f.state {
						c.cancelsAll(v.f.running)
					}
				default:
					c.sends(c.outAck(v.f.snd(x), v.f.rcvNxt(x)))
				}
			}
			out = append(out, sc)
		}
	}
	return out
}

// rstSpecialScenarios: an RST with an ACK field, good or bad, with text,
// or far outside the window.
var rstSpecialScenarios = []scenario{
	{
		name: "established_rst_ack_at_rcv_nxt_closed_reset",
		rule: "RFC 9293 3.10.7.4 second: the ACK bit does not change how an RST at RCV.NXT is taken in a synchronized state",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inRstAck(x.R(1), x.I(1))).state(StateClosed).tells(TellReset)
		},
	},
	{
		name: "established_rst_with_bad_ack_at_rcv_nxt_closed_reset",
		rule: "RFC 9293 3.10.7.4: RST is checked before the ACK field, so an RST at RCV.NXT resets whatever it acknowledges",
		run: func(x *ctx) {
			c := x.established()
			c.recv(inRstAck(x.R(1), x.I(1000))).state(StateClosed).tells(TellReset)
		},
	},
	{
		name: "established_rst_far_outside_window_dropped",
		rule: "RFC 5961 3.2: a blind RST half the sequence space away is outside the window and dropped",
		run: func(x *ctx) {
			x.established().recv(inRst(x.R(1 + 1<<31)))
		},
	},
	{
		name: "established_rst_with_text_in_window_challenge_ack",
		rule: "RFC 5961 3.2: an in-window RST carrying text still draws only the challenge ACK; the text is not taken",
		run: func(x *ctx) {
			c := x.established()
			c.recv(Segment{Flags: FlagRST | FlagACK, Seq: x.R(2), Ack: x.I(1), Len: 10}).sends(c.outAck(x.I(1), x.R(1)))
		},
	},
}

// synWindowScenarios: a SYN at the edges of the receive window, in every
// synchronized state.
func synWindowScenarios() []scenario {
	var out []scenario
	for _, f := range synchronizedFixtures {
		for _, p := range positions {
			sc := scenario{}
			passive := f.name == "syn_received_passive"
			switch {
			case !p.in:
				sc.name = f.name + "_syn_at_" + p.name + "_ack"
				sc.rule = "RFC 9293 3.10.7.4 first: a SYN that fails the sequence test is dropped with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (RFC 5961 4.2 answers any SYN so)"
			case passive:
				sc.name = f.name + "_syn_at_" + p.name + "_listen"
				sc.rule = "RFC 9293 3.10.7.4 fourth: a SYN in the window of a SYN-RECEIVED that came from a passive OPEN returns the connection to LISTEN"
			default:
				sc.name = f.name + "_syn_at_" + p.name + "_challenge_ack"
				sc.rule = "RFC 9293 3.10.7.4 fourth and RFC 5961 4.2: a SYN in a synchronized state is dropped and answered with a challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; the connection stays"
			}
			sc.run = func(x *ctx) {
				c := f.build(x)
				c.recv(inSyn(p.at(f.rcvNxt(x), c.rcvWnd)))
				if p.in && passive {
					c.state(StateListen).cancelsAll(f.running)
					return
				}
				c.sends(c.outAck(f.snd(x), f.rcvNxt(x)))
			}
			out = append(out, sc)
		}
	}
	return out
}

// synAckScenarios: a SYN with an ACK, and a SYN under RFC 1337.
var synAckScenarios = []scenario{
	{
		name: "established_syn_ack_in_window_challenge_ack",
		rule: "RFC 5961 4.2: a SYN with ACK in a synchronized state gets the same challenge ACK as a bare SYN; its ACK field is not processed",
		run: func(x *ctx) {
			c := x.established()
			c.send(10).sends(c.outData(x.I(1), x.R(1), 10, 0)).arms(TimerRetx, c.rto(0))
			c.recv(inSynAck(x.R(1), x.I(11))).sends(c.outAck(x.I(11), x.R(1)))
		},
	},
	{
		name: "time_wait_rfc1337_syn_challenge_ack",
		rule: "RFC 5961 4.2: RFC 1337 protection concerns RSTs only; a SYN in TIME-WAIT still gets the challenge ACK",
		run: func(x *ctx) {
			c := x.timeWait(Config{RFC1337: true})
			c.recv(inSyn(x.R(1000))).sends(c.outAck(x.I(2), x.R(2)))
		},
	},
}
