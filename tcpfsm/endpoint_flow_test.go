package tcpfsm_test

// More tests of one connection through the table (see endpoint_test.go):
// opens and closes, data, retransmission.

import (
	"testing"
	"time"

	. "github.com/synfin/synfin/tcpfsm"
)

// TestSimultaneousOpen runs RFC 9293 Figure 7 between two Endpoints.
func TestSimultaneousOpen(t *testing.T) {
	x := plain(t)
	a := x.newConn("a", 100, Config{})
	b := x.newConn("b", 300, Config{})
	a.openActive().sends(us.outSyn(100))
	b.openActive().sends(us.outSyn(300))
	// The SYNs cross.
	a.recv(inSyn(300)).sends(us.outSynAck(100, 301)).state(StateSynReceived)
	b.recv(Segment{Flags: FlagSYN, Seq: 100, Wnd: DefaultRcvWnd}).sends(us.outSynAck(300, 101)).state(StateSynReceived)
	// So do the SYN-ACKs.
	a.recv(Segment{Flags: FlagSYN | FlagACK, Seq: 300, Ack: 101, Wnd: DefaultRcvWnd}).sends().state(StateEstablished).tells(TellEstablished)
	b.recv(Segment{Flags: FlagSYN | FlagACK, Seq: 100, Ack: 301, Wnd: DefaultRcvWnd}).sends().state(StateEstablished).tells(TellEstablished)
}

// TestSimultaneousClose: both FINs cross, both ends pass through CLOSING.
func TestSimultaneousClose(t *testing.T) {
	c := plain(t).finWait1()
	c.recv(inFin(301, 101)).sends(us.outAck(102, 302)).state(StateClosing)
	c.recv(inAck(302, 102)).sends().state(StateTimeWait).arms(TimerTimeWait, DefaultTimeWait).
		cancels(TimerRetx)
	c.timeout(TimerTimeWait).sends().state(StateClosed).tells(TellClosed)
}

func TestPassiveClose(t *testing.T) {
	c := plain(t).closeWait()
	c.close().sends(us.outFin(101, 302)).state(StateLastAck).arms(TimerRetx, time.Second)
	c.recv(inAck(302, 102)).sends().state(StateClosed).tells(TellClosed).cancels(TimerRetx)
}

func TestActiveClose(t *testing.T) {
	c := plain(t).timeWait()
	c.timeout(TimerTimeWait).sends().state(StateClosed).tells(TellClosed)
}

func TestTimeWaitRestart(t *testing.T) {
	c := plain(t).timeWait()
	c.recv(inFin(301, 102)).sends(us.outAck(102, 302)).arms(TimerTimeWait, DefaultTimeWait)
	if !c.e.Armed(TimerTimeWait) {
		t.Fatal("TIME-WAIT timer not running")
	}
}

func TestTimeWaitRFC1337(t *testing.T) {
	c := plain(t).closed(Config{RFC1337: true})
	c.openPassive().recv(inSyn(300)).recv(inAck(301, 101)).close().recv(inFin(301, 102)).state(StateTimeWait)
	c.recv(inRst(302)).sends().state(StateTimeWait)
	if c.out.Step.Guards&GuardRfc1337 == 0 {
		t.Fatalf("guards %v lack rfc1337", c.out.Step.Guards)
	}
}

// TestDataBothWays: data one way, the other, then acknowledged.
func TestDataBothWays(t *testing.T) {
	c := plain(t).established()
	c.send(10).sends(us.outData(101, 301, 10, 0)).arms(TimerRetx, time.Second)
	if got := c.out.Segs[0].Off; got != 0 {
		t.Fatalf("Off %d, want 0", got)
	}
	c.recv(inData(301, 111, 20)).sends(us.outAck(111, 321)).tells(TellData).cancels(TimerRetx)
	if c.out.Acked != 10 || c.out.Data != (Range{Off: 0, Len: 20}) {
		t.Fatalf("Acked %d Data %+v", c.out.Acked, c.out.Data)
	}
	c.send(5).sends(us.outData(111, 321, 5, 10))
	if got := c.out.Segs[0].Off; got != 10 {
		t.Fatalf("Off %d, want 10", got)
	}
	c.recv(inData(321, 111, 5)).sends(us.outAck(116, 326))
	if c.out.Data != (Range{Off: 20, Len: 5}) {
		t.Fatalf("Data %+v", c.out.Data)
	}
	if c.e.Acked() != 10 || c.e.Received() != 25 || c.e.Queued() != 5 {
		t.Fatalf("Acked %d Received %d Queued %d", c.e.Acked(), c.e.Received(), c.e.Queued())
	}
	c.recv(inAck(326, 116)).sends()
	if c.e.Acked() != 15 || c.e.Queued() != 0 {
		t.Fatalf("Acked %d Queued %d", c.e.Acked(), c.e.Queued())
	}
}

