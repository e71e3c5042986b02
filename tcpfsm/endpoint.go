package tcpfsm

import (
	"fmt"
	"time"
)

// Config configures an Endpoint. The zero value of every field means its
// default.
type Config struct {
	// ISS is the initial send sequence number, used by the next SYN the
	// Endpoint sends (RFC 9293 section 3.4.1). The caller picks it; ISN
	// computes one as RFC 6528 asks. SetISS changes it between
	// connections.
	ISS Seq

	// RcvWnd is the receive window the Endpoint offers and enforces
	// (RCV.WND), after scaling: the size of the receive buffer. Default
	// 65535. Without Buffered the caller takes all data it is told
	// about at once, so the window stays RcvWnd.
	RcvWnd uint32

	// Buffered makes RcvWnd the size of a receive buffer the caller
	// owns: data the Endpoint hands over (Output.Data) fills it until
	// the caller reads it (Endpoint.Read), and the window offered is
	// the free space, so it shrinks as data arrives and reopens as the
	// caller reads. The right edge of the window (RCV.NXT+RCV.WND)
	// never moves left (RFC 9293 section 3.8.6). Off by default.
	Buffered bool

	// MSS is the largest number of data bytes the Endpoint puts in one
	// segment (the peer's MSS option, or what the path allows). Default
	// 536, the RFC 9293 section 3.7.1 default for IPv4 when the peer sends
	// no MSS option.
	MSS uint32

	// SynRetries is how many times a SYN or SYN-ACK is retransmitted
	// before the connection gives up. Default 7: with the default RTO and
	// MaxRTO the connection gives up 183 s after the first SYN, meeting
	// the 3 minutes that RFC 9293 section 3.8.3 (MUST-23) and RFC 1122
	// section 4.2.3.5 require. Linux's net.ipv4.tcp_syn_retries is 6
	// (127 s), which users may know as the time connect takes to fail.
	// A negative value means no retries.
	SynRetries int

	// DataRetries is how many times data or a FIN is retransmitted without
	// progress before the connection gives up (R2 of RFC 1122 section
	// 4.2.3.5). Default 15, as Linux's net.ipv4.tcp_retries2. A negative
	// value means no retries.
	DataRetries int

	// RFC1337 makes TIME-WAIT ignore RSTs (RFC 1337 section 4). Off by
	// default, as in Linux (net.ipv4.tcp_rfc1337) and RFC 9293.
	RFC1337 bool

	// RTO is the initial retransmission timeout. Default 1 s (RFC 6298
	// section 2.1, and Linux).
	RTO time.Duration

	// MaxRTO caps the retransmission timeout as it backs off. Default
	// 60 s, the least RFC 6298 section 2.5 allows; Linux uses 120 s.
	MaxRTO time.Duration

	// TimeWait is how long TIME-WAIT lasts: 2 MSL. Default 4 minutes (MSL
	// is 2 minutes, RFC 9293 section 3.4.2); Linux uses a fixed 60 s.
	TimeWait time.Duration

	// FinWait2 is how long FIN-WAIT-2 may stay idle before the connection
	// is dropped. Default 60 s, as Linux's net.ipv4.tcp_fin_timeout (which
	// Linux applies only to sockets the application has closed). RFC 9293
	// has no such timer; a negative value turns it off.
	FinWait2 time.Duration
}

// Defaults (see Config).
const (
	DefaultRcvWnd      = 65535
	DefaultMSS         = 536
	DefaultSynRetries  = 7
	DefaultDataRetries = 15
	DefaultRTO         = time.Second
	DefaultMaxRTO      = 60 * time.Second
	DefaultTimeWait    = 4 * time.Minute
	DefaultFinWait2    = 60 * time.Second
)

// MaxQueue is the most data the send stream holds at once, queued and
// unacknowledged: 2^30 bytes, which keeps all of it within the half of the
// sequence space where comparisons are sound (RFC 7323 section 2.3). A
// SEND beyond it gets ErrResources.
const MaxQueue = 1 << 30

