package tcpworld

import (
	"fmt"
	"iter"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm"
)

// System is the TCP world as a model.System: its initial states and, for a
// state, every enabled action and where it leads, always in the same
// order. It is safe for concurrent use, and immutable once made but for
// the record of the table rows its steps took (RowsTaken).
type System struct {
	cfg   Config
	proto [2]tcpfsm.Endpoint // each side's endpoint as New made it: Config and table
	wnd   [2]uint32          // the window each side offers
	rows  *rowSet

	// keepWindowHistory: end does not zero SND.WL1 and SND.WL2, because
	// windows change (Config.LazyRead), or for TestCanonicalBisimulation.
	keepWindowHistory bool
}

var _ model.System[World] = (*System)(nil)

// New returns the world for cfg, or an error if cfg is invalid.
func New(cfg Config) (*System, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("tcpworld: %w", err)
	}
	s := &System{cfg: cfg, rows: new(rowSet), keepWindowHistory: cfg.LazyRead}
	for side := A; side <= B; side++ {
		e := tcpfsm.NewEndpoint(cfg.endpointConfig(side))
		e.UseTable(cfg.Table)
		s.proto[side] = e
		s.wnd[side] = e.RcvWnd()
	}
	return s, nil
}

// Config returns the configuration of the world.
func (s *System) Config() Config { return s.cfg }

// Init yields the initial state: both endpoints CLOSED, both applications
// yet to open, nothing in flight, and with Config.Abort one ABORT to make.
// (An ABORT is optional, so a state stuck but for it is still terminal:
// see the package documentation.)
func (s *System) Init(yield func(World)) { yield(s.initial()) }

// Initial returns the initial state.
func (s *System) Initial() World { return s.initial() }

// Initials returns the initial states, in the order Init yields them.
func (s *System) Initials() []World {
	var out []World
	s.Init(func(w World) { out = append(out, w) })
	return out
}

func (s *System) initial() World {
	var w World
	for side := A; side <= B; side++ {
		s.end(&w, side, &s.proto[side])
	}
	w.dups = uint8(s.cfg.Dup)
	w.injects = uint8(s.cfg.Misbehave)
	if s.cfg.Incarnations > 1 {
		w.iss = s.cfg.ISS
	}
	w.aborts = b2u(s.cfg.Abort)
	return w
}

// Next yields every enabled action of w and the state it leads to, in the
// order of Actions. A state with a fault or a broken endpoint invariant
// has no successors: the property that it violates reports it.
func (s *System) Next(w World, yield func(model.Action, World)) {
	for a, st := range s.enabledSteps(&w) {
		t, p := &st.w, &st.p
		m := a.model()
		if !s.cfg.Loss || p.n == 0 {
			s.emit(t, p, 0, nil)
			yield(m, *t)
			continue
		}
		for lost := range 1 << p.n {
			u := *t
			a.Lost = uint16(lost)
			if !s.emit(&u, p, a.Lost, nil) {
				continue // the same as an earlier choice
			}
			m.Code = a.Code() // the same step and fairness class, with these losses
			yield(m, u)
		}
	}
}

// Actions returns the actions enabled in w, in the deterministic order in
// which Next yields them: for A then B, the application's calls (open,
// send, close, abort) that its endpoint accepts; then for A then B the
// armed timers that may run out (retransmission, TIME-WAIT, FIN-WAIT-2);
// then the network's deliveries and duplications over the distinct
// segments in flight, in InFlight order. With loss, an action whose step
// sends k segments comes up to 2^k times, with Lost = 0, 1, ... 2^k-1:
// every choice of the segments the network loses, except those that lose
// a segment a full network would have dropped anyway (see emit).
func (s *System) Actions(w World) []Action {
	var out []Action
	s.Next(w, func(a model.Action, _ World) { out = append(out, ActionOf(a)) })
	return out
}

// Apply performs a in w and returns the resulting state, or an error if a
// is not enabled in w.
func (s *System) Apply(w World, a Action) (World, error) {
	if w.broken() || !s.apply(&w, a, nil) {
		return w, errNotEnabled(a, w.broken())
	}
	return w, nil
}

