package proptest

// The stateful API test: gopter's commands package drives one Endpoint
// with random sequences of user calls (OpenPassive, OpenActive, Send,
// Close, Abort) and timer expiries, and compares every answer with
// apiModel, a small model of what the API promises. The model is written
// from RFC 9293 sections 3.10.1 to 3.10.5 (which call is allowed in which
// state, what it answers, the state after), 3.10.7 for the few segments
// it needs and 3.10.8 and RFC 6298 for the timers, plus the choices that
// package tcpfsm documents where the RFC leaves one; it never looks at the
// table.
//
// User calls and timers alone reach only CLOSED, LISTEN and SYN-SENT, so
// the commands include a well-behaved peer: segments that are always in
// order and acceptable (SEQ = RCV.NXT, ACK = SND.NXT), built from the
// Endpoint's own numbers, which carry the connection through every state.
// Its window is large and the harness polls until the Endpoint has sent
// all it may, so everything queued is on the wire after every command and
// an ACK of SND.NXT acknowledges all of it. Hostile peers and networks are
// the job of the hostile-network property.

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"

	. "github.com/synfin/synfin/tcpfsm"
)

// The peer's window and the Endpoint's MSS: large, so that one command
// sends everything queued.
const (
	apiPeerWnd = 1 << 24
	apiMSS     = 1 << 16
)

// apiKind is a command of the API test.
type apiKind uint8

const (
	cmdOpenPassive apiKind = iota
	cmdOpenActive
	cmdSend
	cmdClose
	cmdAbort
	cmdFireRetx
	cmdFireTimeWait
	cmdFireFinWait2
	cmdPeerSyn    // <SEQ=peer ISS><CTL=SYN>
	cmdPeerSynAck // <SEQ=peer ISS><ACK=ISS+1><CTL=SYN,ACK>
	cmdPeerAck    // <SEQ=RCV.NXT><ACK=SND.NXT><CTL=ACK>, with N bytes
	cmdPeerFin    // <SEQ=RCV.NXT><ACK=SND.NXT><CTL=FIN,ACK>, with N bytes
	cmdPeerFinDup // <SEQ=RCV.NXT-1><ACK=SND.NXT><CTL=FIN,ACK>: the peer's FIN again
	cmdPeerRst    // <SEQ=RCV.NXT><ACK=SND.NXT><CTL=RST,ACK>
	// Segments a well-behaved peer sends only by mistake or late, which
	// the RFC answers without a change of state.
	cmdPeerNoAck       // <SEQ=RCV.NXT><CTL=FIN>: no ACK bit
	cmdPeerBadAck      // <SEQ=RCV.NXT><ACK=SND.NXT+1000><CTL=ACK>: acknowledges what was never sent
	cmdPeerRstInWindow // <SEQ=RCV.NXT+1><CTL=RST>: in the window, not at RCV.NXT
	cmdPeerOutOfWindow // <SEQ=RCV.NXT+2^20><ACK=SND.NXT><CTL=ACK>, 1 byte: fails the sequence test
	cmdPeerRstOutside  // <SEQ=RCV.NXT+2^20><CTL=RST>: outside the window, no ACK
	numAPIKinds
)

var apiKindNames = [numAPIKinds]string{"OpenPassive", "OpenActive", "Send", "Close", "Abort",
	"Timeout(retx)", "Timeout(TIME-WAIT)", "Timeout(FIN-WAIT-2)",
	"peer SYN", "peer SYN,ACK", "peer ACK", "peer FIN,ACK", "peer FIN again", "peer RST,ACK",
	"peer FIN without ACK", "peer ACK of unsent data", "peer RST in window", "peer data out of window", "peer RST out of window"}

