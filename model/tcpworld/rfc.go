package tcpworld

import "github.com/synfin/synfin/tcpfsm"

// A reference for arriving segments, written from RFC 9293 section
// 3.10.7 ("SEGMENT ARRIVES") and RFC 5961, not from tcpfsm's classifier or
// spec/tcp.fsm: for a connection's state and TCB variables before a
// segment arrives, rfcSegment says which states the endpoint may be in
// afterwards, what it must send, what becomes of RCV.NXT and SND.UNA, and
// whether it may tell the user the connection was reset. The world holds
// every step to it (judge.go), so that a table or classifier mistake is a
// violation even when both ends still reach CLOSED.
//
// Where spec/tcp.fsm documents a choice the RFC leaves open, the reference
// makes the same one: text and FIN on a SYN are not taken; an empty
// segment other than an RST at exactly RCV.NXT+RCV.WND passes the sequence
// test (as in Linux); the SYN-ACK of a simultaneous open repeats the SYN
// taken in SYN-RECEIVED and is read as an ACK; every SYN in a
// synchronized state draws a challenge ACK (RFC 5961 section 4.2) but in
// SYN-RECEIVED after a passive OPEN, which goes back to LISTEN; TIME-WAIT
// ignores RSTs under RFC 1337. An ACK older than SND.UNA is not judged:
// whether RFC 5961 section 5.2 drops it depends on MAX.SND.WND, which a
// Snapshot does not show.

// stateSet is a set of connection states.
type stateSet uint16

func setOf(sts ...tcpfsm.State) stateSet {
	var s stateSet
	for _, st := range sts {
		s |= 1 << st
	}
	return s
}

func (s stateSet) has(st tcpfsm.State) bool { return s&(1<<st) != 0 }

// anyState is every state: the reference does not judge the state.
const anyState = ^stateSet(0)

// answer is what an endpoint must send in reply to a segment.
type answer uint8

const (
	// answerAny: anything but an RST (an ACK may, for example, open the
	// window for queued data).
	answerAny answer = iota
	// answerNone: nothing.
	answerNone
	// answerAck: an ACK of the new RCV.NXT, <SEQ=SND.NXT><ACK=RCV.NXT>
	// <CTL=ACK>, alone or on data or a FIN; a challenge ACK has this form.
	answerAck
	// answerRst: <SEQ=SEG.ACK><CTL=RST>.
	answerRst
	// answerRstAck: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
	answerRstAck
	// answerSynAck: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
	answerSynAck
)

// rcvRule is what becomes of RCV.NXT.
type rcvRule uint8

const (
	rcvAny      rcvRule = iota // not judged
	rcvSame                    // nothing taken
	rcvAdvanced                // text taken: RCV.NXT moves on
	rcvExact                   // RCV.NXT becomes rfcRule.rcvNxt (a SYN or FIN taken)
)

// rfcRule is what the reference requires of one arriving segment.
type rfcRule struct {
	// prop is the fault raised when the state, RCV.NXT, SND.UNA or the
	// tells differ; answerProp when the answer does.
	prop, answerProp Fault
	next             stateSet
	answer           answer
	rcv              rcvRule
	rcvNxt           tcpfsm.Seq
	// takeAck: SND.UNA becomes sndUna (SEG.ACK), if the endpoint keeps
	// a connection.
	takeAck bool
	sndUna  tcpfsm.Seq
	// cut: the endpoint may tell the user "reset" or "refused".
	cut bool
	// tell: what the endpoint must tell the user; gone: that it must
	// tell that the connection is gone (reset, refused or closed).
	tell tcpfsm.Tell
	gone bool
	// restart2MSL: the TIME-WAIT timer must start over (FaultAnswered).
	restart2MSL bool
}

func rule(prop Fault, next stateSet, a answer, rcv rcvRule) rfcRule {
	return rfcRule{prop: prop, answerProp: prop, next: next, answer: a, rcv: rcv}
}

