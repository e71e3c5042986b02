package tcpfsm

import "testing"

// BenchmarkStep is the generated Step alone, over every state and event.
func BenchmarkStep(b *testing.B) {
	b.ReportAllocs()
	var pairs [NumStates * NumEvents]struct {
		s State
		e Event
	}
	for i := range pairs {
		pairs[i].s, pairs[i].e = State(i/NumEvents), Event(i%NumEvents)
	}
	var sink Actions
	i := 0
	for b.Loop() {
		p := pairs[i]
		_, act, _ := Step(p.s, p.e, GuardPassive)
		sink |= act
		if i++; i == len(pairs) {
			i = 0
		}
	}
	_ = sink
}

// BenchmarkEndpointSegment is one whole ESTABLISHED data segment with an
// ACK: classify, step, take the ACK and the data, answer with an ACK.
func BenchmarkEndpointSegment(b *testing.B) {
	benchSegment(b, nil)
}

// BenchmarkEndpointSegmentVariant is the same through the interpreter
// (UseTable).
func BenchmarkEndpointSegmentVariant(b *testing.B) {
	benchSegment(b, mustTable(b, readTable(b)))
}

func benchSegment(b *testing.B, tab *Table) {
	base := established(b).send(100).e
	base.UseTable(tab)
	seg := pData(301, 201, 536)
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

// BenchmarkEndpointSend is a SEND of one segment's worth in ESTABLISHED.
func BenchmarkEndpointSend(b *testing.B) {
	base := established(b).e
	var out Output
	b.ReportAllocs()
	for b.Loop() {
		e := base
		e.Send(536, &out)
	}
}