// withDefaults returns c with zero fields set to their defaults and
// negative retry counts made zero.
func (c Config) withDefaults() Config {
	if c.RcvWnd == 0 {
		c.RcvWnd = DefaultRcvWnd
	}
	c.RcvWnd = min(c.RcvWnd, MaxQueue)
	if c.MSS == 0 {
		c.MSS = DefaultMSS
	}
	switch {
	case c.SynRetries == 0:
		c.SynRetries = DefaultSynRetries
	case c.SynRetries < 0:
		c.SynRetries = 0
	}
	c.SynRetries = min(c.SynRetries, 255)
	switch {
	case c.DataRetries == 0:
		c.DataRetries = DefaultDataRetries
	case c.DataRetries < 0:
		c.DataRetries = 0
	}
	c.DataRetries = min(c.DataRetries, 255)
	if c.RTO <= 0 {
		c.RTO = DefaultRTO
	}
	if c.MaxRTO <= 0 {
		c.MaxRTO = DefaultMaxRTO
	}
	c.MaxRTO = max(c.MaxRTO, c.RTO)
	if c.TimeWait <= 0 {
		c.TimeWait = DefaultTimeWait
	}
	if c.FinWait2 == 0 {
		c.FinWait2 = DefaultFinWait2
	}
	return c
}

// Endpoint is one end of one TCP connection, as RFC 9293 section 3.10
// describes it, without I/O: the caller feeds it user calls, arriving
// segments and timer expiries, and it answers each with an Output saying
// what to send, which timers to arm or cancel and what to tell the user.
//
// An Endpoint is a fixed-size value: no goroutines, no clock, no buffers,
// and no pointers except the optional variant table (UseTable). Copying
// one copies the connection, and two Endpoints compare equal with == when
// they are in the same state. Its methods, apart from String and the
// error results of CheckInvariants, do not allocate.
//
// The zero Endpoint is CLOSED with the default Config.
type Endpoint struct {
	conn         // the connection: what changes (Snapshot)
	table *Table // the variant table, or nil for the generated one
	cfg   Config
}

// conn is everything of an Endpoint but its configuration and table: the
// part a Snapshot holds. The fields are in the order of how often a
// segment reads them, and leave no padding, so == and hashing see only
// fields.
type conn struct {
	flags   epFlags
	state   State
	armed   uint8 // bit t: Timer t runs
	backoff uint8 // retransmissions since the last new ACK: RTO doubles per step
	retries uint8 // retransmissions without progress, against the limit

	// The send side, in sequence space: SND.UNA and SND.NXT, and sndEnd,
	// the sequence number just after the last byte the user has queued
	// (where our FIN goes).
	sndUna, sndNxt, sndEnd Seq
	sndWnd, maxSndWnd      uint32 // SND.WND and the largest seen (RFC 5961 MAX.SND.WND)
	sndWl1, sndWl2         Seq    // SND.WL1, SND.WL2

	// The receive side: RCV.NXT, and with Config.Buffered the receive
	// buffer: bytes handed over and not yet read, and free space not yet
	// offered (RFC 9293 section 3.8.6.2.2). RCV.WND is Config.RcvWnd
	// less both (rcvWindow).
	rcvNxt             Seq
	rcvUnread, rcvHeld uint32

	ackedOff uint64 // send stream bytes acknowledged: the offset of SND.UNA's byte
	rcvOff   uint64 // receive stream bytes taken: the offset of RCV.NXT's byte

	iss, irs Seq
	rto      time.Duration // RTO before backoff
}

// epFlags are facts about the connection that are not its state.
type epFlags uint32

const (
	fReady     epFlags = 1 << iota // cfg holds defaults
	fPassive                       // came from LISTEN and sent no SYN of its own
	fSynSent                       // our SYN is sent: ISS, SND.* valid
	fSynAcked                      // our SYN is acknowledged
	fSynRcvd                       // the peer's SYN is taken: IRS, RCV.NXT valid
	fFinQueued                     // the user closed: our FIN follows the data
	fFinSent                       // our FIN is sent (SND.NXT is past it)
	fFinAcked                      // our FIN is acknowledged
	fRcvFin                        // the peer's FIN is taken
)

// NewEndpoint returns a CLOSED Endpoint with configuration cfg.
func NewEndpoint(cfg Config) Endpoint {
	e := Endpoint{cfg: cfg.withDefaults()}
	e.flags = fReady
	e.rto = e.cfg.RTO
	return e
}

