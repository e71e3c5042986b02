package tcpfsm

// Classifying an arriving segment.
//
// RFC 9293 section 3.10.7 processes a segment as a sequence of checks, each
// of which may end the processing. The Endpoint runs the same checks, in
// the same order, but only to find out which one decides: the result is
// one table event for the whole segment (the events are documented in
// spec/tcp.fsm). What the event leads to (a reply, a state change) is the
// table's business; the numbers (RCV.NXT, SND.UNA, which text is taken)
// are the actions' (step.go).
//
// All comparisons are modulo 2^32 (Seq).

// segCtx is an arriving segment while it is processed.
type segCtx struct {
	seg Segment
	// seq and flags are SEG.SEQ and the control bits as processed: the
	// SYN of a simultaneous open's SYN-ACK, a repeat of the SYN already
	// taken, is removed (seq one further, no SYN).
	seq   Seq
	flags Flags
}

// reader is a connection with the Config it is read under: what
// classifying a segment needs. An Endpoint reads its own connection; a
// Snapshot is read under the Config of an Endpoint it could be restored
// into (Snapshot.React).
type reader struct {
	*conn
	cfg *Config
}

// reader returns e's connection under e's Config.
func (e *Endpoint) reader() reader { return reader{&e.conn, &e.cfg} }

// acceptable is reader.acceptable on e's connection.
func (e *Endpoint) acceptable(seq Seq, segLen uint32) bool { return e.reader().acceptable(seq, segLen) }

// classify returns the event of the segment c by the state: in CLOSED,
// LISTEN and SYN-SENT from classifyUnsynchronized; in the other states
// seg-ack when predictAck says so, and from classifySynchronized when it
// does not.
func (e reader) classify(c *segCtx) Event {
	switch {
	case !e.synchronized():
		return e.classifyUnsynchronized(c)
	case e.predictAck(c):
		return EventSegAck
	}
	return e.classifySynchronized(c)
}

// synchronized reports whether the state is SYN-RECEIVED or one after it,
// where segments are read as RFC 9293 section 3.10.7.4 says.
func (e *conn) synchronized() bool {
	switch e.state {
	case StateClosed, StateListen, StateSynSent:
		return false
	}
	return true
}

// classifyUnsynchronized classifies a segment in CLOSED, LISTEN and
// SYN-SENT.
func (e reader) classifyUnsynchronized(c *segCtx) Event {
	if e.state == StateSynSent {
		return e.classifySynSent(c)
	}
	return e.classifyNoTCB(c)
}

// classifyNoTCB classifies a segment in CLOSED (RFC 9293 section 3.10.7.1)
// and LISTEN (3.10.7.2): RST first, then ACK, then SYN. Both states read a
// segment the same way; they differ in what the table does with it.
func (e reader) classifyNoTCB(c *segCtx) Event {
	switch f := c.flags; {
	case f&FlagRST != 0:
		// CLOSED: "An incoming segment containing a RST is discarded."
		// LISTEN: "An incoming RST segment could not be valid."
		return EventSegRst
	case f&FlagACK != 0:
		// LISTEN: "Any acknowledgment is bad if it arrives on a
		// connection still in the LISTEN state." CLOSED answers every
		// segment with a reset; which reset depends on the ACK bit.
		return EventSegBadAck
	case f&FlagSYN != 0:
		return EventSegSyn
	}
	return EventSegNoAck
}

