package tcpfsm

// Reaction is what an arriving segment would provoke in an Endpoint,
// worked out without processing it (Endpoint.React).
type Reaction struct {
	// Step is the table step the segment would take: the event it is
	// classified as, the guards, the row, the state it leads to and the
	// row's actions, as Output.Step shows them after Endpoint.Segment.
	Step StepInfo

	// Answer is the reset or ACK the Endpoint would send straight back,
	// when Answered is set: the reset of a send-rst row (RFC 9293 section
	// 3.10.7.1 to 3.10.7.4), the ACK of a send-ack or send-challenge-ack
	// row (3.10.7.4, RFC 5961), or the ACK that text or a FIN draws in a
	// row that takes text (3.10.7.4, seventh and eighth).
	//
	// Its numbers are the connection's as they stand, so it is exactly
	// the first segment Segment sends whenever the segment moves nothing
	// on: one the Endpoint rejects, a repeat of what it has taken, text
	// out of order. A segment that moves the connection on (new text, a
	// FIN, an ACK of something new, a SYN) is acknowledged with the moved
	// numbers, or by the data that follows; a SYN that opens a connection
	// is answered by its SYN-ACK, which is not an Answer.
	Answer   Segment
	Answered bool
}

// React writes to r what seg would provoke if it arrived now, without
// processing it: the connection does not change. It answers questions
// like: would this RST reset the connection, or draw a challenge ACK
// (RFC 5961)? is this segment acceptable? would it be bounced with a
// reset, or acknowledged again? A tracer, a firewall or a middlebox that
// follows a connection can ask them before it hands a segment over, or of
// a segment it holds back. It costs the classification and a table
// lookup, a fraction of what Segment costs.
func (e *Endpoint) React(seg Segment, r *Reaction) {
	e.ready()
	e.react(e.reader(), seg, r)
}

// React writes to r what seg would provoke in the connection s, read
// under the Config and table of e, without restoring s into e: what
// e.React would say after e.Restore(s). It is for a program that keeps
// many connections of one Config as Snapshots and asks what a segment
// would do to one of them, and it changes neither s nor e.
func (s *Snapshot) React(e *Endpoint, seg Segment, r *Reaction) {
	if e.flags&fReady == 0 {
		d := NewEndpoint(e.cfg) // e's defaults, without writing e
		d.table = e.table
		e = &d
	}
	e.react(reader{&s.conn, &e.cfg}, seg, r)
}

// react is React for the connection of rd under e's table.
func (e *Endpoint) react(rd reader, seg Segment, r *Reaction) {
	// Field by field, as in Segment: a composite literal is written in
	// small stores and read back in wide loads, which stall.
	var c segCtx
	c.seg.Flags, c.seg.Seq, c.seg.Ack, c.seg.Len, c.seg.Wnd = seg.Flags, seg.Seq, seg.Ack, seg.Len, seg.Wnd
	c.seq, c.flags = seg.Seq, seg.Flags
	ev := rd.classify(&c)
	from, g := rd.state, rd.guards()
	row, next, act, ok := e.decide(from, ev, g)
	r.Step.record(from, ev, g, row, next, act, ok)
	// The answer, from the connection as it stands: the reset that perform
	// pushes for send-rst, or the ACK that step pushes when one is owed,
	// which it does only once the peer's SYN is taken.
	switch {
	case act&ActionSendRst != 0:
		r.Answer, r.Answered = reset(&c.seg), true
	case rd.flags&fSynRcvd != 0 && (act&(ActionSendAck|ActionSendChallengeAck) != 0 || act&ActionTakeData != 0 && c.textOrFin()):
		r.Answer, r.Answered = rd.ackSegment().Segment, true
	default:
		r.Answer, r.Answered = Segment{}, false
	}
}
