package tcpfsm

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// TestRandomWorld runs two Endpoints over a network that loses, reorders
// and duplicates segments, with applications that send and close at
// random, then lets the network heal, closes both sides and runs the
// timers. Along the way every call must keep the invariants and never hit
// an error row, received bytes must be the sender's bytes at their stream
// offsets, and the end of a stream must come after all of it. At the end
// both Endpoints must be CLOSED.
func TestRandomWorld(t *testing.T) {
	runs := 3000
	if n := os.Getenv("WORLD_RUNS"); n != "" {
		runs, _ = strconv.Atoi(n)
	}
	if testing.Short() {
		runs = 300
	}
	for run := 0; run < runs; run++ {
		randomWorld(t, uint64(run))
	}
}

type worldSide struct {
	*ep
	sent     uint64 // bytes passed to Send and accepted
	closedAt int64  // bytes sent when Close was accepted, -1 before
	got      uint64 // bytes received
	eof      bool
	id       byte
}

type worldSeg struct {
	to  int
	seg OutSegment
}

func randomWorld(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, worldStream))
	cfg := Config{MSS: 20, SynRetries: 3, DataRetries: 5, RcvWnd: uint32(20 + r.IntN(100)), RFC1337: r.IntN(2) == 0}
	var sides [2]*worldSide
	for i := range sides {
		cfg.ISS = Seq(r.Uint32())
		sides[i] = &worldSide{ep: newEp(t, cfg), closedAt: -1, id: byte(i)}
	}
	var net []worldSeg
	lossy := true

	// after handles the Output of a call on side i.
	after := func(i int, payload *OutSegment) {
		s := sides[i]
		out := &s.out
		for _, o := range out.Segments() {
			if lossy && r.IntN(5) == 0 {
				continue // lost
			}
			net = append(net, worldSeg{1 - i, o})
			if lossy && r.IntN(8) == 0 {
				net = append(net, worldSeg{1 - i, o}) // duplicated
			}
		}
		if out.Step.Event == EventClose && out.Step.OK && s.closedAt < 0 {
			s.closedAt = int64(s.sent)
		}
		if out.Tell&TellData != 0 {
			// The payload's bytes are the sender's stream bytes
			// o.Off+k; the receiver gets them from DataSkip on, at its
			// offsets Data.Off+k.
			peer := sides[1-i]
			if out.Data.Off != s.got {
				t.Fatalf("seed %d: side %d data at %d, want %d", seed, i, out.Data.Off, s.got)
			}
			srcOff := payload.Off + uint64(out.DataSkip)
			if srcOff != out.Data.Off {
				t.Fatalf("seed %d: side %d took peer bytes from %d as %d", seed, i, srcOff, out.Data.Off)
			}
			s.got += uint64(out.Data.Len)
			if s.got > peer.sent {
				t.Fatalf("seed %d: side %d got %d bytes, peer sent %d", seed, i, s.got, peer.sent)
			}
		}
		if out.Step.From != StateListen && s.e.State() == StateListen {
			// Back to LISTEN: a half-open connection is forgotten, with
			// any data queued on it (RFC 9293 3.10.7.4: "The user need
			// not be informed"). The next one starts a new stream.
			s.sent, s.closedAt = 0, -1
		}
		if out.Tell&TellEOF != 0 {
			peer := sides[1-i]
			if s.eof || int64(s.got) != peer.closedAt {
				t.Fatalf("seed %d: side %d EOF after %d bytes, peer closed after %d", seed, i, s.got, peer.closedAt)
			}
			s.eof = true
		}
	}

	sides[0].openActive()
	after(0, nil)
	sides[1].openPassive()
	after(1, nil)

	deliver := func(k int) {
		m := net[k]
		net = append(net[:k], net[k+1:]...)
		sides[m.to].seg(m.seg.Segment)
		after(m.to, &m.seg)
	}
	timeWaitOK := func(i int) bool {
		for _, m := range net {
			if m.to == i {
				return false // 2 MSL: nothing bound for i is still in flight
			}
		}
		return true
	}

	for step := 0; step < 200; step++ {
		i := r.IntN(2)
		s := sides[i]
		switch k := r.IntN(20); {
		case k < 2:
			n := r.IntN(60)
			s.send(n)
			if s.out.Step.OK {
				s.sent += uint64(n)
			}
			after(i, nil)
		case k == 2 && r.IntN(4) == 0:
			s.close()
			after(i, nil)
		case k == 3 && r.IntN(40) == 0:
			s.abort()
			after(i, nil)
		case k < 6:
			if tm := Timer(r.IntN(NumTimers)); s.e.Armed(tm) && (tm != TimerTimeWait || timeWaitOK(i)) {
				s.timeout(tm)
				after(i, nil)
			}
		default:
			if len(net) > 0 {
				deliver(r.IntN(len(net)))
			}
		}
	}

	// Heal: no more loss, both close, run until quiet.
	lossy = false
	for i, s := range sides {
		s.close()
		after(i, nil)
	}
	for round := 0; round < 1000; round++ {
		if len(net) > 0 {
			deliver(0)
			continue
		}
		fired := false
		for i, s := range sides {
			for tm := Timer(0); tm < NumTimers; tm++ {
				if s.e.Armed(tm) {
					s.timeout(tm)
					after(i, nil)
					fired = true
					break
				}
			}
			if fired {
				break
			}
		}
		if !fired {
			break
		}
	}
	for i, s := range sides {
		if s.e.State() != StateClosed {
			t.Fatalf("seed %d: side %d ends in %v (%v), peer %v, armed %b, last %+v segs %v", seed, i, s.e.State(), &s.e, &sides[1-i].e, s.e.armed, s.out.Step, s.out.Segments())
		}
	}
}

// worldStream picks the random stream of TestRandomWorld (WORLD_STREAM).
var worldStream = func() uint64 {
	n, _ := strconv.ParseUint(os.Getenv("WORLD_STREAM"), 10, 64)
	return 7 + n
}()
