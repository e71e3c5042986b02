package tcpworld

import (
	"fmt"
	"strings"

	"github.com/synfin/synfin/tcpfsm"
)

// Side names an endpoint and its application: A or B.
type Side uint8

// The two sides. A is the client: it always opens actively.
const (
	A Side = 0
	B Side = 1
)

func (s Side) String() string {
	switch s {
	case A:
		return "A"
	case B:
		return "B"
	}
	return fmt.Sprintf("Side(%d)", s)
}

// Peer returns the other side.
func (s Side) Peer() Side { return 1 - s }

// App is what the world remembers of one application: whether it opened
// and closed, and its two byte streams (what it handed to SEND on
// the current connection, and what it was told it received).
type App struct {
	flags     appFlags
	sent      uint8 // bytes accepted by SEND on the current connection
	delivered uint8 // bytes of the peer's stream reported to it (Output.Data)
}

type appFlags uint8

// The application's facts. How it opened is not kept: the endpoint
// knows, and once the connection is synchronized it no longer matters.
const (
	appOpened appFlags = 1 << iota // OPEN accepted
	appClosed                      // CLOSE accepted: sent is final
	appEOF                         // told the end of the peer's stream
	appCut                         // the connection ended abnormally (see Cut)
)

// Opened reports whether the application has opened its endpoint.
func (a App) Opened() bool { return a.flags&appOpened != 0 }

// Closed reports whether it has called CLOSE (and the endpoint accepted).
func (a App) Closed() bool { return a.flags&appClosed != 0 }

// EOF reports whether it has been told the end of the peer's stream.
func (a App) EOF() bool { return a.flags&appEOF != 0 }

// Cut reports whether its connection ended abnormally: its endpoint told
// it "reset", "refused" or "timed out", it aborted, or it closed before
// the connection was synchronized (in LISTEN or SYN-SENT, which drops
// queued data). If either side's connection is cut, neither owes the
// other its data (DataComplete).
func (a App) Cut() bool { return a.flags&appCut != 0 }

// Sent is the number of bytes SEND accepted on the current connection (a
// passive endpoint that falls back to LISTEN starts a new one).
func (a App) Sent() int { return int(a.sent) }

// Delivered is the number of bytes of the peer's stream the endpoint
// handed to the application.
func (a App) Delivered() int { return int(a.delivered) }

// seg is a segment in flight, packed: the sequence and acknowledgment
// numbers, and meta = destination<<31 | shrink<<26 | flags<<16 | data
// length. The window is kept as shrink, how far it lies below the window
// its sender offers with nothing unread (System.wnd): 0 unless the
// applications read lazily (Config.LazyRead), where it is at most
// maxShrink; an RST offers 0 (the world checks all this as it sends,
// shrinkOf). Ordering segs by (meta, seq, ack) groups them by
// destination, A first.
type seg struct {
	seq, ack uint32
	meta     uint32
}

const (
	metaToB     = 1 << 31
	shrinkShift = 26
	maxShrink   = 31 // the bits 26 to 30 of meta
)

func (s seg) to() Side            { return Side(s.meta >> 31) }
func (s seg) flags() tcpfsm.Flags { return tcpfsm.Flags(s.meta >> 16 & 0xFF) }
func (s seg) length() uint32      { return s.meta & 0xFFFF }
func (s seg) shrink() uint32      { return s.meta >> shrinkShift & maxShrink }
func (a seg) less(b seg) bool {
	return a.meta < b.meta || a.meta == b.meta && (a.seq < b.seq || a.seq == b.seq && a.ack < b.ack)
}
func (s seg) segment(wnd uint32) tcpfsm.Segment {
	f := s.flags()
	if f&tcpfsm.FlagRST != 0 {
		wnd = 0
	}
	wnd -= min(s.shrink(), wnd)
	return tcpfsm.Segment{Flags: f, Seq: tcpfsm.Seq(s.seq), Ack: tcpfsm.Seq(s.ack), Len: s.length(), Wnd: wnd}
}

// Segment is a segment in flight or on the way, with its sender.
type Segment struct {
	From Side
	// Incarnation is the sender's incarnation (World.Incarnation) in a
	// world with Config.Incarnations above 1, and 0 in one without.
	Incarnation int
	tcpfsm.Segment
}

// String formats the segment for charts: "SYN|ACK seq=300 ack=101", with
// "len=1" when it carries data.
func (s Segment) String() string {
	var b strings.Builder
	b.WriteString(s.Flags.String())
	fmt.Fprintf(&b, " seq=%d", s.Seq)
	if s.Flags&tcpfsm.FlagACK != 0 {
		fmt.Fprintf(&b, " ack=%d", s.Ack)
	}
	if s.Len > 0 {
		fmt.Fprintf(&b, " len=%d", s.Len)
	}
	return b.String()
}

// Fault is the first thing that went wrong on the way to a state, found
// while the world performed a step (a broken invariant of an Endpoint is
// found from the state itself, see World.InvariantError). A state with a
// fault is not expanded further.
type Fault uint8

