package model

import (
	"fmt"
	"math"
)

// link appends the edges of the level just expanded to the graph (phase D),
// resolving the targets that were candidates to their ids.
func (e *explorer[S]) link(chs []*chunk[S], base, F int) error {
	total := e.trans // every transition out of an expanded state is an edge
	if total > math.MaxUint32 {
		return fmt.Errorf("model: more than %d transitions; the liveness graph cannot hold them", uint32(math.MaxUint32))
	}
	eb := int(total)
	for i := len(chs) - 1; i >= 0; i-- {
		eb -= len(chs[i].edgeRef)
		chs[i].edgeBase = eb
	}
	e.off.grow(base + F + 1)
	e.tgt.grow(int(total))
	e.fair.grow(int(total))
	e.crew.forEach(len(chs), func(_, ci int) {
		c := chs[ci]
		pos := c.edgeBase
		for i, n := range c.nsucc {
			e.off.set(base+c.lo+i, uint32(pos))
			pos += int(n)
		}
		for i, r := range c.edgeRef {
			id := uint32(r)
			if r&candRef != 0 {
				// The candidate: a new state of this chunk has its id
				// in slot (phase C); another one is in the table.
				cd := &c.cand[uint32(r)]
				if id = cd.slot; !cd.isNew {
					id = e.tab.idAt(cd.fp, cd.slot)
				}
			}
			e.tgt.set(c.edgeBase+i, id)
			e.fair.set(c.edgeBase+i, c.edgeFair[i])
		}
	}, nil)
	e.off.set(base+F, uint32(total))
	return nil
}

// graphEdges is the number of transitions kept for the liveness check.
func (e *explorer[S]) graphEdges() int64 {
	switch e.live {
	case liveGraph:
		return e.trans
	case liveRanked:
		return int64(len(e.kept.tgt))
	}
	return 0
}
