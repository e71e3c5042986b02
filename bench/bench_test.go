package bench

import (
	"encoding/binary"
	"testing"

	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/wire"
)

// The benchmarks, in one run so that docs/benchmarks.md (make bench-report)
// compares the implementations on one machine at one time:
//
//	BenchmarkTransition      one table event, the three implementations, and
//	                         noop-call: the same loop around a call that does nothing
//	BenchmarkEstablishedAck  one seg-ack in ESTABLISHED, the three
//	BenchmarkLifecycle       a whole connection life cycle, the three
//	BenchmarkSegment         one ESTABLISHED data segment through tcpfsm.Endpoint
//	BenchmarkParseHeader     wire.ParseHeader and Header.Parse on a bare ACK and on a
//	                         SYN with options
//
// Every implementation sees the same events from the same slice, in the
// same loop, and each loop ends by checking the state it reached, so that
// nothing is measured that did not happen.
//
// The loops of the state machine benchmarks are "for range b.N", not "for
// b.Loop()": b.Loop keeps every variable assigned in its body alive by
// storing it to the stack on every iteration, which puts a store and a
// load between one step and the next. A non-inlined call pays for those
// anyway (its results are in registers only until the store), but
// tcpfsm.Step, which the compiler inlines, would be timed together with a
// store and a load it does not need. Nothing can be optimized away
// instead: every result goes into an accumulator that is written to a
// package variable, and the state reached is checked.

var sink tcpfsm.Actions

// BenchmarkTransition measures one table event: the 21 events of the active
// and the passive life cycle, over and over. ns/op is per event.
func BenchmarkTransition(b *testing.B) {
	benchEvents(b, Lifecycles(), tcpfsm.InitialState)
}

// BenchmarkEstablishedAck measures the event every data segment of a
// connection takes, seg-ack in ESTABLISHED (take-ack take-data), over and
// over: the steady state of a transfer, where the branches are predictable.
func BenchmarkEstablishedAck(b *testing.B) {
	in := []Input{{Event: tcpfsm.EventSegAck, Want: tcpfsm.StateEstablished}}
	benchEvents(b, in, tcpfsm.StateEstablished)
}

// noopStep has the signature of tcpfsm.Step and does nothing: the
// noop-call sub-benchmarks time the loop and the call around Step, the
// floor under any Step.
//
//go:noinline
func noopStep(s tcpfsm.State, _ tcpfsm.Event, _ tcpfsm.Guards) (tcpfsm.State, tcpfsm.Actions, bool) {
	return s, 0, true
}

// benchEvents runs the three implementations on the events of in, from
// state start, cycling; in must lead from start back to start.
func benchEvents(b *testing.B, in []Input, start tcpfsm.State) {
	b.Run("noop-call", func(b *testing.B) { benchNoop(b, in, start) })
	b.Run("synfin-Step", func(b *testing.B) { benchStep(b, in, start) })
	ll, err := NewLooplab()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("looplab-fsm", func(b *testing.B) { benchLooplab(b, ll, in, start) })
	sl, err := NewStateless()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("qmuntal-stateless", func(b *testing.B) { benchStateless(b, sl, in, start) })
}

// wantAfter is the state the events of in, cycling from start, reach
// when the next one is in[i].
func wantAfter(in []Input, start tcpfsm.State, i int) tcpfsm.State {
	if i == 0 {
		return start
	}
	return in[i-1].Want
}

// benchNoop is benchEvents' loop around noopStep.
func benchNoop(b *testing.B, in []Input, start tcpfsm.State) {
	b.ReportAllocs()
	s, i := start, 0
	var acc tcpfsm.Actions
	for range b.N {
		var act tcpfsm.Actions
		s, act, _ = noopStep(s, in[i].Event, in[i].Guards)
		acc |= act
		if i++; i == len(in) {
			i = 0
		}
	}
	sink = acc
	if s != start {
		b.Fatalf("noopStep moved to %s", s)
	}
}

// benchStep is benchEvents' loop around tcpfsm.Step.
func benchStep(b *testing.B, in []Input, start tcpfsm.State) {
	b.ReportAllocs()
	s, i := start, 0
	var acc tcpfsm.Actions
	for range b.N {
		var act tcpfsm.Actions
		s, act, _ = tcpfsm.Step(s, in[i].Event, in[i].Guards)
		acc |= act
		if i++; i == len(in) {
			i = 0
		}
	}
	sink = acc
	if want := wantAfter(in, start, i); s != want {
		b.Fatalf("reached %s, want %s", s, want)
	}
}

