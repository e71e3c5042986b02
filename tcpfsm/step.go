package tcpfsm

// Stepping the table and performing its actions.

// stepCtx carries what one call learns as it performs a step.
type stepCtx struct {
	seg         *segCtx // the arriving segment, nil for user calls and timers
	n           int     // the byte count of a SEND
	needAck     bool    // an ACK is owed: sent unless another segment carries it
	ackCarried  bool    // a segment sent in this call carries ACK=RCV.NXT
	restartRetx bool    // the retransmission timer must start over
	armed       uint8   // the timers table actions armed in this step
}

// guards computes the guards that the Endpoint's variables decide: all
// but GuardFull, which step adds for a SEND. It is small enough to be
// inlined.
func (e reader) guards() Guards {
	var g Guards
	if e.flags&fPassive != 0 {
		g |= GuardPassive
	}
	if e.cfg.RFC1337 {
		g |= GuardRfc1337
	}
	limit := e.cfg.DataRetries
	if e.flags&fSynAcked == 0 {
		limit = e.cfg.SynRetries
	}
	if int(e.retries) >= limit {
		g |= GuardExhausted
	}
	return g
}

// queueFull reports whether n more bytes would take the send queue beyond
// MaxQueue.
func (e *Endpoint) queueFull(n int) bool {
	return uint64(e.Queued())+uint64(n) > MaxQueue
}

// rowStep is what step needs of a row of the generated table: the actions
// to perform, whether the row moves and where to, and whether it accepts
// the event.
type rowStep struct {
	act   Actions
	to    State
	moves bool
	ok    bool
}

// next is the state the row leads to from state from.
func (r *rowStep) next(from State) State {
	if r.moves {
		return r.to
	}
	return from
}

// rowSteps holds the rowStep of each of Rows, from what the table language
// says each Outcome does, so that step reads a row without a switch.
var rowSteps = func() (t [len(Rows)]rowStep) {
	for i := range Rows {
		r := &Rows[i]
		o := r.Outcome
		t[i] = rowStep{to: r.To, moves: o.Moves(), ok: o.Accepts()}
		if o.Acts() {
			t[i].act = r.Actions
		}
	}
	return t
}()

// decide looks event ev up under guards g in state from, in the table in
// use (step makes the same choice itself, with generatedStep inlined).
func (e *Endpoint) decide(from State, ev Event, g Guards) (row int, next State, act Actions, ok bool) {
	if e.table != nil {
		return e.table.step(from, ev, g)
	}
	return generatedStep(from, ev, g)
}

// generatedStep looks event ev up under guards g in state from, in the
// generated table: the row (-1 for none), the state it leads to, its
// actions, and whether it accepts the event. It changes nothing, and is
// small enough to be inlined; Table.step is the same for a variant table.
func generatedStep(from State, ev Event, g Guards) (row int, next State, act Actions, ok bool) {
	row = Match(from, ev, g)
	if row < 0 {
		return row, from, 0, false
	}
	r := &rowSteps[row]
	return row, r.next(from), r.act, r.ok
}

// step decides event ev with the table and performs the result.
func (e *Endpoint) step(ev Event, seg *segCtx, n int, out *Output) {
	from := e.state
	g := e.reader().guards()
	if ev == EventSend && e.queueFull(n) {
		g |= GuardFull
	}
	var (
		row  int
		next State
		act  Actions
		ok   bool
	)
	if e.table == nil {
		row, next, act, ok = generatedStep(from, ev, g)
	} else {
		row, next, act, ok = e.table.step(from, ev, g)
	}
	out.Step.record(from, ev, g, row, next, act, ok)

	c := stepCtx{seg: seg, n: n}
	switch {
	case act == ActionTakeAck|ActionTakeData && seg != nil:
		// What nearly every segment of a connection asks: perform it
		// without the tests for the other actions.
		e.takeAck(seg, &c, out)
		e.takeData(seg, &c, out)
	case act != 0:
		e.perform(act, &c, out)
	}
	if next != from {
		e.enter(next, c.armed, out)
	}
	if e.mayTransmit() {
		e.transmit(&c, out)
	}
	if c.needAck && !c.ackCarried && e.flags&fSynRcvd != 0 {
		out.push(e.reader().ackSegment())
	}
	// settleRetx, with its test inlined by hand: most steps have nothing
	// to do here.
	if o := e.outstanding(); o != e.Armed(TimerRetx) || o && c.restartRetx {
		e.settleRetx(c.restartRetx, out)
	}
}

