//go:build linux

package tunpeer

// A connection as its user sees it: write, close, abort, read, and watch
// its status. Every call that touches the Endpoint runs on the
// connection's event loop (loop.go), which owns the Endpoint; the user's
// goroutine waits for it there and back.

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/synfin/synfin/tcpfsm"
)

// DefaultMSS is the MSS a connection uses and announces unless its Config
// says otherwise: what a 1500-byte MTU leaves for TCP data over IPv4
// (RFC 9293 section 3.7.1: MTU minus 20 bytes of IP and 20 of TCP header).
const DefaultMSS = 1460

// Config configures a connection.
type Config struct {
	// TCP configures the Endpoint. Its MSS, if zero, is DefaultMSS here
	// rather than tcpfsm's 536; it is also announced in our SYN. ISS is
	// chosen by the stack (RFC 6528) and overrides the field.
	TCP tcpfsm.Config
	// Table, if not nil, is a variant table for the Endpoint to step
	// through instead of the generated one (tcpfsm.Endpoint.UseTable).
	Table *tcpfsm.Table
	// Trace, if not nil, is called with one line for every segment in and
	// out, every table step and every timer that runs out; t.Logf fits.
	Trace func(format string, args ...any)
}

// The ways a connection can end badly, as Read and Wait report them.
var (
	ErrReset   = errors.New("tunpeer: connection reset")
	ErrRefused = errors.New("tunpeer: connection refused")
	ErrTimeout = errors.New("tunpeer: connection timed out")
)

// Status is what a connection has been through, as of its last event.
type Status struct {
	State  tcpfsm.State
	Remote netip.AddrPort // the peer; invalid while listening
	// Trail is every state the connection has been in, in order, starting
	// with the one its first call took it to.
	Trail []tcpfsm.State
	// Told is everything the Endpoint has told the user so far:
	// established, data, eof, and how it ended (closed, reset, refused,
	// timeout).
	Told tcpfsm.Tell
	// Ended reports that the connection is CLOSED for good: its loop has
	// stopped and its port is free.
	Ended bool

	Received uint64 // bytes received, read or not
	Acked    uint64 // bytes of ours the peer has acknowledged

	SegmentsIn  int // segments handed to the Endpoint
	SegmentsOut int // segments sent
	// Retransmissions counts the retransmission timeouts the Endpoint
	// acted on; RetransmittedSegments, the segments it sent again then.
	Retransmissions       int
	RetransmittedSegments int
	// Foreign counts segments for our port from another peer, answered
	// as if no connection existed.
	Foreign int
	// Fault is the first thing that went wrong that should never: a table
	// error row reached by a segment or a timer (tcpfsm promises it never
	// classifies into one), a broken Endpoint invariant, stream offsets
	// that do not add up, a packet that could not be written.
	Fault error
}

// Err returns the error that ended the connection, or nil if it is open
// or ended normally.
func (s *Status) Err() error {
	switch {
	case s.Told&tcpfsm.TellReset != 0:
		return ErrReset
	case s.Told&tcpfsm.TellRefused != 0:
		return ErrRefused
	case s.Told&tcpfsm.TellTimeout != 0:
		return ErrTimeout
	}
	return nil
}

// Conn is one connection: one tcpfsm.Endpoint and its event loop.
type Conn struct {
	stack *Stack
	local netip.AddrPort
	cfg   Config
	mss   uint16
	born  time.Time

	in    chan Packet // segments from the stack's reader
	calls chan func() // user calls, run by the loop
	done  chan struct{}

	// Owned by the loop goroutine.
	ep     tcpfsm.Endpoint
	out    tcpfsm.Output
	remote netip.AddrPort
	send   sendStream
	timers [tcpfsm.NumTimers]time.Time // deadlines; zero: not running
	clock  *time.Timer                 // runs out at the earliest deadline

	// Shared between the loop and the user.
	mu      sync.Mutex
	st      Status
	recv    recvStream
	changed chan struct{} // closed and replaced on every change of st
}

// inQueue is how many arriving segments a connection holds before its loop
// takes them; beyond that they are dropped, as a full NIC queue would.
const inQueue = 1024