// candidates holds the actions that may be enabled in a state, in order,
// before the choice of losses; step decides. There are at most
// 2*NumCalls application calls, each OPEN in up to numISSChoices
// versions, 2 reads, 2*NumTimers timers, 2*MaxCapacity network actions and
// 2*numCrafted injections.
type candidates struct {
	list [2*tcpfsm.NumCalls + 2*2*numISSChoices + 2 + 2*tcpfsm.NumTimers + 2*MaxCapacity + 2*numCrafted]Action
	n    int
}

func (c *candidates) add(a Action) { c.list[c.n] = a; c.n++ }

// candidates lists the actions that may be enabled in w, in the order of
// Actions; none if w is broken.
func (s *System) candidates(w *World, c *candidates) {
	if w.broken() {
		return
	}
	for side := A; side <= B; side++ {
		app := w.app[side]
		if !app.Opened() {
			if s.mayOpen(side, OpenActive) {
				c.add(Action{Kind: OpenActive, Side: side})
			}
			if s.mayOpen(side, OpenPassive) {
				c.add(Action{Kind: OpenPassive, Side: side})
			}
			continue
		}
		if w.ep[side].State() == tcpfsm.StateClosed {
			s.addReopens(w, side, c)
			continue // done, unless it may open again
		}
		if !app.Closed() && int(app.sent) < s.cfg.Data {
			c.add(Action{Kind: Send, Side: side})
		}
		if !app.Closed() {
			c.add(Action{Kind: Close, Side: side})
		}
		if w.aborts > 0 {
			c.add(Action{Kind: Abort, Side: side})
		}
		for _, ev := range tableCalls {
			c.add(Action{Kind: Call, Side: side, Event: ev})
		}
		if w.ep[side].Unread() > 0 {
			c.add(Action{Kind: Read, Side: side})
		}
	}
	for side := A; side <= B; side++ {
		for tm := tcpfsm.Timer(0); tm < tcpfsm.NumTimers; tm++ {
			if w.ep[side].Armed(tm) {
				c.add(Action{Kind: Timeout, Side: side, Timer: tm})
			}
		}
	}
	n := int(w.n)
	for i := 0; i < n; i++ {
		if s.distinct(w, i) && (s.cfg.Reorder || s.head(w, i)) {
			c.add(Action{Kind: Deliver, Side: w.net[i].to(), Index: i})
		}
	}
	if w.dups > 0 && n < s.cfg.Capacity {
		for i := 0; i < n; i++ {
			if s.distinct(w, i) {
				c.add(Action{Kind: Duplicate, Side: w.net[i].to(), Index: i})
			}
		}
	}
	if w.injects > 0 {
		s.injectCandidates(w, c)
	}
}

func (s *System) mayOpen(side Side, k ActionKind) bool {
	if side == A || s.cfg.Open == OpenSimultaneous {
		return k == OpenActive
	}
	if s.cfg.Open == OpenClientServer {
		return k == OpenPassive
	}
	return true
}

// distinct reports whether net[i] is the first of its equal copies that
// an action may tell apart: with reordering, copies of one segment are
// interchangeable, and so are equal neighbours in a FIFO queue.
func (s *System) distinct(w *World, i int) bool {
	return i == 0 || w.net[i] != w.net[i-1]
}

// head reports whether net[i] is the oldest segment bound for its
// destination (FIFO delivery).
func (s *System) head(w *World, i int) bool {
	return i == 0 || w.net[i-1].to() != w.net[i].to()
}

// pending holds the segments a step sends, until emit puts them in
// flight (or loses them).
type pending struct {
	segs [maxPending]seg
	n    int
}

// maxPending is the most segments one step may send in the world (the
// bits of Action.Lost).
const maxPending = 16

// apply performs a on w in place and reports whether a is enabled. If
// rep is not nil it is filled with what happened.
func (s *System) apply(w *World, a Action, rep *Report) bool {
	var p pending
	if !s.step(w, a, &p, rep) {
		return false
	}
	if a.Lost != 0 && (!s.cfg.Loss || int(a.Lost) >= 1<<p.n) {
		return false
	}
	return s.emit(w, &p, a.Lost, rep)
}

