package tcpworld

import "github.com/synfin/synfin/tcpfsm"

// Judging each step of an endpoint against RFC 9293: the reference for
// arriving segments (rfc.go), and what must hold of any step, whatever
// caused it, when the connection enters certain states.

// The faults the judgement raises, after those of world.go.
const (
	// FaultRSTUnacceptable: an RST that RFC 9293 section 3.10.7 and RFC
	// 5961 section 3.2 say must not be obeyed (in LISTEN or CLOSED; in
	// SYN-SENT without an ACK of our SYN; in a synchronized state
	// anywhere but exactly at RCV.NXT) changed the connection.
	FaultRSTUnacceptable Fault = numFaults + iota
	// FaultEstablishedEarly: a connection left SYN-SENT or SYN-RECEIVED
	// for ESTABLISHED or CLOSE-WAIT, or told the user it is
	// established, without a segment that acknowledges our SYN.
	FaultEstablishedEarly
	// FaultFinUnacked: a connection entered FIN-WAIT-2 or TIME-WAIT, or
	// ended CLOSED without telling the user it was reset, refused or
	// timed out and without an ABORT, before our FIN was acknowledged.
	FaultFinUnacked
	// FaultFinNotTaken: a connection entered CLOSE-WAIT, CLOSING or
	// TIME-WAIT without taking the peer's FIN and telling the user.
	FaultFinNotTaken
	// FaultUnacceptable: a segment that fails the sequence test, or an
	// RST in the window but not at RCV.NXT, was not answered with an
	// ACK and dropped; or an RST outside the window drew an answer.
	FaultUnacceptable
	// FaultSynAnswered: a SYN was not answered as RFC 9293 section 3.10.7
	// says: in LISTEN a SYN-ACK and SYN-RECEIVED; in SYN-SENT an ACK and
	// ESTABLISHED after a SYN-ACK, a SYN-ACK and SYN-RECEIVED after a
	// SYN; in a synchronized state a challenge ACK (RFC 5961 section 4.2)
	// or, in SYN-RECEIVED after a passive OPEN, back to LISTEN.
	FaultSynAnswered
	// FaultAnswered: another segment was not handled as RFC 9293 section
	// 3.10.7 says: the state it leads to, the reply, RCV.NXT or SND.UNA
	// differ from the reference.
	FaultAnswered
	// FaultOutsideWindow: a segment's data or FIN lies beyond the window
	// the receiver offers (RCV.NXT+RCV.WND, one octet more when the
	// window is zero: a probe).
	FaultOutsideWindow
	numJudgeFaults
)

var judgeFaultNames = [...]string{
	FaultRSTUnacceptable - numFaults:  "an unacceptable RST changed the connection",
	FaultEstablishedEarly - numFaults: "established without an ACK of our SYN",
	FaultFinUnacked - numFaults:       "FIN-WAIT-2, TIME-WAIT or a normal CLOSED before our FIN was acknowledged",
	FaultFinNotTaken - numFaults:      "CLOSE-WAIT, CLOSING or TIME-WAIT without the peer's FIN",
	FaultUnacceptable - numFaults:     "an unacceptable segment was not dropped with an ACK",
	FaultSynAnswered - numFaults:      "a SYN was not answered as RFC 9293 says",
	FaultAnswered - numFaults:         "a segment was not handled as RFC 9293 section 3.10.7 says",
	FaultOutsideWindow - numFaults:    "a segment beyond the receiver's window",
}

// judgeFaultName names f if the judgement raises it.
func judgeFaultName(f Fault) (string, bool) {
	if f < numFaults || f >= numJudgeFaults {
		return "", false
	}
	return judgeFaultNames[f-numFaults], true
}

// judge holds the step ep just took (its Output out) to RFC 9293: b is
// its connection before the step, in the segment that arrived (nil for a
// call or a timer). It returns the first fault found, or NoFault.
func (s *System) judge(b *tcpfsm.Snapshot, ep *tcpfsm.Endpoint, side Side, out *tcpfsm.Output, in *seg) Fault {
	if in == nil {
		return judgeEntry(b, ep, out, nil)
	}
	g := in.segment(s.wnd[side.Peer()])
	if f := judgeEntry(b, ep, out, &g); f != NoFault {
		return f
	}
	r := rfcSegment(b, s.offered(b, side), s.cfg.RFC1337, g)
	return r.judge(b, ep, out, &g)
}

// judge compares the endpoint ep after the segment in arrived at b, and
// its Output out, with r.
func (r *rfcRule) judge(b *tcpfsm.Snapshot, ep *tcpfsm.Endpoint, out *tcpfsm.Output, in *tcpfsm.Segment) Fault {
	st := ep.State()
	gone := out.Tell & (tcpfsm.TellReset | tcpfsm.TellRefused | tcpfsm.TellClosed)
	if !r.next.has(st) || !r.cut && gone&^tcpfsm.TellClosed != 0 || out.Tell&r.tell != r.tell || r.gone && gone == 0 {
		return r.prop
	}
	if hasTCB(st) {
		rcv := ep.RcvNxt()
		switch {
		case r.rcv == rcvSame && rcv != b.RcvNxt(),
			r.rcv == rcvAdvanced && !rcv.GreaterThan(b.RcvNxt()),
			r.rcv == rcvExact && rcv != r.rcvNxt,
			r.takeAck && r.sndUna.GreaterThan(b.SndUna()) && ep.SndUna() != r.sndUna:
			return r.prop
		}
	}
	if !r.answered(ep, out, in) {
		return r.answerProp
	}
	if r.restart2MSL && out.Timers[tcpfsm.TimerTimeWait].Op != tcpfsm.TimerArm {
		return FaultAnswered
	}
	return NoFault
}