// apiModel is the model state: the RFC state of the connection and the
// few facts the answers depend on. It is a value; NextState returns a new
// one. want is what the last command must have produced.
type apiModel struct {
	cfg     Config
	peerISS Seq

	state     State
	passive   bool   // opened passively and sent no SYN of its own (SYN-RECEIVED goes back to LISTEN, RFC 9293 3.10.7.4)
	synAcked  bool   // our SYN is acknowledged
	finQueued bool   // the user has closed
	queued    uint64 // bytes passed to Send and not yet acknowledged
	retries   int    // retransmissions since the last progress
	received  uint64 // bytes of the peer's stream delivered

	want apiWant
}

// apiWant is what one command must produce.
type apiWant struct {
	err       error
	unchanged bool   // refused call or stale timer: the Endpoint is as before
	noStep    bool   // a timer that is not running: no table step at all
	tell      Tell   // exactly these
	tellAlt   Tell   // or exactly these, where the RFC leaves it open (0: no alternative)
	segs      string // what is sent: see checkSegs
	data      uint32 // bytes the user must be told about (TellData)
	dataOff   uint64
	sendBytes uint64 // data bytes that must go out in this command
	rearm2MSL bool   // the TIME-WAIT timer must start over
}

func (m apiModel) String() string {
	if m == (apiModel{cfg: m.cfg, peerISS: m.peerISS, state: StateClosed}) {
		return fmt.Sprintf("CLOSED ISS=%d peer ISS=%d SynRetries=%d DataRetries=%d RFC1337=%v FinWait2=%v",
			m.cfg.ISS, m.peerISS, m.cfg.SynRetries, m.cfg.DataRetries, m.cfg.RFC1337, m.cfg.FinWait2)
	}
	return fmt.Sprintf("%v passive=%v synAcked=%v finQueued=%v queued=%d retries=%d", m.state, m.passive, m.synAcked, m.finQueued, m.queued, m.retries)
}

// finSent: our FIN is on the wire. It follows the data, which follows the
// ACK of our SYN; with nothing queued it may follow the SYN at once
// (CLOSE in SYN-RECEIVED, tcpfsm's documented choice).
func (m apiModel) finSent() bool {
	return m.finQueued && (m.synAcked || m.queued == 0)
}

// outstanding: something of ours is unacknowledged, so the retransmission
// timer runs (RFC 6298 section 5.1 and 5.2).
func (m apiModel) outstanding() bool {
	switch m.state {
	case StateSynSent, StateSynReceived, StateFinWait1, StateClosing, StateLastAck:
		return true
	case StateEstablished, StateCloseWait:
		return m.queued > 0
	}
	return false
}

// running says which timers the model expects to run.
func (m apiModel) running(t Timer) bool {
	switch t {
	case TimerRetx:
		return m.outstanding()
	case TimerTimeWait:
		return m.state == StateTimeWait
	default:
		return m.state == StateFinWait2 && m.cfg.FinWait2 >= 0
	}
}

// retryLimit is the retransmission limit in force: the SYN's until our
// SYN is acknowledged, the data's after (tcpfsm Config).
func (m apiModel) retryLimit() int {
	if m.synAcked {
		return m.cfg.DataRetries
	}
	return m.cfg.SynRetries
}

// closedBy returns the model after the connection is deleted, telling
// tell (RFC 9293: "delete the TCB, enter the CLOSED state").
func (m apiModel) closedBy(tell Tell) apiModel {
	m = apiModel{cfg: m.cfg, peerISS: m.peerISS, state: StateClosed}
	m.want.tell = tell
	return m
}

// progress records an ACK of everything sent: what is acknowledged is
// forgotten and the retry count starts over (RFC 6298 5.3, RFC 1122
// 4.2.3.5).
func (m apiModel) progress() apiModel {
	if m.outstanding() {
		m.retries = 0
	}
	if m.synAcked {
		m.queued = 0
	}
	m.synAcked = true
	return m
}

// apiCmd is one command: a kind and, for Send and the peer's data, a
// byte count.
type apiCmd struct {
	Kind apiKind
	N    uint64
}

