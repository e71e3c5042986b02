// Package wire is the TCP segment codec: the header of RFC 9293 section
// 3.1 with its options (Header, Options, ParseHeader, MarshalTo, AppendTo)
// and the checksum over the IPv4 or IPv6 pseudo-header (Checksum,
// VerifyChecksum, SetChecksum).
//
// A Header is one fixed-size value without slices or pointers: parsing and
// serialising allocate nothing, and a Header can be copied and compared
// with ==. Round trips are exact: a parsed header serialises back to the
// bytes it came from, options this package does not know included (see
// header.go and options.go). Malformed input gets a *HeaderError that says
// what was expected and what was found, never a panic.
//
// # Imports
//
// wire imports only package tcpfsm/seqnum, for the sequence numbers in a
// header and its SACK blocks. Package tcpfsm imports wire, not the other way
// round: the Endpoint's segments are built from and read into headers by
// tcpfsm.SegmentFromHeader and tcpfsm.Segment.Header, which need both types,
// while the codec needs nothing of the Endpoint and is used without it (to
// read captures, in an IP layer). Flags is defined here and is tcpfsm.Flags
// too, so a header's control bits and a Segment's are one type.
package wire
