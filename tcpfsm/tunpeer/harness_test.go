//go:build linux

package tunpeer

// The harness of the kernel scenarios: one connection between a tcpfsm
// Endpoint (ours) and a kernel socket in the test's namespace, driven step
// by step, with checkpoints that compare both ends' states with the ones
// the model predicts.
//
// A scenario is a script of link methods. The first one that fails
// records its error and the rest do nothing, so a script reads as a plain
// list of steps and returns link.err at the end. Scenarios return errors
// rather than calling t.Fatal so that TestTableMistake can run one against
// a broken table and expect it to fail.
//
// Nothing here measures time. Every wait polls a condition until it holds
// or the scenario's overall deadline passes, and then says which
// condition it was.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/synfin/synfin/tcpfsm"
)

// role says which end opens the connection.
type role string

const (
	client role = "client" // ours does the active OPEN, the kernel listens
	server role = "server" // ours listens, the kernel connects
)

// scenarioTimeout bounds one scenario, waits included. It is generous:
// reaching it means something is stuck, never that something was slow.
const scenarioTimeout = 45 * time.Second

// pollEvery is how often a wait looks at the states again.
const pollEvery = 5 * time.Millisecond

// link is one connection under test, both of its ends, and the script's
// first error.
type link struct {
	ctx    context.Context
	logf   func(format string, args ...any)
	net    *Network
	stack  *Stack
	role   role
	cfg    Config
	oursAP netip.AddrPort // our end's address
	kernAP netip.AddrPort // the kernel's end's address

	ours *Conn
	kern *net.TCPConn
	ln   *net.TCPListener

	rules []*Rule
	err   error
}

// newLink prepares a connection between our port and a kernel port; open
// makes it.
func newLink(ctx context.Context, logf func(string, ...any), n *Network, s *Stack, r role, cfg Config, port uint16) *link {
	return &link{
		ctx: ctx, logf: logf, net: n, stack: s, role: r, cfg: cfg,
		oursAP: netip.AddrPortFrom(n.PeerAddr, 40000+port),
		kernAP: netip.AddrPortFrom(n.KernelAddr, 5000+port),
	}
}

// fail records the script's first error.
func (l *link) fail(format string, args ...any) {
	if l.err == nil {
		l.err = fmt.Errorf(format, args...)
	}
}

// deadline is the scenario's.
func (l *link) deadline() time.Time {
	d, _ := l.ctx.Deadline()
	return d
}

// close releases what the link holds; the test's cleanup removes the
// namespace, and the kernel's sockets with it.
func (l *link) close() {
	if l.kern != nil {
		l.kern.Close()
	}
	if l.ln != nil {
		l.ln.Close()
	}
	for _, r := range l.rules {
		r.Delete()
	}
}

// ---------------------------------------------------------------------------
// Opening.

// open makes the connection: in the client role ours connects to a kernel
// listener, in the server role the kernel connects to ours.
func (l *link) open() {
	l.startOpen()()
}

// startOpen starts opening the connection and returns a function that
// waits until the kernel's side is open too: the kernel's accept (client
// role) or connect (server role). Between the two, checkpoints can watch
// the handshake.
func (l *link) startOpen() (wait func()) {
	if l.err != nil {
		return func() {}
	}
	var err error
	switch l.role {
	case client:
		if l.ln, err = Listen(l.net.NS, l.kernAP); err != nil {
			l.fail("kernel listen: %v", err)
			return func() {}
		}
		if l.ours, err = l.stack.Dial(l.oursAP.Port(), l.kernAP, l.cfg); err != nil {
			l.fail("our open: %v", err)
			return func() {}
		}
		return func() {
			if l.err != nil {
				return
			}
			l.ln.SetDeadline(l.deadline())
			if l.kern, err = l.ln.AcceptTCP(); err != nil {
				l.fail("kernel accept: %v (ours %v)", err, l.ours.State())
				return
			}
			l.kern.SetDeadline(l.deadline())
		}
	default:
		if l.ours, err = l.stack.Listen(l.oursAP.Port(), l.cfg); err != nil {
			l.fail("our listen: %v", err)
			return func() {}
		}
		type result struct {
			c   *net.TCPConn
			err error
		}
		done := make(chan result, 1)
		go func() {
			c, err := Dial(l.net.NS, l.kernAP, l.oursAP, time.Until(l.deadline()))
			done <- result{c, err}
		}()
		return func() {
			r := <-done
			if r.err != nil {
				l.fail("kernel connect: %v (ours %v)", r.err, l.ours.State())
				return
			}
			l.kern = r.c
			l.kern.SetDeadline(l.deadline())
		}
	}
}

// ---------------------------------------------------------------------------
// Checkpoints.