func (c apiCmd) String() string {
	switch c.Kind {
	case cmdSend, cmdPeerAck, cmdPeerFin:
		return fmt.Sprintf("%s(%d)", apiKindNames[c.Kind], c.N)
	}
	return apiKindNames[c.Kind]
}

// PreCondition: the user may call anything at any time, and any timer
// may run out (a stale one must be ignored); the peer's segments are
// those a well-behaved peer sends in the state.
func (c apiCmd) PreCondition(s commands.State) bool {
	m := s.(apiModel)
	switch c.Kind {
	case cmdPeerRstInWindow, cmdPeerOutOfWindow:
		return synchronized(m.state)
	case cmdPeerSynAck:
		return m.state == StateSynSent
	case cmdPeerAck:
		return synchronized(m.state) && (c.N == 0 || receiving(m.state))
	case cmdPeerFin:
		return receiving(m.state)
	case cmdPeerFinDup:
		return finReceived(m.state)
	case cmdSend:
		// A SEND that fits the queue in full would make the harness
		// poll out a gigabyte; only those in the generator's ranges.
		return c.N <= 1<<16 || m.queued+c.N > MaxQueue
	}
	return true
}

func synchronized(s State) bool { return s >= StateSynReceived }

func receiving(s State) bool {
	return s == StateSynReceived || s == StateEstablished || s == StateFinWait1 || s == StateFinWait2
}

func finReceived(s State) bool {
	return s == StateCloseWait || s == StateClosing || s == StateLastAck || s == StateTimeWait
}