// answered reports whether out holds the answer r requires to in.
func (r *rfcRule) answered(ep *tcpfsm.Endpoint, out *tcpfsm.Output, in *tcpfsm.Segment) bool {
	segs := out.Segments()
	if r.answer == answerNone {
		return len(segs) == 0
	}
	for _, o := range segs {
		f := o.Flags
		switch r.answer {
		case answerAny, answerAck, answerSynAck:
			if has(f, tcpfsm.FlagRST) {
				return false
			}
		}
	}
	if r.answer == answerAny {
		return true
	}
	for _, o := range segs {
		f := o.Flags
		switch r.answer {
		case answerAck:
			if has(f, tcpfsm.FlagACK) && !has(f, tcpfsm.FlagSYN) && o.Ack == ep.RcvNxt() {
				return true
			}
		case answerRst:
			if has(f, tcpfsm.FlagRST) && !has(f, tcpfsm.FlagACK) && o.Seq == in.Ack {
				return true
			}
		case answerRstAck:
			if has(f, tcpfsm.FlagRST|tcpfsm.FlagACK) && o.Seq == 0 && o.Ack == in.End() {
				return true
			}
		case answerSynAck:
			if has(f, tcpfsm.FlagSYN|tcpfsm.FlagACK) && o.Seq == ep.ISS() && o.Ack == ep.RcvNxt() {
				return true
			}
		}
	}
	return false
}

// judgeEntry checks what must hold when a step, whatever caused it,
// takes the connection from b to ep: the states that need our SYN
// acknowledged, our FIN acknowledged, or the peer's FIN taken.
func judgeEntry(b *tcpfsm.Snapshot, ep *tcpfsm.Endpoint, out *tcpfsm.Output, in *tcpfsm.Segment) Fault {
	from, to := b.State(), ep.State()
	if from == to && out.Tell&tcpfsm.TellEstablished == 0 {
		return NoFault
	}
	acks := func(lo, hi tcpfsm.Seq) bool { // in acknowledges something in (lo, hi]
		return in != nil && has(in.Flags, tcpfsm.FlagACK) && !has(in.Flags, tcpfsm.FlagRST) &&
			in.Ack.GreaterThan(lo) && in.Ack.LessEq(hi)
	}
	handshake := from == tcpfsm.StateSynSent || from == tcpfsm.StateSynReceived
	if out.Tell&tcpfsm.TellEstablished != 0 && !handshake ||
		handshake && (to == tcpfsm.StateEstablished || to == tcpfsm.StateCloseWait || out.Tell&tcpfsm.TellEstablished != 0) &&
			(!acks(b.ISS(), b.SndNxt()) || from == tcpfsm.StateSynSent && !has(in.Flags, tcpfsm.FlagSYN)) {
		return FaultEstablishedEarly
	}
	finAcked := b.FinSent() && (b.SndUna() == b.SndNxt() || acks(b.SndUna(), b.SndNxt()) && in.Ack == b.SndNxt())
	cut := out.Tell&(tcpfsm.TellReset|tcpfsm.TellRefused|tcpfsm.TellTimeout) != 0 || out.Step.Event == tcpfsm.EventAbort
	switch {
	case to == tcpfsm.StateFinWait2 || to == tcpfsm.StateTimeWait:
	case to == tcpfsm.StateClosed && hasTCB(from) && from != tcpfsm.StateSynSent && !cut:
	default:
		finAcked = true // not judged
	}
	if !finAcked {
		return FaultFinUnacked
	}
	if finReceived(to) && !finReceived(from) &&
		(in == nil || !has(in.Flags, tcpfsm.FlagFIN) || ep.RcvNxt() != in.End() || out.Tell&tcpfsm.TellEOF == 0) {
		return FaultFinNotTaken
	}
	return NoFault
}

// finReceived reports whether st is a state after the peer's FIN.
func finReceived(st tcpfsm.State) bool {
	switch st {
	case tcpfsm.StateCloseWait, tcpfsm.StateClosing, tcpfsm.StateLastAck, tcpfsm.StateTimeWait:
		return true
	}
	return false
}

// inWindow reports whether the data and FIN of o, sent to peer, lie
// within the window peer offers, wnd octets from its RCV.NXT (one more
// when wnd is zero: a probe). It judges only segments of peer's current
// connection, whose IRS is the sender's ISS.
func inWindow(o *tcpfsm.OutSegment, senderISS tcpfsm.Seq, peer *tcpfsm.Snapshot, wnd uint32) bool {
	n := o.Len
	if has(o.Flags, tcpfsm.FlagFIN) {
		n++
	}
	ps := peer.State()
	if n == 0 || !hasTCB(ps) || ps == tcpfsm.StateSynSent || peer.IRS() != senderISS || has(o.Flags, tcpfsm.FlagRST) {
		return true
	}
	start := o.Seq
	if has(o.Flags, tcpfsm.FlagSYN) {
		start = start.Add(1)
	}
	edge := peer.RcvNxt().Add(max(wnd, 1))
	return start.Add(n).LessEq(edge)
}