// rfcSegment returns what RFC 9293 section 3.10.7 requires when seg
// arrives at the connection b, which offers the receive window wnd;
// rfc1337 is RFC 1337's TIME-WAIT protection.
func rfcSegment(b *tcpfsm.Snapshot, wnd uint32, rfc1337 bool, seg tcpfsm.Segment) rfcRule {
	switch b.State() {
	case tcpfsm.StateClosed:
		return rfcClosed(seg)
	case tcpfsm.StateListen:
		return rfcListen(seg)
	case tcpfsm.StateSynSent:
		return rfcSynSent(b, seg)
	}
	return rfcSynchronized(b, wnd, rfc1337, seg)
}

func has(f, bits tcpfsm.Flags) bool { return f&bits == bits }

// rfcClosed is section 3.10.7.1: an RST is discarded, anything else draws
// a reset.
func rfcClosed(seg tcpfsm.Segment) rfcRule {
	closed := setOf(tcpfsm.StateClosed)
	switch {
	case has(seg.Flags, tcpfsm.FlagRST):
		return rule(FaultRSTUnacceptable, closed, answerNone, rcvAny)
	case has(seg.Flags, tcpfsm.FlagACK):
		return rule(FaultAnswered, closed, answerRst, rcvAny)
	}
	return rule(FaultAnswered, closed, answerRstAck, rcvAny)
}

// rfcListen is section 3.10.7.2: first RST (ignored), second ACK (a
// reset), third SYN (SYN-RECEIVED, answered <SEQ=ISS><ACK=RCV.NXT>
// <CTL=SYN,ACK>), else drop.
func rfcListen(seg tcpfsm.Segment) rfcRule {
	listen := setOf(tcpfsm.StateListen)
	switch f := seg.Flags; {
	case has(f, tcpfsm.FlagRST):
		return rule(FaultRSTUnacceptable, listen, answerNone, rcvAny)
	case has(f, tcpfsm.FlagACK):
		return rule(FaultAnswered, listen, answerRst, rcvAny)
	case has(f, tcpfsm.FlagSYN):
		r := rule(FaultSynAnswered, setOf(tcpfsm.StateSynReceived), answerSynAck, rcvExact)
		r.rcvNxt = seg.Seq.Add(1)
		return r
	}
	return rule(FaultAnswered, listen, answerNone, rcvAny)
}

// rfcSynSent is section 3.10.7.3: first the ACK (acceptable if ISS <
// SEG.ACK =< SND.NXT, else a reset unless RST is set), second RST
// (obeyed only with an acceptable ACK, RFC 5961 section 3.2), fourth SYN
// (ESTABLISHED if our SYN is acknowledged, SYN-RECEIVED if not), else
// drop.
func rfcSynSent(b *tcpfsm.Snapshot, seg tcpfsm.Segment) rfcRule {
	f := seg.Flags
	same := setOf(tcpfsm.StateSynSent)
	withAck := has(f, tcpfsm.FlagACK)
	ackOK := withAck && seg.Ack.GreaterThan(b.ISS()) && seg.Ack.LessEq(b.SndNxt())
	switch {
	case withAck && !ackOK && has(f, tcpfsm.FlagRST):
		return rule(FaultRSTUnacceptable, same, answerNone, rcvSame)
	case withAck && !ackOK:
		return rule(FaultAnswered, same, answerRst, rcvSame)
	case has(f, tcpfsm.FlagRST) && ackOK:
		r := rule(FaultRSTIgnored, setOf(tcpfsm.StateClosed), answerNone, rcvAny)
		r.cut, r.tell = true, tcpfsm.TellReset
		return r
	case has(f, tcpfsm.FlagRST):
		return rule(FaultRSTUnacceptable, same, answerNone, rcvSame)
	case has(f, tcpfsm.FlagSYN) && ackOK:
		r := rule(FaultSynAnswered, setOf(tcpfsm.StateEstablished), answerAck, rcvExact)
		r.rcvNxt, r.takeAck, r.sndUna, r.tell = seg.Seq.Add(1), true, seg.Ack, tcpfsm.TellEstablished
		return r
	case has(f, tcpfsm.FlagSYN):
		r := rule(FaultSynAnswered, setOf(tcpfsm.StateSynReceived), answerSynAck, rcvExact)
		r.rcvNxt = seg.Seq.Add(1)
		return r
	}
	return rule(FaultAnswered, same, answerNone, rcvSame)
}