// NextState is the model: RFC 9293 section 3.10 for each command.
func (c apiCmd) NextState(s commands.State) commands.State {
	m := s.(apiModel)
	m.want = apiWant{segs: "none"}
	refuse := func(err error) apiModel {
		m.want = apiWant{err: err, unchanged: true, segs: "none"}
		return m
	}
	switch c.Kind {
	case cmdOpenPassive: // 3.10.1
		if m.state != StateClosed {
			return refuse(ErrExists)
		}
		m.state, m.passive = StateListen, true
	case cmdOpenActive: // 3.10.1: from CLOSED, or LISTEN turned active
		if m.state != StateClosed && m.state != StateListen {
			return refuse(ErrExists)
		}
		m.state, m.passive = StateSynSent, false
		m.want.segs = "syn"
	case cmdSend: // 3.10.2
		switch m.state {
		case StateClosed:
			return refuse(ErrNoConn)
		case StateListen: // no foreign socket in SEND: tcpfsm's documented choice
			return refuse(ErrUnspecified)
		case StateSynSent, StateSynReceived, StateEstablished, StateCloseWait:
			if m.queued+c.N > MaxQueue {
				return refuse(ErrResources)
			}
			m.queued += c.N
			if m.synAcked {
				m.want.sendBytes = c.N // segmentize and send (big window)
				m.want.segs = "any"
			}
		default:
			return refuse(ErrClosing)
		}
	case cmdClose: // 3.10.4
		switch m.state {
		case StateClosed:
			return refuse(ErrNoConn)
		case StateListen, StateSynSent:
			return m.closedBy(TellClosed)
		case StateSynReceived, StateEstablished, StateCloseWait:
			if m.state == StateCloseWait {
				m.state = StateLastAck
			} else {
				m.state = StateFinWait1
			}
			m.finQueued = true
			if m.finSent() {
				m.want.segs = "fin"
			}
		default: // "Strictly speaking, this is an error"
			return refuse(ErrClosing)
		}
	case cmdAbort: // 3.10.5
		switch m.state {
		case StateClosed:
			return refuse(ErrNoConn)
		case StateSynReceived, StateEstablished, StateFinWait1, StateFinWait2, StateCloseWait:
			m = m.closedBy(TellClosed)
			m.want.segs = "rst"
		default:
			m = m.closedBy(TellClosed)
		}
	case cmdFireRetx: // RFC 6298 5.4-5.6; RFC 1122 4.2.3.5 R2 (no RST on giving up)
		if !m.running(TimerRetx) {
			m.want = apiWant{unchanged: true, noStep: true, segs: "none"}
			return m
		}
		if m.retries >= m.retryLimit() {
			if m.state == StateSynReceived && m.passive {
				// Back to LISTEN, unseen by the user: tcpfsm's
				// documented choice (a listener drops the request).
				return apiModel{cfg: m.cfg, peerISS: m.peerISS, state: StateListen, passive: true, want: apiWant{segs: "none"}}
			}
			return m.closedBy(TellTimeout)
		}
		m.retries++
		m.want.segs = "retransmit"
	case cmdFireTimeWait: // 3.10.8
		if !m.running(TimerTimeWait) {
			m.want = apiWant{unchanged: true, noStep: true, segs: "none"}
			return m
		}
		return m.closedBy(TellClosed)
	case cmdFireFinWait2: // tcpfsm Config.FinWait2: "timed out"
		if !m.running(TimerFinWait2) {
			m.want = apiWant{unchanged: true, noStep: true, segs: "none"}
			return m
		}
		return m.closedBy(TellTimeout)
	case cmdPeerSyn: // 3.10.7.1, 3.10.7.2, 3.10.7.3; 3.10.7.4 fourth
		switch m.state {
		case StateClosed:
			m.want.segs = "rst-ack"
		case StateListen:
			m.state, m.passive, m.retries = StateSynReceived, true, 0
			m.want.segs = "syn-ack"
		case StateSynSent: // simultaneous open
			m.state = StateSynReceived
			m.want.segs = "syn-ack"
		default:
			if m.state == StateSynReceived && m.passive {
				// "return this connection to the LISTEN state"
				return apiModel{cfg: m.cfg, peerISS: m.peerISS, state: StateListen, passive: true, want: apiWant{segs: "none"}}
			}
			m.want.segs = "ack" // RFC 5961 section 4.2: a challenge ACK
		}
	case cmdPeerNoAck: // 3.10.7.1: a reset; 3.10.7.2-4: "drop the segment"
		if m.state == StateClosed {
			m.want.segs = "rst-ack"
		} else {
			m.want.unchanged = true
		}
	case cmdPeerBadAck: // 3.10.7.1-3 and 3.10.7.4 fifth
		switch m.state {
		case StateClosed, StateListen, StateSynSent, StateSynReceived:
			m.want.segs = "rst-at-ack" // <SEQ=SEG.ACK><CTL=RST>
		default:
			m.want.segs = "ack" // "send an ACK, drop the segment, and return"
		}
	case cmdPeerRstInWindow: // RFC 5961 section 3.2
		m.want.segs = "ack"
	case cmdPeerOutOfWindow: // 3.10.7.4 first: "an acknowledgment should be sent in reply"
		m.want.segs = "ack"
	case cmdPeerRstOutside: // 3.10.7.1-3: RST dropped; 3.10.7.4 first: "(unless the RST bit is set ...)"
		m.want.unchanged = true
	case cmdPeerSynAck: // 3.10.7.3
		m = m.progress()
		m.state, m.passive = StateEstablished, false
		m.want.tell = TellEstablished
		m.want.sendBytes = m.queued
		m.want.segs = "any"
	case cmdPeerAck, cmdPeerFin: // 3.10.7.4 fifth, seventh, eighth
		finWasSent, synWasAcked := m.finSent(), m.synAcked
		m = m.progress()
		if c.N > 0 {
			m.want.tell |= TellData
			m.want.data, m.want.dataOff = uint32(c.N), m.received
			m.received += c.N
		}
		if !synWasAcked {
			m.want.sendBytes = m.queued // the data waited for the ACK of our SYN
		}
		fin := c.Kind == cmdPeerFin
		if fin {
			m.want.tell |= TellEOF
		}
		switch m.state {
		case StateSynReceived:
			m.want.tell |= TellEstablished
			m.state, m.passive = StateEstablished, false
			if fin {
				m.state = StateCloseWait
			}
		case StateEstablished:
			if fin {
				m.state = StateCloseWait
			}
		case StateFinWait1:
			switch {
			case finWasSent && fin:
				m.state = StateTimeWait
			case finWasSent:
				m.state = StateFinWait2
			case fin:
				m.state = StateClosing
			}
		case StateFinWait2:
			if fin {
				m.state = StateTimeWait
			}
		case StateClosing:
			m.state = StateTimeWait
		case StateLastAck:
			return m.closedBy(TellClosed)
		}
		m.want.segs = "any"
		if m.state == StateTimeWait && !fin {
			m.want.segs = "none" // TIME-WAIT: nothing to do with an ACK
		}
	case cmdPeerFinDup: // 3.10.7.4 eighth: acknowledge; TIME-WAIT restarts 2 MSL
		m.want.segs = "ack"
		m.want.rearm2MSL = m.state == StateTimeWait
	case cmdPeerRst: // 3.10.7.1-4 second
		switch m.state {
		case StateClosed, StateListen: // "discard the segment"
		case StateSynReceived:
			if m.passive {
				return apiModel{cfg: m.cfg, peerISS: m.peerISS, state: StateListen, passive: true, want: apiWant{segs: "none"}}
			}
			return m.closedBy(TellRefused)
		case StateSynSent, StateEstablished, StateFinWait1, StateFinWait2, StateCloseWait:
			return m.closedBy(TellReset)
		case StateClosing, StateLastAck:
			// "enter the CLOSED state, delete the TCB, and return":
			// the RFC says nothing to the user here.
			m = m.closedBy(TellReset)
			m.want.tellAlt = TellClosed
		case StateTimeWait:
			if m.cfg.RFC1337 { // RFC 1337 section 4: ignore it
				break
			}
			m = m.closedBy(TellClosed)
			m.want.tellAlt = TellReset
		}
	}
	return m
}

