//go:build linux

package tunpeer

// The stack: one TUN device, one address, many connections.
//
// One goroutine reads the device. It parses each packet, checks both
// checksums, and hands the segment to the connection that owns its
// destination port; each connection runs its own event loop (loop.go). A
// segment for a port without a connection goes to a CLOSED Endpoint, which
// answers it as RFC 9293 section 3.10.7.1 says a closed port must: with a
// reset, so that a peer connecting to a port nobody listens on hears
// "connection refused". Connections write their packets to the device
// themselves.

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/wire"
)

// Stack is a userspace TCP/IPv4 host behind a TUN device, whose
// connections are tcpfsm Endpoints.
type Stack struct {
	tun   *Tun
	addr  netip.Addr
	key   [16]byte  // the secret of RFC 6528 initial sequence numbers
	epoch time.Time // the origin of the ISN clock

	ipID atomic.Uint32

	mu       sync.Mutex
	conns    map[uint16]*Conn // by local port
	nextPort uint16

	done   chan struct{}
	reader sync.WaitGroup

	stats stackCounters
}

// StackStats counts what the stack's reader saw.
type StackStats struct {
	PacketsIn   uint64 // TCP packets read for our address
	Bad         uint64 // packets dropped: bad checksum, malformed
	Ignored     uint64 // not IPv4 TCP for our address
	ClosedPort  uint64 // segments for ports without a connection
	ResetsSent  uint64 // resets the closed port answered them with
	QueueDrops  uint64 // segments dropped because a connection's queue was full
	PacketsOut  uint64 // packets written, by all connections
	WriteErrors uint64 // packets that could not be written
}

type stackCounters struct {
	packetsIn, bad, ignored, closedPort, resetsSent, queueDrops, packetsOut, writeErrors atomic.Uint64
}

// NewStack starts a stack at addr behind tun. Close stops it; the device
// stays open.
func NewStack(tun *Tun, addr netip.Addr) *Stack {
	s := &Stack{
		tun:      tun,
		addr:     addr,
		epoch:    time.Now(),
		conns:    make(map[uint16]*Conn),
		nextPort: 49152,
		done:     make(chan struct{}),
	}
	_, _ = rand.Read(s.key[:])
	tun.SetReadDeadline(time.Time{}) // a stack closed before left one
	s.reader.Add(1)
	go s.read()
	return s
}

// Addr returns the stack's address.
func (s *Stack) Addr() netip.Addr { return s.addr }

// Stats returns the stack's counters.
func (s *Stack) Stats() StackStats {
	c := &s.stats
	return StackStats{
		PacketsIn: c.packetsIn.Load(), Bad: c.bad.Load(), Ignored: c.ignored.Load(),
		ClosedPort: c.closedPort.Load(), ResetsSent: c.resetsSent.Load(), QueueDrops: c.queueDrops.Load(),
		PacketsOut: c.packetsOut.Load(), WriteErrors: c.writeErrors.Load(),
	}
}

// Close stops the reader and every connection's loop, without sending
// anything: connections vanish as if the host had crashed. Abort or Close
// them first for an orderly end.
func (s *Stack) Close() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	close(s.done)
	// Wake the reader from its blocking read; the device stays usable.
	err := s.tun.SetReadDeadline(time.Now())
	s.reader.Wait()
	return err
}

// Dial opens a connection from localPort (0 picks a free one) to remote:
// an active OPEN. It returns at once, in SYN-SENT; Wait or Status tells
// when it is established.
func (s *Stack) Dial(localPort uint16, remote netip.AddrPort, cfg Config) (*Conn, error) {
	c, err := s.newConn(localPort, remote, cfg)
	if err != nil {
		return nil, err
	}
	c.ep.SetISS(s.isn(c.local, remote))
	if err := c.start(func(ep *tcpfsm.Endpoint, out *tcpfsm.Output) { ep.OpenActive(out) }); err != nil {
		return nil, err
	}
	return c, nil
}

// Listen opens a connection on localPort that waits for any peer: a
// passive OPEN, as RFC 9293 has it. The connection is the one the first
// SYN establishes; listening again needs another Listen.
func (s *Stack) Listen(localPort uint16, cfg Config) (*Conn, error) {
	c, err := s.newConn(localPort, netip.AddrPort{}, cfg)
	if err != nil {
		return nil, err
	}
	if err := c.start(func(ep *tcpfsm.Endpoint, out *tcpfsm.Output) { ep.OpenPassive(out) }); err != nil {
		return nil, err
	}
	return c, nil
}