// ready fills in the defaults of a zero Endpoint. It is small enough to be
// inlined into every call; setDefaults is not.
func (e *Endpoint) ready() {
	if e.flags&fReady == 0 {
		e.setDefaults()
	}
}

// setDefaults makes e a new Endpoint with e's Config.
func (e *Endpoint) setDefaults() {
	*e = NewEndpoint(e.cfg)
}

// Config returns the Endpoint's configuration, defaults filled in.
func (e *Endpoint) Config() Config {
	e.ready()
	return e.cfg
}

// UseTable makes the Endpoint step through the variant table t (see
// variant.NewTable) instead of the generated one; nil goes back to the generated
// table. The Endpoint keeps its state and variables.
func (e *Endpoint) UseTable(t *Table) {
	e.table = t
}

// Table returns the variant table in use, or nil for the generated one.
func (e *Endpoint) Table() *Table {
	return e.table
}

// SetISS sets the ISS of the next SYN the Endpoint sends. It has effect in
// CLOSED and LISTEN, before the SYN goes out.
func (e *Endpoint) SetISS(iss Seq) {
	e.ready()
	e.cfg.ISS = iss
}

// SetRTO sets the retransmission timeout (before backoff), for an embedder
// that estimates it from round trips as RFC 6298 section 2 describes. It
// applies from the next time the timer is armed. d is clamped to
// [1ns, Config.MaxRTO].
func (e *Endpoint) SetRTO(d time.Duration) {
	e.ready()
	e.rto = min(max(d, 1), e.cfg.MaxRTO)
}

// ----------------------------------------------------------------------------
// User calls (RFC 9293 sections 3.10.1 to 3.10.5). Each clears out and
// writes its answer there; a refused call leaves the state as it was and
// sets out.Err.

// OpenPassive is a passive OPEN: wait in LISTEN for a connection request.
func (e *Endpoint) OpenPassive(out *Output) {
	e.user(EventOpenPassive, 0, out)
}

// OpenActive is an active OPEN: send a SYN to the peer (from CLOSED, or
// from LISTEN, which RFC 9293 section 3.10.1 allows).
func (e *Endpoint) OpenActive(out *Output) {
	e.user(EventOpenActive, 0, out)
}

// Send is SEND: append n bytes to the send stream. The caller keeps the
// bytes; the Endpoint asks for them by stream offset in the segments it
// outputs (OutSegment.Off) and tells when they are acknowledged
// (Output.Acked). n < 0 counts as 0.
func (e *Endpoint) Send(n int, out *Output) {
	e.user(EventSend, max(n, 0), out)
}

// Close is CLOSE: no more data from this side. The FIN follows the queued
// data; the user may go on receiving until the peer closes too.
func (e *Endpoint) Close(out *Output) {
	e.user(EventClose, 0, out)
}

// Abort is ABORT: drop the connection at once, with an RST to the peer in
// the states where it has one to receive.
func (e *Endpoint) Abort(out *Output) {
	e.user(EventAbort, 0, out)
}

// Segment processes one arriving segment: it classifies it (classify.go),
// steps the table and performs the actions.
func (e *Endpoint) Segment(seg Segment, out *Output) {
	e.ready()
	out.Reset()
	// Field by field, and the Segment too: a composite literal, or a copy
	// of seg as a whole, is written field by field and read back 16 bytes
	// at a time, a load that store forwarding cannot serve, which stalls
	// for longer than the rest of the classification takes.
	var c segCtx
	c.seg.Flags, c.seg.Seq, c.seg.Ack, c.seg.Len, c.seg.Wnd = seg.Flags, seg.Seq, seg.Ack, seg.Len, seg.Wnd
	c.seq, c.flags = seg.Seq, seg.Flags
	var ev Event
	r := e.reader()
	switch { // classify.go
	case !e.synchronized():
		ev = r.classifyUnsynchronized(&c)
	case r.predictAck(&c):
		ev = EventSegAck
	default:
		ev = r.classifySynchronized(&c)
	}
	e.step(ev, &c, 0, out)
}

// Timeout tells the Endpoint that timer t ran out. A timer that is not
// running (never armed, cancelled, or expired already) is ignored: out
// then shows no step.
func (e *Endpoint) Timeout(t Timer, out *Output) {
	e.ready()
	out.Reset()
	if !e.Armed(t) {
		return
	}
	e.armed &^= 1 << t
	e.step(TimerEvents[t], nil, 0, out)
}

