package tcpworld

import (
	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm"
)

var _ model.Ranker[World] = (*System)(nil)

// Rank is the world's progress measure (model.Ranker): a number that no
// step raises while the connection is not over, so that the liveness
// check keeps only the steps that leave it unchanged (a few percent of
// them) instead of the whole graph. model checks this on every step and
// falls back to the whole graph if it fails (a table variant may well make
// it fail), so the rank decides how much memory the proof takes, never
// what it proves.
//
// It is lexicographic, most significant first; each part may rise only
// when a more significant one falls:
//
//  1. budgets nothing refills: duplications and aborts left, applications
//     yet to open or to close;
//  2. what may still start a passive connection of B (after a reset or a
//     give-up, B falls back to LISTEN and starts over): twice the SYN
//     retransmissions A has left while in SYN-SENT, plus the SYNs without
//     ACK in flight to B;
//  3. endpoints with a connection (neither CLOSED nor LISTEN);
//  4. what each connection has yet to do: sequence space not yet
//     acknowledged or received, and data the application has yet to send;
//  5. retransmissions left (they start again when SND.UNA advances);
//  6. sequence space not yet sent (a retransmission timeout may move
//     SND.NXT back);
//  7. segments in flight, each weighed by the chain of answers it may
//     draw if delivered now (cost): a segment delivered without progress
//     is replaced by its answer, which weighs less.
//
// The steps that change none of them are those the weights misjudge
// (cost looks a few answers ahead, and only at sequence numbers): they
// are the kept steps.
func (s *System) Rank(w World) uint64 {
	const (
		seqRoom = 1024 // above any sequence progress of one connection: 2*(MaxData+2)
		sndRoom = 512  // above SND.NXT - ISS: MaxData+2
	)
	r := uint64(s.cfg.Retries)
	var k [7]uint64
	k[0] = uint64(w.dups) + uint64(w.aborts)
	for side := A; side <= B; side++ {
		app := w.app[side]
		if !app.Opened() {
			k[0]++
		}
		if !app.Closed() {
			k[0]++
		}
		e := &w.ep[side]
		st := e.State()
		retries := min(uint64(e.Retries()), r)
		if side == A && st == tcpfsm.StateSynSent {
			k[1] += 2 * (r - retries)
		}
		if st != tcpfsm.StateClosed && st != tcpfsm.StateListen {
			k[2]++
			iss := e.ISS()
			acked := uint64(uint32(e.SndUna() - iss))
			got := uint64(uint32(e.RcvNxt() - e.IRS()))
			k[3] += seqRoom - min(acked+got, seqRoom)
			k[4] += r + 1 - retries
			k[5] += sndRoom - min(uint64(uint32(e.SndNxt()-iss)), sndRoom)
		}
		k[3] += uint64(s.cfg.Data) - min(uint64(app.sent), uint64(s.cfg.Data))
	}
	for _, g := range w.net[:w.n] {
		if f := g.flags(); g.to() == B && f&tcpfsm.FlagSYN != 0 && f&tcpfsm.FlagACK == 0 {
			k[1]++
		}
		k[6] += cost(&w, g.to(), g.flags(), tcpfsm.Seq(g.seq), tcpfsm.Seq(g.ack), g.length(), 3)
	}
	// Field widths: each holds its part's largest value (MaxDup,
	// MaxRetries, MaxCapacity and MaxData bound them).
	width := [7]uint{5, 6, 2, 12, 6, 11, 5}
	var out uint64
	for i, v := range k {
		out = out<<width[i] | min(v, 1<<width[i]-1)
	}
	return out
}

// cost weighs a segment bound for side to: 1, plus the cost of the answer
// it would draw if delivered now without progress, looking at most depth
// answers ahead. The answers are RFC 9293's: an endpoint without a
// connection answers anything but an RST with an RST (section 3.10.7.1;
// an ACK in SYN-SENT too); a synchronized one answers a segment that
// occupies sequence space, or is not exactly the next one expected, or
// acknowledges what was not sent, with an ACK (3.10.7.4), and an RST that
// is not exactly at RCV.NXT with a challenge ACK (RFC 5961). It need not be
// exact: an answer it misses only makes a step keep the rank.
func cost(w *World, to Side, flags tcpfsm.Flags, seq, ack tcpfsm.Seq, n uint32, depth int) uint64 {
	if depth == 0 {
		return 1
	}
	r := &w.ep[to]
	from := to.Peer()
	const ackRst = tcpfsm.FlagRST | tcpfsm.FlagACK
	switch st := r.State(); {
	case flags&tcpfsm.FlagRST != 0:
		if synchronized(st) && seq != r.RcvNxt() {
			return 1 + cost(w, from, tcpfsm.FlagACK, r.SndNxt(), r.RcvNxt(), 0, depth-1)
		}
	case st == tcpfsm.StateClosed || st == tcpfsm.StateListen && flags&tcpfsm.FlagSYN == 0 || st == tcpfsm.StateSynSent:
		if flags&tcpfsm.FlagACK != 0 {
			return 1 + cost(w, from, tcpfsm.FlagRST, ack, 0, 0, depth-1)
		}
		if st == tcpfsm.StateClosed {
			return 1 + cost(w, from, ackRst, 0, seq.Add(n), 0, depth-1)
		}
	case synchronized(st):
		if flags&(tcpfsm.FlagSYN|tcpfsm.FlagFIN) != 0 || n > 0 || seq != r.RcvNxt() || ack.GreaterThan(r.SndNxt()) {
			return 1 + cost(w, from, tcpfsm.FlagACK, r.SndNxt(), r.RcvNxt(), 0, depth-1)
		}
	}
	return 1
}

// synchronized reports whether st is a state after the handshake's first
// two segments: SYN-RECEIVED and every later one.
func synchronized(st tcpfsm.State) bool {
	return st != tcpfsm.StateClosed && st != tcpfsm.StateListen && st != tcpfsm.StateSynSent
}
