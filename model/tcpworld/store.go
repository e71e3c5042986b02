package tcpworld

import "github.com/synfin/synfin/tcpfsm"

// The World keeps each endpoint as a tcpfsm.Snapshot: the connection
// without its Config and variant table, which are the same in every state
// of a world and live once in the System (proto). A Snapshot holds no
// pointer, so neither does a World: copying one into the explorer's
// queues needs no write barriers, and the garbage collector never scans
// them. begin restores a side's endpoint for the length of a call and end
// stores it back.

// begin returns the endpoint of side ready for calls, in scratch.
func (s *System) begin(w *World, side Side, scratch *tcpfsm.Endpoint) *tcpfsm.Endpoint {
	*scratch = s.proto[side]
	scratch.Restore(w.ep[side])
	if s.cfg.Incarnations > 1 {
		scratch.SetISS(w.iss[side]) // the ISS of side's current incarnation
	}
	return scratch
}

// end stores e back as the endpoint of side, as its canonical snapshot
// (tcpfsm.Snapshot.Canonical: without SND.WL1 and SND.WL2).
//
// Canonical snapshots behave alike while the peer's window is constant,
// and in a world without lazy reads it is: every segment but an RST
// offers the same window (the world checks this as segments are sent,
// FaultUnmodelled), and an RST never updates it. With lazy reads windows
// change, and end keeps SND.WL1 and SND.WL2. Without the zeroing, states that differ only in
// which of two equal ACKs arrived last would be told apart, tripling the
// states of a world with data. TestCanonicalBisimulation checks on every
// state of a world that a canonical endpoint steps exactly as the
// original would, up to the same zeroing.
func (s *System) end(w *World, side Side, e *tcpfsm.Endpoint) {
	w.ep[side] = e.Snapshot()
	if !s.keepWindowHistory {
		w.ep[side] = w.ep[side].Canonical()
	}
	if s.cfg.LazyRead {
		// Zero-window probes back off without bound, and time is
		// abstract: the backoff only sets durations the world forgets.
		w.ep[side] = w.ep[side].Untimed()
	}
}

// Endpoint returns the endpoint of side in w, with the world's Config
// and variant table, for inspection or to drive it further.
func (s *System) Endpoint(w World, side Side) tcpfsm.Endpoint {
	var e tcpfsm.Endpoint
	s.begin(&w, side, &e)
	return e
}
