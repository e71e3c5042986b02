package tcpfsm_test

// The prediction tests that start from connections the Endpoint harness
// builds, and from a random walk; they reach predictAck through the hooks
// of export_test.go. checkPrediction is in predict_test.go.

import (
	"math/rand/v2"
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

// TestPredictAck tries the combinations of control bits with a grid of
// sequence numbers, acknowledgment numbers, lengths and windows around
// the edges of the tests, in every synchronized state, with data and a
// FIN outstanding or not, and windows from one byte to more than 2^31.
func TestPredictAck(t *testing.T) {
	type start struct {
		name string
		e    Endpoint
	}
	var starts []start
	add := func(name string, c *conn) { starts = append(starts, start{name, c.e}) }
	x := plain(t)
	for _, f := range allFixtures {
		add(f.state.String(), f.make(x))
	}
	add("SYN-RECEIVED active", x.synReceivedActive())
	add("ESTABLISHED active", x.establishedActive())
	add("ESTABLISHED data outstanding", x.established().send(1000))
	add("ESTABLISHED data queued", x.established().recv(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 0}).send(1000))
	add("ESTABLISHED huge peer window", x.established().recv(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 1<<31 + 5}).send(100))
	add("ESTABLISHED one-byte window", x.closed(Config{RcvWnd: 1}).openPassive().recv(inSyn(300)).recv(inAck(301, 101)))
	zero := x.established()
	ZeroRcvWnd(&zero.e) // Config cannot ask for this; the classifier handles it all the same
	add("ESTABLISHED zero receive window", zero)
	add("FIN-WAIT-1 data outstanding", x.established().send(100).close())
	add("CLOSE-WAIT data outstanding", x.closeWait().send(100))
	wrap := x.newConn("us", 0xffffff00, Config{}).openPassive().recv(inSyn(0xfffffff0)).recv(inAck(0xfffffff1, 0xffffff01)).send(1000)
	add("ESTABLISHED wrapping", wrap)

	offsets := []int64{0, 1, -1, 2, -2, 99, 100, 101, 536, 1000, 1001, 65534, 65535, 65536, 1 << 30, 1<<31 - 1, 1 << 31, 1<<31 + 1, -(1 << 30)}
	lens := []uint32{0, 1, 2, 536, 65535, 65536}
	wnds := []uint32{0, 1, 8192, 1<<31 + 7}
	predicted := 0
	for _, st := range starts {
		e := st.e
		if !Synchronized(&e) {
			continue
		}
		n, k := 0, 0
		for f := range 32 {
			// The four bits the classifier reads, and once more with
			// the four it does not.
			flags := Flags(f&1)*FlagSYN | Flags(f>>1&1)*FlagACK | Flags(f>>2&1)*FlagRST | Flags(f>>3&1)*FlagFIN
			if f >= 16 {
				flags |= FlagPSH | FlagURG | FlagECE | FlagCWR
			}
			for _, so := range offsets {
				for _, ao := range offsets {
					for _, base := range []Seq{e.SndUna(), e.SndNxt()} {
						for _, l := range lens {
							seg := Segment{
								Flags: flags,
								Seq:   e.RcvNxt() + Seq(so),
								Ack:   base + Seq(ao),
								Len:   l,
								Wnd:   wnds[k%len(wnds)],
							}
							k++
							if CheckPrediction(t, &e, seg) {
								n++
							}
						}
					}
				}
			}
		}
		t.Logf("%s: %d segments predicted", st.name, n)
		predicted += n
	}
	if predicted == 0 {
		t.Fatal("predictAck never said true: the test tests nothing")
	}
}

// FuzzPredictAck checks the prediction on the inputs of
// FuzzEndpointSegment: every segment segmentFrom makes, on an Endpoint
// that the earlier records have moved.
func FuzzPredictAck(f *testing.F) {
	f.Add([]byte{4, 7, 0x10, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{4, 2, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0x10, 0, 1, 0, 0x10, 0, 3, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		c := allFixtures[int(data[0])%len(allFixtures)].make(plain(t))
		data = data[1:]
		for len(data) >= 9 {
			op, rec := data[0], data[1:9]
			data = data[9:]
			switch op % 8 {
			case 0:
				c.e.Send(int(rec[0])*7, &c.out)
			case 1:
				c.e.Close(&c.out)
			case 2:
				c.e.Timeout(Timer(rec[0])%NumTimers, &c.out)
			default:
				seg := segmentFrom(rec, &c.e)
				CheckPrediction(t, &c.e, seg)
				c.e.Segment(seg, &c.out)
			}
		}
	})
}

// TestPredictAckWalk checks the prediction on every segment two Endpoints
// send each other over a network that loses, duplicates and reorders, and
// on random segments near their windows in between.
func TestPredictAckWalk(t *testing.T) {
	steps := 200000
	if testing.Short() {
		steps = 20000
	}
	predicted := 0
	w := pairWalk{r: rand.New(rand.NewPCG(1, 2)), arriving: func(e *Endpoint, seg Segment) {
		if CheckPrediction(t, e, seg) {
			predicted++
		}
	}}
	w.run(steps)
	t.Logf("%d of %d steps predicted", predicted, steps)
	if predicted == 0 {
		t.Fatal("predictAck never said true: the test tests nothing")
	}
}
