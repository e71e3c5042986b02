package proptest

// The model of the API test: what the API promises, written from RFC 9293
// section 3.10 and the choices package tcpfsm documents (see api_test.go),
// one method per command.

import (
	"fmt"

	"github.com/leanovate/gopter/commands"

	. "github.com/synfin/synfin/tcpfsm"
)

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
	switch c.Kind {
	case cmdOpenPassive, cmdOpenActive:
		return m.open(c.Kind == cmdOpenActive)
	case cmdSend:
		return m.send(c.N)
	case cmdClose:
		return m.close()
	case cmdAbort:
		return m.abort()
	case cmdFireRetx:
		return m.fire(TimerRetx)
	case cmdFireTimeWait:
		return m.fire(TimerTimeWait)
	case cmdFireFinWait2:
		return m.fire(TimerFinWait2)
	case cmdPeerSyn:
		return m.peerSyn()
	case cmdPeerSynAck:
		return m.peerSynAck()
	case cmdPeerAck, cmdPeerFin:
		return m.peerAck(c.N, c.Kind == cmdPeerFin)
	case cmdPeerFinDup: // 3.10.7.4 eighth: acknowledge; TIME-WAIT restarts 2 MSL
		m.want.segs = "ack"
		m.want.rearm2MSL = m.state == StateTimeWait
		return m
	case cmdPeerRst:
		return m.peerRst()
	}
	return m.peerStray(c.Kind)
}

// refuse is the model after a refused call: it answers err and changes
// nothing.
func (m apiModel) refuse(err error) apiModel {
	m.want = apiWant{err: err, unchanged: true, segs: "none"}
	return m
}

// backToListen is the model after a connection from a passive OPEN goes
// back to LISTEN, unseen by the user.
func (m apiModel) backToListen() apiModel {
	return apiModel{cfg: m.cfg, peerISS: m.peerISS, state: StateListen, passive: true, want: apiWant{segs: "none"}}
}

// open is OPEN, active or passive (3.10.1): a passive one from CLOSED, an
// active one from CLOSED or LISTEN turned active.
func (m apiModel) open(active bool) apiModel {
	if !active {
		if m.state != StateClosed {
			return m.refuse(ErrExists)
		}
		m.state, m.passive = StateListen, true
		return m
	}
	if m.state != StateClosed && m.state != StateListen {
		return m.refuse(ErrExists)
	}
	m.state, m.passive = StateSynSent, false
	m.want.segs = "syn"
	return m
}

// send is SEND of n bytes (3.10.2).
func (m apiModel) send(n uint64) apiModel {
	switch m.state {
	case StateClosed:
		return m.refuse(ErrNoConn)
	case StateListen: // no foreign socket in SEND: tcpfsm's documented choice
		return m.refuse(ErrUnspecified)
	case StateSynSent, StateSynReceived, StateEstablished, StateCloseWait:
		if m.queued+n > MaxQueue {
			return m.refuse(ErrResources)
		}
		m.queued += n
		if m.synAcked {
			m.want.sendBytes = n // segmentize and send (big window)
			m.want.segs = "any"
		}
		return m
	}
	return m.refuse(ErrClosing)
}

// close is CLOSE (3.10.4).
func (m apiModel) close() apiModel {
	switch m.state {
	case StateClosed:
		return m.refuse(ErrNoConn)
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
		return m
	}
	return m.refuse(ErrClosing) // "Strictly speaking, this is an error"
}

// abort is ABORT (3.10.5).
func (m apiModel) abort() apiModel {
	switch m.state {
	case StateClosed:
		return m.refuse(ErrNoConn)
	case StateSynReceived, StateEstablished, StateFinWait1, StateFinWait2, StateCloseWait:
		m = m.closedBy(TellClosed)
		m.want.segs = "rst"
		return m
	}
	return m.closedBy(TellClosed)
}