// classifySynSent classifies a segment in SYN-SENT (RFC 9293 section
// 3.10.7.3): the ACK field first, then RST, then SYN.
func (e reader) classifySynSent(c *segCtx) Event {
	f := c.flags
	ackOK := false
	if f&FlagACK != 0 {
		// "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless
		// the RST bit is set, if so drop the segment and return)."
		if c.seg.Ack.LessEq(e.iss) || c.seg.Ack.GreaterThan(e.sndNxt) {
			if f&FlagRST != 0 {
				return EventSegRstBad
			}
			return EventSegBadAck
		}
		ackOK = true
	}
	if f&FlagRST != 0 {
		// An RST is acceptable only with an ACK of our SYN (RFC 5961
		// section 3.2; RFC 9293: "If the ACK was acceptable ...
		// otherwise ... drop the segment").
		if ackOK {
			return EventSegRst
		}
		return EventSegRstBad
	}
	if f&FlagSYN != 0 {
		if ackOK {
			return EventSegSynAck
		}
		return EventSegSyn // simultaneous open
	}
	if ackOK {
		return EventSegAckSyn // "neither of the SYN or RST bits": dropped
	}
	return EventSegNoAck
}

// classifySynchronized classifies a segment in SYN-RECEIVED and the states
// after it (RFC 9293 section 3.10.7.4): the sequence test, RST, SYN, the
// ACK bit, the ACK field, then FIN.
func (e reader) classifySynchronized(c *segCtx) Event {
	seg := &c.seg
	segLen := seqLen(seg.Flags, seg.Len)

	// The SYN-ACK of a simultaneous open (RFC 9293 Figure 7, line 6)
	// reaches SYN-RECEIVED with its SYN at IRS, one before RCV.NXT, so the
	// sequence test would drop it; it also acknowledges our SYN. Like Linux
	// (tcp_validate_incoming), read the SYN as the repeat it is and go on
	// with the rest of the segment.
	if c.flags&(FlagSYN|FlagACK|FlagRST) == FlagSYN|FlagACK && e.flags&fSynAcked == 0 &&
		c.seq == e.irs && e.acksSyn(seg.Ack) {
		c.flags &^= FlagSYN
		c.seq = c.seq.Add(1)
		segLen--
	}
	f := c.flags

	// First, the sequence number (the four cases of Table 6, and the right
	// edge for an empty segment other than an RST: see atRightEdge).
	if !e.acceptable(c.seq, segLen) && (f&FlagRST != 0 || !e.atRightEdge(c.seq, segLen)) {
		if f&FlagRST != 0 {
			return EventSegRstBad
		}
		// A retransmission of the FIN we took ends exactly at RCV.NXT.
		if f&(FlagFIN|FlagSYN) == FlagFIN && e.flags&fRcvFin != 0 && c.seq.Add(segLen) == e.rcvNxt {
			return EventSegFinAgain
		}
		return EventSegUnacceptable
	}

	// Second, RST (RFC 5961 section 3.2).
	if f&FlagRST != 0 {
		if c.seq == e.rcvNxt {
			return EventSegRst
		}
		return EventSegRstInWindow
	}

	// Fourth, SYN (RFC 5961 section 4.2). (Third is security, not
	// modelled.)
	if f&FlagSYN != 0 {
		return EventSegSyn
	}

	// Fifth, the ACK field.
	if f&FlagACK == 0 {
		return EventSegNoAck
	}
	ack := seg.Ack
	if ack.GreaterThan(e.sndNxt) {
		return EventSegBadAck // acknowledges something not yet sent
	}
	synOut := e.flags&fSynAcked == 0
	if synOut {
		// SYN-RECEIVED: acceptable only if SND.UNA < SEG.ACK =< SND.NXT.
		if ack.LessEq(e.sndUna) {
			return EventSegBadAck
		}
	} else if ack.LessThan(e.sndUna - Seq(e.maxSndWnd)) {
		// RFC 5961 section 5.2: too old to be a duplicate.
		return EventSegBadAck
	}
	ackFin := e.flags&(fFinSent|fFinAcked) == fFinSent && ack == e.sndNxt
	finIn := f&FlagFIN != 0 && e.flags&fRcvFin == 0 && e.finInOrder(c.seq, seg.Len)
	switch {
	case ackFin && finIn:
		return EventSegAckFinFin
	case ackFin:
		return EventSegAckFin
	case synOut && finIn:
		return EventSegAckSynFin
	case synOut:
		return EventSegAckSyn
	case finIn:
		return EventSegFin
	}
	return EventSegAck
}

