//go:build linux

package tunpeer

// The event loop: the one goroutine that owns a connection's Endpoint.
//
// The Endpoint has no clock, no buffers and no I/O. The loop gives it all
// three: it waits for the next thing to happen (a segment from the stack's
// reader, a user call, or the earliest of the timers the Endpoint armed
// running out on the real clock), calls the Endpoint once for it, and then
// carries out the Output: copy delivered bytes into the receive stream,
// drop acknowledged ones from the send stream, write each segment as an
// IPv4 packet with its bytes from the send stream, arm or cancel timers,
// and record what the user is told. When the Endpoint is CLOSED after a
// call, the connection is over and the loop ends.

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/synfin/synfin/tcpfsm"
)

// run is the loop. It starts once the opening call has been made.
func (c *Conn) run() {
	defer c.end()
	for {
		select {
		case p := <-c.in:
			c.segment(&p)
		case f := <-c.calls:
			f()
		case <-c.clock.C:
			c.expire()
		case <-c.stack.done:
			return
		}
		if c.ep.State() == tcpfsm.StateClosed {
			return
		}
	}
}

// end marks the connection over: its port is free, its waiters wake.
func (c *Conn) end() {
	c.clock.Stop()
	c.stack.release(c)
	c.mu.Lock()
	c.st.Ended = true
	c.notify()
	c.mu.Unlock()
	close(c.done)
}

// segment hands an arriving segment to the Endpoint.
func (c *Conn) segment(p *Packet) {
	src := netip.AddrPortFrom(p.Src, p.TCP.SrcPort)
	if c.remote.IsValid() && src != c.remote {
		// Our port, another peer: no connection exists for that pair.
		c.mu.Lock()
		c.st.Foreign++
		c.mu.Unlock()
		c.stack.closedPort(p)
		return
	}
	listening := c.ep.State() == tcpfsm.StateListen
	if listening {
		// The SYN names the peer: the ISS can be chosen now (RFC 6528
		// needs both ends).
		c.ep.SetISS(c.stack.isn(c.local, src))
	}
	// No window scaling is negotiated (our SYNs carry no window scale
	// option), so the window is the header's.
	seg := tcpfsm.SegmentFromHeader(&p.TCP, len(p.Payload))
	c.trace("recv %v", seg)
	c.mu.Lock()
	c.st.SegmentsIn++
	c.mu.Unlock()
	c.ep.Segment(seg, &c.out)
	switch st := c.ep.State(); {
	case st == tcpfsm.StateListen:
		c.remote = netip.AddrPort{} // back to listening for anyone
	case listening:
		c.remote = src // the SYN made a connection with this peer
	}
	// Whatever the Endpoint answers goes to the segment's sender, even
	// from LISTEN (a reset for a stray ACK, a SYN-ACK for a SYN).
	c.apply(p.Payload, src)
}

// expire runs the timers whose deadline has passed.
func (c *Conn) expire() {
	now := time.Now()
	for t := range tcpfsm.NumTimers {
		if c.timers[t].IsZero() || now.Before(c.timers[t]) {
			continue
		}
		c.timers[t] = time.Time{}
		c.trace("timer %v ran out", tcpfsm.Timer(t))
		c.ep.Timeout(tcpfsm.Timer(t), &c.out)
		c.apply(nil, c.remote)
		if c.ep.State() == tcpfsm.StateClosed {
			return
		}
	}
	c.rearm()
}

// apply carries out c.out, the Output of the call just made, and of the
// Poll calls that follow while it has more to send. payload is the
// arriving segment's data (nil for user calls and timers); dst is where
// segments go.
func (c *Conn) apply(payload []byte, dst netip.AddrPort) {
	out := &c.out
	for {
		c.record(&out.Step)
		retransmitting := out.Step.Actions.Has(tcpfsm.ActionRetransmit)

		if out.Acked > 0 {
			if err := c.send.forget(out.Acked); err != nil {
				c.fault(err)
			}
		}
		if out.Tell&tcpfsm.TellData != 0 {
			c.deliverData(payload, out)
		}
		for i := range out.Segments() {
			c.transmit(&out.Segs[i], dst, retransmitting)
		}
		now := time.Now()
		for t, cmd := range out.Timers {
			switch cmd.Op {
			case tcpfsm.TimerArm:
				c.timers[t] = now.Add(cmd.After)
			case tcpfsm.TimerCancel:
				c.timers[t] = time.Time{}
			}
		}
		if err := c.ep.CheckInvariants(); err != nil {
			c.fault(err)
		}
		c.publish(out.Tell)
		if !out.More {
			break
		}
		c.ep.Poll(out)
		payload = nil
	}
	c.rearm()
}