// apiSUT is the system under test: the Endpoint and what its last call
// produced.
type apiSUT struct {
	e       Endpoint
	peerISS Seq
	cov     *coverage
}

// apiResult is what one command did.
type apiResult struct {
	before, after Endpoint
	out           Output       // the answer to the command itself
	segs          []OutSegment // everything sent, with the Polls after it
	sent          Segment      // the peer's segment, for a peer command
	err           error        // a harness error
}

func (c apiCmd) Run(s commands.SystemUnderTest) commands.Result {
	sut := s.(*apiSUT)
	e := &sut.e
	r := &apiResult{before: *e}
	out := &r.out
	peer := func(flags Flags, seq Seq, ack Seq, n uint32) {
		r.sent = Segment{Flags: flags, Seq: seq, Ack: ack, Len: n, Wnd: apiPeerWnd}
		e.Segment(r.sent, out)
	}
	switch c.Kind {
	case cmdOpenPassive:
		e.OpenPassive(out)
	case cmdOpenActive:
		e.OpenActive(out)
	case cmdSend:
		e.Send(int(c.N), out)
	case cmdClose:
		e.Close(out)
	case cmdAbort:
		e.Abort(out)
	case cmdFireRetx:
		e.Timeout(TimerRetx, out)
	case cmdFireTimeWait:
		e.Timeout(TimerTimeWait, out)
	case cmdFireFinWait2:
		e.Timeout(TimerFinWait2, out)
	case cmdPeerSyn:
		seq := sut.peerISS
		if e.State() >= StateSynReceived {
			seq = e.RcvNxt()
		}
		peer(FlagSYN, seq, 0, 0)
	case cmdPeerNoAck:
		peer(FlagFIN, e.RcvNxt(), 0, 0)
	case cmdPeerBadAck:
		peer(FlagACK, e.RcvNxt(), e.SndNxt().Add(1000), 0)
	case cmdPeerRstInWindow:
		peer(FlagRST, e.RcvNxt().Add(1), 0, 0)
	case cmdPeerOutOfWindow:
		peer(FlagACK, e.RcvNxt().Add(1<<20), e.SndNxt(), 1)
	case cmdPeerRstOutside:
		peer(FlagRST, e.RcvNxt().Add(1<<20), 0, 0)
	case cmdPeerSynAck:
		peer(FlagSYN|FlagACK, sut.peerISS, e.ISS().Add(1), 0)
	case cmdPeerAck:
		peer(FlagACK, e.RcvNxt(), e.SndNxt(), uint32(c.N))
	case cmdPeerFin:
		peer(FlagFIN|FlagACK, e.RcvNxt(), e.SndNxt(), uint32(c.N))
	case cmdPeerFinDup:
		peer(FlagFIN|FlagACK, e.RcvNxt().Add(^uint32(0)), e.SndNxt(), 0)
	case cmdPeerRst:
		peer(FlagRST|FlagACK, e.RcvNxt(), e.SndNxt(), 0)
	}
	if out.Step.Taken {
		sut.cov.record(out.Step)
	}
	r.segs = append(r.segs, out.Segments()...)
	var poll Output
	for more, n := out.More, 0; more; more, n = poll.More, n+1 {
		if n > MaxQueue/apiMSS {
			r.err = fmt.Errorf("Poll still has more after %d calls", n)
			break
		}
		e.Poll(&poll)
		r.segs = append(r.segs, poll.Segments()...)
	}
	r.after = *e
	return r
}