// newConn reserves the port and makes the connection.
func (s *Stack) newConn(localPort uint16, remote netip.AddrPort, cfg Config) (*Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		return nil, errors.New("tunpeer: stack closed")
	default:
	}
	if localPort == 0 {
		for range 1 << 14 {
			p := s.nextPort
			s.nextPort++
			if s.nextPort == 0 {
				s.nextPort = 49152
			}
			if s.conns[p] == nil {
				localPort = p
				break
			}
		}
		if localPort == 0 {
			return nil, errors.New("tunpeer: no free port")
		}
	}
	if s.conns[localPort] != nil {
		return nil, fmt.Errorf("tunpeer: port %d in use", localPort)
	}
	c := newConn(s, netip.AddrPortFrom(s.addr, localPort), remote, cfg)
	s.conns[localPort] = c
	return c, nil
}

// release forgets the connection c: its port is free again.
func (s *Stack) release(c *Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[c.local.Port()] == c {
		delete(s.conns, c.local.Port())
	}
}

// isn picks the initial sequence number of a connection (RFC 9293 section
// 3.4.1, RFC 6528).
func (s *Stack) isn(local, remote netip.AddrPort) tcpfsm.Seq {
	return tcpfsm.ISN(s.key[:], time.Since(s.epoch), local.Addr(), local.Port(), remote.Addr(), remote.Port())
}

// read is the reader goroutine.
func (s *Stack) read() {
	defer s.reader.Done()
	buf := make([]byte, 65536)
	for {
		n, err := s.tun.ReadPacket(buf)
		if err != nil {
			select {
			case <-s.done:
				return
			default:
			}
			if errors.Is(err, os.ErrClosed) {
				return
			}
			continue // a transient error: try again
		}
		s.dispatch(buf[:n])
	}
}

// dispatch hands one packet to its connection, or to the closed port.
func (s *Stack) dispatch(b []byte) {
	p, err := ParsePacket(b)
	switch {
	case errors.Is(err, ErrNotIPv4), errors.Is(err, ErrNotTCP):
		s.stats.ignored.Add(1)
		return
	case err != nil:
		s.stats.bad.Add(1)
		return
	case p.Dst != s.addr:
		s.stats.ignored.Add(1)
		return
	}
	s.stats.packetsIn.Add(1)
	s.mu.Lock()
	c := s.conns[p.TCP.DstPort]
	s.mu.Unlock()
	if c != nil {
		// The packet buffer is reused for the next read: the connection
		// gets its own copy of the payload.
		p.Payload = append([]byte(nil), p.Payload...)
		if c.deliver(p) {
			return
		}
	}
	s.closedPort(&p)
}

// closedPort answers a segment for which no connection exists as a CLOSED
// Endpoint does: with a reset, unless it is one.
func (s *Stack) closedPort(p *Packet) {
	s.stats.closedPort.Add(1)
	var ep tcpfsm.Endpoint // the zero Endpoint is CLOSED
	var out tcpfsm.Output
	ep.Segment(tcpfsm.SegmentFromHeader(&p.TCP, len(p.Payload)), &out)
	for _, seg := range out.Segments() {
		// Counted first: the peer may act on the reset before write
		// returns.
		s.stats.resetsSent.Add(1)
		s.write(netip.AddrPortFrom(s.addr, p.TCP.DstPort), netip.AddrPortFrom(p.Src, p.TCP.SrcPort), &seg, nil, 0)
	}
}

// write sends the segment seg from local to remote, with payload, as one
// IPv4 packet. A SYN carries the MSS option mss (when not 0): without it
// the peer would assume 536 bytes (RFC 9293 section 3.7.1).
func (s *Stack) write(local, remote netip.AddrPort, seg *tcpfsm.OutSegment, payload []byte, mss uint16) error {
	h := seg.Header(local.Port(), remote.Port())
	if seg.Flags.Has(tcpfsm.FlagSYN) && mss != 0 {
		h.Options.MSS, h.Options.HasMSS = mss, true
	}
	if len(payload) > 0 {
		h.Flags |= tcpfsm.FlagPSH
	}
	var buf [ipv4HeaderLen + wire.MaxHeaderLen + 1500]byte
	pkt, err := AppendPacket(buf[:0], local.Addr(), remote.Addr(), uint16(s.ipID.Add(1)), &h, payload)
	if err == nil {
		err = s.tun.WritePacket(pkt)
	}
	if err != nil {
		s.stats.writeErrors.Add(1)
		return err
	}
	s.stats.packetsOut.Add(1)
	return nil
}
