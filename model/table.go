package model

// The visited set is an open-addressing hash set of 64-bit fingerprints,
// split into shards by the top bits of the (mixed) fingerprint so that the
// shards can be filled in parallel, each by one goroutine, in the same order
// whatever the number of workers. Each slot is one uint64 (0 = empty; the
// fingerprint 0 is kept aside) plus, when the liveness graph is needed, one
// uint32 state id in a parallel array. Linear probing; a shard grows by half
// when it would pass 3/4 full, so a slot costs 8 (or 12) bytes and a stored
// state between 10.7 and 16 (or 16 and 24) bytes of table. (Doubling would
// leave shards between 3/8 and 3/4 full, up to twice the memory; the sizes
// are not powers of two, so the first slot of a key is found by scaling,
// not masking, its bits.)

const (
	shardBits = 6
	nShards   = 1 << shardBits

	// fibMul is 2^64 divided by the golden ratio, rounded to odd: a
	// bijective multiplier that spreads any fingerprint over the top bits.
	fibMul = 0x9e3779b97f4a7c15

	minShardSize = 64 // slots in a new shard

	// noState marks a missing state id: a slot whose state was dropped
	// at MaxStates, an edge to such a state, or the parent of an initial
	// state.
	noState = ^uint32(0)
)

// mix turns a fingerprint into the key stored in the table. It is a
// bijection, so it neither adds nor removes collisions.
func mix(fp uint64) uint64 { return fp * fibMul }

func shardOf(h uint64) int { return int(h >> (64 - shardBits)) }

type shard struct {
	slots   []uint64
	ids     []uint32 // nil unless the table keeps ids
	used    int
	grown   int // times grown: slots found before a growth are stale
	hasZero bool
	zeroID  uint32
}

type table struct {
	shards  [nShards]shard
	withIDs bool
}

func newTable(withIDs bool) *table {
	t := &table{withIDs: withIDs}
	for i := range t.shards {
		t.shards[i].alloc(minShardSize, withIDs)
	}
	return t
}

func (s *shard) alloc(size int, withIDs bool) {
	s.slots = makeWritten[uint64](size)
	if withIDs {
		s.ids = makeWritten[uint32](size)
	}
	s.used = 0
}

// home is the first slot to probe for key h: the 32 bits of h after the
// shard's, scaled to the shard's size, so that the order of keys is the
// order of their home slots.
func (s *shard) home(h uint64) int {
	return int(((h << shardBits) >> 32) * uint64(len(s.slots)) >> 32)
}

// find returns the slot holding h, or -1. h must not be 0.
func (s *shard) find(h uint64) int {
	for i := s.home(h); ; {
		switch s.slots[i] {
		case h:
			return i
		case 0:
			return -1
		}
		if i++; i == len(s.slots) {
			i = 0
		}
	}
}

// find reports whether key h is present and its slot (zeroSlot for key
// 0). It only reads, so any number of goroutines may call it while no one
// inserts.
func (t *table) find(h uint64) (uint32, bool) {
	s := &t.shards[shardOf(h)]
	if h == 0 {
		return zeroSlot, s.hasZero
	}
	i := s.find(h)
	return uint32(i), i >= 0
}

// peek returns the content of key h's first slot (and, if ids too, its
// id): loads with no use but to bring them into the cache before find and
// idAt need them.
func (t *table) peek(h uint64, ids bool) uint64 {
	s := &t.shards[shardOf(h)]
	i := s.home(h)
	if ids {
		return s.slots[i] + uint64(s.ids[i])
	}
	return s.slots[i]
}

// zeroSlot is the slot of key 0, which is kept outside the slots.
const zeroSlot = ^uint32(0)

// insert adds key h and reports its slot and whether it was new. The id
// of a new key is left for setID, which the caller must call before
// anyone reads it. Only the goroutine that owns h's shard may call it. The slot stays
// valid until the shard grows again.
func (t *table) insert(h uint64) (uint32, bool) {
	s := &t.shards[shardOf(h)]
	if h == 0 {
		if s.hasZero {
			return zeroSlot, false
		}
		s.hasZero, s.zeroID = true, noState
		return zeroSlot, true
	}
	if (s.used+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	i := s.home(h)
	for s.slots[i] != 0 {
		if s.slots[i] == h {
			return uint32(i), false
		}
		if i++; i == len(s.slots) {
			i = 0
		}
	}
	s.slots[i] = h
	s.used++
	return uint32(i), true
}

// slot returns the slot of key h, which must be present.
func (t *table) slot(h uint64) uint32 {
	if h == 0 {
		return zeroSlot
	}
	return uint32(t.shards[shardOf(h)].find(h))
}

func (s *shard) grow() {
	s.grown++
	old, oldIDs := s.slots, s.ids
	s.alloc(len(old)+len(old)/2, oldIDs != nil)
	for j, h := range old {
		if h == 0 {
			continue
		}
		i := s.home(h)
		for s.slots[i] != 0 {
			if i++; i == len(s.slots) {
				i = 0
			}
		}
		s.slots[i] = h
		if oldIDs != nil {
			s.ids[i] = oldIDs[j]
		}
		s.used++
	}
}

// setID records the id of key h at its slot. Goroutines may set the ids
// of different keys at once while no one inserts.
func (t *table) setID(h uint64, slot, id uint32) {
	s := &t.shards[shardOf(h)]
	if slot == zeroSlot {
		s.zeroID = id
		return
	}
	s.ids[slot] = id
}

// idAt returns the id of key h at its slot.
func (t *table) idAt(h uint64, slot uint32) uint32 {
	s := &t.shards[shardOf(h)]
	if slot == zeroSlot {
		return s.zeroID
	}
	return s.ids[slot]
}

func (t *table) bytes() int64 {
	var n int64
	for i := range t.shards {
		n += int64(len(t.shards[i].slots))*8 + int64(len(t.shards[i].ids))*4
	}
	return n
}