// enter moves to state s: the timers that table actions armed before this
// step (armed holds those it armed) belonged to the state left, and stop;
// CLOSED and LISTEN delete the TCB.
func (e *Endpoint) enter(s State, armed uint8, out *Output) {
	e.state = s
	if old := e.armed & tableArmed &^ armed; old != 0 {
		for t := Timer(0); t < NumTimers; t++ {
			if old&(1<<t) != 0 {
				e.cancel(t, out)
			}
		}
	}
	switch s {
	case StateClosed:
		e.deleteTCB(out)
	case StateListen:
		e.deleteTCB(out)
		e.flags |= fPassive
	}
}

// deleteTCB forgets the connection: variables, flags, timers.
func (e *Endpoint) deleteTCB(out *Output) {
	for t := Timer(0); t < NumTimers; t++ {
		e.cancel(t, out)
	}
	e.conn = conn{state: e.state, flags: fReady, rto: e.rto}
}

// perform carries out the actions in act, in a fixed order: what the
// segment brings (take-*), what to send, timers, then what to tell the
// user.
func (e *Endpoint) perform(act Actions, c *stepCtx, out *Output) {
	if act == 0 {
		return
	}
	seg := c.seg
	if seg != nil {
		if act&ActionTakeSyn != 0 {
			e.takeSyn(seg)
		}
		if act&ActionTakeAck != 0 {
			e.takeAck(seg, c, out)
		}
		if act&ActionTakeData != 0 {
			e.takeData(seg, c, out)
		}
		if act&ActionTakeFin != 0 {
			e.takeFin(seg, c, out)
		}
		if act&ActionSendRst != 0 {
			out.push(resetFor(&seg.seg))
		}
	}
	// What every data segment and ACK asks is done: most steps need no
	// more tests.
	if act&^(ActionTakeSyn|ActionTakeAck|ActionTakeData|ActionTakeFin|ActionSendRst) == 0 {
		return
	}
	// Below, actions that go together are tested together first, so that a
	// step tests few of the bits it does not have.
	if act&(ActionSendSyn|ActionSendSynAck) != 0 {
		if act&ActionSendSyn != 0 {
			e.startSend()
			e.flags &^= fPassive
			out.push(e.synSegment())
		}
		if act&ActionSendSynAck != 0 {
			e.startSend()
			out.push(e.synSegment())
			c.ackCarried = true
		}
	}
	if act&(ActionSendAck|ActionSendChallengeAck) != 0 {
		c.needAck = true
	}
	if act&ActionSendRstAbort != 0 && e.flags&fSynSent != 0 {
		out.push(OutSegment{Segment: Segment{Flags: FlagRST, Seq: e.sndNxt}})
	}
	if act&ActionSendData != 0 && e.flags&fSynSent != 0 {
		e.sndEnd = e.sndEnd.Add(uint32(c.n))
	}
	if act&ActionSendFin != 0 {
		e.flags |= fFinQueued
	}
	if act&ActionRetransmit != 0 {
		e.retransmit(c, out)
	}
	if act&armActions != 0 {
		c.armed = e.armByTable(act, out)
	}
	if act&(tellActions|errActions) != 0 {
		answer(act, out)
	}
}

// tells maps the tell-* actions to what Output.Tell reports, and errs the
// err-* actions to the error of Output.Err (the first in this order, if a
// row names several).
var (
	tells = [...]struct {
		act  Actions
		tell Tell
	}{
		{ActionTellEstablished, TellEstablished},
		{ActionTellReset, TellReset},
		{ActionTellRefused, TellRefused},
		{ActionTellClosed, TellClosed},
		{ActionTellTimeout, TellTimeout},
	}
	errs = [...]struct {
		act Actions
		err error
	}{
		{ActionErrExists, ErrExists},
		{ActionErrClosing, ErrClosing},
		{ActionErrNoConn, ErrNoConn},
		{ActionErrUnspecified, ErrUnspecified},
		{ActionErrResources, ErrResources},
	}
)

const (
	tellActions = ActionTellEstablished | ActionTellReset | ActionTellRefused | ActionTellClosed | ActionTellTimeout
	errActions  = ActionErrExists | ActionErrClosing | ActionErrNoConn | ActionErrUnspecified | ActionErrResources
)