// Poll sends what queued data and FIN the send window allows, when a
// previous Output had More set. It takes no table step.
func (e *Endpoint) Poll(out *Output) {
	e.ready()
	out.Reset()
	var c stepCtx
	e.transmit(&c, out)
	e.settleRetx(c.restartRetx, out)
}

func (e *Endpoint) user(ev Event, n int, out *Output) {
	e.ready()
	out.Reset()
	e.step(ev, nil, n, out)
}

// ----------------------------------------------------------------------------
// Accessors.

// State returns the connection state.
func (e *conn) State() State { return e.state }

// ISS returns the initial send sequence number of the connection (the
// configured one before a SYN is sent).
func (e *Endpoint) ISS() Seq {
	if e.flags&fSynSent != 0 {
		return e.iss
	}
	return e.cfg.ISS
}

// IRS returns the initial receive sequence number, 0 before the peer's SYN.
func (e *conn) IRS() Seq { return e.irs }

// SndUna returns SND.UNA, the oldest unacknowledged sequence number.
func (e *conn) SndUna() Seq { return e.sndUna }

// SndNxt returns SND.NXT, the next sequence number to send.
func (e *conn) SndNxt() Seq { return e.sndNxt }

// SndEnd returns the sequence number just after the last queued byte:
// where our FIN goes.
func (e *conn) SndEnd() Seq { return e.sndEnd }

// SndWnd returns SND.WND, the peer's window.
func (e *conn) SndWnd() uint32 { return e.sndWnd }

// RcvNxt returns RCV.NXT, the next sequence number expected.
func (e *conn) RcvNxt() Seq { return e.rcvNxt }

// Acked returns how many bytes of the send stream the peer has
// acknowledged in all (Output.Acked is the count of one call).
func (e *conn) Acked() uint64 { return e.ackedOff }

// Queued returns how many bytes of the send stream are not acknowledged
// yet (sent or not).
func (e *conn) Queued() uint32 {
	if e.flags&fSynSent == 0 {
		return 0
	}
	return uint32(e.sndEnd - e.dataUna())
}

// SendOffset returns the send stream offset of the data octet at sequence
// number seq: the OutSegment.Off a segment from seq carries (offset 0 is
// the first byte ever passed to Send, at ISS+1). A caller that knows a
// segment only by its sequence number (from a capture, or from a copy of
// the segment it kept) finds its bytes there. seq must lie from ISS+1 on
// and within 2^31 of SND.UNA. Before the connection's SYN is sent,
// offsets count from the ISS that SYN will carry (Config.ISS).
func (e *Endpoint) SendOffset(seq Seq) uint64 {
	if e.flags&fSynSent == 0 {
		return uint64(int64(seq.Sub(e.ISS().Add(1))))
	}
	return e.sendOffset(seq)
}

// sendOffset is SendOffset once the SYN is sent: the bytes acknowledged,
// plus how far seq lies beyond the oldest unacknowledged data octet.
func (e *conn) sendOffset(seq Seq) uint64 {
	return e.ackedOff + uint64(int64(seq.Sub(e.dataUna())))
}

// Received returns how many bytes of the receive stream have been taken.
func (e *conn) Received() uint64 { return e.rcvOff }

// Passive reports whether the connection came from LISTEN.
func (e *conn) Passive() bool { return e.flags&fPassive != 0 }

// FinReceived reports whether the peer's FIN has been taken.
func (e *conn) FinReceived() bool { return e.flags&fRcvFin != 0 }

// FinSent reports whether our FIN has been sent; FinAcked, whether the
// peer has acknowledged it.
func (e *conn) FinSent() bool  { return e.flags&fFinSent != 0 }
func (e *conn) FinAcked() bool { return e.flags&fFinAcked != 0 }

// Retries returns the retransmissions since the last progress.
func (e *conn) Retries() int { return int(e.retries) }

// String describes the Endpoint for logs and test failures, as in
// "ESTABLISHED SND.UNA=101 SND.NXT=111 SND.END=111 RCV.NXT=301".
func (e *conn) String() string {
	return fmt.Sprintf("%v SND.UNA=%d SND.NXT=%d SND.END=%d SND.WND=%d RCV.NXT=%d",
		e.state, e.sndUna, e.sndNxt, e.sndEnd, e.sndWnd, e.rcvNxt)
}