// deliverData appends the bytes the Endpoint took to the receive stream.
func (c *Conn) deliverData(payload []byte, out *tcpfsm.Output) {
	lo, hi := uint64(out.DataSkip), uint64(out.DataSkip)+uint64(out.Data.Len)
	if hi > uint64(len(payload)) {
		c.fault(fmt.Errorf("tunpeer: the Endpoint took payload bytes %d to %d of a %d-byte segment", lo, hi, len(payload)))
		return
	}
	c.mu.Lock()
	err := c.recv.deliver(out.Data.Off, payload[lo:hi])
	c.mu.Unlock()
	if err != nil {
		c.fault(err)
	}
}

// transmit writes one segment of the Output, with its bytes from the send
// stream.
func (c *Conn) transmit(seg *tcpfsm.OutSegment, dst netip.AddrPort, retransmitting bool) {
	var data []byte
	if seg.Len > 0 {
		var err error
		if data, err = c.send.bytes(seg.Off, seg.Len); err != nil {
			c.fault(err)
			return
		}
	}
	c.trace("send %v", seg.Segment)
	c.mu.Lock()
	c.st.SegmentsOut++
	if retransmitting {
		c.st.RetransmittedSegments++
	}
	c.mu.Unlock()
	if err := c.stack.write(c.local, dst, seg, data, c.mss); err != nil {
		c.fault(fmt.Errorf("tunpeer: writing %v: %w", seg.Segment, err))
	}
}

// record notes the table step of a call: a trace line, the state trail,
// and a fault when a segment or a timer reached an error row.
func (c *Conn) record(step *tcpfsm.StepInfo) {
	if !step.Taken {
		return
	}
	switch {
	case !step.OK:
		c.trace("     %v -%v-> error row %d: %v", step.From, step.Event, step.Row, step.Actions)
	case step.From != step.To:
		c.trace("     %v -%v-> %v: %v", step.From, step.Event, step.To, step.Actions)
	case step.Actions == 0:
		c.trace("     %v -%v-> ignored", step.From, step.Event)
	default:
		c.trace("     %v -%v-> stay: %v", step.From, step.Event, step.Actions)
	}
	if step.Actions.Has(tcpfsm.ActionRetransmit) {
		c.mu.Lock()
		c.st.Retransmissions++
		c.mu.Unlock()
	}
	if !step.OK && step.Event.Kind() != tcpfsm.KindCall {
		c.fault(fmt.Errorf("tunpeer: %v in %v reached an error row of the table (row %d)", step.Event, step.From, step.Row))
	}
}

// publish copies the Endpoint's news into the status the user sees and
// wakes whoever waits on it.
func (c *Conn) publish(tell tcpfsm.Tell) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := &c.st
	if s := c.ep.State(); len(st.Trail) == 0 || st.Trail[len(st.Trail)-1] != s {
		st.Trail = append(st.Trail, s)
	}
	st.State = c.ep.State()
	st.Remote = c.remote
	st.Told |= tell
	st.Received = c.recv.total
	st.Acked = c.ep.Acked()
	c.notify()
}

// notify wakes the waiters; c.mu is held.
func (c *Conn) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// fault records the first thing that should never happen.
func (c *Conn) fault(err error) {
	c.trace("FAULT: %v", err)
	c.mu.Lock()
	if c.st.Fault == nil {
		c.st.Fault = err
	}
	c.mu.Unlock()
}

// rearm sets the clock to the earliest running timer.
func (c *Conn) rearm() {
	var next time.Time
	for _, d := range c.timers {
		if !d.IsZero() && (next.IsZero() || d.Before(next)) {
			next = d
		}
	}
	if next.IsZero() {
		c.clock.Stop()
		return
	}
	c.clock.Reset(time.Until(next))
}

// trace writes a line to Config.Trace, stamped with the time since the
// connection was made and its port.
func (c *Conn) trace(format string, args ...any) {
	if c.cfg.Trace == nil {
		return
	}
	c.cfg.Trace("%9.3fms :%d  %s", float64(time.Since(c.born).Microseconds())/1000, c.local.Port(), fmt.Sprintf(format, args...))
}