// PostCondition compares the result with the model's want, and checks
// what must hold after any call.
func (c apiCmd) PostCondition(s commands.State, res commands.Result) *gopter.PropResult {
	m, r := s.(apiModel), res.(*apiResult)
	w := m.want
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	e, out := &r.after, &r.out

	if r.err != nil {
		fail("%v", r.err)
	}
	if err := e.CheckInvariants(); err != nil {
		fail("invariant: %v", err)
	}
	if e.State() != m.state {
		fail("state %v, model says %v", e.State(), m.state)
	}
	if out.Err != w.err {
		fail("Err = %v, want %v", out.Err, w.err)
	}
	if w.unchanged && *e != r.before {
		fail("the Endpoint changed: %v, was %v", e, &r.before)
	}
	if out.Step.Taken == w.noStep {
		fail("Step.Taken = %v", out.Step.Taken)
	}
	if out.Step.Taken {
		// A refused call is an error row; everything else must step
		// through a row the table accepts.
		if out.Step.OK != (w.err == nil) {
			fail("Step.OK = %v (row %d)", out.Step.OK, out.Step.Row)
		}
		if out.Step.Row < 0 || out.Step.Row >= len(Rows) {
			fail("Step.Row = %d", out.Step.Row)
		}
	}
	tell := out.Tell
	if tell != w.tell && (w.tellAlt == 0 || tell != w.tellAlt) {
		fail("Tell = %q, want %q", tell, w.tell)
	}
	if w.data > 0 && out.Data != (Range{Off: w.dataOff, Len: w.data}) {
		fail("Data = %+v, want %d bytes at %d", out.Data, w.data, w.dataOff)
	}
	for t := Timer(0); t < NumTimers; t++ {
		if e.Armed(t) != m.running(t) {
			fail("%v timer running = %v, model says %v", t, e.Armed(t), m.running(t))
		}
	}
	if m.state == StateClosed || m.state == StateListen {
		if e.Queued() != 0 || e.Received() != 0 {
			fail("no TCB, but %d bytes queued and %d received", e.Queued(), e.Received())
		}
	} else {
		if uint64(e.Queued()) != m.queued {
			fail("Queued() = %d, model says %d", e.Queued(), m.queued)
		}
		if e.Received() != m.received {
			fail("Received() = %d, model says %d", e.Received(), m.received)
		}
	}
	if w.rearm2MSL && out.Timers[TimerTimeWait].Op != TimerArm {
		fail("the TIME-WAIT timer is not restarted: %+v", out.Timers[TimerTimeWait])
	}
	checkSegs(w, r, fail)

	if len(errs) > 0 {
		return &gopter.PropResult{Status: gopter.PropFalse, Labels: []string{fmt.Sprintf("%v: %s (model: %v)", c, strings.Join(errs, "; "), m)}}
	}
	return &gopter.PropResult{Status: gopter.PropTrue}
}

