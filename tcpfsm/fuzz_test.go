package tcpfsm

import "testing"

// FuzzEndpointSegment feeds arbitrary segments, mixed with some user calls
// and timer expiries, to an Endpoint that starts in any state. After every
// call the Endpoint must satisfy CheckInvariants (a valid state, SND.UNA
// never beyond SND.NXT, the flags agreeing with the state, timers running
// when they should) and no segment or timer may reach an error row of the
// table, which marks a pair the classifier must never produce.
//
// The input is: one byte choosing the starting state, then records of 9
// bytes: an operation byte and 8 bytes that segmentFrom turns into a
// segment near the Endpoint's windows.
func FuzzEndpointSegment(f *testing.F) {
	f.Add([]byte{4, 0, 0x10, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{4, 0, 0x04, 0, 0, 0, 0, 0, 3, 0, 0, 0x02, 5, 0, 0, 0, 0, 3, 0})
	f.Add([]byte{5, 0, 0x11, 0, 1, 0, 0, 0, 3, 0})
	f.Add([]byte{10, 0, 0x11, 0, 0, 0, 0, 0, 2, 0})
	f.Fuzz(fuzzOne)
}

func fuzzOne(t *testing.T, data []byte) {
	{
		if len(data) == 0 {
			return
		}
		starts := append(fixtures[:len(fixtures):len(fixtures)],
			struct {
				state State
				make  func(testing.TB) *ep
			}{StateEstablished, establishedActive},
			struct {
				state State
				make  func(testing.TB) *ep
			}{StateSynReceived, synReceivedActive})
		c := starts[int(data[0])%len(starts)].make(t)
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
				c.seg(segmentFrom(rec, &c.e))
			}
			if c.e.SndUna().GreaterThan(c.e.SndNxt()) {
				t.Fatalf("SND.UNA %d beyond SND.NXT %d", c.e.SndUna(), c.e.SndNxt())
			}
		}
	}
}