// predictAck reports whether a segment in a synchronized state is the
// common case that classifySynchronized classifies as seg-ack, by a
// shorter test (header prediction, after Van Jacobson's in the BSDs'
// tcp_input and Linux's fast path in tcp_rcv_established): of SYN, RST,
// FIN and ACK only ACK; SEG.SEQ = RCV.NXT and acceptable (text needs a
// window); our SYN acknowledged, our FIN not sent, and SEG.ACK from
// SND.UNA-MAX.SND.WND to SND.NXT. Each test is one of
// classifySynchronized's, so true means seg-ack there too (TestPredictAck,
// TestPredictAckWalk and FuzzPredictAck check that, and fail when any one
// test is left out); false says nothing, and classifySynchronized decides.
func (e reader) predictAck(c *segCtx) bool {
	seg := &c.seg
	ack := seg.Ack
	return c.flags&(FlagSYN|FlagRST|FlagFIN|FlagACK) == FlagACK &&
		c.seq == e.rcvNxt && (seg.Len == 0 || e.rcvWindow(e.cfg.RcvWnd) != 0) &&
		e.flags&(fSynAcked|fFinSent) == fSynAcked &&
		ack.LessEq(e.sndNxt) && !ack.LessThan(e.sndUna-Seq(e.maxSndWnd))
}

// acksSyn reports whether ack acknowledges our outstanding SYN: SND.UNA <
// SEG.ACK =< SND.NXT while SND.UNA is ISS.
func (e reader) acksSyn(ack Seq) bool {
	return e.flags&(fSynSent|fSynAcked) == fSynSent && ack.GreaterThan(e.sndUna) && ack.LessEq(e.sndNxt)
}

// acceptable is the segment acceptability test of RFC 9293 section
// 3.10.7.4 (Table 6) for a segment occupying segLen sequence numbers from
// seq:
//
//	SEG.LEN  RCV.WND  test
//	0        0        SEG.SEQ = RCV.NXT
//	0        >0       RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
//	>0       0        not acceptable
//	>0       >0       RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
//	                  or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
//
// RCV.WND is 0 only with Config.Buffered, when the caller has not read
// what fills the buffer.
func (e reader) acceptable(seq Seq, segLen uint32) bool {
	wnd := e.rcvWindow(e.cfg.RcvWnd)
	if segLen == 0 {
		if wnd == 0 {
			return seq == e.rcvNxt
		}
		return seq.InWindow(e.rcvNxt, wnd)
	}
	if wnd == 0 {
		return false
	}
	return seq.InWindow(e.rcvNxt, wnd) || seq.Add(segLen-1).InWindow(e.rcvNxt, wnd)
}

// atRightEdge reports whether a segment occupies no sequence space and
// sits exactly at the right edge of the receive window, SEG.SEQ =
// RCV.NXT+RCV.WND. The classifier accepts such a segment, unless it is an
// RST, departing from Table 6 as Linux (tcp_sequence) and the BSDs
// (tcp_input's trimming) do: a peer that has filled our window sends its
// ACKs from there (its SND.NXT), and when both sides have filled each
// other's window and the data is lost, the strict test makes each answer
// the other's ACK with an ACK, for ever. An RST there stays outside the
// window, as RFC 5961 section 3.2 has it, and is dropped.
func (e reader) atRightEdge(seq Seq, segLen uint32) bool {
	return segLen == 0 && seq == e.rcvNxt.Add(e.rcvWindow(e.cfg.RcvWnd))
}

// finInOrder reports whether the FIN of an acceptable segment with n data
// octets from seq can be taken now: no gap before the segment (SEG.SEQ =<
// RCV.NXT), and the FIN within the receive window, so that all the text
// before it is taken too.
func (e reader) finInOrder(seq Seq, n uint32) bool {
	return seq.LessEq(e.rcvNxt) && seq.Add(n).InWindow(e.rcvNxt, e.rcvWindow(e.cfg.RcvWnd))
}
