package wire

// TCP options.
//
// Options holds the option area of a header in two forms at once: typed
// fields for the options a TCP endpoint acts on (MSS, window scale,
// SACK-permitted, SACK blocks, timestamps), and the bytes as they came off
// the wire. The typed fields are what callers read and write; the wire bytes
// make round trips exact.
//
// Serialising follows one rule. If the typed fields still say what the
// received bytes say, the received bytes are written back unchanged, with
// their order, their NOPs, their padding and their unknown options. Otherwise
// (a typed field was changed, or the Options was built from scratch) the
// options are encoded afresh, in the layout Linux uses:
//
//	MSS                 kind 2, length 4                                  4 bytes
//	SACK-permitted+TS   kind 4, length 2, kind 8, length 10, TSval, TSecr 12 bytes
//	   or SACK-permitted alone   NOP, NOP, kind 4, length 2               4 bytes
//	   or timestamps alone       NOP, NOP, kind 8, length 10, ...         12 bytes
//	window scale        NOP, kind 3, length 3, shift                      4 bytes
//	SACK blocks         NOP, NOP, kind 5, length 2+8n, n blocks           4+8n bytes
//	unknown options     as received, in their order
//	padding             zeros (End of Option List) up to a multiple of 4
//
// so every known option starts on the alignment RFC 7323 Appendix A and
// RFC 2018 section 3 suggest, and a SYN with all four comes out as the 20
// bytes Linux sends. When a known option appears more than once on the wire,
// the typed field holds the last one (as Linux reads them) and a fresh
// encoding keeps only that one.

import (
	"encoding/binary"
	"iter"
	"strconv"

	"github.com/synfin/synfin/tcpfsm/seqnum"
)

// OptionKind is the kind octet of a TCP option (RFC 9293 section 3.2; the
// IANA registry "TCP Option Kind Numbers").
type OptionKind uint8

// Option kinds. Those after OptTimestamps are not decoded into typed fields;
// they are listed so that code and messages can name them.
const (
	OptEOL           OptionKind = 0   // End of Option List (RFC 9293 section 3.2)
	OptNOP           OptionKind = 1   // No-Operation (RFC 9293 section 3.2)
	OptMSS           OptionKind = 2   // Maximum Segment Size (RFC 9293 section 3.7.1)
	OptWindowScale   OptionKind = 3   // Window Scale (RFC 7323 section 2)
	OptSACKPermitted OptionKind = 4   // SACK-Permitted (RFC 2018 section 2)
	OptSACK          OptionKind = 5   // SACK (RFC 2018 section 3)
	OptTimestamps    OptionKind = 8   // Timestamps (RFC 7323 section 3)
	OptMD5           OptionKind = 19  // MD5 Signature (RFC 2385, obsoleted by TCP-AO)
	OptAO            OptionKind = 29  // TCP Authentication Option (RFC 5925)
	OptMPTCP         OptionKind = 30  // Multipath TCP (RFC 8684)
	OptFastOpen      OptionKind = 34  // TCP Fast Open cookie (RFC 7413)
	OptExperiment1   OptionKind = 253 // experimental (RFC 4727, RFC 6994)
	OptExperiment2   OptionKind = 254 // experimental (RFC 4727, RFC 6994)
)

// String names the kind and gives its number, as in "MSS (kind 2)" or, for
// a kind without a name here, "kind 77".
func (k OptionKind) String() string {
	var name string
	switch k {
	case OptEOL:
		name = "EOL"
	case OptNOP:
		name = "NOP"
	case OptMSS:
		name = "MSS"
	case OptWindowScale:
		name = "window scale"
	case OptSACKPermitted:
		name = "SACK-permitted"
	case OptSACK:
		name = "SACK"
	case OptTimestamps:
		name = "timestamps"
	case OptMD5:
		name = "MD5 signature"
	case OptAO:
		name = "TCP-AO"
	case OptMPTCP:
		name = "MPTCP"
	case OptFastOpen:
		name = "Fast Open cookie"
	case OptExperiment1, OptExperiment2:
		name = "experimental"
	default:
		return "kind " + strconv.Itoa(int(k))
	}
	return name + " (kind " + strconv.Itoa(int(k)) + ")"
}