// rfcAcceptable is the sequence test of section 3.10.7.4, Table 6, for a
// segment occupying n sequence numbers from seq, with the right-edge
// exception spec/tcp.fsm documents for an empty segment other than an
// RST.
func rfcAcceptable(rcvNxt tcpfsm.Seq, wnd uint32, seq tcpfsm.Seq, n uint32, rst bool) bool {
	switch {
	case n == 0 && wnd == 0:
		return seq == rcvNxt
	case n == 0:
		return seq.InWindow(rcvNxt, wnd) || !rst && seq == rcvNxt.Add(wnd)
	case wnd == 0:
		return false
	}
	return seq.InWindow(rcvNxt, wnd) || seq.Add(n-1).InWindow(rcvNxt, wnd)
}

// rfcSynchronized is section 3.10.7.4 in SYN-RECEIVED and after: first
// the sequence test, second RST, fourth SYN, fifth the ACK (rfcAck).
func rfcSynchronized(b *tcpfsm.Snapshot, wnd uint32, rfc1337 bool, seg tcpfsm.Segment) rfcRule {
	st := b.State()
	same := setOf(st)
	synOut := b.SndUna() == b.ISS() // our SYN is not acknowledged yet
	seq, n, f := seg.Seq, seg.SeqLen(), seg.Flags
	if f&(tcpfsm.FlagSYN|tcpfsm.FlagACK|tcpfsm.FlagRST) == tcpfsm.FlagSYN|tcpfsm.FlagACK && synOut &&
		seq == b.IRS() && seg.Ack.GreaterThan(b.SndUna()) && seg.Ack.LessEq(b.SndNxt()) {
		// The simultaneous open's SYN-ACK: its SYN is the one taken.
		f &^= tcpfsm.FlagSYN
		seq, n = seq.Add(1), n-1
	}
	rst := has(f, tcpfsm.FlagRST)
	if !rfcAcceptable(b.RcvNxt(), wnd, seq, n, rst) {
		if rst {
			return rule(FaultRSTUnacceptable, same, answerNone, rcvSame)
		}
		r := rule(FaultUnacceptable, same, answerAck, rcvSame)
		// TIME-WAIT: "The only thing that can arrive in this state is a
		// retransmission of the remote FIN. Acknowledge it, and restart
		// the 2 MSL timeout."
		r.restart2MSL = st == tcpfsm.StateTimeWait && has(f, tcpfsm.FlagFIN) && seq.Add(n) == b.RcvNxt() &&
			b.Armed(tcpfsm.TimerTimeWait)
		return r
	}
	switch {
	case rst && seq == b.RcvNxt():
		r := rule(FaultRSTIgnored, setOf(tcpfsm.StateClosed), answerNone, rcvAny)
		r.cut, r.gone = true, true
		switch {
		case st == tcpfsm.StateSynReceived && b.Passive():
			r.next, r.gone = setOf(tcpfsm.StateListen), false
		case st == tcpfsm.StateSynReceived:
			r.tell = tcpfsm.TellRefused
		case st == tcpfsm.StateTimeWait && rfc1337:
			r.next, r.gone = same, false
		}
		return r
	case rst: // RFC 5961 section 3.2: a challenge ACK
		r := rule(FaultRSTUnacceptable, same, answerAck, rcvSame)
		r.answerProp = FaultUnacceptable
		return r
	case has(f, tcpfsm.FlagSYN) && st == tcpfsm.StateSynReceived && b.Passive():
		return rule(FaultSynAnswered, setOf(tcpfsm.StateListen), answerNone, rcvAny)
	case has(f, tcpfsm.FlagSYN): // RFC 5961 section 4.2: a challenge ACK
		return rule(FaultSynAnswered, same, answerAck, rcvSame)
	case !has(f, tcpfsm.FlagACK):
		return rule(FaultAnswered, same, answerNone, rcvSame)
	}
	return rfcAck(b, wnd, synOut, seq, f, seg)
}

