package tcpworld

import (
	"unsafe"

	"github.com/synfin/synfin/tcpfsm"
)

// An Endpoint is a fixed-size value, but it holds one pointer: its variant
// table. A World made of Endpoints would therefore be a type with
// pointers, and every copy of one into the explorer's queues would pay
// for write barriers and every garbage collection would scan those queues,
// though the pointer is the same in every state of a world. So the World
// keeps each Endpoint as plain words with the table pointer always nil,
// and the System puts the table back for the length of a call (begin and
// end). The words are only ever read or written as a whole Endpoint
// through a pointer view, or as words with the pointer slot nil, so the
// collector never sees a pointer it does not know about.

// epWords is the size of a tcpfsm.Endpoint in 64-bit words.
const epWords = unsafe.Sizeof(tcpfsm.Endpoint{}) / 8

// The Endpoint must be a whole number of words.
var _ = [1]struct{}{}[unsafe.Sizeof(tcpfsm.Endpoint{})%8]

// epStore is an Endpoint stored without its table pointer.
type epStore [epWords]uint64

// view returns the stored endpoint as a *tcpfsm.Endpoint, for reading,
// or for calls when the world uses the generated table (its pointer is
// then nil, as stored).
func (st *epStore) view() *tcpfsm.Endpoint { return (*tcpfsm.Endpoint)(unsafe.Pointer(st)) }

func storeOf(e *tcpfsm.Endpoint) epStore {
	if e.Table() != nil {
		panic("tcpworld: storing an endpoint with its table")
	}
	return *(*epStore)(unsafe.Pointer(e))
}

// begin returns the endpoint of side ready for calls: the stored one
// itself with the generated table, or else a copy in scratch with the
// variant table set. end writes it back.
func (s *System) begin(w *World, side Side, scratch *tcpfsm.Endpoint) *tcpfsm.Endpoint {
	if s.cfg.Table == nil {
		return w.ep[side].view()
	}
	*scratch = *w.ep[side].view()
	scratch.UseTable(s.cfg.Table)
	return scratch
}

func (s *System) end(w *World, side Side, e *tcpfsm.Endpoint) {
	if s.cfg.Table != nil {
		e.UseTable(nil)
		w.ep[side] = storeOf(e)
	}
	w.ep[side].canonical()
}

// Window history. SND.WL1 and SND.WL2 record which segment last updated
// SND.WND (RFC 9293 section 3.10.7.4, fifth); they decide only whether a
// new segment's window replaces SND.WND. In a world every segment but an
// RST offers the same window (the world checks this as segments are sent,
// FaultUnmodelled), and an RST never updates it, so once the peer's SYN
// has set SND.WND every update writes the value already there: the two
// numbers change nothing that will happen, yet they would tell apart
// states that differ only in which of two equal ACKs arrived last, and
// triple the states of a world with data. canonical zeroes them after
// every call. They are unexported, so they are found by name; if tcpfsm
// renames them, nothing is zeroed (the search stays sound, only larger;
// TestCanonicalWindowHistory notices). TestCanonicalBisimulation checks on
// every state of a world that a zeroed endpoint steps exactly as the
// original would, up to the same zeroing.
var windowHistory = func() []uintptr {
	var offs []uintptr
	for _, name := range []string{"sndWl1", "sndWl2"} {
		if f, ok := endpointType.FieldByName(name); ok && f.Type.Size() == 4 {
			offs = append(offs, f.Offset)
		}
	}
	return offs
}()

func (st *epStore) canonical() {
	p := unsafe.Pointer(st)
	for _, off := range windowHistory {
		*(*uint32)(unsafe.Add(p, off)) = 0
	}
	for _, sp := range endpointPadding {
		clear(unsafe.Slice((*byte)(unsafe.Add(p, sp.off)), sp.n))
	}
}

// endpointPadding are the bytes of an Endpoint that hold no field. The
// compiler has no reason to write anything but zeros there, but == on an
// epStore compares them, so canonical clears them to be sure.
var endpointPadding = func() []span {
	var pad []span
	at := uintptr(0)
	for _, sp := range allSpans(endpointType, 0, nil) {
		if sp.off > at {
			pad = append(pad, span{at, sp.off - at})
		}
		at = sp.off + sp.n
	}
	if size := endpointType.Size(); size > at {
		pad = append(pad, span{at, size - at})
	}
	return pad
}()
