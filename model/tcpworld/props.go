package tcpworld

import (
	"fmt"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm"
)

// The names of the world's properties, as Properties returns them.
const (
	// Always: both endpoints keep tcpfsm's invariants
	// (Endpoint.CheckInvariants), SND.UNA =< SND.NXT, and while both are
	// ESTABLISHED each side's RCV.NXT lies in the range the other has
	// sent, [ISS+1, SND.NXT], and no side's SND.UNA is beyond the other's
	// RCV.NXT (nothing is acknowledged that was not received).
	PropInvariants = "endpoint invariants"
	// Always: no segment or timer event reaches an error row.
	PropNoErrorRow = "no error row"
	// Always: an RST the classifier accepts (seg-rst) in a state with a
	// connection ends it; and one that RFC 9293 section 3.10.7 accepts
	// (rfc.go) leads where it says, with "reset" or "refused" told
	// (FaultRSTIgnored).
	PropRSTObeyed = "acceptable RST obeyed"
	// Always: each side's data is delivered to the other in order, once,
	// and no more than was sent.
	PropDataOrder = "data in order, exactly once"
	// Always: the end of a stream is reported once, after all its data,
	// and only after the sender closed.
	PropEOF = "end of stream after all data"
	// Always: every segment an endpoint sends is one the world can carry.
	PropModelled = "segments as modelled"
	// Always: no step moves the right edge of an endpoint's receive
	// window to the left, and no data is taken beyond it.
	PropWindow = "receive window kept"
	// Always: an endpoint takes nothing of a crafted segment a
	// misbehaving peer injects (Config.Misbehave).
	PropInjected = "crafted segments refused"
	// Always, with Config.Incarnations above 1: no endpoint takes a
	// segment of an incarnation of its peer that had ended before its own
	// began, as data, a FIN, an ACK or an RST (FaultOldDuplicate).
	PropNoOldDuplicate = "no old duplicate accepted"
	// Always: once both endpoints are CLOSED, each side got all the data
	// the other sent, and the end of its stream, unless the connection
	// was cut (reset, refused, timed out, aborted, or closed before it
	// was synchronized).
	PropAllDelivered = "all data delivered"
	// Eventually: on every fair run both endpoints reach CLOSED after both
	// applications opened.
	PropBothClosed = "both reach CLOSED"

	// Always, each step held to RFC 9293 (judge.go, rfc.go), so that a
	// table or classifier mistake is caught even when both ends still
	// reach CLOSED:

	// An RST that RFC 9293 section 3.10.7 and RFC 5961 section 3.2 say is
	// not acceptable leaves the connection as it was (FaultRSTUnacceptable).
	PropRSTAcceptable = "RST obeyed only when acceptable"
	// ESTABLISHED and CLOSE-WAIT are entered from SYN-SENT or
	// SYN-RECEIVED, and "established" told, only on a segment that
	// acknowledges our SYN (FaultEstablishedEarly).
	PropEstablishedOnAck = "ESTABLISHED only after our SYN is acknowledged"
	// FIN-WAIT-2 and TIME-WAIT are entered, and a synchronized
	// connection ends CLOSED without "reset", "refused", "timed out" or
	// an ABORT, only once our FIN is acknowledged (FaultFinUnacked).
	PropClosedAfterFin = "CLOSED normally only after our FIN is acknowledged"
	// CLOSE-WAIT, CLOSING and TIME-WAIT are entered only by taking the
	// peer's FIN: RCV.NXT past it and the end of the stream told
	// (FaultFinNotTaken).
	PropFinTaken = "CLOSE-WAIT, CLOSING, TIME-WAIT only after the peer's FIN"
	// A segment that fails the sequence test is answered with an ACK and
	// dropped; an RST in the window but not at RCV.NXT draws a challenge
	// ACK; one outside the window draws nothing (FaultUnacceptable).
	PropUnacceptableAck = "unacceptable segments answered with an ACK"
	// A SYN is answered as RFC 9293 section 3.10.7 and RFC 5961 section
	// 4.2 say, in LISTEN, SYN-SENT and the synchronized states
	// (FaultSynAnswered).
	PropSynAnswered = "SYN answered as the RFC says"
	// Every other arriving segment leads to the state, reply, RCV.NXT and
	// SND.UNA that RFC 9293 section 3.10.7 gives (FaultAnswered).
	PropAnswered = "segments answered as RFC 9293 3.10.7 says"
	// The data and FIN of every segment sent lie within the window the
	// receiver offers, the one probe octet of a zero window aside
	// (FaultOutsideWindow).
	PropInWindow = "segments inside the offered window"

	// Sometimes: the examples a useful model must reach.
	PropEstablished  = "both ESTABLISHED"
	PropSimultaneous = "simultaneous open"
	PropDataArrived  = "data delivered"
	PropClosing      = "CLOSING reached"
	PropTimeWait     = "TIME-WAIT reached"
	PropFinWait2     = "FIN-WAIT-2 reached"
	PropLastAck      = "LAST-ACK reached"
	// Sometimes, with lazy reads and at least a window of data: an
	// endpoint offers a zero window.
	PropZeroWindow = "zero window offered"
)

