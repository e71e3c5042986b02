package tcpfsm_test

// Conformance: windows. The receive side with Config.Buffered (the window
// is the free space of the caller's buffer: it shrinks as text arrives,
// reopens as the caller reads, and its right edge never moves left), and
// the send side against a peer window smaller than the data: the
// zero-window probe, a window that shrinks, a FIN held back by the window
// or carried with the last text.

import (
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

var windowGroup = registerGroup("window", windowScenarios)

func TestConformanceWindows(t *testing.T) { windowGroup.run(t) }

// read is the caller's reading n bytes of received data (Endpoint.Read).
func (c *conn) read(n int) *conn {
	c.x.t.Helper()
	return c.do("READ", func(o *Output) { c.e.Read(n, o) })
}

// offers sets the window our segments offer from now on, and asserts
// that RCV.WND is w and w bytes the caller has not read.
func (c *conn) offers(w, unread uint32) *conn {
	c.x.t.Helper()
	c.rcvWnd = w
	snap := c.e.Snapshot()
	if c.e.RcvWnd() != w || c.e.Unread() != unread || snap.RcvWnd(&c.e) != w {
		c.fatalf("RCV.WND=%d (snapshot %d) unread=%d, want %d %d", c.e.RcvWnd(), snap.RcvWnd(&c.e), c.e.Unread(), w, unread)
	}
	return c
}

// buffered is ESTABLISHED with a receive buffer of n bytes that the
// caller reads itself.
func (x *ctx) buffered(n uint32) *conn {
	return x.established(Config{RcvWnd: n, Buffered: true})
}

// fullBuffer is ESTABLISHED with a 4-byte buffer filled by 4 bytes of
// the peer's text the caller has not read: RCV.NXT = IRS+5, RCV.WND = 0.
func (x *ctx) fullBuffer() *conn {
	c := x.buffered(4)
	c.recv(inData(x.R(1), x.I(1), 4)).offers(0, 4).sends(c.outAck(x.I(1), x.R(5))).tells(TellData).data(0, 4, 0)
	return c
}

// peerWindow is ESTABLISHED after the peer's ACK set SND.WND to w.
func (x *ctx) peerWindow(w uint32) *conn {
	c := x.established()
	c.recv(withWnd(inAck(x.R(1), x.I(1)), w))
	c.sndWnd(w)
	return c
}

// closedBehindText is FIN-WAIT-1 from SYN-RECEIVED: n bytes queued, then
// CLOSE, all waiting for the ACK of our SYN.
func (x *ctx) closedBehindText(n int) *conn {
	c := x.synReceived()
	c.send(n)
	c.close().state(StateFinWait1)
	return c
}

var windowScenarios = []scenario{
	{
		name: "buffered_window_shrinks_as_text_arrives",
		rule: "RFC 9293 3.8.6: the window offered is the free buffer space: text taken shrinks RCV.WND by its length and the right edge stays; text beyond the edge is trimmed off",
		run: func(x *ctx) {
			c := x.buffered(4)
			c.recv(inData(x.R(1), x.I(1), 3)).offers(1, 3).sends(c.outAck(x.I(1), x.R(4))).tells(TellData).data(0, 3, 0)
			c.recv(inData(x.R(4), x.I(1), 3)).offers(0, 4).sends(c.outAck(x.I(1), x.R(5))).tells(TellData).data(3, 1, 0)
		},
	},
	{
		name: "buffered_zero_window_text_and_fin_unacceptable",
		rule: "RFC 9293 3.10.7.4 first (Table 6): with RCV.WND = 0 a segment with text or a FIN is not acceptable and draws an ACK; an empty ACK at RCV.NXT is acceptable",
		run: func(x *ctx) {
			c := x.fullBuffer()
			c.recv(inData(x.R(5), x.I(1), 1)).sends(c.outAck(x.I(1), x.R(5)))
			c.recv(inFin(x.R(5), x.I(1))).sends(c.outAck(x.I(1), x.R(5)))
			c.recv(inAck(x.R(5), x.I(1)))
			c.offers(0, 4)
		},
	},
	{
		name: "buffered_read_reopens_window_with_update",
		rule: "RFC 9293 3.8.6.2.2: the receiver keeps the right edge until the freed space reaches min(buffer/2, MSS), then offers it and sends a window update",
		run: func(x *ctx) {
			c := x.fullBuffer()
			c.read(1).offers(0, 3)
			c.read(1).offers(2, 2).sends(c.outAck(x.I(1), x.R(5)))
			c.recv(inData(x.R(5), x.I(1), 2)).offers(0, 4).sends(c.outAck(x.I(1), x.R(7))).tells(TellData).data(4, 2, 0)
		},
	},
	{
		name: "buffered_one_byte_buffer_reopens_per_byte",
		rule: "RFC 9293 3.8.6.2.2: with a buffer of one octet, half the buffer rounds to nothing: every octet read reopens the window, with an update",
		run: func(x *ctx) {
			c := x.buffered(1)
			c.recv(inData(x.R(1), x.I(1), 2)).offers(0, 1).sends(c.outAck(x.I(1), x.R(2))).tells(TellData).data(0, 1, 0)
			c.read(1).offers(1, 0).sends(c.outAck(x.I(1), x.R(2)))
		},
	},
	{
		name: "buffered_read_capped_at_unread",
		rule: "Endpoint.Read: a read of more than is unread reads what is unread; a read of nothing, or of less than nothing, does nothing",
		run: func(x *ctx) {
			c := x.fullBuffer()
			c.read(0).offers(0, 4)
			c.read(-3).offers(0, 4)
			c.read(10).offers(4, 0).sends(c.outAck(x.I(1), x.R(5)))
			c.read(1).offers(4, 0)
		},
	},
	{
		name: "buffered_fin_at_window_edge_waits_for_read",
		rule: "RFC 9293 3.10.7.4 eighth: a FIN just past the window's right edge is trimmed off with what lies beyond; once the caller reads, the window update lets the FIN in",
		run: func(x *ctx) {
			c := x.buffered(2)
			c.recv(inDataFin(x.R(1), x.I(1), 2)).offers(0, 2).sends(c.outAck(x.I(1), x.R(3))).tells(TellData).data(0, 2, 0)
			c.read(1).offers(1, 1).sends(c.outAck(x.I(1), x.R(3)))
			c.recv(inFin(x.R(3), x.I(1))).sends(c.outAck(x.I(1), x.R(4))).state(StateCloseWait).tells(TellEOF)
		},
	},
	{
		name: "buffered_read_after_peer_fin_no_update",
		rule: "Endpoint.Read: after the peer's FIN no more text comes, so the window reopens without an update",
		run: func(x *ctx) {
			c := x.buffered(4)
			c.recv(inDataFin(x.R(1), x.I(1), 2)).offers(2, 2).sends(c.outAck(x.I(1), x.R(4))).
				state(StateCloseWait).tells(TellData|TellEOF).data(0, 2, 0)
			c.read(2).offers(4, 0)
		},
	},
	{
		name: "unbuffered_window_stays_read_does_nothing",
		rule: "Config.Buffered off: the caller takes data as it is told, the window stays RcvWnd, and Read has nothing to read",
		run: func(x *ctx) {
			c := x.established(Config{RcvWnd: 4})
			c.recv(inData(x.R(1), x.I(1), 3)).offers(4, 0).sends(c.outAck(x.I(1), x.R(4))).tells(TellData).data(0, 3, 0)
			c.read(3).offers(4, 0)
		},
	},
	{
		name: "established_zero_window_probe",
		rule: "RFC 9293 3.8.6.1: with a zero send window and nothing outstanding one octet goes as a probe, repeated by the retransmission timer; when the window opens the rest follows",
		run: func(x *ctx) {
			c := x.peerWindow(0)
			c.send(3).sends(c.outData(x.I(1), x.R(1), 1, 0)).arms(TimerRetx, c.rto(0))
			c.timeout(TimerRetx).sends(c.outData(x.I(1), x.R(1), 1, 0)).arms(TimerRetx, c.rto(1))
			c.recv(withWnd(inAck(x.R(1), x.I(1)), 0))
			c.recv(withWnd(inAck(x.R(1), x.I(2)), 2)).acked(1).sends(c.outData(x.I(2), x.R(1), 2, 1)).arms(TimerRetx, c.rto(0))
		},
	},
	{
		name: "established_peer_shrinks_window_nothing_past_edge",
		rule: "RFC 9293 3.8.6: when the peer moves its right edge left, nothing more is sent past the new edge; once all is acknowledged into a zero window, one octet probes it",
		run: func(x *ctx) {
			c := x.established()
			c.send(4).sends(c.outData(x.I(1), x.R(1), 4, 0)).arms(TimerRetx, c.rto(0))
			c.recv(withWnd(inAck(x.R(1), x.I(3)), 0)).acked(2).arms(TimerRetx, c.rto(0))
			c.send(1)
			c.recv(withWnd(inAck(x.R(1), x.I(5)), 0)).acked(2).sends(c.outData(x.I(5), x.R(1), 1, 4)).arms(TimerRetx, c.rto(0))
		},
	},
	{
		name: "syn_received_fin_piggybacked_on_last_text",
		rule: "RFC 9293 3.10.4: a FIN queued behind the text goes with the last of it when the window has room for the FIN's sequence number too",
		run: func(x *ctx) {
			c := x.closedBehindText(2)
			c.recv(withWnd(inAck(x.R(1), x.I(1)), 3)).sends(c.outDataFin(x.I(1), x.R(1), 2, 0)).arms(TimerRetx, c.rto(0))
		},
	},
	{
		name: "syn_received_fin_held_back_by_window",
		rule: "RFC 9293 3.10.4 and 3.8.6: a FIN takes a sequence number inside the window: text that fills the window goes alone, and the FIN follows when the window moves on",
		run: func(x *ctx) {
			c := x.closedBehindText(2)
			c.recv(withWnd(inAck(x.R(1), x.I(1)), 2)).sends(c.outData(x.I(1), x.R(1), 2, 0)).arms(TimerRetx, c.rto(0))
			c.recv(withWnd(inAck(x.R(1), x.I(3)), 2)).acked(2).sends(c.outFin(x.I(3), x.R(1))).arms(TimerRetx, c.rto(0))
		},
	},
}
