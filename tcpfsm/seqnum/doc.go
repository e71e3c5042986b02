// Package seqnum holds TCP sequence numbers: the type both the Endpoint
// (package tcpfsm, which calls it tcpfsm.Seq) and the header codec
// (package tcpfsm/wire) count in, so that a number read off the wire and
// one the Endpoint keeps are the same type.
//
// TCP sequence and acknowledgment numbers live in a space of 2^32 values
// that wraps around (RFC 9293 section 3.4: "all arithmetic dealing with
// sequence numbers must be performed modulo 2**32"). Seq is that space: its
// comparisons are serial-number arithmetic (RFC 1982 section 3.2), so they
// stay right when a connection's numbers wrap from 2^32-1 to 0. Never compare
// two Seq values with < or >; use the methods.
//
// The package imports nothing, so that every other package of the module
// can use it without a cycle.
package seqnum
