package tcpfsm

import "strconv"

// Segment is what the Endpoint needs of a TCP segment: the control bits,
// the sequence and acknowledgment numbers, the length of the data and the
// window. It is the same for a segment that arrives and one that the
// Endpoint asks its caller to send (see OutSegment), so segments from one
// Endpoint can be handed to another as they are.
//
// The bytes themselves never enter the Endpoint: it works in sequence
// space, and tells its caller which stream offsets to copy or deliver.
type Segment struct {
	Flags Flags
	Seq   Seq // SEG.SEQ: the sequence number of the first octet (of the SYN, if any)
	Ack   Seq // SEG.ACK: meaningful when Flags has FlagACK
	// Len is the number of data octets (RFC 9293's SEG.LEN without the
	// SYN and FIN, which SeqLen adds).
	Len uint32
	// Wnd is SEG.WND, the window the sender offers, already scaled by the
	// caller if window scaling is in use (RFC 7323).
	Wnd uint32
}

// SeqLen returns the sequence space the segment occupies: its data octets
// plus one for a SYN and one for a FIN (RFC 9293 section 3.4, SEG.LEN).
func (s Segment) SeqLen() uint32 {
	return seqLen(s.Flags, s.Len)
}

// seqLen is SeqLen for a segment with these control bits and n data
// octets. The Endpoint calls it with the fields of a segment it holds by
// pointer: copying a whole Segment just written field by field reads it
// back in wide loads, which stall.
func seqLen(flags Flags, n uint32) uint32 {
	if flags&FlagSYN != 0 {
		n++
	}
	if flags&FlagFIN != 0 {
		n++
	}
	return n
}

// End returns the sequence number just after the segment: SEG.SEQ+SEG.LEN.
func (s Segment) End() Seq {
	return s.Seq.Add(s.SeqLen())
}

// String formats the segment in the notation of RFC 9293 section 3.5, as
// in "<SEQ=100><ACK=301><CTL=SYN,ACK><WND=65535>", with "<LEN=n>" when it
// carries data. The ACK field is shown only when the ACK bit is set.
func (s Segment) String() string {
	b := make([]byte, 0, 64)
	b = append(b, "<SEQ="...)
	b = strconv.AppendUint(b, uint64(s.Seq), 10)
	b = append(b, '>')
	if s.Flags&FlagACK != 0 {
		b = append(b, "<ACK="...)
		b = strconv.AppendUint(b, uint64(s.Ack), 10)
		b = append(b, '>')
	}
	b = append(b, "<CTL="...)
	first := true
	// The RFC's order of control bits: SYN, FIN, RST first, ACK last.
	for _, f := range [...]struct {
		bit  Flags
		name string
	}{{FlagSYN, "SYN"}, {FlagFIN, "FIN"}, {FlagRST, "RST"}, {FlagPSH, "PSH"}, {FlagURG, "URG"}, {FlagECE, "ECE"}, {FlagCWR, "CWR"}, {FlagACK, "ACK"}} {
		if s.Flags&f.bit == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.name...)
	}
	b = append(b, '>')
	if s.Len > 0 {
		b = append(b, "<LEN="...)
		b = strconv.AppendUint(b, uint64(s.Len), 10)
		b = append(b, '>')
	}
	b = append(b, "<WND="...)
	b = strconv.AppendUint(b, uint64(s.Wnd), 10)
	b = append(b, '>')
	return string(b)
}

// OutSegment is a segment the Endpoint asks its caller to send. When Len
// is not zero the segment carries the send stream's bytes from offset Off
// to Off+Len (offset 0 is the first byte ever passed to Send); the caller
// copies them from wherever it keeps them.
type OutSegment struct {
	Segment
	Off uint64
}
