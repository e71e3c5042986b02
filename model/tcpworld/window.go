package tcpworld

import "github.com/synfin/synfin/tcpfsm"

// Windows and a misbehaving peer: the world's lazy readers
// (Config.LazyRead), the window a segment carries, the check of each
// receive window's right edge, and the crafted segments a misbehaving
// peer injects (Config.Misbehave).

// shrinkOf is how far below the window side from offers with nothing
// unread (System.wnd) the window of o lies, as seg keeps it; ok is false
// for a window the world cannot carry. An RST offers 0. Other segments
// offer exactly System.wnd unless the applications read lazily: where
// the windows do not change, the world zeroes SND.WL1 and SND.WL2
// (store.go), which is faithful only while every segment offers the same
// window. With lazy reads the window may lie up to maxShrink below it.
func (s *System) shrinkOf(from Side, o tcpfsm.Segment) (shrink uint32, ok bool) {
	want := s.wnd[from]
	if o.Flags&tcpfsm.FlagRST != 0 {
		want = 0
	}
	if o.Wnd > want {
		return 0, false
	}
	shrink = want - o.Wnd
	if shrink != 0 && (!s.cfg.LazyRead || shrink > maxShrink) {
		return 0, false
	}
	return shrink, true
}

// read performs a Read: the application of side reads the next MSS
// bytes its endpoint ep holds for it, which may reopen the window.
func (s *System) read(w *World, ep *tcpfsm.Endpoint, side Side, out *tcpfsm.Output, p *pending, rep *Report) bool {
	if ep.Unread() == 0 {
		return false
	}
	ep.Read(s.cfg.mss(), out)
	s.after(w, ep, side, out, nil, p, rep)
	return true
}

// receives reports whether a connection in state st has the peer's SYN
// and so a receive window: SYN-RECEIVED and the states after it.
func receives(st tcpfsm.State) bool { return hasTCB(st) && st != tcpfsm.StateSynSent }

// checkWindow raises FaultWindow when a step of side's endpoint, from
// w.ep[side] to ep, moved the right edge of its receive window
// (RCV.NXT+RCV.WND) to the left, or told data beyond it, within one
// connection (both before and after it has the same peer's SYN).
func (s *System) checkWindow(w *World, ep *tcpfsm.Endpoint, side Side, out *tcpfsm.Output) {
	old := &w.ep[side]
	if !receives(old.State()) || !receives(ep.State()) || old.IRS() != ep.IRS() {
		return
	}
	wnd := old.RcvWnd(&s.proto[side])
	edge := old.RcvNxt().Add(wnd)
	if ep.RcvNxt().Add(ep.RcvWnd()).LessThan(edge) || out.Tell&tcpfsm.TellData != 0 && out.Data.Len > wnd {
		w.raise(side, FaultWindow)
	}
}

// numCrafted is the most crafted segments there are to choose from.
const numCrafted = 4

// crafted writes to list the segments a misbehaving peer may inject
// toward side to in w, and returns how many. Each one is a segment the
// endpoint must refuse, whatever RFC 9293 and RFC 5961 let it take:
//
//  0. one octet of data just beyond the right edge of its receive
//     window, SEG.SEQ = RCV.NXT+RCV.WND, acknowledging SND.UNA;
//  1. a FIN past the edge: a FIN alone at RCV.NXT+RCV.WND;
//  2. an old duplicate ACK carrying data: one octet at RCV.NXT, with
//     SEG.ACK older than SND.UNA-MAX.SND.WND (RFC 5961 section 5.2);
//  3. one octet just left of RCV.NXT, received already.
//
// They offer the window the peer offers now. There are none until the
// endpoint has the peer's SYN and its own SYN is acknowledged (before,
// SEG.ACK = SND.UNA is not acceptable, and the peer's SYN is what a
// blind attacker cannot know).
func (s *System) crafted(w *World, to Side, list *[numCrafted]tcpfsm.Segment) int {
	e := &w.ep[to]
	if !receives(e.State()) || e.SndUna() == e.ISS() {
		return 0
	}
	from := to.Peer()
	wnd := w.ep[from].RcvWnd(&s.proto[from])
	nxt, una := e.RcvNxt(), e.SndUna()
	edge := nxt.Add(e.RcvWnd(&s.proto[to]))
	ack := tcpfsm.FlagACK
	list[0] = tcpfsm.Segment{Flags: ack, Seq: edge, Ack: una, Len: 1, Wnd: wnd}
	list[1] = tcpfsm.Segment{Flags: ack | tcpfsm.FlagFIN, Seq: edge, Ack: una, Wnd: wnd}
	list[2] = tcpfsm.Segment{Flags: ack, Seq: nxt, Ack: una - tcpfsm.Seq(e.MaxSndWnd()) - 1, Len: 1, Wnd: wnd}
	list[3] = tcpfsm.Segment{Flags: ack, Seq: nxt - 1, Ack: una, Len: 1, Wnd: wnd}
	return numCrafted
}

// injectCandidates adds an Inject for each crafted segment toward each
// side.
func (s *System) injectCandidates(w *World, c *candidates) {
	var list [numCrafted]tcpfsm.Segment
	for side := A; side <= B; side++ {
		for i := range s.crafted(w, side, &list) {
			c.add(Action{Kind: Inject, Side: side, Index: i})
		}
	}
}

// inject performs an Inject: the crafted segment a.Index arrives at the
// endpoint of a.Side at once (it never waits in the network, and its
// sender never existed). The endpoint must take nothing of it: no data,
// no FIN, no ACK, no change of state (FaultInjected); its answers go
// into the network as any others.
func (s *System) inject(w *World, a Action, p *pending, rep *Report) bool {
	var list [numCrafted]tcpfsm.Segment
	if w.injects == 0 || a.Index < 0 || a.Index >= s.crafted(w, a.Side, &list) {
		return false
	}
	g := list[a.Index]
	if rep != nil {
		rep.Segment = Segment{From: a.Side.Peer(), Segment: g}
	}
	w.injects--
	var (
		out     tcpfsm.Output
		scratch tcpfsm.Endpoint
	)
	old := w.ep[a.Side]
	ep := s.begin(w, a.Side, &scratch)
	ep.Segment(g, &out)
	if out.Tell&(tcpfsm.TellData|tcpfsm.TellEOF) != 0 || ep.RcvNxt() != old.RcvNxt() ||
		ep.SndUna() != old.SndUna() || ep.State() != old.State() {
		w.raise(a.Side, FaultInjected)
	}
	s.after(w, ep, a.Side, &out, nil, p, rep)
	s.end(w, a.Side, ep)
	return true
}

// offered is the window that c, a connection of side's endpoint, offers.
// Its right edge never moves left, so a segment inside a window the
// endpoint offered earlier is inside this one too.
func (s *System) offered(c *tcpfsm.Snapshot, side Side) uint32 {
	if !s.cfg.LazyRead {
		return s.wnd[side]
	}
	return c.RcvWnd(&s.proto[side])
}