func TestDataOverlapSkip(t *testing.T) {
	c := plain(t).established().recv(inData(291, 101, 20)).sends(us.outAck(101, 311))
	if c.out.DataSkip != 10 || c.out.Data != (Range{0, 10}) {
		t.Fatalf("DataSkip %d Data %+v", c.out.DataSkip, c.out.Data)
	}
}

// TestSegmentation: MSS-sized segments, as far as the peer's window goes,
// then the rest when it opens.
func TestSegmentation(t *testing.T) {
	c := plain(t).closed(Config{MSS: 100})
	c.openPassive().recv(inSyn(300)).recv(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 250}).state(StateEstablished)
	c.send(400).sends(us.outData(101, 301, 100, 0), us.outData(201, 301, 100, 100), us.outData(301, 301, 50, 200))
	c.recv(Segment{Flags: FlagACK, Seq: 301, Ack: 201, Wnd: 250}).sends(us.outData(351, 301, 100, 250))
	c.recv(Segment{Flags: FlagACK, Seq: 301, Ack: 451, Wnd: 250}).sends(us.outData(451, 301, 50, 350))
	c.recv(Segment{Flags: FlagACK, Seq: 301, Ack: 501, Wnd: 250}).sends()
	if c.out.Acked != 50 || c.e.Acked() != 400 {
		t.Fatalf("out.Acked %d Acked %d", c.out.Acked, c.e.Acked())
	}
}

// TestOutputFull: more data than one Output holds; Poll gets the rest.
func TestOutputFull(t *testing.T) {
	c := plain(t).closed(Config{MSS: 10})
	c.openPassive().recv(inSyn(300)).recv(inAck(301, 101))
	c.sendFull(100)
	if c.out.NSegs != MaxOutSegments || !c.out.More {
		t.Fatalf("NSegs %d More %v", c.out.NSegs, c.out.More)
	}
	c.poll().sends(us.outData(181, 301, 10, 80), us.outData(191, 301, 10, 90))
	c.poll().sends()
}

// TestCloseAfterData: the FIN follows the data, in the last data segment.
func TestCloseAfterData(t *testing.T) {
	c := plain(t).closed(Config{MSS: 100})
	c.openPassive().recv(inSyn(300)).recv(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 150})
	c.send(200).sends(us.outData(101, 301, 100, 0), us.outData(201, 301, 50, 100))
	c.close().sends().state(StateFinWait1)
	c.recv(Segment{Flags: FlagACK, Seq: 301, Ack: 201, Wnd: 150}).sends(us.outDataFin(251, 301, 50, 150))
	c.recv(inAck(301, 302)).sends().state(StateFinWait2)
	if c.out.Acked != 100 || c.e.Acked() != 200 {
		t.Fatalf("out.Acked %d Acked %d", c.out.Acked, c.e.Acked())
	}
}

// TestHalfClose: after the peer's FIN we go on sending (CLOSE-WAIT); after
// ours the peer goes on sending (FIN-WAIT-2).
func TestHalfClose(t *testing.T) {
	c := plain(t).closeWait()
	c.send(10).sends(us.outData(101, 302, 10, 0))
	c.recv(inAck(302, 111)).sends()
	c.send(10).sends(us.outData(111, 302, 10, 10))
	// The FIN goes at once after the data in flight.
	c.close().sends(us.outFin(121, 302)).state(StateLastAck)
	c.recv(inAck(302, 122)).sends().state(StateClosed).tells(TellClosed)
}

func TestHalfCloseFinWait2(t *testing.T) {
	c := plain(t).finWait2()
	for i := Seq(0); i < 3; i++ {
		c.recv(inData(301+10*i, 102, 10)).sends(us.outAck(102, 311+10*i)).tells(TellData).
			arms(TimerFinWait2, DefaultFinWait2)
	}
	c.recv(inFin(331, 102)).sends(us.outAck(102, 332)).state(StateTimeWait).tells(TellEOF)
	if c.e.Received() != 30 {
		t.Fatalf("Received %d", c.e.Received())
	}
}

