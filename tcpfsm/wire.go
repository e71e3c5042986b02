package tcpfsm

// Segments on the wire.
//
// The Endpoint works in sequence space and never sees a header; its
// embedder reads and writes headers with package tcpfsm/wire. The two
// functions here carry the fields between the two: SegmentFromHeader for a
// segment that arrives, Segment.Header for one the Endpoint sends. Ports,
// options, the checksum, PSH and window scaling are the embedder's: the
// Endpoint has no opinion on them.
//
// tcpfsm imports wire, not the other way round: the codec knows nothing of
// the Endpoint and can be used without it (reading captures, an IP layer),
// while these conversions need both the Segment and the Header.

import "github.com/synfin/synfin/tcpfsm/wire"

// Flags holds the eight control bits of a TCP header (RFC 9293 section
// 3.1; CWR and ECE from RFC 3168 section 6.1). It is wire.Flags, so a
// Segment's bits and a header's are one type.
type Flags = wire.Flags

// The control bits, lowest first, as package wire defines them.
const (
	FlagFIN = wire.FlagFIN // no more data from sender
	FlagSYN = wire.FlagSYN // synchronize sequence numbers
	FlagRST = wire.FlagRST // reset the connection
	FlagPSH = wire.FlagPSH // push function
	FlagACK = wire.FlagACK // acknowledgment field is significant
	FlagURG = wire.FlagURG // urgent pointer field is significant
	FlagECE = wire.FlagECE // ECN-Echo (RFC 3168)
	FlagCWR = wire.FlagCWR // congestion window reduced (RFC 3168)
)

// SegmentFromHeader returns what the Endpoint needs of an arriving segment
// whose header is h and whose payload is payloadLen bytes long: the control
// bits, the sequence and acknowledgment numbers, the length and the window
// as the header has it. An embedder that negotiated window scaling (RFC
// 7323) shifts Wnd left by the peer's scale itself, except on a SYN.
func SegmentFromHeader(h *wire.Header, payloadLen int) Segment {
	return Segment{
		Flags: h.Flags,
		Seq:   h.Seq,
		Ack:   h.Ack,
		Len:   uint32(payloadLen),
		Wnd:   uint32(h.Window),
	}
}

// Header returns the TCP header that sends s from port src to port dst:
// s's control bits, sequence and acknowledgment numbers, and its window,
// cut to the 65535 a header can carry (an embedder that negotiated window
// scaling shifts Wnd right by its own scale first, except on a SYN). It
// has no options and a zero checksum: the embedder adds the options it
// wants and fills in the checksum (wire.SetChecksum) once the payload is
// behind the header.
func (s Segment) Header(src, dst uint16) wire.Header {
	return wire.Header{
		SrcPort: src,
		DstPort: dst,
		Seq:     s.Seq,
		Ack:     s.Ack,
		Flags:   s.Flags,
		Window:  uint16(min(s.Wnd, 0xffff)),
	}
}