// ----------------------------------------------------------------------------
// Invariants.

// CheckInvariants returns an error describing the first broken invariant,
// or nil. It is cheap, and meant to be called after every step in tests,
// model checking and fuzzing. The invariants:
//
//   - the state is one of the NumStates;
//   - in CLOSED there is no TCB and no timer runs; in LISTEN there is no
//     TCB, the connection is passive and no timer runs;
//   - once our SYN is sent: SND.UNA =< SND.NXT =< SND.END (+1 for a sent
//     FIN), with SND.NXT exactly past the FIN once it is sent; SND.UNA is
//     ISS until our SYN is acknowledged; queued data is at most MaxQueue,
//     and so are the unread and held-back bytes of the receive buffer;
//   - a FIN is sent only after the user closed, acknowledged only after it
//     was sent; only a sent SYN is acknowledged, only a taken SYN's FIN is
//     taken;
//   - the retransmission timer runs exactly when something is outstanding;
//     the TIME-WAIT timer only in TIME-WAIT, the FIN-WAIT-2 timer only in
//     FIN-WAIT-2;
//   - the state agrees with the flags: ESTABLISHED has both SYNs and no
//     FIN; FIN-WAIT-1 and -2, CLOSING, LAST-ACK and TIME-WAIT have our FIN
//     queued; FIN-WAIT-2 and TIME-WAIT have it acknowledged, CLOSING and
//     LAST-ACK have it outstanding; CLOSE-WAIT, CLOSING, LAST-ACK and
//     TIME-WAIT have the peer's FIN, ESTABLISHED, FIN-WAIT-1 and
//     FIN-WAIT-2 do not.
func (e *conn) CheckInvariants() error {
	if e.state >= NumStates {
		return fmt.Errorf("tcpfsm: invalid state %d", e.state)
	}
	if e.armed>>NumTimers != 0 {
		return fmt.Errorf("tcpfsm: unknown timer armed: %#x", e.armed)
	}
	switch e.state {
	case StateClosed, StateListen:
		return e.checkNoTCB()
	}
	if err := e.checkSendSpace(); err != nil {
		return err
	}
	if err := e.checkFlagOrder(); err != nil {
		return err
	}
	if err := e.checkTimers(); err != nil {
		return err
	}
	return e.checkStateFlags()
}

// checkNoTCB checks CLOSED and LISTEN: no TCB, no timer, and passive
// exactly in LISTEN.
func (e *conn) checkNoTCB() error {
	f := e.flags
	if f&(fSynSent|fSynRcvd|fFinQueued|fFinSent|fFinAcked|fRcvFin|fSynAcked) != 0 {
		return fmt.Errorf("tcpfsm: %v with a TCB (flags %#x)", e.state, f)
	}
	if e.armed != 0 {
		return fmt.Errorf("tcpfsm: %v with timers running (%#x)", e.state, e.armed)
	}
	if (e.state == StateListen) != (f&fPassive != 0) {
		return fmt.Errorf("tcpfsm: %v with passive=%v", e.state, f&fPassive != 0)
	}
	return nil
}

// checkSendSpace checks the send side's sequence numbers once our SYN is
// sent: SND.UNA =< SND.NXT =< SND.END (+1 past a sent FIN), and at most
// MaxQueue queued.
func (e *conn) checkSendSpace() error {
	if e.flags&fSynSent == 0 {
		return fmt.Errorf("tcpfsm: %v without our SYN sent", e.state)
	}
	if e.sndNxt.LessThan(e.sndUna) {
		return fmt.Errorf("tcpfsm: SND.UNA %d beyond SND.NXT %d", e.sndUna, e.sndNxt)
	}
	if q := uint32(e.sndEnd - e.dataUna()); q > MaxQueue {
		return fmt.Errorf("tcpfsm: %d bytes queued, more than MaxQueue", q)
	}
	if uint64(e.rcvUnread)+uint64(e.rcvHeld) > MaxQueue {
		return fmt.Errorf("tcpfsm: receive buffer of %d unread and %d held bytes, more than MaxQueue", e.rcvUnread, e.rcvHeld)
	}
	if e.flags&fFinSent != 0 {
		if e.sndNxt != e.sndEnd.Add(1) {
			return fmt.Errorf("tcpfsm: FIN sent but SND.NXT %d is not SND.END+1 %d", e.sndNxt, e.sndEnd.Add(1))
		}
	} else if e.sndNxt.GreaterThan(e.sndEnd) {
		return fmt.Errorf("tcpfsm: SND.NXT %d beyond SND.END %d", e.sndNxt, e.sndEnd)
	}
	return nil
}

