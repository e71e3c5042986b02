package wire

// The TCP header codec.
//
// Header is the fixed part of the TCP header of RFC 9293 section 3.1 plus its
// options (see Options), as one fixed-size value: no slices, no pointers, so
// ParseHeader allocates nothing and a Header can be copied, compared with ==
// and kept in any struct. ParseHeader reads a segment and returns the
// payload as a slice of its input; MarshalTo and AppendTo write the header
// into a buffer the caller owns.
//
// Round trips are exact: parsing keeps the option area byte for byte (the
// order of options, NOPs used for alignment, padding after End of Option
// List, options this package does not know), and serialising a parsed header
// writes those bytes back unless a typed option field was changed since.
//
// Malformed input gets a *HeaderError, never a panic. Its Err field is one of
// the sentinels below, so callers can tell the cases apart with errors.Is, and
// its message says what was expected and what was found:
//
//	tcpfsm: bad TCP option length, MSS (kind 2), at byte 20: want 4, got 6

import (
	"encoding/binary"
	"errors"
	"slices"
	"strconv"

	"github.com/synfin/synfin/tcpfsm/seqnum"
)

// Sizes of the TCP header (RFC 9293 section 3.1).
const (
	// MinHeaderLen is the length of a TCP header without options, in bytes
	// (data offset 5).
	MinHeaderLen = 20
	// MaxHeaderLen is the largest TCP header, in bytes (data offset 15).
	MaxHeaderLen = 60
	// MaxOptionsLen is the largest option area, in bytes.
	MaxOptionsLen = MaxHeaderLen - MinHeaderLen
)

// Flags holds the eight control bits of a TCP header, octet 13 (RFC 9293
// section 3.1; CWR and ECE from RFC 3168 section 6.1).
type Flags uint8

// The control bits, lowest first.
const (
	FlagFIN Flags = 0x01 // no more data from sender
	FlagSYN Flags = 0x02 // synchronize sequence numbers
	FlagRST Flags = 0x04 // reset the connection
	FlagPSH Flags = 0x08 // push function
	FlagACK Flags = 0x10 // acknowledgment field is significant
	FlagURG Flags = 0x20 // urgent pointer field is significant
	FlagECE Flags = 0x40 // ECN-Echo (RFC 3168)
	FlagCWR Flags = 0x80 // congestion window reduced (RFC 3168)
)

// Has reports whether every bit of g is set in f.
func (f Flags) Has(g Flags) bool {
	return f&g == g
}

var flagNames = [8]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"}

// String returns the names of the set bits, lowest first, joined by "|", as
// in "SYN|ACK" or "FIN|PSH|ACK"; it returns "none" when no bit is set.
func (f Flags) String() string {
	if f == 0 {
		return "none"
	}
	var buf [8 * 4]byte
	b := buf[:0]
	for i, name := range flagNames {
		if f&(1<<i) == 0 {
			continue
		}
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, name...)
	}
	return string(b)
}

// ReservedAE is the AE bit in Header.Reserved: the last of the four reserved
// bits, which Accurate ECN (AccECN) uses and RFC 3540 once called NS.
const ReservedAE uint8 = 0x01

// Header is a TCP header (RFC 9293 section 3.1), options included.
//
// The data offset is not a field: it follows from the options. A parsed
// header reproduces the one it came from; a header built from its fields
// gets the smallest data offset that holds its options.
type Header struct {
	SrcPort uint16
	DstPort uint16
	Seq     seqnum.Seq // sequence number of the first octet of data (of the SYN, if SYN is set)
	Ack     seqnum.Seq // next sequence number the sender expects, if FlagACK is set
	// Reserved holds the four bits between the data offset and CWR, as a
	// number from 0 to 15: bit 0 is ReservedAE. Senders set them to zero
	// unless they speak AccECN; they are kept so that round trips are
	// exact and a receiver can see them.
	Reserved uint8
	Flags    Flags
	Window   uint16 // unscaled receive window
	Checksum uint16 // as on the wire; see Checksum and VerifyChecksum
	Urgent   uint16 // urgent pointer, if FlagURG is set
	Options  Options
}

