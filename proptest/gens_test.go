package proptest

// Generators shared by the properties.

import (
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/synfin/synfin/tcpfsm"
)

// wrapBias is how close to 2^32 the biased sequence numbers are: within
// this distance the first segments, or the first bytes of data, cross the
// wrap from 2^32-1 to 0.
const wrapBias = 16

// genSeq generates an initial sequence number anywhere in the 32-bit
// space, biased: a third of the draws fall within wrapBias of 2^32, so
// that SYN, data or FIN wrap around (RFC 9293 section 3.4 arithmetic
// modulo 2^32), and a few within wrapBias of 2^31, where a naive signed
// comparison flips.
func genSeq() gopter.Gen {
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 6, Gen: gen.UInt32()},
		{Weight: 4, Gen: gen.UInt32Range(1<<32-wrapBias, 1<<32-1)},
		{Weight: 1, Gen: gen.UInt32Range(1<<31-wrapBias, 1<<31+wrapBias)},
	}).Map(func(v uint32) tcpfsm.Seq { return tcpfsm.Seq(v) })
}