// checkFlagOrder checks that the flags come in their order: a FIN is sent
// only after the user closed and acknowledged only after it was sent,
// SND.UNA leaves ISS only with the ACK of our SYN, and the peer's FIN is
// taken only after its SYN.
func (e *conn) checkFlagOrder() error {
	f := e.flags
	if f&fFinSent != 0 && f&fFinQueued == 0 {
		return fmt.Errorf("tcpfsm: FIN sent but not queued")
	}
	if f&fFinAcked != 0 && (f&fFinSent == 0 || e.sndUna != e.sndNxt) {
		return fmt.Errorf("tcpfsm: FIN acknowledged but not sent, or SND.UNA %d != SND.NXT %d", e.sndUna, e.sndNxt)
	}
	if f&fSynAcked == 0 && e.sndUna != e.iss {
		return fmt.Errorf("tcpfsm: SYN not acknowledged but SND.UNA %d is not ISS %d", e.sndUna, e.iss)
	}
	if f&fRcvFin != 0 && f&fSynRcvd == 0 {
		return fmt.Errorf("tcpfsm: FIN taken before SYN")
	}
	return nil
}

// checkTimers checks which timers run: the retransmission timer exactly
// when something is outstanding, the TIME-WAIT and FIN-WAIT-2 timers only
// in their states.
func (e *conn) checkTimers() error {
	if e.Armed(TimerRetx) != e.outstanding() {
		return fmt.Errorf("tcpfsm: retransmission timer running=%v, outstanding=%v", e.Armed(TimerRetx), e.outstanding())
	}
	if e.Armed(TimerTimeWait) && e.state != StateTimeWait {
		return fmt.Errorf("tcpfsm: TIME-WAIT timer running in %v", e.state)
	}
	if e.Armed(TimerFinWait2) && e.state != StateFinWait2 {
		return fmt.Errorf("tcpfsm: FIN-WAIT-2 timer running in %v", e.state)
	}
	return nil
}

// stateFlags says, for each state with a TCB, which flags it must have
// (1), must not have (-1) or may have (0): our SYN acknowledged, our FIN
// queued, our FIN acknowledged, the peer's FIN taken.
var stateFlags = [NumStates][4]int8{
	StateSynSent:     {-1, -1, -1, -1},
	StateSynReceived: {-1, -1, -1, -1},
	StateEstablished: {1, -1, -1, -1},
	StateFinWait1:    {0, 1, -1, -1},
	StateFinWait2:    {1, 1, 1, -1},
	StateCloseWait:   {1, -1, -1, 1},
	StateClosing:     {1, 1, -1, 1},
	StateLastAck:     {1, 1, -1, 1},
	StateTimeWait:    {1, 1, 1, 1},
}

// stateFlagNames are the flags of stateFlags, in its order.
var stateFlagNames = [4]struct {
	name string
	bit  epFlags
}{{"our SYN acknowledged", fSynAcked}, {"our FIN queued", fFinQueued}, {"our FIN acknowledged", fFinAcked}, {"the peer's FIN taken", fRcvFin}}

// checkStateFlags checks that a state with a TCB agrees with the flags:
// every state but SYN-SENT has the peer's SYN, and stateFlags.
func (e *conn) checkStateFlags() error {
	if e.state != StateSynSent && e.flags&fSynRcvd == 0 {
		return fmt.Errorf("tcpfsm: %v without the peer's SYN", e.state)
	}
	for i, want := range stateFlags[e.state] {
		c := stateFlagNames[i]
		has := e.flags&c.bit != 0
		if want == 1 && !has || want == -1 && has {
			return fmt.Errorf("tcpfsm: %v with %s = %v", e.state, c.name, has)
		}
	}
	return nil
}