// DataOffset returns the data offset MarshalTo would write: the header
// length in 32-bit words, 5 to 15. When the options do not fit it returns
// what they would need, more than 15.
func (h *Header) DataOffset() int {
	return h.Len() / 4
}

// Len returns the number of bytes MarshalTo would write: 20 plus the
// encoded, padded options. When the options do not fit in 40 bytes it
// returns what they would need, more than 60.
func (h *Header) Len() int {
	return MinHeaderLen + h.Options.encodedLen()
}

// Sentinel errors, the Err of a *HeaderError. Test with errors.Is.
var (
	// ErrHeaderTruncated means the buffer ends before the 20-byte fixed header
	// or before the end of the option area that the data offset announces
	// (a segment cut short, for instance by a capture's snap length).
	ErrHeaderTruncated = errors.New("truncated TCP header")
	// ErrBadDataOffset means the data offset is below 5 (20 bytes).
	ErrBadDataOffset = errors.New("bad TCP data offset")
	// ErrOptionTruncated means an option's length byte is missing, or its length
	// runs past the end of the option area.
	ErrOptionTruncated = errors.New("truncated TCP option")
	// ErrBadOptionLength means an option's length is below 2, or is not the one
	// its kind requires (MSS 4, window scale 3, SACK-permitted 2,
	// timestamps 10, SACK 2+8n with n from 1 to 4).
	ErrBadOptionLength = errors.New("bad TCP option length")
	// ErrBufferTooSmall means MarshalTo was given fewer bytes than the header
	// needs.
	ErrBufferTooSmall = errors.New("buffer too small for TCP header")
	// ErrOptionsTooLong means the options to encode need more than 40 bytes.
	ErrOptionsTooLong = errors.New("TCP options too long")
	// ErrHeaderField means a field holds a value its wire form cannot carry
	// (Reserved above 15, more than 4 SACK blocks).
	ErrHeaderField = errors.New("TCP header field out of range")
)

// HeaderError describes a header that could not be parsed or serialised:
// which rule it broke (Err), where, what was expected and what was found.
type HeaderError struct {
	Err    error      // one of the sentinels above
	Field  string     // the field or option at fault, if any, e.g. "MSS (kind 2)"
	Kind   OptionKind // the option's kind, for ErrOptionTruncated and ErrBadOptionLength
	Offset int        // byte offset of the fault from the start of the header, or -1
	Want   string     // what was expected
	Got    string     // what was found
}

// Error returns a message of the form
// "tcpfsm: ERR[, FIELD][,][ at byte OFFSET]: want WANT, got GOT".
func (e *HeaderError) Error() string {
	s := "tcpfsm: " + e.Err.Error()
	if e.Field != "" {
		s += ", " + e.Field
		if e.Offset >= 0 {
			s += ","
		}
	}
	if e.Offset >= 0 {
		s += " at byte " + strconv.Itoa(e.Offset)
	}
	return s + ": want " + e.Want + ", got " + e.Got
}

// Unwrap returns Err, so that errors.Is(err, ErrBadOptionLength) works.
func (e *HeaderError) Unwrap() error { return e.Err }

// ParseHeader reads the TCP header at the start of b. It returns the header
// and the payload, which is b after the header (it aliases b, it is not a
// copy). It allocates nothing unless it fails; then it returns a
// *HeaderError. The checksum is not verified here: see VerifyChecksum.
// Header.Parse does the same into a Header the caller keeps, without
// returning 116 bytes by value.
func ParseHeader(b []byte) (Header, []byte, error) {
	var h Header
	payload, err := h.Parse(b)
	return h, payload, err
}