// Properties returns the properties the world must have under its
// configuration, in a fixed order: the invariants (Always), then the
// liveness property (Eventually), then the examples (Sometimes) that the
// configuration makes reachable, so that a model that explores too little
// fails. Terminal states are judged apart: see Terminal.
func (s *System) Properties() []model.Property[World] {
	ps := []model.Property[World]{
		model.AlwaysPtr(PropInvariants, (*World).invariantsOK),
		faultFree(PropNoErrorRow, FaultErrorRow),
		faultFree(PropRSTObeyed, FaultRSTIgnored),
		model.AlwaysPtr(PropDataOrder, func(w *World) bool { return w.fault != FaultDataOrder && w.fault != FaultDataExcess }),
		faultFree(PropEOF, FaultEOF),
		faultFree(PropModelled, FaultUnmodelled),
		faultFree(PropWindow, FaultWindow),
		faultFree(PropInjected, FaultInjected),
	}
	if s.cfg.Incarnations > 1 {
		ps = append(ps, faultFree(PropNoOldDuplicate, FaultOldDuplicate))
	}
	ps = append(ps,
		model.AlwaysPtr(PropAllDelivered, (*World).dataComplete),
		faultFree(PropRSTAcceptable, FaultRSTUnacceptable),
		faultFree(PropEstablishedOnAck, FaultEstablishedEarly),
		faultFree(PropClosedAfterFin, FaultFinUnacked),
		faultFree(PropFinTaken, FaultFinNotTaken),
		faultFree(PropUnacceptableAck, FaultUnacceptable),
		faultFree(PropSynAnswered, FaultSynAnswered),
		faultFree(PropAnswered, FaultAnswered),
		faultFree(PropInWindow, FaultOutsideWindow),
		model.EventuallyPtr(PropBothClosed, func(w *World) bool { return w.bothClosed() || w.broken() }),
		model.SometimesPtr(PropEstablished, (*World).bothEstablished),
	)
	if s.cfg.Open != OpenClientServer {
		ps = append(ps, model.SometimesPtr(PropSimultaneous, (*World).simultaneousOpen))
	}
	if s.cfg.Data > 0 {
		ps = append(ps, model.SometimesPtr(PropDataArrived, func(w *World) bool { return w.app[A].delivered > 0 || w.app[B].delivered > 0 }))
	}
	if s.cfg.LazyRead && uint64(s.cfg.Data) >= uint64(s.wnd[A]) {
		ps = append(ps, model.SometimesPtr(PropZeroWindow, s.zeroWindow))
	}
	reach := func(name string, st tcpfsm.State) {
		ps = append(ps, model.SometimesPtr(name, func(w *World) bool { return w.ep[A].State() == st || w.ep[B].State() == st }))
	}
	reach(PropClosing, tcpfsm.StateClosing)
	reach(PropTimeWait, tcpfsm.StateTimeWait)
	reach(PropFinWait2, tcpfsm.StateFinWait2)
	reach(PropLastAck, tcpfsm.StateLastAck)
	return ps
}

// faultFree is the Always property that no step raised f.
func faultFree(name string, f Fault) model.Property[World] {
	return model.AlwaysPtr(name, func(w *World) bool { return w.fault != f })
}

// Terminal says which terminal states (states without successors but an
// optional ABORT) are acceptable, for model.Options.Terminal: both
// applications opened, both endpoints CLOSED and nothing in flight; or a
// broken state, which a property reports. Any other terminal state is a
// deadlock.
func Terminal(w World) bool { return w.CleanEnd() || w.broken() }

// Options returns model options for checking the world: opts with
// Terminal set.
func Options(opts model.Options[World]) model.Options[World] {
	opts.Terminal = Terminal
	return opts
}

