package tcpfsm

// The receive buffer (Config.Buffered): the window the Endpoint offers is
// the free space of a buffer of Config.RcvWnd bytes that the caller owns.
// Data the Endpoint hands over (Output.Data) fills it; Read frees it. The
// right edge of the window, RCV.NXT+RCV.WND, never moves left: data taken
// moves RCV.NXT and shrinks RCV.WND by the same amount, and a read only
// ever widens the window (RFC 9293 section 3.8.6, "shrinking the window"
// is strongly discouraged). The send side's window is room, at the end.

// rcvWindow is RCV.WND for a receive buffer of buf bytes: the buffer less
// the data not read yet and the free space held back from the window.
func (e *conn) rcvWindow(buf uint32) uint32 {
	return buf - e.rcvUnread - e.rcvHeld
}

// RcvWnd returns RCV.WND, the window the Endpoint offers: Config.RcvWnd,
// less (with Config.Buffered) the data not read yet and the space not yet
// offered again (Read).
func (e *Endpoint) RcvWnd() uint32 {
	if e.flags&fReady == 0 {
		return DefaultRcvWnd
	}
	return e.rcvWindow(e.cfg.RcvWnd)
}

// Unread returns how many bytes of received data the caller has not read
// yet (Config.Buffered; always 0 without it).
func (e *conn) Unread() uint32 { return e.rcvUnread }

// Read tells a Buffered Endpoint that the caller has read n more bytes of
// the data it was handed, which frees them in the receive buffer; n is
// capped at Unread, and n < 0 counts as 0. It takes no table step.
//
// The freed space is offered as soon as it is worth a segment: RFC 9293
// section 3.8.6.2.2's receiver-side silly window syndrome avoidance keeps
// the right edge where it is until the space held back reaches
// min(RcvWnd/2, MSS) octets. When the window then opens, the Endpoint
// sends a window update, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, in the
// states in which the peer may still send data (the peer's SYN taken, its
// FIN not yet); the sender's zero-window probes would find the window
// too, later.
func (e *Endpoint) Read(n int, out *Output) {
	e.ready()
	out.Reset()
	k := e.rcvUnread // at most MaxQueue: an int holds it
	if n < int(k) {
		k = uint32(max(n, 0))
	}
	if k == 0 {
		return
	}
	e.rcvUnread -= k
	e.rcvHeld += k
	if e.rcvHeld < max(min(e.cfg.RcvWnd/2, e.cfg.MSS), 1) {
		return
	}
	e.rcvHeld = 0
	if e.mayReceive() {
		out.push(e.reader().ackSegment())
	}
}

// mayReceive reports whether the peer may still send data that the
// Endpoint takes: the peer's SYN is taken, its FIN is not, and the
// connection is in a state that takes text.
func (e *conn) mayReceive() bool {
	if e.flags&(fSynRcvd|fRcvFin) != fSynRcvd {
		return false
	}
	switch e.state {
	case StateSynReceived, StateEstablished, StateFinWait1, StateFinWait2:
		return true
	}
	return false
}

// MaxSndWnd returns the largest window the peer has offered
// (MAX.SND.WND of RFC 5961 section 5): an ACK older than SND.UNA by more
// than this is not acceptable.
func (e *conn) MaxSndWnd() uint32 { return e.maxSndWnd }

// RcvWnd returns RCV.WND of the connection s read under e's Config:
// what e.RcvWnd would say after e.Restore(s).
func (s *Snapshot) RcvWnd(e *Endpoint) uint32 {
	cfg := e.cfg
	if e.flags&fReady == 0 {
		cfg = cfg.withDefaults()
	}
	return s.rcvWindow(cfg.RcvWnd)
}

// Untimed returns s without the backoff of its retransmission timer (how
// many times the timeout has doubled since the last new ACK), which
// decides only how long the timer is armed for. A caller that ignores
// timer durations, as a model checker with abstract time does, hashes
// Untimed snapshots: probing a zero window backs off without bound, and
// the backoff would tell apart connections that otherwise do the same.
func (s Snapshot) Untimed() Snapshot {
	s.backoff = 0
	return s
}

// room is how much the send window lets us send from SND.NXT: up to
// SND.UNA+SND.WND, or one octet as a probe of a zero window with nothing
// outstanding.
func (e *Endpoint) room() uint32 {
	if e.sndWnd == 0 && e.sndUna == e.sndNxt {
		return 1
	}
	if wndEnd := e.sndUna.Add(e.sndWnd); e.sndNxt.LessThan(wndEnd) {
		return uint32(wndEnd - e.sndNxt)
	}
	return 0
}