// benchLooplab is benchEvents' loop around Looplab.Fire. It names the
// concrete type, as benchStateless does, so that neither pays for an
// interface call.
func benchLooplab(b *testing.B, ll *Looplab, in []Input, start tcpfsm.State) {
	b.ReportAllocs()
	ll.Reset(start)
	i := 0
	var acc tcpfsm.Actions
	for range b.N {
		act, _ := ll.Fire(in[i].Event, in[i].Guards)
		acc |= act
		if i++; i == len(in) {
			i = 0
		}
	}
	sink = acc
	if s, want := ll.State(), wantAfter(in, start, i); s != want {
		b.Fatalf("reached %s, want %s", s, want)
	}
}

// benchStateless is benchEvents' loop around Stateless.Fire.
func benchStateless(b *testing.B, sl *Stateless, in []Input, start tcpfsm.State) {
	b.ReportAllocs()
	sl.Reset(start)
	i := 0
	var acc tcpfsm.Actions
	for range b.N {
		act, _ := sl.Fire(in[i].Event, in[i].Guards)
		acc |= act
		if i++; i == len(in) {
			i = 0
		}
	}
	sink = acc
	if s, want := sl.State(), wantAfter(in, start, i); s != want {
		b.Fatalf("reached %s, want %s", s, want)
	}
}

// BenchmarkLifecycle measures one whole connection, CLOSED to CLOSED, per
// op, and reports ns/event as well.
func BenchmarkLifecycle(b *testing.B) {
	ll, err := NewLooplab()
	if err != nil {
		b.Fatal(err)
	}
	sl, err := NewStateless()
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range []Walk{Active, Passive} {
		in := w.Inputs
		perEvent := func(b *testing.B) {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(in)), "ns/event")
		}
		b.Run(w.Name+"/synfin-Step", func(b *testing.B) {
			b.ReportAllocs()
			var acc tcpfsm.Actions
			for range b.N {
				s := tcpfsm.InitialState
				for _, x := range in {
					var act tcpfsm.Actions
					s, act, _ = tcpfsm.Step(s, x.Event, x.Guards)
					acc |= act
				}
				if s != tcpfsm.StateClosed {
					b.Fatalf("ended in %s", s)
				}
			}
			sink = acc
			perEvent(b)
		})
		for _, peer := range []struct {
			name string
			m    Machine
		}{{"looplab-fsm", ll}, {"qmuntal-stateless", sl}} {
			b.Run(w.Name+"/"+peer.name, func(b *testing.B) {
				b.ReportAllocs()
				var acc tcpfsm.Actions
				switch m := peer.m.(type) {
				case *Looplab:
					for range b.N {
						m.Reset(tcpfsm.InitialState)
						for _, x := range in {
							act, _ := m.Fire(x.Event, x.Guards)
							acc |= act
						}
						if s := m.State(); s != tcpfsm.StateClosed {
							b.Fatalf("ended in %s", s)
						}
					}
				case *Stateless:
					for range b.N {
						m.Reset(tcpfsm.InitialState)
						for _, x := range in {
							act, _ := m.Fire(x.Event, x.Guards)
							acc |= act
						}
						if s := m.State(); s != tcpfsm.StateClosed {
							b.Fatalf("ended in %s", s)
						}
					}
				}
				sink = acc
				perEvent(b)
			})
		}
	}
}

// establishedEndpoint returns a client Endpoint in ESTABLISHED and the
// next in-order data segment from its peer: 100 bytes with an ACK of our
// SYN, as a bulk transfer brings them.
func establishedEndpoint(t testing.TB) (*tcpfsm.Endpoint, tcpfsm.Segment) {
	t.Helper()
	const iss, irs = 1000, 5000
	e := tcpfsm.NewEndpoint(tcpfsm.Config{ISS: iss})
	var out tcpfsm.Output
	e.OpenActive(&out)
	e.Segment(tcpfsm.Segment{Flags: tcpfsm.FlagSYN | tcpfsm.FlagACK, Seq: irs, Ack: iss + 1, Wnd: 65535}, &out)
	if e.State() != tcpfsm.StateEstablished {
		t.Fatalf("handshake ended in %s", e.State())
	}
	return &e, tcpfsm.Segment{Flags: tcpfsm.FlagACK | tcpfsm.FlagPSH, Seq: irs + 1, Ack: iss + 1, Len: 100, Wnd: 65535}
}