// MaxSACKBlocks is the most SACK blocks one option can carry: 4 blocks of 8
// bytes plus kind and length fill 34 of the 40 option bytes (RFC 2018
// section 3). With timestamps, only 3 fit.
const MaxSACKBlocks = 4

// SACKBlock is one block of a SACK option (RFC 2018 section 3): the receiver
// holds the data from Left up to, not including, Right.
type SACKBlock struct {
	Left  seqnum.Seq // first sequence number of the block
	Right seqnum.Seq // sequence number just after the block's last byte
}

// Options is the option area of a TCP header; see the comment at the top of
// options.go for how the typed fields and the received bytes relate. The
// zero value has no options. A field whose Has... flag is false is ignored
// when encoding.
type Options struct {
	// MSS is the Maximum Segment Size option (kind 2), present if HasMSS.
	// RFC 9293 section 3.7.1: only in SYN segments.
	MSS    uint16
	HasMSS bool
	// WScale is the Window Scale option's shift count (kind 3), present if
	// HasWScale. It is kept as received; RFC 7323 section 2.3 has a
	// receiver use 14 in place of anything larger.
	WScale    uint8
	HasWScale bool
	// SACKPermitted is the SACK-Permitted option (kind 4, RFC 2018
	// section 2).
	SACKPermitted bool
	// TSVal and TSEcr are the Timestamps option (kind 8, RFC 7323 section
	// 3), present if HasTimestamps.
	TSVal, TSEcr  uint32
	HasTimestamps bool
	// SACK[:NumSACK] are the blocks of a SACK option (kind 5, RFC 2018
	// section 3); NumSACK is 0 when there is none. The other elements
	// should be zero.
	SACK    [MaxSACKBlocks]SACKBlock
	NumSACK uint8

	// wire[:wireLen] is the option area as parsed, padding included.
	wire    [MaxOptionsLen]byte
	wireLen uint8
}

// ClearWire forgets the bytes the options were parsed from: from now on they
// are encoded from the typed fields alone, in the fresh layout, and unknown
// options are dropped.
func (o *Options) ClearWire() {
	o.wire = [MaxOptionsLen]byte{}
	o.wireLen = 0
}

// All yields each option as MarshalTo would write it, in order: its kind
// and its data (the bytes after the kind and length octets; nil for NOP and
// EOL). It stops after an EOL, so padding is not yielded. Use it to find
// options without a typed field, such as a Fast Open cookie. It yields
// nothing if the options cannot be encoded.
func (o *Options) All() iter.Seq2[OptionKind, []byte] {
	var area [MaxOptionsLen]byte
	n, err := o.encode(&area)
	if err != nil {
		n = 0
	}
	return func(yield func(OptionKind, []byte) bool) {
		for i := 0; i < n; {
			kind, end, err := scanOption(area[:n], i)
			if err != nil {
				return
			}
			var data []byte
			if kind != OptEOL && kind != OptNOP {
				data = area[i+2 : end]
			}
			if !yield(kind, data) || kind == OptEOL {
				return
			}
			i = end
		}
	}
}

// setWire decodes area, the option area of a header, into o and keeps a copy
// of its bytes. On error o is left empty.
func (o *Options) setWire(area []byte) error {
	*o = Options{}
	if err := o.decode(area); err != nil {
		*o = Options{}
		return err
	}
	o.wireLen = uint8(copy(o.wire[:], area))
	return nil
}

// optionLenWant is the required length of each known option kind with a
// fixed length, in bytes, or 0.
var optionLenWant = [...]uint8{OptMSS: 4, OptWindowScale: 3, OptSACKPermitted: 2, OptTimestamps: 10}