// step performs a on w in place, except that the segments it sends are
// left in p, and reports whether a is enabled (a.Lost is not looked at).
func (s *System) step(w *World, a Action, p *pending, rep *Report) bool {
	if rep != nil {
		*rep = Report{Action: a}
	}
	if a.Side > B {
		return false
	}
	var (
		out     tcpfsm.Output
		scratch tcpfsm.Endpoint
	)
	switch a.Kind {
	case OpenActive, OpenPassive, Send, Close, Abort, Call:
		ep := s.begin(w, a.Side, &scratch)
		ok := s.user(w, ep, a, &out, p, rep)
		s.end(w, a.Side, ep)
		return ok

	case Timeout:
		if a.Timer >= tcpfsm.NumTimers || !w.ep[a.Side].Armed(a.Timer) {
			return false
		}
		// 2 MSL outlives every segment: TIME-WAIT cannot end while one
		// bound for the endpoint is in flight.
		if a.Timer == tcpfsm.TimerTimeWait && s.timeWaitHeld(w, a.Side) {
			return false
		}
		ep := s.begin(w, a.Side, &scratch)
		ep.Timeout(a.Timer, &out)
		s.after(w, ep, a.Side, &out, nil, p, rep)
		s.end(w, a.Side, ep)
		return true

	case Read:
		ep := s.begin(w, a.Side, &scratch)
		ok := s.read(w, ep, a.Side, &out, p, rep)
		s.end(w, a.Side, ep)
		return ok

	case Inject:
		return s.inject(w, a, p, rep)

	case Deliver, Duplicate:
		i := a.Index
		if i < 0 || i >= int(w.n) || w.net[i].to() != a.Side {
			return false
		}
		g := w.net[i]
		if rep != nil {
			rep.Segment = s.segmentOf(g)
		}
		if a.Kind == Duplicate {
			if w.dups == 0 || int(w.n) >= s.cfg.Capacity {
				return false
			}
			w.dups--
			s.insert(w, g, i)
			return true
		}
		if !s.cfg.Reorder && !s.head(w, i) {
			return false
		}
		w.remove(i)
		ep := s.begin(w, a.Side, &scratch)
		ep.Segment(g.segment(s.wnd[a.Side.Peer()]), &out)
		s.checkOldDuplicate(w, a.Side, &g, ep, &out)
		s.after(w, ep, a.Side, &out, &g, p, rep)
		s.end(w, a.Side, ep)
		return true
	}
	return false
}

// stepped is a state an action leads to before the segments it sends
// are put in flight, and those segments.
type stepped struct {
	w World
	p pending
}

// enabledSteps yields the enabled actions of w in the order of Actions,
// before the choice of losses (Lost is 0), each with where it leads
// before its segments are put in flight.
func (s *System) enabledSteps(w *World) iter.Seq2[Action, *stepped] {
	return func(yield func(Action, *stepped) bool) {
		var c candidates
		s.candidates(w, &c)
		var st stepped
		for _, a := range c.list[:c.n] {
			st.w, st.p.n = *w, 0
			if s.step(&st.w, a, &st.p, nil) && !yield(a, &st) {
				return
			}
		}
	}
}

// emit puts the segments of p in flight, in order, except those whose bit
// is set in lost; a segment that finds the network full is dropped. It
// reports false if a segment it loses found the network full: then the
// choice that keeps that segment, which comes first, drops it instead and
// reaches the same state by the same step, so this choice is not an
// action of its own.
func (s *System) emit(w *World, p *pending, lost uint16, rep *Report) bool {
	for i, g := range p.segs[:p.n] {
		switch {
		case lost&(1<<i) != 0:
			if int(w.n) >= s.cfg.Capacity {
				return false
			}
			if rep != nil {
				rep.Lost = append(rep.Lost, s.segmentOf(g))
			}
		case int(w.n) >= s.cfg.Capacity:
			if rep != nil {
				rep.Overflow = append(rep.Overflow, s.segmentOf(g))
			}
		default:
			if rep != nil {
				rep.Sent = append(rep.Sent, s.segmentOf(g))
			}
			s.insert(w, g, -1)
		}
	}
	return true
}