// BenchmarkSegment measures a whole ESTABLISHED data segment: the
// Endpoint classifies it (sequence and ACK checks), steps the table, takes
// the data and writes an ACK into the Output. "wire" parses the segment's
// TCP header from bytes first, as an embedder reading a TUN device does.
func BenchmarkSegment(b *testing.B) {
	b.Run("endpoint", func(b *testing.B) {
		e, seg := establishedEndpoint(b)
		var out tcpfsm.Output
		b.ReportAllocs()
		for b.Loop() {
			e.Segment(seg, &out)
			seg.Seq = seg.Seq.Add(seg.Len)
		}
		checkData(b, e, &out)
	})
	b.Run("wire", func(b *testing.B) {
		e, seg := establishedEndpoint(b)
		h := wire.Header{SrcPort: 443, DstPort: 50000, Seq: seg.Seq, Ack: seg.Ack, Flags: seg.Flags, Window: 65535}
		pkt := make([]byte, wire.MinHeaderLen+int(seg.Len))
		if _, err := h.MarshalTo(pkt); err != nil {
			b.Fatal(err)
		}
		seq := seg.Seq
		var out tcpfsm.Output
		b.ReportAllocs()
		for b.Loop() {
			binary.BigEndian.PutUint32(pkt[4:8], uint32(seq))
			payload, err := h.Parse(pkt) // into h: no 116-byte Header by value
			if err != nil {
				b.Fatal(err)
			}
			e.Segment(tcpfsm.SegmentFromHeader(&h, len(payload)), &out)
			seq = seq.Add(uint32(len(payload)))
		}
		checkData(b, e, &out)
	})
}

// checkData fails unless the last segment was taken as in-order data in
// ESTABLISHED and answered with one ACK.
func checkData(b *testing.B, e *tcpfsm.Endpoint, out *tcpfsm.Output) {
	b.Helper()
	if e.State() != tcpfsm.StateEstablished || out.Step.Event != tcpfsm.EventSegAck ||
		out.Tell&tcpfsm.TellData == 0 || out.NSegs != 1 {
		b.Fatalf("last segment: %s, step %+v, tell %s, %d segments out", e.State(), out.Step, out.Tell, out.NSegs)
	}
}

type header struct {
	name string
	wire []byte
}

// headers returns the TCP headers BenchmarkParseHeader reads: a bare ACK
// (20 bytes) and a SYN with the options Linux sends (MSS, SACK permitted,
// timestamps, window scale: 40 bytes).
func headers(t testing.TB) []header {
	t.Helper()
	ack := wire.Header{SrcPort: 443, DstPort: 50000, Seq: 5001, Ack: 1001, Flags: wire.FlagACK, Window: 501}
	syn := wire.Header{SrcPort: 50000, DstPort: 443, Seq: 1000, Flags: wire.FlagSYN, Window: 64240,
		Options: wire.Options{MSS: 1460, HasMSS: true, SACKPermitted: true,
			TSVal: 123456789, HasTimestamps: true, WScale: 7, HasWScale: true}}
	var hs []header
	for _, x := range []struct {
		name string
		h    wire.Header
	}{{"bare", ack}, {"SYN-options", syn}} {
		raw, err := x.h.AppendTo(nil)
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, header{x.name, raw})
	}
	if len(hs[0].wire) != 20 || len(hs[1].wire) != 40 {
		t.Fatalf("header lengths %d and %d, want 20 and 40", len(hs[0].wire), len(hs[1].wire))
	}
	return hs
}

// BenchmarkParseHeader measures wire.ParseHeader, which returns the
// Header, and Header.Parse, which fills one the caller keeps ("into").
func BenchmarkParseHeader(b *testing.B) {
	for _, h := range headers(b) {
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(h.wire)))
			for b.Loop() {
				if _, _, err := wire.ParseHeader(h.wire); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(h.name+"-into", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(h.wire)))
			var hdr wire.Header
			for b.Loop() {
				if _, err := hdr.Parse(h.wire); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