// Parse reads the TCP header at the start of b into h, replacing all of
// it, and returns the payload, as ParseHeader does. On error h is zero.
func (h *Header) Parse(b []byte) (payload []byte, err error) {
	*h = Header{}
	if len(b) < MinHeaderLen {
		return nil, &HeaderError{Err: ErrHeaderTruncated, Offset: -1,
			Want: "at least 20 bytes", Got: strconv.Itoa(len(b)) + " bytes"}
	}
	words := int(b[12] >> 4)
	if words < MinHeaderLen/4 {
		return nil, &HeaderError{Err: ErrBadDataOffset, Offset: 12,
			Want: "5 to 15 (20 to 60 bytes)", Got: strconv.Itoa(words)}
	}
	n := words * 4
	if len(b) < n {
		return nil, &HeaderError{Err: ErrHeaderTruncated, Offset: -1,
			Want: strconv.Itoa(n) + " bytes (data offset " + strconv.Itoa(words) + ")",
			Got:  strconv.Itoa(len(b)) + " bytes"}
	}
	h.SrcPort = binary.BigEndian.Uint16(b[0:2])
	h.DstPort = binary.BigEndian.Uint16(b[2:4])
	h.Seq = seqnum.Seq(binary.BigEndian.Uint32(b[4:8]))
	h.Ack = seqnum.Seq(binary.BigEndian.Uint32(b[8:12]))
	h.Reserved = b[12] & 0x0f
	h.Flags = Flags(b[13])
	h.Window = binary.BigEndian.Uint16(b[14:16])
	h.Checksum = binary.BigEndian.Uint16(b[16:18])
	h.Urgent = binary.BigEndian.Uint16(b[18:20])
	if n > MinHeaderLen {
		if err := h.Options.setWire(b[MinHeaderLen:n]); err != nil {
			*h = Header{}
			return nil, err
		}
	}
	return b[n:], nil
}

// MarshalTo writes the header into the start of b and returns the number of
// bytes written, h.Len(). It fails, writing nothing, when b is shorter than
// that or a field cannot be encoded. It allocates nothing. The checksum is
// written as h.Checksum holds it: see SetChecksum.
func (h *Header) MarshalTo(b []byte) (int, error) {
	var opts [MaxOptionsLen]byte
	no, err := h.encode(&opts)
	if err != nil {
		return 0, err
	}
	n := MinHeaderLen + no
	if len(b) < n {
		return 0, &HeaderError{Err: ErrBufferTooSmall, Offset: -1,
			Want: strconv.Itoa(n) + " bytes", Got: strconv.Itoa(len(b)) + " bytes"}
	}
	h.put(b[:n], opts[:no])
	return n, nil
}

// AppendTo appends the header to b and returns the extended slice. It
// allocates only when b lacks the capacity for h.Len() more bytes. On error
// it returns b unchanged.
func (h *Header) AppendTo(b []byte) ([]byte, error) {
	var opts [MaxOptionsLen]byte
	no, err := h.encode(&opts)
	if err != nil {
		return b, err
	}
	n := MinHeaderLen + no
	b = slices.Grow(b, n)
	h.put(b[len(b):len(b)+n], opts[:no])
	return b[:len(b)+n], nil
}

// put writes the header, with the encoded option area opts, into b, which
// is exactly 20+len(opts) bytes long.
func (h *Header) put(b, opts []byte) {
	_ = b[MinHeaderLen-1]
	binary.BigEndian.PutUint16(b[0:2], h.SrcPort)
	binary.BigEndian.PutUint16(b[2:4], h.DstPort)
	binary.BigEndian.PutUint32(b[4:8], uint32(h.Seq))
	binary.BigEndian.PutUint32(b[8:12], uint32(h.Ack))
	b[12] = byte(len(b)/4)<<4 | h.Reserved
	b[13] = byte(h.Flags)
	binary.BigEndian.PutUint16(b[14:16], h.Window)
	binary.BigEndian.PutUint16(b[16:18], h.Checksum)
	binary.BigEndian.PutUint16(b[18:20], h.Urgent)
	copy(b[MinHeaderLen:], opts)
}

// encode checks the fields and writes the option area into opts, returning
// its length.
func (h *Header) encode(opts *[MaxOptionsLen]byte) (int, error) {
	if h.Reserved > 0x0f {
		return 0, &HeaderError{Err: ErrHeaderField, Field: "Reserved", Offset: 12,
			Want: "0 to 15 (4 bits)", Got: strconv.Itoa(int(h.Reserved))}
	}
	return h.Options.encode(opts)
}