// user performs an application's call on ep, the endpoint of a.Side.
func (s *System) user(w *World, ep *tcpfsm.Endpoint, a Action, out *tcpfsm.Output, p *pending, rep *Report) bool {
	app := &w.app[a.Side]
	switch a.Kind {
	case OpenActive, OpenPassive:
		if !s.mayOpen(a.Side, a.Kind) || !s.startIncarnation(w, ep, a) {
			return false
		}
	default:
		if !app.Opened() || ep.State() == tcpfsm.StateClosed {
			return false
		}
		if a.Kind == Abort && w.aborts == 0 || (a.Kind == Send || a.Kind == Close) && app.Closed() {
			return false
		}
		if a.Kind == Call && !isTableCall(a.Event) {
			return false
		}
		if a.Kind == Send && int(app.sent) >= s.cfg.Data {
			return false
		}
	}
	before := *ep
	n := 0
	switch a.Kind {
	case OpenActive:
		ep.OpenActive(out)
	case OpenPassive:
		ep.OpenPassive(out)
	case Send:
		n = min(s.cfg.mss(), s.cfg.Data-int(app.sent))
		ep.Send(n, out)
	case Close:
		ep.Close(out)
	case Abort:
		ep.Abort(out)
	case Call:
		ep.Call(a.Event, out)
	}
	ok := out.Step.OK
	if !ok && *ep == before && out.NSegs == 0 {
		return false // refused, and nothing happened: the API does not allow it
	}
	if rep != nil {
		rep.Refused = !ok
	}
	if ok {
		switch a.Kind {
		case OpenActive, OpenPassive:
			app.flags |= appOpened
		case Send:
			app.sent += uint8(n)
		case Close:
			app.flags |= appClosed
			if out.Tell&tcpfsm.TellClosed != 0 {
				// Closed before the connection was synchronized
				// (LISTEN, SYN-SENT): queued data is dropped.
				app.flags |= appCut
			}
		case Abort:
			w.aborts--
			app.flags |= appCut
		}
	}
	s.after(w, ep, a.Side, out, nil, p, rep)
	return true
}

// after handles the Output of a call on ep, the endpoint of side: it
// checks the step, updates the application, and collects the segments
// sent in p. in is the segment that was delivered, if any.
func (s *System) after(w *World, ep *tcpfsm.Endpoint, side Side, out *tcpfsm.Output, in *seg, p *pending, rep *Report) {
	app := &w.app[side]
	peer := &w.app[side.Peer()]
	st := out.Step
	s.checkWindow(w, ep, side, out)
	if rep != nil {
		rep.Stepped, rep.Step, rep.Tell, rep.Data = side, st, out.Tell, out.Data
	}
	if st.Taken {
		s.rows.add(st.Row)
	}
	s.noteEnd(w, side, ep, st)
	if st.Taken && !st.OK && !isUser(st.Event) {
		w.raise(side, FaultErrorRow)
	}
	if st.Taken && st.OK && st.Event == tcpfsm.EventSegRst && hasTCB(st.From) && hasTCB(ep.State()) &&
		!(st.From == tcpfsm.StateTimeWait && st.Guards&tcpfsm.GuardRfc1337 != 0) {
		w.raise(side, FaultRSTIgnored)
	}
	if f := s.judge(&w.ep[side], ep, side, out, in); f != NoFault {
		w.raise(side, f) // judge.go: the step against RFC 9293
	}
	if st.Taken && st.From != tcpfsm.StateListen && ep.State() == tcpfsm.StateListen {
		// Back to LISTEN: the half-open connection is forgotten with any
		// data queued on it (RFC 9293 section 3.10.7.4: "the user need
		// not be informed"); the next one starts a new stream.
		app.sent = 0
	}
	if out.Tell&tcpfsm.TellData != 0 && w.fromCurrent(in) {
		d := out.Data
		// The receiver's offset must be what it has delivered so far, and
		// the payload's bytes from DataSkip on must be the sender's bytes
		// at that offset: where the sender's stream has the segment's
		// sequence number (every connection of a side numbers its stream
		// from the same ISS, so the sender's current connection tells).
		inOrder := false
		if in != nil {
			var sender tcpfsm.Endpoint
			s.begin(w, side.Peer(), &sender)
			inOrder = sender.SendOffset(tcpfsm.Seq(in.seq))+uint64(out.DataSkip) == d.Off
		}
		switch {
		case d.Off != uint64(app.delivered) || !inOrder:
			w.raise(side, FaultDataOrder)
		case uint64(app.delivered)+uint64(d.Len) > uint64(peer.sent):
			w.raise(side, FaultDataExcess)
		default:
			app.delivered += uint8(d.Len)
		}
	}
	if out.Tell&tcpfsm.TellEOF != 0 && w.fromCurrent(in) {
		if app.EOF() || !peer.Closed() || app.delivered != peer.sent {
			w.raise(side, FaultEOF)
		}
		app.flags |= appEOF
	}
	if out.Tell&(tcpfsm.TellReset|tcpfsm.TellRefused|tcpfsm.TellTimeout) != 0 {
		app.flags |= appCut
	}
	for range 64 { // Poll until the endpoint has sent all it may
		for _, o := range out.Segments() {
			s.send(w, side, ep, o, p)
		}
		if !out.More {
			return
		}
		ep.Poll(out)
	}
	w.raise(side, FaultUnmodelled) // More for ever
}