// answer writes what the tell-* and err-* actions in act tell the user.
func answer(act Actions, out *Output) {
	for _, t := range tells {
		if act&t.act != 0 {
			out.Tell |= t.tell
		}
	}
	for _, e := range errs {
		if act&e.act != 0 {
			out.Err = e.err
			return
		}
	}
}

// ----------------------------------------------------------------------------
// Taking what a segment brings.

// takeSyn records the peer's SYN: IRS, RCV.NXT and its window.
func (e *Endpoint) takeSyn(c *segCtx) {
	if e.flags&fSynRcvd != 0 {
		return
	}
	e.flags |= fSynRcvd
	e.irs = c.seg.Seq
	e.rcvNxt = c.seg.Seq.Add(1)
	e.setWindow(&c.seg, c.seg.Seq)
}

// takeAck processes the ACK field (RFC 9293 section 3.10.7.4, fifth):
// SND.UNA advances over what SEG.ACK acknowledges, and the send window is
// updated when the segment is newer than the last update.
func (e *Endpoint) takeAck(c *segCtx, sc *stepCtx, out *Output) {
	if c.flags&FlagACK == 0 || e.flags&fSynSent == 0 {
		return
	}
	ack := c.seg.Ack
	if ack.GreaterThan(e.sndNxt) || ack.LessThan(e.sndUna) {
		return // the classifier does not let these through; stay safe
	}
	synAckedNow := false
	if ack.GreaterThan(e.sndUna) {
		dataUna := e.dataUna()
		if e.flags&fSynAcked == 0 {
			e.flags |= fSynAcked
			synAckedNow = true
		}
		end := ack
		if end.GreaterThan(e.sndEnd) {
			end = e.sndEnd // the rest acknowledges our FIN
			e.flags |= fFinAcked
		}
		if end.GreaterThan(dataUna) {
			n := uint64(uint32(end - dataUna))
			e.ackedOff += n
			out.Acked += n
		}
		e.sndUna = ack
		// Progress: the retry count and the backoff start over (RFC 6298
		// section 5.3 restarts the timer).
		e.retries, e.backoff = 0, 0
		sc.restartRetx = true
	}
	// The window (SND.WL1/SND.WL2 rule); unconditionally with the ACK of
	// our SYN, as in SYN-SENT and SYN-RECEIVED.
	if synAckedNow || e.sndWl1.LessThan(c.seq) || e.sndWl1 == c.seq && e.sndWl2.LessEq(ack) {
		e.setWindow(&c.seg, c.seq)
	}
	if e.sndWnd == 0 {
		// The peer is alive and its window closed: probing a zero window
		// must not give the connection up (RFC 9293 section 3.8.6.1).
		e.retries = 0
	}
}

func (e *Endpoint) setWindow(seg *Segment, seq Seq) {
	e.sndWnd = seg.Wnd
	e.maxSndWnd = max(e.maxSndWnd, seg.Wnd)
	e.sndWl1 = seq
	if seg.Flags&FlagACK != 0 {
		e.sndWl2 = seg.Ack
	} else {
		e.sndWl2 = e.iss
	}
}

// takeData takes the in-order part of the segment text (RFC 9293 section
// 3.10.7.4, seventh): from RCV.NXT to the end of the text or of the
// receive window. Text (or a FIN) that starts beyond RCV.NXT is out of
// order; this Endpoint keeps no buffer, so it drops it and sends an ACK (a
// duplicate ACK for the peer), as for any text.
func (e *Endpoint) takeData(c *segCtx, sc *stepCtx, out *Output) {
	if !c.textOrFin() || e.flags&fSynRcvd == 0 {
		return
	}
	n := c.seg.Len
	// Text, or a FIN that may be out of order: an ACK is owed either way.
	sc.needAck = true
	if c.seq.GreaterThan(e.rcvNxt) {
		return // out of order
	}
	skip := uint32(e.rcvNxt - c.seq)
	if skip >= n {
		return // all of it taken before
	}
	take := min(n-skip, e.rcvWindow(e.cfg.RcvWnd))
	if take == 0 {
		return // a zero window: nothing fits (the classifier lets only an empty segment through)
	}
	if e.cfg.Buffered {
		e.rcvUnread += take
	}
	out.Tell |= TellData
	out.Data = Range{Off: e.rcvOff, Len: take}
	out.DataSkip = skip
	e.rcvOff += uint64(take)
	e.rcvNxt = e.rcvNxt.Add(take)
}