// checkSegs checks what the command sent against w.segs:
//
//	none        nothing
//	syn         one <SEQ=ISS><CTL=SYN>
//	syn-ack     one <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> first
//	rst         one <SEQ=SND.NXT><CTL=RST> (ABORT, 3.10.5)
//	rst-ack     one <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (3.10.7.1)
//	rst-at-ack  one <SEQ=SEG.ACK><CTL=RST> (3.10.7.1-4)
//	fin         a FIN last, at SND.NXT-1
//	ack         one <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
//	retransmit  at least one segment, starting at SND.UNA
//	any         anything
//
// and, for every kind, that w.sendBytes of new data went out.
func checkSegs(w apiWant, r *apiResult, fail func(string, ...any)) {
	segs, e := r.segs, &r.after
	one := func(want Segment) {
		if len(segs) != 1 || segs[0].Segment != want {
			fail("sent %v, want exactly %v", segStrings(segs), want)
		}
	}
	switch w.segs {
	case "none":
		if len(segs) != 0 {
			fail("sent %v, want nothing", segStrings(segs))
		}
	case "syn":
		one(Segment{Flags: FlagSYN, Seq: e.ISS(), Wnd: e.RcvWnd()})
	case "syn-ack":
		if len(segs) == 0 || segs[0].Segment != (Segment{Flags: FlagSYN | FlagACK, Seq: e.ISS(), Ack: e.RcvNxt(), Wnd: e.RcvWnd()}) {
			fail("sent %v, want a SYN,ACK first", segStrings(segs))
		}
	case "rst":
		one(Segment{Flags: FlagRST, Seq: r.before.SndNxt()})
	case "rst-ack":
		one(Segment{Flags: FlagRST | FlagACK, Ack: r.sent.End()})
	case "rst-at-ack":
		one(Segment{Flags: FlagRST, Seq: r.sent.Ack})
	case "fin":
		if len(segs) == 0 || segs[len(segs)-1].Flags&FlagFIN == 0 || segs[len(segs)-1].End() != e.SndNxt() {
			fail("sent %v, want our FIN last, ending at SND.NXT %d", segStrings(segs), e.SndNxt())
		}
	case "ack":
		one(Segment{Flags: FlagACK, Seq: e.SndNxt(), Ack: e.RcvNxt(), Wnd: e.RcvWnd()})
	case "retransmit":
		if len(segs) == 0 || segs[0].Seq != e.SndUna() {
			fail("sent %v, want a retransmission from SND.UNA %d", segStrings(segs), e.SndUna())
		}
	}
	var data uint64
	for _, s := range segs {
		data += uint64(s.Len)
	}
	if w.segs != "retransmit" && data != w.sendBytes {
		fail("sent %d bytes of data, want %d", data, w.sendBytes)
	}
}

func segStrings(segs []OutSegment) string {
	var b []string
	for _, s := range segs {
		b = append(b, s.Segment.String())
	}
	return "[" + strings.Join(b, " ") + "]"
}