func isUser(ev tcpfsm.Event) bool { return ev.Kind() == tcpfsm.KindCall }

func hasTCB(st tcpfsm.State) bool { return st != tcpfsm.StateClosed && st != tcpfsm.StateListen }

// send checks a segment that ep, the endpoint of side from, sends, and
// adds it to p. The world keeps the window as how far it lies below the
// one from offers with nothing unread (shrinkOf), and not the stream
// offset, which must be the one the segment's sequence number has in
// from's stream (SendOffset).
func (s *System) send(w *World, from Side, ep *tcpfsm.Endpoint, o tcpfsm.OutSegment, p *pending) {
	shrink, ok := s.shrinkOf(from, o.Segment)
	if !ok || o.Len > 0xFFFF || p.n == maxPending ||
		o.Len > 0 && o.Off != ep.SendOffset(o.Seq) {
		w.raise(from, FaultUnmodelled)
		return
	}
	if !inWindow(&o, ep.ISS(), &w.ep[from.Peer()], s.offered(&w.ep[from.Peer()], from.Peer())) {
		w.raise(from, FaultOutsideWindow)
	}
	g := seg{seq: uint32(o.Seq), ack: uint32(o.Ack), meta: shrink<<shrinkShift | s.sentIncarnation(w, from, ep)<<metaIncShift | uint32(o.Flags)<<16 | o.Len}
	if from == A {
		g.meta |= metaToB
	}
	p.segs[p.n] = g
	p.n++
}

// insert adds g to the network: in order with reordering; without, at
// the end of its destination's queue, or right after position after (a
// duplicate follows its original).
func (s *System) insert(w *World, g seg, after int) {
	n := int(w.n)
	var at int
	switch {
	case s.cfg.Reorder:
		at = n
		for at > 0 && g.less(w.net[at-1]) {
			at--
		}
	case after >= 0:
		at = after + 1
	default:
		at = n
		for at > 0 && w.net[at-1].to() > g.to() {
			at--
		}
	}
	copy(w.net[at+1:n+1], w.net[at:n])
	w.net[at] = g
	w.n++
}

// remove takes net[i] out of the network.
func (w *World) remove(i int) {
	n := int(w.n)
	copy(w.net[i:n-1], w.net[i+1:n])
	w.net[n-1] = seg{}
	w.n--
}

// raise records a fault, the first one only.
func (w *World) raise(side Side, f Fault) {
	if w.fault == NoFault {
		w.fault, w.faulty = f, side
	}
}

func (s *System) segmentOf(g seg) Segment {
	from := g.to().Peer()
	out := Segment{From: from, Segment: g.segment(s.wnd[from])}
	if s.cfg.Incarnations > 1 {
		out.Incarnation = int(g.incarnation()) + 1
	}
	return out
}