// textOrFin reports whether the segment carries text or a FIN, which
// draw an ACK at once (takeData) whether they are taken or not.
func (c *segCtx) textOrFin() bool {
	return c.seg.Len != 0 || c.flags&FlagFIN != 0
}

// takeFin takes the peer's FIN, if all text before it is taken (RFC 9293
// section 3.10.7.4, eighth): RCV.NXT moves over it, the user hears the end
// of the stream, and an ACK is owed.
func (e *Endpoint) takeFin(c *segCtx, sc *stepCtx, out *Output) {
	if c.flags&FlagFIN == 0 || e.flags&(fSynRcvd|fRcvFin) != fSynRcvd {
		return
	}
	if c.seq.Add(c.seg.Len) != e.rcvNxt {
		return
	}
	e.rcvNxt = e.rcvNxt.Add(1)
	e.flags |= fRcvFin
	out.Tell |= TellEOF
	sc.needAck = true
}

// ----------------------------------------------------------------------------
// Sending.

// startSend sets up the send side for our SYN, once.
func (e *Endpoint) startSend() {
	if e.flags&fSynSent != 0 {
		return
	}
	e.flags |= fSynSent
	e.iss = e.cfg.ISS
	e.sndUna = e.iss
	e.sndNxt = e.iss.Add(1)
	e.sndEnd = e.iss.Add(1)
}

// dataUna is the sequence number of the oldest unacknowledged data byte:
// SND.UNA, but ISS+1 while our SYN is outstanding and SND.END once our FIN
// is acknowledged.
func (e *conn) dataUna() Seq {
	switch {
	case e.flags&fSynAcked == 0:
		return e.iss.Add(1)
	case e.flags&fFinAcked != 0:
		return e.sndEnd
	}
	return e.sndUna
}

// outstanding reports whether anything we sent is unacknowledged.
func (e *conn) outstanding() bool {
	return e.flags&fSynSent != 0 && e.sndUna != e.sndNxt
}

// synSegment is our SYN: <SEQ=ISS><CTL=SYN>, or <SEQ=ISS><ACK=RCV.NXT>
// <CTL=SYN,ACK> once the peer's SYN is taken.
func (e *Endpoint) synSegment() OutSegment {
	s := Segment{Flags: FlagSYN, Seq: e.iss, Wnd: e.rcvWindow(e.cfg.RcvWnd)}
	if e.flags&fSynRcvd != 0 {
		s.Flags |= FlagACK
		s.Ack = e.rcvNxt
	}
	return OutSegment{Segment: s}
}

// ackSegment is <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
func (e reader) ackSegment() OutSegment {
	return OutSegment{Segment: Segment{Flags: FlagACK, Seq: e.sndNxt, Ack: e.rcvNxt, Wnd: e.rcvWindow(e.cfg.RcvWnd)}}
}

// resetFor is the reset that answers seg, as an OutSegment.
func resetFor(seg *Segment) OutSegment {
	return OutSegment{Segment: reset(seg)}
}

// reset is the reset that answers seg (RFC 9293 section 3.10.7.1): if it
// has an ACK, <SEQ=SEG.ACK><CTL=RST>; else <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
// <CTL=RST,ACK>.
func reset(seg *Segment) Segment {
	if seg.Flags&FlagACK != 0 {
		return Segment{Flags: FlagRST, Seq: seg.Ack}
	}
	return Segment{Flags: FlagRST | FlagACK, Ack: seg.Seq.Add(seqLen(seg.Flags, seg.Len))}
}

// pushData outputs the data from seq to seq+n, with our FIN after it if
// fin; out must have room (the callers test out.full first, each for its
// own reason). It writes the segment in place, field by field: a segment
// built as a value and copied in is written in small stores and read back
// 16 bytes at a time, a load that store forwarding cannot serve, and on
// the bulk-send path that stall cost more than the rest of the step.
func (e *Endpoint) pushData(out *Output, seq Seq, n uint32, fin bool) {
	flags := FlagACK
	if fin {
		flags |= FlagFIN
	}
	s := &out.Segs[out.NSegs]
	out.NSegs++
	s.Flags, s.Seq, s.Ack, s.Len, s.Wnd = flags, seq, e.rcvNxt, n, e.rcvWindow(e.cfg.RcvWnd)
	s.Off = e.sendOffset(seq)
}

