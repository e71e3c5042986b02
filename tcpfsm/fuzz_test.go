package tcpfsm_test

import (
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

// FuzzEndpointSegment feeds arbitrary segments, mixed with some user calls
// and timer expiries, to an Endpoint that starts in any state. After every
// call the Endpoint must satisfy CheckInvariants (a valid state, SND.UNA
// never beyond SND.NXT, the flags agreeing with the state, timers running
// when they should) and no segment or timer may reach an error row of the
// table, which marks a pair the classifier must never produce; the
// harness checks both, and the rest of what must hold after any call.
//
// The input is: one byte choosing the starting state, then records of 9
// bytes: an operation byte and 8 bytes that segmentFrom turns into a
// segment near the Endpoint's windows.
func FuzzEndpointSegment(f *testing.F) {
	f.Add([]byte{4, 0, 0x10, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{4, 0, 0x04, 0, 0, 0, 0, 0, 3, 0, 0, 0x02, 5, 0, 0, 0, 0, 3, 0})
	f.Add([]byte{5, 0, 0x11, 0, 1, 0, 0, 0, 3, 0})
	f.Add([]byte{10, 0, 0x11, 0, 0, 0, 0, 0, 2, 0})
	f.Fuzz(fuzzEndpoint)
}

// fuzzStarts are the starting points of FuzzEndpointSegment: a connection
// in each state, in State order, then ESTABLISHED and SYN-RECEIVED after
// an active OPEN.
var fuzzStarts = append(allFixtures[:len(allFixtures):len(allFixtures)],
	fixture{name: "established_active", state: StateEstablished, make: (*ctx).establishedActive},
	fixture{name: "syn_received_active", state: StateSynReceived, make: (*ctx).synReceivedActive})

func fuzzEndpoint(t *testing.T, data []byte) {
	if len(data) == 0 {
		return
	}
	c := fuzzStarts[int(data[0])%len(fuzzStarts)].make(plain(t))
	data = data[1:]
	for len(data) >= 9 {
		op, rec := data[0], data[1:9]
		data = data[9:]
		switch op % 16 {
		case 0:
			c.openPassive()
		case 1:
			c.openActive()
		case 2:
			c.send(int(rec[0]) * 7)
		case 3:
			c.close()
		case 4:
			c.abort()
		case 5, 6:
			c.timeout(Timer(rec[0]) % NumTimers)
		default:
			c.recv(segmentFrom(rec, &c.e))
		}
		if c.e.SndUna().GreaterThan(c.e.SndNxt()) {
			t.Fatalf("SND.UNA %d beyond SND.NXT %d", c.e.SndUna(), c.e.SndNxt())
		}
	}
}

// segmentFrom decodes 8 bytes into a segment near e's windows: flags,
// SEG.SEQ as an offset from RCV.NXT, SEG.ACK as an offset from SND.UNA,
// the length, the window, and a byte that sometimes makes the numbers
// absolute.
func segmentFrom(b []byte, e *Endpoint) Segment {
	s := Segment{
		Flags: Flags(b[0]) & (FlagFIN | FlagSYN | FlagRST | FlagACK | FlagPSH),
		Seq:   e.RcvNxt() + Seq(int32(int8(b[1]))),
		Ack:   e.SndUna() + Seq(int32(int8(b[2]))%8),
		Len:   uint32(b[3] % 64),
		Wnd:   uint32(b[4]) << 4,
	}
	if e.State() == StateListen || e.State() == StateClosed || e.State() == StateSynSent {
		s.Seq = Seq(b[5]) << 8
	}
	switch b[6] % 8 {
	case 0:
		s.Seq = Seq(uint32(b[5])<<24 | uint32(b[7])<<8)
	case 1:
		s.Ack = Seq(uint32(b[7])<<24 | uint32(b[5]))
	case 2:
		s.Seq = e.RcvNxt() - 1 - Seq(s.Len) // ends just before RCV.NXT: a FIN again, or old data
	}
	return s
}