// Check explores the world with model.Check, its Properties and Terminal.
func (s *System) Check(opts model.Options[World]) (*model.Result[World], error) {
	return model.Check[World](s, Options(opts), s.Properties()...)
}

// Broken reports whether w has a fault or an endpoint invariant is broken.
// A broken state has no successors.
func (w World) Broken() bool { return w.broken() }

func (w *World) broken() bool { return w.fault != NoFault || !w.invariantsOK() }

// BothClosed reports whether both applications have opened and both
// endpoints are CLOSED.
func (w World) BothClosed() bool { return w.bothClosed() }

func (w *World) bothClosed() bool {
	return w.app[A].Opened() && w.app[B].Opened() &&
		w.ep[A].State() == tcpfsm.StateClosed && w.ep[B].State() == tcpfsm.StateClosed
}

// CleanEnd reports whether w is an acceptable end: both closed, nothing in
// flight.
func (w World) CleanEnd() bool { return w.bothClosed() && w.n == 0 }

// BothEstablished reports whether both endpoints are ESTABLISHED.
func (w World) BothEstablished() bool { return w.bothEstablished() }

func (w *World) bothEstablished() bool {
	return w.ep[A].State() == tcpfsm.StateEstablished && w.ep[B].State() == tcpfsm.StateEstablished
}

// SimultaneousOpen reports whether an endpoint is in SYN-RECEIVED after
// sending a SYN of its own (SYN-SENT -> SYN-RECEIVED).
func (w World) SimultaneousOpen() bool { return w.simultaneousOpen() }

func (w *World) simultaneousOpen() bool {
	for s := A; s <= B; s++ {
		if w.ep[s].State() == tcpfsm.StateSynReceived && !w.ep[s].Passive() {
			return true
		}
	}
	return false
}

// DataComplete reports whether, if both endpoints are CLOSED and neither
// connection was cut, each side received all the other sent and the end
// of its stream.
func (w World) DataComplete() bool { return w.dataComplete() }

func (w *World) dataComplete() bool {
	if !w.bothClosed() || w.app[A].Cut() || w.app[B].Cut() {
		return true
	}
	for s := A; s <= B; s++ {
		me, peer := w.app[s], w.app[s.Peer()]
		if me.delivered != peer.sent || !me.EOF() || !peer.Closed() {
			return false
		}
	}
	return true
}

func (w *World) invariantsOK() bool {
	return w.ep[A].CheckInvariants() == nil && w.ep[B].CheckInvariants() == nil && w.crossError() == ""
}

// InvariantError describes the first broken endpoint invariant of w, or
// returns nil.
func (w World) InvariantError() error {
	for s := A; s <= B; s++ {
		if err := w.ep[s].CheckInvariants(); err != nil {
			return fmt.Errorf("%v: %w", s, err)
		}
	}
	if msg := w.crossError(); msg != "" {
		return fmt.Errorf("%s", msg)
	}
	return nil
}

// crossError checks what must hold between the two endpoints, and SND.UNA
// =< SND.NXT (which CheckInvariants also covers).
func (w *World) crossError() string {
	for s := A; s <= B; s++ {
		e := &w.ep[s]
		if hasTCB(e.State()) && e.SndNxt().LessThan(e.SndUna()) {
			return s.String() + ": SND.UNA beyond SND.NXT"
		}
	}
	if !w.bothEstablished() {
		return ""
	}
	for s := A; s <= B; s++ {
		me, peer := &w.ep[s], &w.ep[s.Peer()]
		if !me.RcvNxt().InRange(peer.ISS().Add(1), peer.SndNxt().Add(1)) {
			return fmt.Sprintf("%v: RCV.NXT %d outside %v's sent range [%d, %d]", s, me.RcvNxt(), s.Peer(), peer.ISS().Add(1), peer.SndNxt())
		}
		if me.SndUna().GreaterThan(peer.RcvNxt()) {
			return fmt.Sprintf("%v: SND.UNA %d beyond %v's RCV.NXT %d", s, me.SndUna(), s.Peer(), peer.RcvNxt())
		}
	}
	return ""
}

// zeroWindow reports whether an endpoint with a receive window offers a
// zero one.
func (s *System) zeroWindow(w *World) bool {
	for side := A; side <= B; side++ {
		if e := &w.ep[side]; receives(e.State()) && e.RcvWnd(&s.proto[side]) == 0 {
			return true
		}
	}
	return false
}
