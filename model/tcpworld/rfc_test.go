package tcpworld

import (
	"testing"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// Endpoints in the states the reference cases start from: ISS 100, and
// for a synchronized one IRS 300 (RCV.NXT 301), with a window of 1000.
func refEndpoint(t *testing.T, st tcpfsm.State) tcpfsm.Snapshot {
	t.Helper()
	e := tcpfsm.NewEndpoint(tcpfsm.Config{ISS: 100, RcvWnd: 1000})
	var out tcpfsm.Output
	switch st {
	case tcpfsm.StateListen:
		e.OpenPassive(&out)
	case tcpfsm.StateSynSent:
		e.OpenActive(&out)
	case tcpfsm.StateEstablished:
		e.OpenActive(&out)
		e.Segment(tcpfsm.Segment{Flags: tcpfsm.FlagSYN | tcpfsm.FlagACK, Seq: 300, Ack: 101, Wnd: 1000}, &out)
	}
	if e.State() != st {
		t.Fatalf("endpoint in %v, want %v", e.State(), st)
	}
	return e.Snapshot()
}

const (
	fRST = tcpfsm.FlagRST
	fACK = tcpfsm.FlagACK
	fSYN = tcpfsm.FlagSYN
	fFIN = tcpfsm.FlagFIN
)

// rfcCases are what RFC 9293 section 3.10.7 and RFC 5961 say of one
// segment in one state, worked out by hand from their text.
var rfcCases = []struct {
	name   string
	state  tcpfsm.State
	seg    tcpfsm.Segment
	prop   Fault
	next   tcpfsm.State
	answer answer
	rcvNxt tcpfsm.Seq // for rcvExact
}{
	{"CLOSED discards an RST", tcpfsm.StateClosed, tcpfsm.Segment{Flags: fRST, Seq: 5}, FaultRSTUnacceptable, tcpfsm.StateClosed, answerNone, 0},
	{"CLOSED resets an ACK", tcpfsm.StateClosed, tcpfsm.Segment{Flags: fACK, Seq: 5, Ack: 7}, FaultAnswered, tcpfsm.StateClosed, answerRst, 0},
	{"CLOSED resets a SYN", tcpfsm.StateClosed, tcpfsm.Segment{Flags: fSYN, Seq: 5}, FaultAnswered, tcpfsm.StateClosed, answerRstAck, 0},
	{"LISTEN ignores an RST", tcpfsm.StateListen, tcpfsm.Segment{Flags: fRST | fACK, Seq: 5, Ack: 7}, FaultRSTUnacceptable, tcpfsm.StateListen, answerNone, 0},
	{"LISTEN resets an ACK", tcpfsm.StateListen, tcpfsm.Segment{Flags: fACK | fSYN, Seq: 5, Ack: 7}, FaultAnswered, tcpfsm.StateListen, answerRst, 0},
	{"LISTEN answers a SYN", tcpfsm.StateListen, tcpfsm.Segment{Flags: fSYN | fFIN, Seq: 300, Len: 2}, FaultSynAnswered, tcpfsm.StateSynReceived, answerSynAck, 301},
	{"LISTEN drops the rest", tcpfsm.StateListen, tcpfsm.Segment{Flags: fFIN, Seq: 300}, FaultAnswered, tcpfsm.StateListen, answerNone, 0},
	{"SYN-SENT obeys an RST acknowledging our SYN", tcpfsm.StateSynSent, tcpfsm.Segment{Flags: fRST | fACK, Ack: 101}, FaultRSTIgnored, tcpfsm.StateClosed, answerNone, 0},
	{"SYN-SENT drops an RST without ACK", tcpfsm.StateSynSent, tcpfsm.Segment{Flags: fRST, Seq: 300}, FaultRSTUnacceptable, tcpfsm.StateSynSent, answerNone, 0},
	{"SYN-SENT drops an RST with a bad ACK", tcpfsm.StateSynSent, tcpfsm.Segment{Flags: fRST | fACK, Ack: 100}, FaultRSTUnacceptable, tcpfsm.StateSynSent, answerNone, 0},
	{"SYN-SENT resets a bad ACK", tcpfsm.StateSynSent, tcpfsm.Segment{Flags: fSYN | fACK, Seq: 300, Ack: 102}, FaultAnswered, tcpfsm.StateSynSent, answerRst, 0},
	{"SYN-SENT completes on a SYN-ACK", tcpfsm.StateSynSent, tcpfsm.Segment{Flags: fSYN | fACK, Seq: 300, Ack: 101, Len: 3}, FaultSynAnswered, tcpfsm.StateEstablished, answerAck, 301},
	{"SYN-SENT opens simultaneously on a SYN", tcpfsm.StateSynSent, tcpfsm.Segment{Flags: fSYN, Seq: 300}, FaultSynAnswered, tcpfsm.StateSynReceived, answerSynAck, 301},
	{"SYN-SENT drops a bare ACK of our SYN", tcpfsm.StateSynSent, tcpfsm.Segment{Flags: fACK, Seq: 300, Ack: 101}, FaultAnswered, tcpfsm.StateSynSent, answerNone, 0},
	{"an RST at RCV.NXT resets", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fRST, Seq: 301}, FaultRSTIgnored, tcpfsm.StateClosed, answerNone, 0},
	{"an RST in the window draws a challenge ACK", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fRST, Seq: 302}, FaultRSTUnacceptable, tcpfsm.StateEstablished, answerAck, 0},
	{"an RST at the right edge is outside", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fRST, Seq: 1301}, FaultRSTUnacceptable, tcpfsm.StateEstablished, answerNone, 0},
	{"an ACK at the right edge passes", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fACK, Seq: 1301, Ack: 101}, FaultAnswered, tcpfsm.StateEstablished, answerAny, 0},
	{"old text is answered with an ACK", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fACK, Seq: 299, Ack: 101, Len: 2}, FaultUnacceptable, tcpfsm.StateEstablished, answerAck, 0},
	{"text beyond the window is answered with an ACK", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fACK, Seq: 1301, Ack: 101, Len: 1}, FaultUnacceptable, tcpfsm.StateEstablished, answerAck, 0},
	{"a SYN draws a challenge ACK", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fSYN, Seq: 301}, FaultSynAnswered, tcpfsm.StateEstablished, answerAck, 0},
	{"no ACK bit: dropped", tcpfsm.StateEstablished, tcpfsm.Segment{Seq: 301, Len: 1}, FaultAnswered, tcpfsm.StateEstablished, answerNone, 0},
	{"an ACK of data not sent draws an ACK", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fACK, Seq: 301, Ack: 102}, FaultAnswered, tcpfsm.StateEstablished, answerAck, 0},
	{"text in order is taken and acknowledged", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fACK, Seq: 301, Ack: 101, Len: 4}, FaultAnswered, tcpfsm.StateEstablished, answerAck, 0},
	{"an in-order FIN is taken", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fACK | fFIN, Seq: 300, Ack: 101, Len: 2}, FaultAnswered, tcpfsm.StateCloseWait, answerAck, 303},
	{"a FIN after a gap is not taken", tcpfsm.StateEstablished, tcpfsm.Segment{Flags: fACK | fFIN, Seq: 302, Ack: 101}, FaultAnswered, tcpfsm.StateEstablished, answerAny, 0},
}