const (
	NoFault Fault = iota
	// FaultErrorRow: a segment or timer event reached an error row of
	// the table (an event the classifier must not produce there).
	FaultErrorRow
	// FaultRSTIgnored: an RST that the classifier says must be obeyed
	// (seg-rst, in a state with a connection) left the connection in
	// place. RFC 9293 section 3.10.7.4 and RFC 5961 section 3.2: an RST
	// exactly at RCV.NXT resets the connection (TIME-WAIT may ignore it
	// under RFC 1337).
	FaultRSTIgnored
	// FaultDataOrder: received data was reported at a stream offset other
	// than the number of bytes delivered so far, or its bytes are not the
	// sender's bytes at that offset: lost, repeated or reordered data.
	FaultDataOrder
	// FaultDataExcess: more data was delivered than the peer sent.
	FaultDataExcess
	// FaultEOF: the end of the stream was reported before all the peer's
	// data, twice, or without the peer closing.
	FaultEOF
	// FaultUnmodelled: an Endpoint sent a segment the world cannot carry
	// (a window other than the configured one, or with Config.LazyRead
	// more than maxShrink below it; data beyond 65535 bytes), so the model
	// would no longer be faithful.
	FaultUnmodelled
	// FaultWindow: a step moved the right edge of an endpoint's receive
	// window (RCV.NXT+RCV.WND) to the left, which RFC 9293 section 3.8.6
	// strongly discourages and the Endpoint never does, or took data
	// beyond it.
	FaultWindow
	// FaultInjected: an endpoint took something of a crafted segment that
	// a misbehaving peer injected (Config.Misbehave): its data, its FIN or
	// its ACK, or it changed state. Each crafted segment is one the
	// endpoint must refuse (crafted).
	FaultInjected
	// FaultOldDuplicate: an endpoint took a segment (as data, a FIN, an
	// ACK or an RST) that an incarnation of its peer sent which had ended
	// before the endpoint's own incarnation began.
	FaultOldDuplicate
	numFaults
)

var faultNames = [...]string{
	NoFault:           "none",
	FaultErrorRow:     "a segment or timer reached an error row",
	FaultRSTIgnored:   "an acceptable RST did not end the connection",
	FaultDataOrder:    "data delivered out of order, twice, or with a gap",
	FaultDataExcess:   "more data delivered than the peer sent",
	FaultEOF:          "end of stream before all data, twice, or without a FIN",
	FaultUnmodelled:   "a segment the world cannot carry",
	FaultWindow:       "the receive window's right edge moved left, or data was taken beyond it",
	FaultInjected:     "a crafted segment was taken",
	FaultOldDuplicate: "an old duplicate of an earlier incarnation was accepted",
}

func (f Fault) String() string {
	if f < numFaults {
		return faultNames[f]
	}
	if name, ok := judgeFaultName(f); ok {
		return name
	}
	return fmt.Sprintf("Fault(%d)", f)
}

// World is one state of the TCP world: the two endpoints, their
// applications, the segments in flight and what the network may still
// do. It is a compact comparable value with one representation per
// state: segments in flight are kept sorted (with reordering, a multiset;
// without, a FIFO queue per direction, A's first), and nothing is kept
// that cannot influence the future (no Output, no window per segment, no
// timer durations: time is abstract).
type World struct {
	ep   [2]tcpfsm.Snapshot // the endpoints, without Config and table (store.go)
	net  [MaxCapacity]seg   // in flight: net[:n]
	iss  [2]tcpfsm.Seq      // each side's ISS, with Config.Incarnations > 1 (incarnation.go)
	app  [2]App
	life [2]life // each side's incarnation

	n       uint8 // segments in flight
	dups    uint8 // duplications left
	aborts  uint8 // aborts left
	injects uint8 // crafted segments the misbehaving peer may still inject
	fault   Fault
	faulty  Side // the endpoint whose step raised fault
}

// Snapshot returns the endpoint of side s without its Config and table
// (System.Endpoint restores a whole Endpoint).
func (w World) Snapshot(s Side) tcpfsm.Snapshot { return w.ep[s] }

// State returns the connection state of side s.
func (w World) State(s Side) tcpfsm.State { return w.ep[s].State() }

// App returns what the world knows of the application of side s.
func (w World) App(s Side) App { return w.app[s] }

// InFlight returns the segments in flight, in the world's canonical order,
// with the window each offers. Network actions name a segment by its
// position in this list.
func (s *System) InFlight(w World) []Segment {
	out := make([]Segment, w.n)
	for i, g := range w.net[:w.n] {
		out[i] = s.segmentOf(g)
	}
	return out
}

// DupsLeft is how many more duplications the network may make.
func (w World) DupsLeft() int { return int(w.dups) }

// InjectsLeft is how many more crafted segments a misbehaving peer may
// inject.
func (w World) InjectsLeft() int { return int(w.injects) }

// AbortsLeft is how many more ABORTs the applications may make (0 or 1).
func (w World) AbortsLeft() int { return int(w.aborts) }

// Fault returns the fault found on the way to w, and the side whose step
// raised it.
func (w World) Fault() (Fault, Side) { return w.fault, w.faulty }

// inFlightTo reports whether some segment in flight is bound for s.
func (w *World) inFlightTo(s Side) bool {
	for _, g := range w.net[:w.n] {
		if g.to() == s {
			return true
		}
	}
	return false
}

// String describes the world on one line, for logs.
func (w World) String() string {
	var b strings.Builder
	for s := A; s <= B; s++ {
		fmt.Fprintf(&b, "%v[%v sent=%d got=%d] ", s, &w.ep[s], w.app[s].sent, w.app[s].delivered)
	}
	b.WriteString("net[")
	for i, g := range w.net[:w.n] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%v→%v %v", g.to().Peer(), g.to(), Segment{From: g.to().Peer(), Segment: g.segment(0)})
	}
	b.WriteString("]")
	if w.fault != NoFault {
		fmt.Fprintf(&b, " fault(%v): %v", w.faulty, w.fault)
	}
	return b.String()
}