func TestFinWait2Timeout(t *testing.T) {
	c := plain(t).finWait2()
	c.timeout(TimerFinWait2).sends().state(StateClosed).tells(TellTimeout)
}

func TestFinWait2TimeoutOff(t *testing.T) {
	c := plain(t).closed(Config{FinWait2: -1})
	c.openPassive().recv(inSyn(300)).recv(inAck(301, 101)).close().recv(inAck(301, 102)).state(StateFinWait2)
	if c.e.Armed(TimerFinWait2) || c.out.Timers[TimerFinWait2].Op != TimerKeep {
		t.Fatal("FIN-WAIT-2 timer armed with Config.FinWait2 < 0")
	}
}

// Retransmission.

func TestSynRetransmitAndGiveUp(t *testing.T) {
	c := plain(t).synSent()
	d := time.Second
	for i := 0; i < DefaultSynRetries; i++ {
		d = min(2*d, DefaultMaxRTO)
		c.timeout(TimerRetx).sends(us.outSyn(100)).state(StateSynSent).arms(TimerRetx, d)
	}
	c.timeout(TimerRetx).sends().state(StateClosed).tells(TellTimeout)
	if c.out.Step.Guards&GuardExhausted == 0 {
		t.Fatal("no exhausted guard")
	}
}

func TestSynAckRetransmit(t *testing.T) {
	c := plain(t).synReceived()
	c.timeout(TimerRetx).sends(us.outSynAck(100, 301)).arms(TimerRetx, 2*time.Second)
}

// TestSynReceivedGiveUp: a passive half-open connection goes back to
// LISTEN; an active one closes.
func TestSynReceivedGiveUp(t *testing.T) {
	c := plain(t).closed(Config{SynRetries: 1})
	c.openPassive().recv(inSyn(300))
	c.timeout(TimerRetx).sends(us.outSynAck(100, 301))
	c.timeout(TimerRetx).sends().state(StateListen).tells(0)

	c = plain(t).closed(Config{SynRetries: -1})
	c.openActive().recv(inSyn(300)).state(StateSynReceived)
	c.timeout(TimerRetx).sends().state(StateClosed).tells(TellTimeout)
}

func TestDataRetransmit(t *testing.T) {
	c := plain(t).closed(Config{DataRetries: 2, MSS: 100})
	c.openPassive().recv(inSyn(300)).recv(inAck(301, 101))
	c.send(150).sends(us.outData(101, 301, 100, 0), us.outData(201, 301, 50, 100))
	c.timeout(TimerRetx).sends(us.outData(101, 301, 100, 0), us.outData(201, 301, 50, 100)).arms(TimerRetx, 2*time.Second)
	// A partial ACK is progress: the backoff and the count start over.
	c.recv(inAck(301, 201)).sends().arms(TimerRetx, time.Second)
	c.timeout(TimerRetx).sends(us.outData(201, 301, 50, 100))
	c.timeout(TimerRetx).sends(us.outData(201, 301, 50, 100)).arms(TimerRetx, 4*time.Second)
	c.timeout(TimerRetx).sends().state(StateClosed).tells(TellTimeout)
}

func TestFinRetransmit(t *testing.T) {
	c := plain(t).finWait1()
	c.timeout(TimerRetx).sends(us.outFin(101, 301)).state(StateFinWait1)
	c = plain(t).lastAck()
	c.timeout(TimerRetx).sends(us.outFin(101, 302)).state(StateLastAck)
}

// TestCloseInSynReceived: the FIN goes at once (no data); a timeout
// repeats both the SYN-ACK and the FIN; one ACK for both reaches
// FIN-WAIT-2.
func TestCloseInSynReceived(t *testing.T) {
	c := plain(t).synReceived()
	c.close().sends(us.outFin(101, 301)).state(StateFinWait1)
	c.timeout(TimerRetx).sends(us.outSynAck(100, 301), us.outFin(101, 301))
	c.recv(inAck(301, 102)).sends().state(StateFinWait2).tells(0)
}

// TestSendInSynSent: data queued before the handshake goes with the ACK.
func TestSendInSynSent(t *testing.T) {
	c := plain(t).synSent()
	c.send(7).sends()
	c.recv(inSynAck(300, 101)).sends(us.outData(101, 301, 7, 0)).state(StateEstablished)
}