// TestRFCReference checks the reference against cases worked out from
// the RFC's text.
func TestRFCReference(t *testing.T) {
	for _, tc := range rfcCases {
		b := refEndpoint(t, tc.state)
		r := rfcSegment(&b, 1000, false, tc.seg)
		if r.prop != tc.prop || r.next != setOf(tc.next) || r.answer != tc.answer ||
			r.rcv == rcvExact && r.rcvNxt != tc.rcvNxt || tc.rcvNxt != 0 && r.rcv != rcvExact {
			t.Errorf("%s: %v in %v: %+v; want fault %v, next %v, answer %d, RCV.NXT %d",
				tc.name, tc.seg, tc.state, r, tc.prop, tc.next, tc.answer, tc.rcvNxt)
		}
	}
}

// misclassify is a table that decides the event from in the states
// where as the event to: a classifier mistake, made without touching
// the classifier, by handing the Endpoint a table (tcpfsm.TableOf) that
// reads the event it is given as another.
type misclassify struct {
	tcpfsm.Rules
	where    stateSet
	from, to tcpfsm.Event
}

func (m misclassify) Decide(s tcpfsm.State, ev tcpfsm.Event, g tcpfsm.Guards) (int, tcpfsm.State, tcpfsm.Actions, bool) {
	if ev == m.from && m.where.has(s) {
		ev = m.to
	}
	return m.Rules.Decide(s, ev, g)
}