// mayTransmit reports whether transmit may have something to send: data
// queued beyond SND.NXT, or a FIN queued and not sent. It is the cheap
// test that keeps the call off the path of a segment that needs no
// transmission.
func (e *Endpoint) mayTransmit() bool {
	return e.flags&fSynSent != 0 && (e.sndNxt.LessThan(e.sndEnd) || e.flags&(fFinQueued|fFinSent) == fFinQueued)
}

// transmit sends what the send window allows of the queued data, then our
// FIN once all data is sent. Data waits for the ACK of our SYN; the FIN
// waits for the data, and like data for room in the window (as in Linux),
// so that SND.NXT never passes the peer's right window edge and our ACKs
// stay acceptable to it. With a zero window and nothing outstanding one
// byte, or the FIN, goes out as a window probe (RFC 9293 section 3.8.6.1),
// and the retransmission timer repeats it.
func (e *Endpoint) transmit(c *stepCtx, out *Output) {
	if e.flags&fSynSent == 0 {
		return
	}
	if e.flags&fSynAcked != 0 && e.sndNxt.LessThan(e.sndEnd) {
		// The window is worked out once: each segment takes its length
		// from it.
		for room := e.room(); room > 0 && e.sndNxt.LessThan(e.sndEnd); {
			n := min(uint32(e.sndEnd-e.sndNxt), e.cfg.MSS, room)
			if out.full() {
				out.More = true
				return
			}
			fin := e.flags&(fFinQueued|fFinSent) == fFinQueued && e.sndNxt.Add(n) == e.sndEnd && n < room
			e.pushData(out, e.sndNxt, n, fin)
			c.ackCarried = true
			e.sndNxt = e.sndNxt.Add(n)
			room -= n
			if fin {
				e.flags |= fFinSent
				e.sndNxt = e.sndNxt.Add(1)
			}
		}
	}
	// Without data the FIN may follow our SYN at once (CLOSE in
	// SYN-RECEIVED); the window is not known to cover it then.
	if e.flags&(fFinQueued|fFinSent) == fFinQueued && e.sndNxt == e.sndEnd &&
		(e.flags&fSynAcked == 0 || e.room() > 0) {
		if out.full() {
			out.More = true
			return
		}
		e.pushData(out, e.sndNxt, 0, true)
		c.ackCarried = true
		e.flags |= fFinSent
		e.sndNxt = e.sndNxt.Add(1)
	}
}

// retransmit goes back to SND.UNA and sends again everything outstanding,
// as far as Output has room: our SYN (or SYN-ACK), then the data, then our
// FIN. The timeout doubles (RFC 6298 section 5.5) and the timer restarts
// (5.6).
func (e *Endpoint) retransmit(c *stepCtx, out *Output) {
	if !e.outstanding() {
		return
	}
	if e.retries < 255 {
		e.retries++
	}
	if e.backoff < 32 {
		e.backoff++
	}
	c.restartRetx = true
	if e.flags&fSynAcked == 0 {
		s := e.synSegment()
		out.push(s)
		if e.flags&fSynRcvd != 0 {
			c.ackCarried = true
		}
	}
	seq := e.dataUna()
	dataEnd := e.sndNxt
	if e.flags&fFinSent != 0 {
		dataEnd = e.sndEnd
	}
	if e.flags&fSynAcked == 0 && e.flags&fFinSent == 0 {
		return // nothing after the SYN is sent before it is acknowledged
	}
	for seq.LessThan(dataEnd) {
		n := min(uint32(dataEnd-seq), e.cfg.MSS)
		fin := e.flags&fFinSent != 0 && seq.Add(n) == e.sndEnd
		if out.full() {
			return
		}
		e.pushData(out, seq, n, fin)
		c.ackCarried = true
		seq = seq.Add(n)
		if fin {
			return
		}
	}
	if e.flags&(fFinSent|fFinAcked) == fFinSent {
		if !out.full() {
			e.pushData(out, e.sndEnd, 0, true)
			c.ackCarried = true
		}
	}
}