// fire is the expiry of timer t: one that is not running is stale and
// changes nothing.
func (m apiModel) fire(t Timer) apiModel {
	if !m.running(t) {
		m.want = apiWant{unchanged: true, noStep: true, segs: "none"}
		return m
	}
	switch t {
	case TimerRetx: // RFC 6298 5.4-5.6; RFC 1122 4.2.3.5 R2 (no RST on giving up)
		if m.retries >= m.retryLimit() {
			if m.state == StateSynReceived && m.passive {
				// Back to LISTEN, unseen by the user: tcpfsm's
				// documented choice (a listener drops the request).
				return m.backToListen()
			}
			return m.closedBy(TellTimeout)
		}
		m.retries++
		m.want.segs = "retransmit"
		return m
	case TimerTimeWait: // 3.10.8
		return m.closedBy(TellClosed)
	}
	return m.closedBy(TellTimeout) // tcpfsm Config.FinWait2: "timed out"
}

// peerSyn is the peer's SYN (3.10.7.1, 3.10.7.2, 3.10.7.3; 3.10.7.4
// fourth).
func (m apiModel) peerSyn() apiModel {
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
			return m.backToListen()
		}
		m.want.segs = "ack" // RFC 5961 section 4.2: a challenge ACK
	}
	return m
}

// peerStray is one of the segments a well-behaved peer sends only by
// mistake or late, which the RFC answers without a change of state.
func (m apiModel) peerStray(k apiKind) apiModel {
	switch k {
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
	}
	return m
}

// peerSynAck is the peer's SYN,ACK in SYN-SENT (3.10.7.3).
func (m apiModel) peerSynAck() apiModel {
	m = m.progress()
	m.state, m.passive = StateEstablished, false
	m.want.tell = TellEstablished
	m.want.sendBytes = m.queued
	m.want.segs = "any"
	return m
}

// peerAck is the peer's ACK of everything sent with n bytes, and its FIN
// if fin (3.10.7.4 fifth, seventh, eighth).
func (m apiModel) peerAck(n uint64, fin bool) apiModel {
	finWasSent, synWasAcked := m.finSent(), m.synAcked
	m = m.progress()
	if n > 0 {
		m.want.tell |= TellData
		m.want.data, m.want.dataOff = uint32(n), m.received
		m.received += n
	}
	if !synWasAcked {
		m.want.sendBytes = m.queued // the data waited for the ACK of our SYN
	}
	if fin {
		m.want.tell |= TellEOF
	}
	switch m.state {
	case StateLastAck:
		return m.closedBy(TellClosed)
	case StateSynReceived: // the ACK of our SYN
		m.want.tell |= TellEstablished
		m.state, m.passive = StateEstablished, false
	}
	m.state = m.afterAck(finWasSent, fin)
	m.want.segs = "any"
	if m.state == StateTimeWait && !fin {
		m.want.segs = "none" // TIME-WAIT: nothing to do with an ACK
	}
	return m
}

// afterAck is the state after the peer's ACK of everything sent, with its
// FIN if fin, in a synchronized state; finWasSent says whether the ACK
// covers our FIN.
func (m apiModel) afterAck(finWasSent, fin bool) State {
	switch m.state {
	case StateEstablished:
		if fin {
			return StateCloseWait
		}
	case StateFinWait1:
		switch {
		case finWasSent && fin:
			return StateTimeWait
		case finWasSent:
			return StateFinWait2
		case fin:
			return StateClosing
		}
	case StateFinWait2:
		if fin {
			return StateTimeWait
		}
	case StateClosing:
		return StateTimeWait
	}
	return m.state
}

// peerRst is the peer's RST,ACK at RCV.NXT (3.10.7.1-4 second).
func (m apiModel) peerRst() apiModel {
	switch m.state {
	case StateClosed, StateListen: // "discard the segment"
	case StateSynReceived:
		if m.passive {
			return m.backToListen()
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
	return m
}