var synchronized = setOf(tcpfsm.StateSynReceived, tcpfsm.StateEstablished, tcpfsm.StateFinWait1, tcpfsm.StateFinWait2,
	tcpfsm.StateCloseWait, tcpfsm.StateClosing, tcpfsm.StateLastAck, tcpfsm.StateTimeWait)

// The classifier mistakes the RFC properties must catch, and the
// property meant to catch each.
var classifierMistakes = []struct {
	name     string
	mistake  misclassify
	property string
}{
	{"an RST anywhere in the window resets (RFC 793)",
		misclassify{where: synchronized, from: tcpfsm.EventSegRstInWindow, to: tcpfsm.EventSegRst}, PropRSTAcceptable},
	{"the sequence test passes every ACK",
		misclassify{where: synchronized, from: tcpfsm.EventSegUnacceptable, to: tcpfsm.EventSegAck}, PropUnacceptableAck},
	{"every ACK acknowledges our FIN",
		misclassify{where: setOf(tcpfsm.StateLastAck, tcpfsm.StateClosing), from: tcpfsm.EventSegAck, to: tcpfsm.EventSegAckFin}, PropClosedAfterFin},
	{"SYN-SENT takes a bare ACK of our SYN for a SYN-ACK",
		misclassify{where: setOf(tcpfsm.StateSynSent), from: tcpfsm.EventSegAckSyn, to: tcpfsm.EventSegSynAck}, PropEstablishedOnAck},
}

// TestRFCCatchesClassifierMistakes: each classifier mistake violates the
// property meant for it; the same world with the table as written
// verifies.
func TestRFCCatchesClassifierMistakes(t *testing.T) {
	asWritten := tcptest.Table(t, tcptest.AsWritten)
	c := faultySmall()
	c.Table = asWritten
	if r := check(t, newSystem(t, c)); !r.OK() {
		t.Fatalf("the table as written: %v", r)
	}
	for _, tc := range classifierMistakes {
		m := tc.mistake
		m.Rules = asWritten.Rules()
		c.Table = tcpfsm.TableOf(m)
		r := check(t, newSystem(t, c))
		if p := r.Property(tc.property); p == nil || p.Status != model.Violated {
			t.Errorf("%s: %q not violated: %v", tc.name, tc.property, r)
		}
	}
}

// TestInWindow: a world whose window is one octet, with two to send,
// keeps every segment inside the window; a segment one octet beyond it
// is a violation of PropInWindow.
func TestInWindow(t *testing.T) {
	c := lossless()
	c.Window, c.Data = 1, 2
	s := newSystem(t, c)
	if r := check(t, s); !r.OK() || r.Property(PropInWindow).Status != model.Holds {
		t.Fatalf("a one-octet window: %v", r)
	}
	w := findPath(t, s, World.BothEstablished).Last()
	e := s.Endpoint(w, A)
	edge := w.ep[B].RcvNxt().Add(1)
	for _, tc := range []struct {
		seg  tcpfsm.Segment
		want bool
	}{
		{tcpfsm.Segment{Flags: fACK, Seq: edge.Add(^uint32(0)), Len: 1}, true},
		{tcpfsm.Segment{Flags: fACK | fFIN, Seq: edge.Add(^uint32(0))}, true},
		{tcpfsm.Segment{Flags: fACK, Seq: edge, Len: 1}, false},
		{tcpfsm.Segment{Flags: fACK | fFIN, Seq: edge.Add(^uint32(0)), Len: 1}, false},
		{tcpfsm.Segment{Flags: fACK, Seq: edge}, true}, // empty
	} {
		u := w
		var p pending
		tc.seg.Wnd = s.wnd[A]
		s.send(&u, A, &e, tcpfsm.OutSegment{Segment: tc.seg, Off: e.SendOffset(tc.seg.Seq)}, &p)
		got := u.fault != FaultOutsideWindow
		if got != tc.want {
			t.Errorf("%v with B's window ending at %d: inside %v, want %v", tc.seg, edge, got, tc.want)
		}
	}
}