// scanOption reads the option starting at area[i] and returns its kind and
// the index just past it (len(area) for EOL: what follows it is padding).
// It checks the length rules of RFC 9293 section 3.2 and of the known
// kinds. Error offsets count from the start of the TCP header.
func scanOption(area []byte, i int) (kind OptionKind, end int, err error) {
	kind = OptionKind(area[i])
	switch kind {
	case OptEOL:
		return kind, len(area), nil
	case OptNOP:
		return kind, i + 1, nil
	}
	at := MinHeaderLen + i
	if i+1 >= len(area) {
		return kind, 0, &HeaderError{Err: ErrOptionTruncated, Field: kind.String(), Kind: kind, Offset: at,
			Want: "a length byte", Got: "the end of the " + strconv.Itoa(len(area)) + "-byte option area"}
	}
	n := int(area[i+1])
	if n < 2 {
		return kind, 0, &HeaderError{Err: ErrBadOptionLength, Field: kind.String(), Kind: kind, Offset: at,
			Want: "at least 2 (the kind and length bytes)", Got: strconv.Itoa(n)}
	}
	if int(kind) < len(optionLenWant) && optionLenWant[kind] != 0 && n != int(optionLenWant[kind]) {
		return kind, 0, &HeaderError{Err: ErrBadOptionLength, Field: kind.String(), Kind: kind, Offset: at,
			Want: strconv.Itoa(int(optionLenWant[kind])), Got: strconv.Itoa(n)}
	}
	if kind == OptSACK && (n < 10 || n > 2+8*MaxSACKBlocks || (n-2)%8 != 0) {
		return kind, 0, &HeaderError{Err: ErrBadOptionLength, Field: kind.String(), Kind: kind, Offset: at,
			Want: "10, 18, 26 or 34 (2+8n for n = 1 to 4 blocks)", Got: strconv.Itoa(n)}
	}
	if i+n > len(area) {
		return kind, 0, &HeaderError{Err: ErrOptionTruncated, Field: kind.String(), Kind: kind, Offset: at,
			Want: "length " + strconv.Itoa(n) + " to fit", Got: strconv.Itoa(len(area)-i) + " bytes left in the option area"}
	}
	return kind, i + n, nil
}

// decode reads the typed fields out of area. It does not touch o.wire.
func (o *Options) decode(area []byte) error {
	for i := 0; i < len(area); {
		kind, end, err := scanOption(area, i)
		if err != nil {
			return err
		}
		data := area[i:end]
		switch kind {
		case OptMSS:
			o.MSS, o.HasMSS = binary.BigEndian.Uint16(data[2:4]), true
		case OptWindowScale:
			o.WScale, o.HasWScale = data[2], true
		case OptSACKPermitted:
			o.SACKPermitted = true
		case OptTimestamps:
			o.TSVal = binary.BigEndian.Uint32(data[2:6])
			o.TSEcr = binary.BigEndian.Uint32(data[6:10])
			o.HasTimestamps = true
		case OptSACK:
			o.SACK = [MaxSACKBlocks]SACKBlock{}
			o.NumSACK = uint8((len(data) - 2) / 8)
			for j := range int(o.NumSACK) {
				blk := data[2+8*j:]
				o.SACK[j] = SACKBlock{
					Left:  seqnum.Seq(binary.BigEndian.Uint32(blk[0:4])),
					Right: seqnum.Seq(binary.BigEndian.Uint32(blk[4:8])),
				}
			}
		}
		i = end
	}
	return nil
}

// wireCurrent reports whether o has received bytes and its typed fields
// still say what those bytes say.
func (o *Options) wireCurrent() bool {
	if o.wireLen == 0 {
		return false
	}
	var d Options
	if d.decode(o.wire[:o.wireLen]) != nil {
		return false
	}
	d.wire, d.wireLen = o.wire, o.wireLen
	return d == *o
}

