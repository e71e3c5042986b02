package tcpfsm

import "github.com/synfin/synfin/tcpfsm/seqnum"

// Seq is a TCP sequence or acknowledgment number, a point in the space of
// 2^32 values that wraps around (RFC 9293 section 3.4), compared by serial
// number arithmetic (RFC 1982). It is seqnum.Seq, so the numbers of a
// Segment and those of a header parsed by package tcpfsm/wire are one type.
type Seq = seqnum.Seq