// rfcAck is the fifth check of section 3.10.7.4 and those after it, for
// an acceptable segment with an ACK, neither RST nor SYN, whose first
// sequence number (after a repeated SYN) is seq and control bits f.
// SYN-RECEIVED: acceptable if SND.UNA < SEG.ACK =< SND.NXT, else a reset.
// The other states: an ACK beyond SND.NXT draws an ACK and is dropped;
// one of our FIN moves FIN-WAIT-1 on to FIN-WAIT-2, CLOSING to TIME-WAIT
// and LAST-ACK to CLOSED. Seventh, text is taken in SYN-RECEIVED,
// ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2 and acknowledged, and ignored
// after the peer's FIN. Eighth, an in-order FIN is taken there and
// acknowledged: ESTABLISHED (and SYN-RECEIVED) to CLOSE-WAIT, FIN-WAIT-1
// to CLOSING (TIME-WAIT if our FIN is acknowledged too), FIN-WAIT-2 to
// TIME-WAIT.
func rfcAck(b *tcpfsm.Snapshot, wnd uint32, synOut bool, seq tcpfsm.Seq, f tcpfsm.Flags, seg tcpfsm.Segment) rfcRule {
	st := b.State()
	same := setOf(st)
	ack := seg.Ack
	switch {
	case synOut && st == tcpfsm.StateSynReceived && !(ack.GreaterThan(b.SndUna()) && ack.LessEq(b.SndNxt())):
		return rule(FaultAnswered, same, answerRst, rcvSame)
	case ack.GreaterThan(b.SndNxt()):
		return rule(FaultAnswered, same, answerAck, rcvSame)
	case ack.LessThan(b.SndUna()) || synOut && ack == b.SndUna():
		return rfcRule{prop: FaultAnswered, answerProp: FaultAnswered, next: anyState}
	}
	receiving := st == tcpfsm.StateSynReceived || st == tcpfsm.StateEstablished ||
		st == tcpfsm.StateFinWait1 || st == tcpfsm.StateFinWait2
	rcvNxt := b.RcvNxt()
	text := receiving && seg.Len > 0
	inOrder := text && seq.LessEq(rcvNxt) && seq.Add(seg.Len).GreaterThan(rcvNxt)
	finIn := receiving && has(f, tcpfsm.FlagFIN) && seq.LessEq(rcvNxt) && seq.Add(seg.Len).InWindow(rcvNxt, wnd)
	finAcked := b.FinSent() && ack == b.SndNxt()

	next := st
	switch st {
	case tcpfsm.StateSynReceived, tcpfsm.StateEstablished:
		next = pick(finIn, tcpfsm.StateCloseWait, tcpfsm.StateEstablished)
	case tcpfsm.StateFinWait1:
		next = pick(finAcked, pick(finIn, tcpfsm.StateTimeWait, tcpfsm.StateFinWait2), pick(finIn, tcpfsm.StateClosing, st))
	case tcpfsm.StateFinWait2:
		next = pick(finIn, tcpfsm.StateTimeWait, st)
	case tcpfsm.StateClosing:
		next = pick(finAcked, tcpfsm.StateTimeWait, st)
	case tcpfsm.StateLastAck:
		next = pick(finAcked, tcpfsm.StateClosed, st)
	}
	r := rule(FaultAnswered, setOf(next), answerAny, rcvSame)
	r.takeAck, r.sndUna = true, ack
	r.gone = next == tcpfsm.StateClosed
	if st == tcpfsm.StateSynReceived {
		r.tell |= tcpfsm.TellEstablished
	}
	if inOrder {
		r.tell |= tcpfsm.TellData
	}
	switch {
	case finIn:
		r.answer, r.rcv, r.rcvNxt = answerAck, rcvExact, seq.Add(seg.Len+1)
		r.tell |= tcpfsm.TellEOF
	case inOrder:
		r.answer, r.rcv = answerAck, rcvAdvanced
	case text:
		r.answer = answerAck
	}
	return r
}

func pick(c bool, yes, no tcpfsm.State) tcpfsm.State {
	if c {
		return yes
	}
	return no
}