// expect waits until our Endpoint is in ours and the kernel's socket in
// kernel (RFC spelling; "CLOSED" when the kernel has none), and logs both
// side by side. It fails when the deadline passes first, or at once when
// our connection has ended in another state: nothing can change it then.
func (l *link) expect(label string, ours tcpfsm.State, kernel string) {
	if l.err != nil {
		return
	}
	var gotOurs tcpfsm.State
	var gotKernel string
	for {
		st := l.ours.Status()
		gotOurs = st.State
		var err error
		if gotKernel, err = KernelState(l.net.NS, l.kernAP, l.oursAP); err != nil {
			l.fail("checkpoint %q: %v", label, err)
			return
		}
		if gotOurs == ours && gotKernel == kernel {
			l.logf("%-40s ours %-13v kernel %-13s", label, gotOurs, gotKernel)
			return
		}
		ended := st.Ended && gotOurs != ours
		if ended || time.Now().After(l.deadline()) {
			l.logf("%-40s ours %-13v kernel %-13s  <- want ours %v, kernel %s", label, gotOurs, gotKernel, ours, kernel)
			why := "the deadline passed"
			if ended {
				why = "our connection ended"
			}
			l.fail("checkpoint %q: %s with ours in %v (want %v) and the kernel in %s (want %s); our states %v, told %q; the kernel's sockets: %s",
				label, why, gotOurs, ours, gotKernel, kernel, st.Trail, st.Told, l.kernelSockets())
			return
		}
		time.Sleep(pollEvery)
	}
}

// kernelSockets lists the kernel's TCP sockets, as ss would, for a
// failure message.
func (l *link) kernelSockets() string {
	socks, err := KernelSockets(l.net.NS)
	if err != nil {
		return err.Error()
	}
	if len(socks) == 0 {
		return "none"
	}
	var b strings.Builder
	for _, s := range socks {
		fmt.Fprintf(&b, "\n\t%-13s %v > %v", s.State, s.Local, s.Remote)
	}
	if out, err := l.net.NS.Exec("ss", "-tanoi"); err == nil {
		b.WriteString("\n\tss -tanoi:\n" + out)
	}
	return b.String()
}

// waitOurs waits until cond holds for our connection's status. It gives
// up at the deadline, or at once when the connection has ended without
// cond holding: nothing changes after that.
func (l *link) waitOurs(what string, cond func(*Status) bool) {
	if l.err != nil {
		return
	}
	err := l.ours.Wait(l.ctx, func(s *Status) bool { return cond(s) || s.Ended })
	st := l.ours.Status()
	if err == nil && !cond(&st) {
		err = errors.New("the connection ended")
	}
	if err != nil {
		l.fail("waiting for ours to be %s: %v; ours in %v, states %v, told %q", what, err, st.State, st.Trail, st.Told)
	}
}

// oursTold waits until our connection has been told all of tell.
func (l *link) oursTold(tell tcpfsm.Tell) {
	l.waitOurs("told "+tell.String(), func(s *Status) bool { return s.Told&tell == tell })
}

// finish checks how the scenario ended: our connection over, no fault,
// the kernel's socket CLOSED or in TIME-WAIT (which lasts 60 s in Linux;
// the namespace goes before that).
func (l *link) finish() {
	if l.err != nil {
		return
	}
	l.waitOurs("ended", func(s *Status) bool { return s.Ended })
	st := l.ours.Status()
	if l.err == nil && st.Fault != nil {
		l.fail("fault in our connection: %v", st.Fault)
	}
	if l.err == nil {
		l.logf("our states: %v; told %q; %d segments in, %d out, %d retransmission timeouts",
			st.Trail, st.Told, st.SegmentsIn, st.SegmentsOut, st.Retransmissions)
	}
}

// ---------------------------------------------------------------------------
// Our end.

func (l *link) oursWrite(b []byte) {
	if l.err != nil {
		return
	}
	if _, err := l.ours.Write(b); err != nil {
		l.fail("our write: %v", err)
	}
}

func (l *link) oursClose() {
	if l.err != nil {
		return
	}
	if err := l.ours.Close(); err != nil {
		l.fail("our close: %v", err)
	}
}

func (l *link) oursAbort() {
	if l.err != nil {
		return
	}
	if err := l.ours.Abort(); err != nil {
		l.fail("our abort: %v", err)
	}
}

// oursReceive waits until ours has received want and the peer's FIN, and
// checks the bytes.
func (l *link) oursReceive(want []byte) {
	l.oursTold(tcpfsm.TellEOF)
	if l.err != nil {
		return
	}
	got, err := io.ReadAll(l.ours)
	if err != nil {
		l.fail("our read: %v", err)
		return
	}
	l.checkBytes("ours received", got, want)
}

