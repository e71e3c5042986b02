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
	// connection ends it.
	PropRSTObeyed = "acceptable RST obeyed"
	// Always: each side's data is delivered to the other in order, once,
	// and no more than was sent.
	PropDataOrder = "data in order, exactly once"
	// Always: the end of a stream is reported once, after all its data,
	// and only after the sender closed.
	PropEOF = "end of stream after all data"
	// Always: every segment an endpoint sends is one the world can carry.
	PropModelled = "segments as modelled"
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

	// Sometimes: the examples a useful model must reach.
	PropEstablished  = "both ESTABLISHED"
	PropSimultaneous = "simultaneous open"
	PropDataArrived  = "data delivered"
	PropClosing      = "CLOSING reached"
	PropTimeWait     = "TIME-WAIT reached"
	PropFinWait2     = "FIN-WAIT-2 reached"
	PropLastAck      = "LAST-ACK reached"
)

// Properties returns the properties the world must have under its
// configuration, in a fixed order: the invariants (Always), then the
// liveness property (Eventually), then the examples (Sometimes) that the
// configuration makes reachable, so that a model that explores too little
// fails. Terminal states are judged apart: see Terminal.
func (s *System) Properties() []model.Property[World] {
	ps := []model.Property[World]{
		model.Always(PropInvariants, func(w World) bool { return w.invariantsOK() }),
		model.Always(PropNoErrorRow, func(w World) bool { return w.fault != FaultErrorRow }),
		model.Always(PropRSTObeyed, func(w World) bool { return w.fault != FaultRSTIgnored }),
		model.Always(PropDataOrder, func(w World) bool { return w.fault != FaultDataOrder && w.fault != FaultDataExcess }),
		model.Always(PropEOF, func(w World) bool { return w.fault != FaultEOF }),
		model.Always(PropModelled, func(w World) bool { return w.fault != FaultUnmodelled }),
	}
	if s.cfg.Incarnations > 1 {
		ps = append(ps, model.Always(PropNoOldDuplicate, func(w World) bool { return w.fault != FaultOldDuplicate }))
	}
	ps = append(ps,
		model.Always(PropAllDelivered, World.DataComplete),
		model.Eventually(PropBothClosed, func(w World) bool { return w.BothClosed() || w.broken() }),
		model.Sometimes(PropEstablished, World.BothEstablished),
	)
	if s.cfg.Open != OpenClientServer {
		ps = append(ps, model.Sometimes(PropSimultaneous, World.SimultaneousOpen))
	}
	if s.cfg.Data > 0 {
		ps = append(ps, model.Sometimes(PropDataArrived, func(w World) bool { return w.app[A].delivered > 0 || w.app[B].delivered > 0 }))
	}
	reach := func(name string, st tcpfsm.State) {
		ps = append(ps, model.Sometimes(name, func(w World) bool { return w.ep[A].State() == st || w.ep[B].State() == st }))
	}
	reach(PropClosing, tcpfsm.StateClosing)
	reach(PropTimeWait, tcpfsm.StateTimeWait)
	reach(PropFinWait2, tcpfsm.StateFinWait2)
	reach(PropLastAck, tcpfsm.StateLastAck)
	return ps
}

// Terminal says which terminal states (states without successors) are
// acceptable, for model.Options.Terminal: both applications opened, both
// endpoints CLOSED and nothing in flight; or a broken state, which a
// property reports. Any other terminal state is a deadlock.
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
func (w World) BothClosed() bool {
	return w.app[A].Opened() && w.app[B].Opened() &&
		w.ep[A].State() == tcpfsm.StateClosed && w.ep[B].State() == tcpfsm.StateClosed
}

// CleanEnd reports whether w is an acceptable end: both closed, nothing in
// flight.
func (w World) CleanEnd() bool { return w.BothClosed() && w.n == 0 }

// BothEstablished reports whether both endpoints are ESTABLISHED.
func (w World) BothEstablished() bool {
	return w.ep[A].State() == tcpfsm.StateEstablished && w.ep[B].State() == tcpfsm.StateEstablished
}

// SimultaneousOpen reports whether an endpoint is in SYN-RECEIVED after
// sending a SYN of its own (SYN-SENT -> SYN-RECEIVED).
func (w World) SimultaneousOpen() bool {
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
func (w World) DataComplete() bool {
	if !w.BothClosed() || w.app[A].Cut() || w.app[B].Cut() {
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
	if !w.BothEstablished() {
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