// isKnown reports whether the fresh encoding writes kind from a typed field
// (or, for NOP and EOL, as layout), so that a copy on the wire is not
// carried over as an unknown option.
func isKnown(kind OptionKind) bool {
	switch kind {
	case OptEOL, OptNOP, OptMSS, OptWindowScale, OptSACKPermitted, OptSACK, OptTimestamps:
		return true
	}
	return false
}

// freshLen returns the length of the fresh encoding, padding included.
func (o *Options) freshLen() int {
	n := 0
	if o.HasMSS {
		n += 4
	}
	switch {
	case o.SACKPermitted && o.HasTimestamps:
		n += 12
	case o.SACKPermitted:
		n += 4
	case o.HasTimestamps:
		n += 12
	}
	if o.HasWScale {
		n += 4
	}
	if o.NumSACK > 0 {
		n += 4 + 8*int(o.NumSACK)
	}
	var unknown [MaxOptionsLen]byte
	n += len(o.appendUnknown(unknown[:0]))
	return (n + 3) &^ 3
}

// appendUnknown appends to b the received options the fresh encoding
// carries over as they are: those without a typed field, in their order.
// They fit in MaxOptionsLen bytes, as the received area does.
func (o *Options) appendUnknown(b []byte) []byte {
	area := o.wire[:o.wireLen]
	for i := 0; i < len(area); {
		kind, end, err := scanOption(area, i)
		if err != nil {
			break
		}
		if !isKnown(kind) {
			b = append(b, area[i:end]...)
		}
		i = end
	}
	return b
}

// encodedLen returns the length of the option area MarshalTo would write.
func (o *Options) encodedLen() int {
	if o.wireCurrent() {
		return int(o.wireLen)
	}
	return o.freshLen()
}

// encode writes the option area into dst and returns its length.
func (o *Options) encode(dst *[MaxOptionsLen]byte) (int, error) {
	if o.wireCurrent() {
		return copy(dst[:], o.wire[:o.wireLen]), nil
	}
	if o.NumSACK > MaxSACKBlocks {
		return 0, &HeaderError{Err: ErrHeaderField, Field: "NumSACK", Offset: -1,
			Want: "0 to 4 SACK blocks", Got: strconv.Itoa(int(o.NumSACK))}
	}
	if n := o.freshLen(); n > MaxOptionsLen {
		return 0, &HeaderError{Err: ErrOptionsTooLong, Offset: -1,
			Want: "at most 40 bytes", Got: strconv.Itoa(n) + " bytes"}
	}
	b := dst[:0]
	if o.HasMSS {
		b = append(b, byte(OptMSS), 4)
		b = binary.BigEndian.AppendUint16(b, o.MSS)
	}
	switch {
	case o.SACKPermitted && o.HasTimestamps:
		b = append(b, byte(OptSACKPermitted), 2, byte(OptTimestamps), 10)
		b = binary.BigEndian.AppendUint32(b, o.TSVal)
		b = binary.BigEndian.AppendUint32(b, o.TSEcr)
	case o.SACKPermitted:
		b = append(b, byte(OptNOP), byte(OptNOP), byte(OptSACKPermitted), 2)
	case o.HasTimestamps:
		b = append(b, byte(OptNOP), byte(OptNOP), byte(OptTimestamps), 10)
		b = binary.BigEndian.AppendUint32(b, o.TSVal)
		b = binary.BigEndian.AppendUint32(b, o.TSEcr)
	}
	if o.HasWScale {
		b = append(b, byte(OptNOP), byte(OptWindowScale), 3, o.WScale)
	}
	if o.NumSACK > 0 {
		b = append(b, byte(OptNOP), byte(OptNOP), byte(OptSACK), byte(2+8*o.NumSACK))
		for _, blk := range o.SACK[:o.NumSACK] {
			b = binary.BigEndian.AppendUint32(b, uint32(blk.Left))
			b = binary.BigEndian.AppendUint32(b, uint32(blk.Right))
		}
	}
	b = o.appendUnknown(b)
	for len(b)%4 != 0 {
		b = append(b, byte(OptEOL))
	}
	return len(b), nil
}
