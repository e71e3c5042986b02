package tcpworld

import "github.com/synfin/synfin/tcpfsm"

// Incarnations (Config.Incarnations, the package documentation has the
// reasoning): an application whose connection has ended may OPEN again on
// the same pair of sockets, and its endpoint then picks the ISS of the new
// connection among a few values. Every segment carries the incarnation of
// its sender, and a delivery that lets an incarnation take a segment of
// one that had ended before it began raises FaultOldDuplicate.

// life is what the world keeps of one side's incarnations: which one is
// current, the first incarnation of the peer whose segments it may take,
// and how its last connection ended.
type life uint8

const (
	lifeNum      life = 3      // bits 0-1: the current incarnation, 0 for the first
	lifeFloor    life = 3 << 2 // bits 2-3: the peer's first incarnation it may hear
	lifeWaited   life = 1 << 4 // its last connection ended where TIME-WAIT guards it
	floorShift        = 2
	metaIncShift      = 24 // seg.meta bits 24-25: the sender's incarnation
)

func (l life) num() uint8        { return uint8(l & lifeNum) }
func (l life) floor() uint8      { return uint8(l & lifeFloor >> floorShift) }
func (l life) waited() bool      { return l&lifeWaited != 0 }
func (g seg) incarnation() uint8 { return uint8(g.meta >> metaIncShift & 3) }

// Incarnation returns the current incarnation of side s: 1 for its first
// connection, 2 once it has opened again, and so on.
func (w World) Incarnation(s Side) int { return int(w.life[s].num()) + 1 }

// The ISS choices of a new incarnation, in the order of Action.Index.
// oldEnd is where the previous connection's sequence space ended: its
// ISS, the SYN, the bytes it sent and its FIN.
const (
	// issClock: beyond the old space and the peer's window, as the clock
	// of RFC 6528 (M, which ticks every 4 µs) has moved on while the old
	// connection lasted: oldEnd + the peer's window + clockStep.
	issClock = iota
	// issReuse: the previous ISS, as a clock that has wrapped (or a host
	// that chooses ISSs badly) gives: every old sequence number is in
	// the new space.
	issReuse
	// issInside: oldEnd - 2, inside the old space, as the clock gives
	// when the old connection sent faster than it ticks (RFC 9293 section
	// 3.4.1): the old FIN is the new connection's first byte.
	issInside
	numISSChoices
)

// clockStep is how far beyond the old space and the peer's window the
// clock has moved in issClock: more than any connection of the world uses
// (MaxData + 2), so that no old sequence number is in the new space, and
// no new one is in a window opened on the old numbers (by an old SYN that
// a LISTEN takes: the world gives all the connections of one incarnation
// the same ISS).
const clockStep = 1000

// issOf returns the ISS that choice k gives side's next incarnation, and
// whether the world offers it. The clock's choice is always offered; the
// colliding ones only to a side whose last connection ended where
// TIME-WAIT guards it (lifeWaited): a side that closed second, or whose
// connection was cut, reopens at once and must rely on its clock.
func (s *System) issOf(w *World, side Side, k int) (tcpfsm.Seq, bool) {
	old := w.iss[side]
	app := w.app[side]
	oldEnd := old.Add(1 + uint32(app.sent) + uint32(b2u(app.Closed())))
	waited := w.life[side].waited()
	switch k {
	case issClock:
		return oldEnd.Add(s.wnd[side.Peer()] + clockStep), true
	case issReuse:
		return old, waited
	case issInside:
		v := oldEnd.Add(^uint32(1)) // oldEnd - 2
		return v, waited && v != old
	}
	return 0, false
}

// mayReopen reports whether side's application may open a new
// incarnation: it has opened before, its endpoint is CLOSED again, and
// it has incarnations left.
func (s *System) mayReopen(w *World, side Side) bool {
	return w.app[side].Opened() && w.ep[side].State() == tcpfsm.StateClosed &&
		int(w.life[side].num())+1 < s.cfg.Incarnations
}

// addReopens adds side's OPENs of a new incarnation, one for each ISS the
// world offers, if it may open again.
func (s *System) addReopens(w *World, side Side, c *candidates) {
	if !s.mayReopen(w, side) {
		return
	}
	for _, k := range [...]ActionKind{OpenActive, OpenPassive} {
		if !s.mayOpen(side, k) {
			continue
		}
		for i := range numISSChoices {
			if _, ok := s.issOf(w, side, i); ok {
				c.add(Action{Kind: k, Side: side, Index: i})
			}
		}
	}
}

// startIncarnation prepares the OPEN a: for the first one, it only
// checks that a names no ISS choice; for a new incarnation, it picks the
// ISS (a.Index), starts the application's streams afresh and counts the
// incarnation. Either way it records which of the peer's incarnations
// the new one may hear from. It reports false if a may not be taken.
func (s *System) startIncarnation(w *World, ep *tcpfsm.Endpoint, a Action) bool {
	side := a.Side
	if s.cfg.Incarnations <= 1 {
		return a.Index == 0
	}
	l := w.life[side]
	if w.app[side].Opened() {
		iss, ok := s.issOf(w, side, a.Index)
		if !ok || !s.mayReopen(w, side) {
			return false
		}
		w.iss[side] = iss
		ep.SetISS(iss)
		w.app[side] = App{}
		l = l&lifeNum + 1
	} else if a.Index != 0 {
		return false
	}
	w.life[side] = l&^lifeFloor | life(w.peerFloor(side))<<floorShift
	return true
}