func TestZeroWindowProbe(t *testing.T) {
	c := plain(t).closed(Config{DataRetries: 1})
	c.openPassive().recv(inSyn(300)).recv(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 0})
	c.send(10).sends(us.outData(101, 301, 1, 0)) // the probe
	// The peer acknowledges nothing, window still shut: keep probing, do
	// not give up while it answers.
	for i := 0; i < 5; i++ {
		c.timeout(TimerRetx).sends(us.outData(101, 301, 1, 0))
		c.recv(Segment{Flags: FlagACK, Seq: 301, Ack: 101, Wnd: 0}).sends()
	}
	c.state(StateEstablished)
	// The window opens: the rest goes.
	c.recv(Segment{Flags: FlagACK, Seq: 301, Ack: 102, Wnd: 100}).sends(us.outData(102, 301, 9, 1))
}

func TestStaleTimeout(t *testing.T) {
	c := plain(t).established()
	for tm := Timer(0); tm < NumTimers; tm++ {
		c.timeout(tm).sends().state(StateEstablished)
		if c.out.Step.Taken {
			t.Fatalf("%v: a step for a timer that is not running", tm)
		}
	}
}

func TestSendFull(t *testing.T) {
	c := plain(t).established()
	c.send(MaxQueue).err(nil)
	c.send(1).err(ErrResources)
	if c.out.Step.OK || c.e.Queued() != MaxQueue {
		t.Fatalf("Step.OK %v, Queued %d", c.out.Step.OK, c.e.Queued())
	}
}

func TestZeroEndpoint(t *testing.T) {
	var e Endpoint
	var out Output
	e.OpenActive(&out)
	if e.State() != StateSynSent || out.NSegs != 1 || out.Segs[0].Segment != (Segment{Flags: FlagSYN, Wnd: DefaultRcvWnd}) {
		t.Fatalf("zero Endpoint: %v, %v", e.State(), out.Segments())
	}
}

// TestWrap runs a connection across the 2^32 wrap of both sequence spaces.
func TestWrap(t *testing.T) {
	iss, irs := Seq(1<<32-5), Seq(1<<32-3)
	c := plain(t).newConn("us", iss, Config{MSS: 4})
	c.openActive().sends(us.outSyn(iss))
	c.recv(inSynAck(irs, iss+1)).sends(us.outAck(iss+1, irs+1))
	c.send(12).sends(us.outData(iss+1, irs+1, 4, 0), us.outData(iss+5, irs+1, 4, 4), us.outData(iss+9, irs+1, 4, 8))
	c.recv(inData(irs+1, iss+13, 10)).sends(us.outAck(iss+13, irs+11)).tells(TellData)
	c.close().sends(us.outFin(iss+13, irs+11))
	c.recv(inFin(irs+11, iss+14)).sends(us.outAck(iss+14, irs+12)).state(StateTimeWait)
}

// TestRowsToClosed: every row into CLOSED tells exactly one of closed,
// reset, refused, timeout.
func TestRowsToClosed(t *testing.T) {
	const tells = ActionTellClosed | ActionTellReset | ActionTellRefused | ActionTellTimeout
	for i, r := range Rows {
		if r.Outcome != OutcomeGoto || r.To != StateClosed {
			continue
		}
		n := 0
		for a := r.Actions & tells; a != 0; a &= a - 1 {
			n++
		}
		if n != 1 {
			t.Errorf("row %d (tcp.fsm:%d) into CLOSED tells %q", i, r.Line, r.Actions&tells)
		}
	}
}

// TestFinWait1AckOfSyn: after a CLOSE in SYN-RECEIVED, the ACK of our SYN
// alone leaves FIN-WAIT-1; with the peer's FIN it leads to CLOSING.
func TestFinWait1AckOfSyn(t *testing.T) {
	c := plain(t).synReceived().close().sends(us.outFin(101, 301))
	c.recv(inAck(301, 101)).sends().state(StateFinWait1).tells(0)
	c.recv(inAck(301, 102)).sends().state(StateFinWait2)

	c = plain(t).synReceived().close().sends(us.outFin(101, 301))
	c.recv(inFin(301, 101)).sends(us.outAck(102, 302)).state(StateClosing).tells(TellEOF)
	c.recv(inAck(302, 102)).sends().state(StateTimeWait)
}
