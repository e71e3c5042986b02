package tcpworld

import (
	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm"
)

var _ model.FloorRanker[World] = (*System)(nil)

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
//  1. budgets nothing refills: duplications, aborts and injections left,
//     applications yet to open or to close;
//  2. what may still start a passive connection of B (after a reset or a
//     give-up, B falls back to LISTEN and starts over): twice the SYN
//     retransmissions A has left while in SYN-SENT, plus the SYNs without
//     ACK in flight to B;
//  3. endpoints with a connection (neither CLOSED nor LISTEN);
//  4. what each connection has yet to do: sequence space not yet
//     acknowledged or received, and data the application has yet to send;
//  5. retransmissions left (they start again when SND.UNA advances);
//  6. sequence space not yet sent (a retransmission timeout may move
//     SND.NXT back), and data the application has yet to read;
//  7. segments in flight, each weighed by the chain of answers it would
//     draw if delivered now, as the endpoints say (cost): a segment
//     delivered without progress is replaced by its answer, which weighs
//     less.
//
// The steps that change none of them are those the weights misjudge
// (cost looks only two answers ahead): they are the kept steps.
func (s *System) Rank(w *World) uint64 { return s.RankFrom(w, 0) }

// answerBits is the width of the last part of the rank, the answers.
const answerBits = 5

// RankFrom is Rank(w) when that is at least floor, and otherwise a number
// below floor (model.FloorRanker). The answers cost up to two React calls
// a segment, so they are weighed only as far as needed: not at all when
// the parts above them are below floor's, and when those parts are
// floor's, only until the segments left, even at the most a segment can
// cost, cannot bring the answers up to floor's.
func (s *System) RankFrom(w *World, floor uint64) uint64 {
	high := s.rankHigh(w)
	if high>>answerBits < floor>>answerBits {
		return high
	}
	var want uint64 // the answers below which the rank is below floor
	if high>>answerBits == floor>>answerBits {
		want = floor & (1<<answerBits - 1)
	}
	var answers uint64
	n := uint64(w.n)
	for i, g := range w.net[:w.n] {
		if most := answers + maxCost*(n-uint64(i)); most < want {
			return high | most
		}
		answers += s.cost(w, g.to(), g.segment(s.wnd[g.to().Peer()]))
	}
	return high | answers
}

// rankHigh is the rank without its last part, the answers (zero there).
func (s *System) rankHigh(w *World) uint64 {
	const (
		seqRoom = 1024 // above any sequence progress of one connection: 2*(MaxData+2)
		sndRoom = 512  // above SND.NXT - ISS: MaxData+2
	)
	r := uint64(s.cfg.Retries)
	data := uint64(s.cfg.Data)
	budget := uint64(w.dups) + uint64(w.aborts) + uint64(w.injects) + 2*s.incarnationsLeft(w)
	var syns, live, todo, retries, unsent uint64
	for side := A; side <= B; side++ {
		app := w.app[side]
		budget += uint64(b2u(!app.Opened()) + b2u(!app.Closed()))
		todo += data - min(uint64(app.sent), data)
		e := &w.ep[side]
		st := e.State()
		if !hasTCB(st) {
			continue
		}
		used := min(uint64(e.Retries()), r)
		if side == A && st == tcpfsm.StateSynSent {
			syns += 2 * (r - used)
		}
		live++
		iss := e.ISS()
		acked := uint64(uint32(e.SndUna() - iss))
		got := uint64(uint32(e.RcvNxt() - e.IRS()))
		todo += seqRoom - min(acked+got, seqRoom)
		retries += r + 1 - used
		unsent += sndRoom - min(uint64(uint32(e.SndNxt()-iss)), sndRoom) + uint64(e.Unread())
	}
	for _, g := range w.net[:w.n] {
		if g.to() == B && g.flags()&(tcpfsm.FlagSYN|tcpfsm.FlagACK) == tcpfsm.FlagSYN {
			syns++
		}
	}
	// Each part fits its field (MaxDup, MaxRetries, MaxCapacity and
	// MaxData bound them): 5, 6, 2, 12, 6, 11 and, in RankFrom,
	// answerBits.
	return budget<<42 | syns<<36 | live<<34 | todo<<22 | retries<<16 | unsent<<answerBits
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// lookahead is how many answers cost looks ahead.
const lookahead = 2

// maxCost is the most cost gives a segment.
const maxCost = 1 + lookahead

// cost weighs seg, bound for side to: 1, plus 1 for each answer in the
// chain of answers it would draw if delivered now without progress,
// looking at most lookahead answers ahead. The receiving endpoint says
// what it would answer (tcpfsm.Snapshot.React: the reset or ACK it sends
// back, exactly what a delivery that moves nothing on sends), and the
// answer is weighed against the other endpoint as it stands.
func (s *System) cost(w *World, to Side, seg tcpfsm.Segment) uint64 {
	var r tcpfsm.Reaction
	w.ep[to].React(&s.proto[to], seg, &r)
	c := uint64(1)
	for range lookahead - 1 {
		if !r.Answered {
			return c
		}
		c++
		to = to.Peer()
		w.ep[to].React(&s.proto[to], r.Answer, &r)
	}
	if r.Answered {
		c++
	}
	return c
}