// apiCommands is the commands.Commands of the test.
func apiCommands(cov *coverage) commands.Commands {
	return &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(s commands.State) commands.SystemUnderTest {
			m := s.(apiModel)
			return &apiSUT{e: NewEndpoint(m.cfg), peerISS: m.peerISS, cov: cov}
		},
		InitialStateGen: gen.Struct(reflect.TypeOf(apiInit{}), map[string]gopter.Gen{
			"ISS":         genSeq(),
			"PeerISS":     genSeq(),
			"SynRetries":  gen.IntRange(1, 3),
			"DataRetries": gen.IntRange(1, 3),
			"RFC1337":     gen.Bool(),
			"NoFinWait2":  gen.Weighted([]gen.WeightedGen{{Weight: 4, Gen: gen.Const(false)}, {Weight: 1, Gen: gen.Const(true)}}),
		}).Map(func(i apiInit) apiModel {
			cfg := Config{ISS: i.ISS, MSS: apiMSS, SynRetries: i.SynRetries, DataRetries: i.DataRetries, RFC1337: i.RFC1337}
			if i.NoFinWait2 {
				cfg.FinWait2 = -1
			}
			return apiModel{cfg: cfg, peerISS: i.PeerISS, state: StateClosed}
		}),
		GenCommandFunc: func(s commands.State) gopter.Gen {
			m := s.(apiModel)
			small := gen.UInt64Range(0, 3000)
			beyond := gen.UInt64Range(MaxQueue-m.queued+1, MaxQueue-m.queued+1000)
			kind := func(k apiKind) gopter.Gen { return gen.Const(apiCmd{Kind: k}) }
			sized := func(k apiKind, n gopter.Gen) gopter.Gen {
				return n.Map(func(n uint64) apiCmd { return apiCmd{Kind: k, N: n} })
			}
			return gen.Weighted([]gen.WeightedGen{
				{Weight: 4, Gen: kind(cmdOpenPassive)},
				{Weight: 4, Gen: kind(cmdOpenActive)},
				{Weight: 4, Gen: sized(cmdSend, small)},
				{Weight: 1, Gen: sized(cmdSend, beyond)},
				{Weight: 3, Gen: kind(cmdClose)},
				{Weight: 2, Gen: kind(cmdAbort)},
				{Weight: 4, Gen: kind(cmdFireRetx)},
				{Weight: 2, Gen: kind(cmdFireTimeWait)},
				{Weight: 2, Gen: kind(cmdFireFinWait2)},
				{Weight: 5, Gen: kind(cmdPeerSyn)},
				{Weight: 5, Gen: kind(cmdPeerSynAck)},
				{Weight: 6, Gen: sized(cmdPeerAck, gen.UInt64Range(0, 3))},
				{Weight: 4, Gen: sized(cmdPeerFin, gen.UInt64Range(0, 3))},
				{Weight: 2, Gen: kind(cmdPeerFinDup)},
				{Weight: 2, Gen: kind(cmdPeerRst)},
				{Weight: 1, Gen: kind(cmdPeerNoAck)},
				{Weight: 1, Gen: kind(cmdPeerBadAck)},
				{Weight: 1, Gen: kind(cmdPeerRstInWindow)},
				{Weight: 1, Gen: kind(cmdPeerOutOfWindow)},
				{Weight: 1, Gen: kind(cmdPeerRstOutside)},
			}).SuchThat(func(c apiCmd) bool { return c.PreCondition(m) })
		},
	}
}

// apiInit is the generated part of the initial state.
type apiInit struct {
	ISS, PeerISS            Seq
	SynRetries, DataRetries int
	RFC1337, NoFinWait2     bool
}

// apiRuns is how many command sequences the API test runs, of up to
// apiLen commands each.
const (
	apiRuns = 3000
	apiLen  = 80
)

// testAPI runs the stateful API test, recording row coverage in cov.
func testAPI(t *testing.T, cov *coverage) {
	check(t, "Endpoint API against the RFC 9293 model", commands.Prop(apiCommands(cov)), params(apiRuns, apiLen))
}
