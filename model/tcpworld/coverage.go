package tcpworld

import "sync/atomic"

// maxRows is how many rows of a table the world records as taken: far
// more than a TCP table has (spec/tcp.fsm has fewer than 200); a row
// beyond it is not recorded.
const maxRows = 1 << 12

// rowSet is the set of table rows the world's steps have gone through.
// Steps run on many goroutines at once, so each word is read before it is
// written: once a row is recorded, taking it again costs one load.
type rowSet struct{ words [maxRows / 64]atomic.Uint64 }

func (r *rowSet) add(row int) {
	if row < 0 || row >= maxRows {
		return
	}
	w, bit := &r.words[row/64], uint64(1)<<(row%64)
	if w.Load()&bit == 0 {
		w.Or(bit)
	}
}

// RowsTaken returns the indexes of the table rows that the steps the
// System has performed went through (every Next and Apply so far, by any
// goroutine), in increasing order: after a complete Check, the rows the
// world exercises. An index is one of tcpfsm.Rows, or with Config.Table
// one of the variant's rows.
func (s *System) RowsTaken() []int {
	var rows []int
	for i := range s.rows.words {
		w := s.rows.words[i].Load()
		for b := range 64 {
			if w&(1<<b) != 0 {
				rows = append(rows, i*64+b)
			}
		}
	}
	return rows
}
