package proptest

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
)

// TestRandomWorld runs two Endpoints, a client and a server, over a
// network that loses, reorders and duplicates segments (the world of
// model/tcpworld, run by the harness of world_harness_test.go), with
// applications that send, close and abort at random, then lets the
// network heal (the default policy loses and copies nothing), closes both
// sides and runs the timers. Along the way every step must keep the
// invariants and never hit an error row, received bytes must be the
// sender's bytes at their stream offsets, and the end of a stream must
// come after all of it. At the end both Endpoints must be CLOSED with
// nothing in flight. Unlike the hostile-network property, each run comes
// from a seed of its own (WORLD_RUNS runs; WORLD_STREAM picks the random
// stream), with the segment size and windows of a small real connection.
func TestRandomWorld(t *testing.T) {
	t.Parallel()
	runs := 3000
	if n := os.Getenv("WORLD_RUNS"); n != "" {
		runs, _ = strconv.Atoi(n)
	}
	if testing.Short() {
		runs = 300
	}
	for run := range runs {
		s := randomSchedule(uint64(run))
		if r := runSchedule(s, nil); r.violated != "" {
			t.Fatalf("seed %d: %s: %s\n%s", run, r.violated, r.detail, describe(s))
		}
	}
}

// randomSchedule is the schedule of run seed of TestRandomWorld: 200
// random choices in a world with every fault, as many segments in flight
// and duplications as the world holds, MSS 20, a receive window of 20 to
// 119 bytes, random initial sequence numbers, RFC 1337 on or off.
func randomSchedule(seed uint64) schedule {
	r := rand.New(rand.NewPCG(seed, worldStream))
	c := tcpworld.Config{
		Loss: true, Reorder: true, Dup: tcpworld.MaxDup, Capacity: tcpworld.MaxCapacity,
		Retries: 3 + r.IntN(3), Data: r.IntN(tcpworld.MaxData + 1), MSS: 20, Window: uint32(20 + r.IntN(100)),
		RFC1337: r.IntN(2) == 0, Open: tcpworld.OpenClientServer, Abort: r.IntN(8) == 0,
	}
	for i := range c.ISS {
		c.ISS[i] = tcpfsm.Seq(r.Uint32())
	}
	choices := make([]uint8, 200)
	for i := range choices {
		choices[i] = uint8(r.Uint32())
	}
	return schedule{Config: c, Choices: choices}
}

// worldStream picks the random stream of TestRandomWorld (WORLD_STREAM).
var worldStream = func() uint64 {
	n, _ := strconv.ParseUint(os.Getenv("WORLD_STREAM"), 10, 64)
	return 7 + n
}()
