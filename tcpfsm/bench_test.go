package tcpfsm_test

import (
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// The benchmarks of the table and of the Endpoint. Each says in its
// comment what one op is; docs/benchmarks.md (make bench-report) has
// their figures.
//
//	BenchmarkStep/all-pairs         Step over all 253 state x event pairs in turn:
//	                                every op a different case, the worst case for
//	                                the branch predictor
//	BenchmarkStep/established-ack   Step on seg-ack in ESTABLISHED, over and over:
//	                                what every segment of a transfer asks
//	BenchmarkStep/lifecycle         Step along an active and a passive connection's
//	                                life, CLOSED to CLOSED (21 events), each event
//	                                fed the state the one before reached
//	BenchmarkStep/noop-call         the established-ack loop around a function with
//	                                Step's signature that does nothing: the floor
//	                                under any Step measured this way
//	BenchmarkMatch/all-pairs, established-ack
//	                                the same for Match, which the Endpoint calls
//	BenchmarkEndpointSegment        one ESTABLISHED data segment with an ACK, on a
//	                                fresh copy of the same Endpoint every op (the
//	                                copy, 160 bytes, is part of the op)
//	BenchmarkEndpointSegmentVariant the same through the interpreter (UseTable)
//	BenchmarkEndpointStream/receive one in-order data segment on a long-lived
//	                                ESTABLISHED Endpoint, answered with an ACK:
//	                                the receiver's steady state, no copy
//	BenchmarkEndpointStream/send    one arriving ACK of an MSS on a long-lived
//	                                ESTABLISHED Endpoint with a full window of
//	                                data in flight, answered with the next MSS:
//	                                the bulk sender's steady state, no copy
//	BenchmarkEndpointSend           a SEND of one MSS in ESTABLISHED, on a copy
//
// The Step and Match loops are "for range b.N", not "for b.Loop()":
// b.Loop keeps every variable assigned in its body alive by storing it to
// the stack on every iteration, which puts a store and a load between one
// inlined Step and the next and doubles its time. Nothing can be optimized
// away instead: every result goes into an accumulator that is written to a
// package variable, and the state reached is checked.

// stepInput is one Step call of a benchmark.
type stepInput struct {
	s State
	e Event
	g Guards
}

// lifecycleEvents is an active open and close then a passive open and
// close, CLOSED to CLOSED, with the guards the Endpoint would compute.
var lifecycleEvents = []struct {
	e    Event
	g    Guards
	want State
}{
	// Active: open, handshake, data both ways, our FIN first, TIME-WAIT.
	{EventOpenActive, 0, StateSynSent},
	{EventSend, 0, StateSynSent},
	{EventSegSynAck, 0, StateEstablished},
	{EventSegAck, 0, StateEstablished},
	{EventSend, 0, StateEstablished},
	{EventSegAck, 0, StateEstablished},
	{EventClose, 0, StateFinWait1},
	{EventSegAckFin, 0, StateFinWait2},
	{EventSegAck, 0, StateFinWait2},
	{EventSegFin, 0, StateTimeWait},
	{EventTimeout2msl, 0, StateClosed},
	// Passive: listen, handshake, data both ways, the peer's FIN first.
	{EventOpenPassive, 0, StateListen},
	{EventSegSyn, 0, StateSynReceived},
	{EventSegAckSyn, GuardPassive, StateEstablished},
	{EventSegAck, GuardPassive, StateEstablished},
	{EventSend, GuardPassive, StateEstablished},
	{EventSegAck, GuardPassive, StateEstablished},
	{EventSegFin, GuardPassive, StateCloseWait},
	{EventSend, GuardPassive, StateCloseWait},
	{EventClose, GuardPassive, StateLastAck},
	{EventSegAckFin, GuardPassive, StateClosed},
}

// allPairs is every state and event, state-major, under GuardPassive.
func allPairs() []stepInput {
	in := make([]stepInput, 0, NumStates*NumEvents)
	for s := State(0); s < NumStates; s++ {
		for e := Event(0); e < NumEvents; e++ {
			in = append(in, stepInput{s, e, GuardPassive})
		}
	}
	return in
}

// BenchmarkStep is the generated Step alone. ns/op is per Step call.
func BenchmarkStep(b *testing.B) {
	b.Run("all-pairs", func(b *testing.B) {
		in := allPairs()
		var acc Actions
		i := 0
		b.ReportAllocs()
		for range b.N {
			p := &in[i]
			_, act, _ := Step(p.s, p.e, p.g)
			acc |= act
			if i++; i == len(in) {
				i = 0
			}
		}
		sinkActions = acc
	})
	b.Run("established-ack", func(b *testing.B) {
		// The state is fed back, as a connection does: a Step that left
		// ESTABLISHED would show in the check below.
		s, e, g := StateEstablished, EventSegAck, GuardPassive
		var acc Actions
		b.ReportAllocs()
		for range b.N {
			var act Actions
			s, act, _ = Step(s, e, g)
			acc |= act
		}
		sinkActions = acc
		if s != StateEstablished || acc != ActionTakeAck|ActionTakeData {
			b.Fatalf("reached %v with %v", s, acc)
		}
	})
	b.Run("noop-call", func(b *testing.B) {
		s, e, g := StateEstablished, EventSegAck, GuardPassive
		var acc Actions
		b.ReportAllocs()
		for range b.N {
			var act Actions
			s, act, _ = noopStep(s, e, g)
			acc |= act
		}
		sinkActions = acc
		if s != StateEstablished {
			b.Fatalf("reached %v", s)
		}
	})
	b.Run("lifecycle", func(b *testing.B) {
		s := StateClosed
		var acc Actions
		i := 0
		b.ReportAllocs()
		for range b.N {
			x := &lifecycleEvents[i]
			var act Actions
			s, act, _ = Step(s, x.e, x.g)
			acc |= act
			if i++; i == len(lifecycleEvents) {
				i = 0
			}
		}
		sinkActions = acc
		if want := lifecycleWant(i); s != want {
			b.Fatalf("reached %v, want %v", s, want)
		}
	})
}

// BenchmarkMatch is the generated Match, which the Endpoint calls to find
// the row (Step does not name it), on the inputs of BenchmarkStep.
func BenchmarkMatch(b *testing.B) {
	b.Run("all-pairs", func(b *testing.B) {
		in := allPairs()
		acc := 0
		i := 0
		b.ReportAllocs()
		for range b.N {
			p := &in[i]
			acc += Match(p.s, p.e, p.g)
			if i++; i == len(in) {
				i = 0
			}
		}
		sinkInt = acc
	})
	b.Run("established-ack", func(b *testing.B) {
		s, e, g := StateEstablished, EventSegAck, GuardPassive
		acc := 0
		b.ReportAllocs()
		for range b.N {
			acc += Match(s, e, g)
		}
		sinkInt = acc
	})
}

// noopStep has Step's signature and does nothing but return its state.
//
//go:noinline
func noopStep(s State, _ Event, _ Guards) (State, Actions, bool) {
	return s, 0, true
}

// lifecycleWant is the state reached after the first i events of
// lifecycleEvents.
func lifecycleWant(i int) State {
	if i == 0 {
		return StateClosed
	}
	return lifecycleEvents[i-1].want
}

var (
	sinkActions Actions
	sinkInt     int
)

// TestLifecycleEvents: the benchmark's walk is what the table does.
func TestLifecycleEvents(t *testing.T) {
	s := StateClosed
	for i, x := range lifecycleEvents {
		next, _, ok := Step(s, x.e, x.g)
		if !ok || next != x.want {
			t.Fatalf("event %d: %v in %v: %v ok=%v, want %v", i, x.e, s, next, ok, x.want)
		}
		s = next
	}
	if s != StateClosed {
		t.Fatalf("walk ends in %v", s)
	}
}

// BenchmarkEndpointSegment is one whole ESTABLISHED data segment with an
// ACK: classify, step, take the ACK and the data, answer with an ACK. Each
// op starts from a copy of the same Endpoint, so the copy is measured too;
// BenchmarkEndpointStream has no copy.
func BenchmarkEndpointSegment(b *testing.B) {
	benchSegment(b, nil)
}

// BenchmarkEndpointSegmentVariant is the same through the interpreter
// (UseTable).
func BenchmarkEndpointSegmentVariant(b *testing.B) {
	benchSegment(b, tcptest.Table(b, tcptest.AsWritten))
}

func benchSegment(b *testing.B, tab *Table) {
	base := plain(b).established().send(100).e
	tcptest.Use(&base, tab)
	seg := inData(301, 201, 536)
	var out Output
	b.ReportAllocs()
	for b.Loop() {
		e := base
		e.Segment(seg, &out)
	}
	if out.NSegs != 1 || out.Tell != TellData || out.Acked != 100 {
		b.Fatalf("unexpected output %+v", out)
	}
}

// BenchmarkEndpointStream is one segment on a long-lived ESTABLISHED
// Endpoint, the steady state of a transfer.
func BenchmarkEndpointStream(b *testing.B) {
	const mss = DefaultMSS
	// receive: the peer sends data in order, SEG.SEQ advancing by an MSS
	// each time (wrapping around the sequence space as it goes), and the
	// Endpoint takes it and ACKs it. It has nothing outstanding itself.
	// With no receive buffer inside, this can go on for ever.
	b.Run("receive", func(b *testing.B) {
		c := plain(b).established()
		e := &c.e
		ack := e.SndNxt()
		seq := e.RcvNxt()
		// The segment is built once and its SEQ advanced: a composite
		// literal per op makes the compiler write it field by field and
		// copy it 16 bytes at a time, a load that store forwarding cannot
		// serve, and the stall was a fifth of the op.
		seg := inData(seq, ack, mss)
		var out Output
		b.ReportAllocs()
		for b.Loop() {
			e.Segment(seg, &out)
			seg.Seq += mss
		}
		seq = seg.Seq
		if out.NSegs != 1 || out.Segs[0].Ack != seq || out.Tell != TellData || out.Data.Len != mss ||
			e.RcvNxt() != seq || e.State() != StateEstablished {
			b.Fatalf("unexpected output %+v after %v", out, e)
		}
	})
	// send: a bulk sender with a full window in flight; each op is the
	// peer's ACK of the oldest MSS, and the Endpoint answers with the next
	// MSS. The send queue is topped up once in 2^16 ops, outside the
	// per-segment path.
	b.Run("send", func(b *testing.B) {
		c := plain(b).established()
		e := &c.e
		const wnd = 16 * mss
		var out Output
		peer := e.RcvNxt()
		ack := e.SndUna()
		e.Segment(Segment{Flags: FlagACK, Seq: peer, Ack: ack, Wnd: wnd}, &out)
		e.Send(MaxQueue, &out)
		for out.More {
			e.Poll(&out)
		}
		if e.SndNxt()-e.SndUna() != wnd {
			b.Fatalf("in flight %d, want %d", e.SndNxt()-e.SndUna(), wnd)
		}
		seg := Segment{Flags: FlagACK, Seq: peer, Ack: ack, Wnd: wnd} // built once, as in receive
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			ack += mss
			seg.Ack = ack
			e.Segment(seg, &out)
			// The queue holds 2^30 bytes, 2^21 segments: topped up
			// every 2^16, it never runs dry.
			if i&(1<<16-1) == 0 && e.Queued() < 1<<28 {
				var o Output
				e.Send(MaxQueue-int(e.Queued()), &o)
			}
		}
		if out.NSegs != 1 || out.Segs[0].Len != mss || out.Acked != mss || out.More ||
			e.SndUna() != ack || e.SndNxt()-e.SndUna() != wnd || e.State() != StateEstablished {
			b.Fatalf("unexpected output %+v after %v", out, e)
		}
	})
}

// BenchmarkEndpointSend is a SEND of one segment's worth in ESTABLISHED.
func BenchmarkEndpointSend(b *testing.B) {
	base := plain(b).established().e
	var out Output
	b.ReportAllocs()
	for b.Loop() {
		e := base
		e.Send(536, &out)
	}
}