// oursReceiveN waits until ours has received len(want) bytes, without a
// FIN, and checks them.
func (l *link) oursReceiveN(want []byte) {
	l.waitOurs(fmt.Sprintf("holding %d bytes", len(want)), func(s *Status) bool { return s.Received >= uint64(len(want)) })
	if l.err != nil {
		return
	}
	got := make([]byte, len(want))
	if _, err := io.ReadFull(l.ours, got); err != nil {
		l.fail("our read: %v", err)
		return
	}
	l.checkBytes("ours received", got, want)
}

// ---------------------------------------------------------------------------
// The kernel's end: an ordinary socket.

// kernelWrite writes b from the kernel's socket in the background: a
// blocking write must not hold up the script while ours is the one to
// read. The returned function waits for it.
func (l *link) kernelWrite(b []byte) (wait func()) {
	if l.err != nil {
		return func() {}
	}
	errc := make(chan error, 1)
	go func() {
		_, err := l.kern.Write(b)
		errc <- err
	}()
	return func() {
		if err := <-errc; err != nil {
			l.fail("kernel write: %v", err)
		}
	}
}

// kernelReceive reads from the kernel's socket until EOF and checks the
// bytes.
func (l *link) kernelReceive(want []byte) {
	if l.err != nil {
		return
	}
	got, err := io.ReadAll(l.kern)
	if err != nil {
		l.fail("kernel read: %v (got %d bytes)", err, len(got))
		return
	}
	l.checkBytes("kernel received", got, want)
}

// kernelReceiveN reads exactly len(want) bytes and checks them.
func (l *link) kernelReceiveN(want []byte) {
	if l.err != nil {
		return
	}
	got := make([]byte, len(want))
	if n, err := io.ReadFull(l.kern, got); err != nil {
		l.fail("kernel read: %v (got %d of %d bytes)", err, n, len(want))
		return
	}
	l.checkBytes("kernel received", got, want)
}

// kernelShutWrite is shutdown(SHUT_WR): the kernel sends its FIN and can
// still receive.
func (l *link) kernelShutWrite() {
	if l.err != nil {
		return
	}
	if err := l.kern.CloseWrite(); err != nil {
		l.fail("kernel shutdown: %v", err)
	}
}

// kernelClose is close(2): the kernel sends its FIN; the socket lives on
// without a descriptor until its close completes.
func (l *link) kernelClose() {
	if l.err != nil {
		return
	}
	err := l.kern.Close()
	l.kern = nil
	if err != nil {
		l.fail("kernel close: %v", err)
	}
}

// kernelAbort closes with SO_LINGER 0: the kernel sends a reset and forgets
// the connection.
func (l *link) kernelAbort() {
	if l.err != nil {
		return
	}
	if err := l.kern.SetLinger(0); err != nil {
		l.fail("SO_LINGER: %v", err)
		return
	}
	l.kernelClose()
}

// ---------------------------------------------------------------------------
// Loss, from iptables.

// drop adds a DROP rule to chain for the link's packets (both ports
// named) that also match spec.
func (l *link) drop(chain string, spec ...string) *Rule {
	if l.err != nil {
		return nil
	}
	src, dst := l.oursAP.Port(), l.kernAP.Port() // INPUT: from ours to the kernel
	if chain == "OUTPUT" {
		src, dst = dst, src
	}
	args := append([]string{"-p", "tcp", "--sport", strconv.Itoa(int(src)), "--dport", strconv.Itoa(int(dst))}, spec...)
	r, err := AddRule(l.net.NS, chain, append(args, "-j", "DROP")...)
	if err != nil {
		l.fail("iptables: %v", err)
		return nil
	}
	l.logf("%-40s %s", "iptables", r)
	l.rules = append(l.rules, r)
	return r
}

// undrop deletes the rule.
func (l *link) undrop(r *Rule) {
	if l.err != nil || r == nil {
		return
	}
	if err := r.Delete(); err != nil {
		l.fail("iptables: %v", err)
	}
	for i, x := range l.rules {
		if x == r {
			l.rules = append(l.rules[:i], l.rules[i+1:]...)
			break
		}
	}
}

// dropped checks that the rule dropped exactly n packets.
func (l *link) dropped(r *Rule, n uint64) {
	if l.err != nil || r == nil {
		return
	}
	got, err := r.Packets()
	if err != nil {
		l.fail("iptables: %v", err)
		return
	}
	l.logf("%-40s %d dropped", "iptables", got)
	if got != n {
		l.fail("the rule %s dropped %d packets, want %d", r, got, n)
	}
}

// ---------------------------------------------------------------------------
// Data.

// pattern returns n pseudo-random bytes, the same for the same seed: data
// whose every byte is checked on arrival.
func pattern(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// checkBytes compares received bytes with the expected ones.
func (l *link) checkBytes(who string, got, want []byte) {
	if bytes.Equal(got, want) {
		l.logf("%-40s %d bytes, all in order", who, len(got))
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	l.fail("%s %d bytes, want %d; they first differ at byte %d", who, len(got), len(want), i)
}