// peerFloor is the first incarnation of side's peer that a connection of
// side opened now may hear from: the peer's current one, or the next if
// the current one has ended (CLOSED after it opened, or in TIME-WAIT,
// where it only waits for the old connection's segments to die).
func (w *World) peerFloor(side Side) uint8 {
	p := side.Peer()
	f := w.life[p].num()
	if st := w.ep[p].State(); w.app[p].Opened() && (st == tcpfsm.StateClosed || st == tcpfsm.StateTimeWait) {
		f++
	}
	return f
}

// checkOldDuplicate raises FaultOldDuplicate if g, just delivered to
// side's endpoint ep (w still holds it as it was before), came from an
// incarnation of the peer that had ended before side's current one
// began, and ep took it: as data or a FIN (it reported them, or RCV.NXT
// moved), as an ACK (SND.UNA moved, which includes completing a
// handshake), or as an RST (it ended the connection). A SYN taken into
// SYN-RECEIVED is not counted: the three-way handshake exists to find
// out that it is old (RFC 9293 section 3.5, figure 9); nor is an RST
// that ends a connection whose own SYN is not yet acknowledged (after
// SYN-RECEIVED), since such a connection may be one an old SYN began,
// which the handshake undoes with a reset, old or new. An RST in
// SYN-SENT does count: it is acceptable only if it acknowledges our SYN.
func (s *System) checkOldDuplicate(w *World, side Side, g *seg, ep *tcpfsm.Endpoint, out *tcpfsm.Output) {
	if g.incarnation() >= w.life[side].floor() {
		return
	}
	before := &w.ep[side]
	from, to := before.State(), ep.State()
	synced := hasTCB(from) && hasTCB(to)
	took := out.Tell&(tcpfsm.TellData|tcpfsm.TellEOF) != 0 ||
		synced && before.SndUna() != ep.SndUna() ||
		synced && from != tcpfsm.StateSynSent && before.RcvNxt() != ep.RcvNxt() ||
		g.flags()&tcpfsm.FlagRST != 0 && from != to && (from == tcpfsm.StateSynSent || before.SndUna() != before.ISS())
	if took {
		w.raise(side, FaultOldDuplicate)
	}
}

// sentIncarnation is the incarnation a segment that side sends now
// carries: its current one, or, from a CLOSED endpoint that stays CLOSED
// (a reset answering a segment) after it opened, the next one: that
// segment belongs to no connection, and answers whatever reached it.
func (s *System) sentIncarnation(w *World, side Side, ep *tcpfsm.Endpoint) uint32 {
	n := uint32(w.life[side].num())
	if s.cfg.Incarnations > 1 && w.app[side].Opened() && w.ep[side].State() == tcpfsm.StateClosed && ep.State() == tcpfsm.StateClosed {
		n++
	}
	return n
}

// fromCurrent reports whether in, a delivered segment (nil for none),
// was sent by its sender's current incarnation, whose endpoint and
// streams the world still has to check it against.
func (w *World) fromCurrent(in *seg) bool {
	return in == nil || in.incarnation() == w.life[in.to().Peer()].num()
}

// noteEnd records in w that side's step ended its connection where
// TIME-WAIT guards it: from TIME-WAIT, or by a step that RFC 9293 takes
// into TIME-WAIT and a table takes straight to CLOSED, without the
// application cutting it (ABORT).
func (s *System) noteEnd(w *World, side Side, ep *tcpfsm.Endpoint, st tcpfsm.StepInfo) {
	if s.cfg.Incarnations <= 1 || !st.Taken || st.From == tcpfsm.StateClosed || ep.State() != tcpfsm.StateClosed {
		return
	}
	if entersTimeWait(st.From, st.Event) && !w.app[side].Cut() {
		w.life[side] |= lifeWaited
	}
}

// entersTimeWait reports whether event ev in state from ends the
// connection as RFC 9293 ends it for the side that closed first: in
// TIME-WAIT, or by the steps that lead there.
func entersTimeWait(from tcpfsm.State, ev tcpfsm.Event) bool {
	switch from {
	case tcpfsm.StateTimeWait:
		return true
	case tcpfsm.StateFinWait1:
		return ev == tcpfsm.EventSegAckFinFin
	case tcpfsm.StateFinWait2:
		return ev == tcpfsm.EventSegFin
	case tcpfsm.StateClosing:
		return ev == tcpfsm.EventSegAckFin
	}
	return false
}

// timeWaitHeld reports whether side's TIME-WAIT timer may not run out
// yet: a segment bound for it is in flight, or, with incarnations, one
// its current incarnation sent (2 MSL after its last segment, every one
// of them has died). With Config.ShortTimeWait it never is.
func (s *System) timeWaitHeld(w *World, side Side) bool {
	if s.cfg.ShortTimeWait {
		return false
	}
	if w.inFlightTo(side) {
		return true
	}
	if s.cfg.Incarnations <= 1 {
		return false
	}
	for _, g := range w.net[:w.n] {
		if g.to() != side && g.incarnation() == w.life[side].num() {
			return true
		}
	}
	return false
}

// incarnationsLeft is how many more times the applications may open again,
// for the rank.
func (s *System) incarnationsLeft(w *World) uint64 {
	n := uint64(0)
	for side := A; side <= B; side++ {
		n += uint64(max(s.cfg.Incarnations-1-int(w.life[side].num()), 0))
	}
	return n
}