func newConn(s *Stack, local, remote netip.AddrPort, cfg Config) *Conn {
	tcp := cfg.TCP
	if tcp.MSS == 0 {
		tcp.MSS = DefaultMSS
	}
	c := &Conn{
		stack:   s,
		local:   local,
		cfg:     cfg,
		mss:     uint16(min(tcp.MSS, 0xffff)),
		born:    time.Now(),
		in:      make(chan Packet, inQueue),
		calls:   make(chan func()),
		done:    make(chan struct{}),
		ep:      tcpfsm.NewEndpoint(tcp),
		remote:  remote,
		clock:   time.NewTimer(time.Hour),
		changed: make(chan struct{}),
	}
	c.clock.Stop()
	c.ep.UseTable(cfg.Table)
	c.st.Remote = remote
	return c
}

// Local returns the connection's address and port.
func (c *Conn) Local() netip.AddrPort { return c.local }

// Status returns the connection's status now.
func (c *Conn) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.st
	st.Trail = slices.Clone(st.Trail)
	return st
}

// State returns the Endpoint's state now.
func (c *Conn) State() tcpfsm.State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st.State
}

// Done is closed when the connection has ended (CLOSED) and its loop has
// stopped.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Wait blocks until cond holds for the connection's status, or ctx ends;
// then it returns ctx's error.
func (c *Conn) Wait(ctx context.Context, cond func(*Status) bool) error {
	for {
		c.mu.Lock()
		ok := cond(&c.st)
		ch := c.changed
		c.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Write is SEND: it queues b (the stream keeps a copy) and returns once
// the Endpoint has taken it, which is before the peer has it. It fails
// with the Endpoint's answer when the state refuses SEND (for example
// tcpfsm.ErrClosing after Close), and with net.ErrClosed once the
// connection has ended.
func (c *Conn) Write(b []byte) (int, error) {
	err := c.call(func(ep *tcpfsm.Endpoint, out *tcpfsm.Output) {
		ep.Send(len(b), out)
		if out.Err == nil {
			c.send.write(b) // before apply sends the segments that carry it
		}
	})
	if err != nil {
		return 0, err
	}
	return len(b), nil
}

// Close is CLOSE: our FIN follows the queued data. The connection goes on
// receiving until the peer closes too (half-close); Read reports io.EOF
// then.
func (c *Conn) Close() error {
	return c.call(func(ep *tcpfsm.Endpoint, out *tcpfsm.Output) { ep.Close(out) })
}

// Abort is ABORT: the connection ends at once, with a reset to the peer.
func (c *Conn) Abort() error {
	return c.call(func(ep *tcpfsm.Endpoint, out *tcpfsm.Output) { ep.Abort(out) })
}

// Read reads received data. It blocks until there is some, or the peer's
// FIN has come (io.EOF), or the connection has ended (ErrReset, ErrRefused,
// ErrTimeout, or net.ErrClosed after an abort).
func (c *Conn) Read(p []byte) (int, error) {
	for {
		c.mu.Lock()
		if len(c.recv.buf) > 0 {
			n := c.recv.read(p)
			c.mu.Unlock()
			return n, nil
		}
		st := &c.st
		var err error
		switch {
		case st.Told&tcpfsm.TellEOF != 0:
			err = io.EOF
		case st.Err() != nil:
			err = st.Err()
		case st.Ended:
			err = net.ErrClosed
		}
		ch := c.changed
		c.mu.Unlock()
		if err != nil {
			return 0, err
		}
		<-ch
	}
}

// call runs a user call on the loop: fn calls the Endpoint, the loop
// carries out its Output. It returns the Endpoint's refusal (out.Err), if
// any.
func (c *Conn) call(fn func(ep *tcpfsm.Endpoint, out *tcpfsm.Output)) error {
	errc := make(chan error, 1)
	f := func() {
		fn(&c.ep, &c.out)
		err := c.out.Err
		c.apply(nil, c.remote)
		errc <- err
	}
	select {
	case c.calls <- f:
		return <-errc
	case <-c.done:
		return net.ErrClosed
	}
}

// start makes the opening call, then starts the loop. The call is made
// before the loop runs, so that it is the Endpoint's first event even if
// a stray segment for the port is already queued.
func (c *Conn) start(open func(ep *tcpfsm.Endpoint, out *tcpfsm.Output)) error {
	open(&c.ep, &c.out)
	err := c.out.Err
	c.apply(nil, c.remote)
	if err == nil && c.ep.State() == tcpfsm.StateClosed {
		err = errors.New("tunpeer: the opening call left the connection CLOSED")
	}
	if err != nil {
		c.end()
		return err
	}
	go c.run()
	return nil
}

// deliver queues an arriving segment for the loop; it reports false when
// the connection has ended, so that the stack answers for a closed port.
func (c *Conn) deliver(p Packet) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.in <- p:
	default:
		c.stack.stats.queueDrops.Add(1)
	}
	return true
}
