//go:build linux

package tunpeer

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/synfin/synfin/tcpfsm"
)

// Shorthands for the states of our Endpoint.
const (
	sClosed      = tcpfsm.StateClosed
	sSynSent     = tcpfsm.StateSynSent
	sSynReceived = tcpfsm.StateSynReceived
	sEstablished = tcpfsm.StateEstablished
	sFinWait1    = tcpfsm.StateFinWait1
	sFinWait2    = tcpfsm.StateFinWait2
	sCloseWait   = tcpfsm.StateCloseWait
	sClosing     = tcpfsm.StateClosing
	sTimeWait    = tcpfsm.StateTimeWait
)

// scenarioConfig is our Endpoint's configuration in the scenarios: a short
// RTO, so that a loss is repaired quickly, and a short TIME-WAIT, so that
// every scenario ends in CLOSED without waiting minutes.
func scenarioConfig() Config {
	return Config{TCP: tcpfsm.Config{
		RTO:      100 * time.Millisecond,
		MaxRTO:   time.Second,
		TimeWait: time.Second,
	}}
}

// A scenario is a script over one link. Roles lists the roles it runs in;
// config, if set, adjusts our configuration.
type scenario struct {
	name   string
	roles  []role
	config func(*Config)
	run    func(l *link)
}

var bothRoles = []role{client, server}

// closeFromUs is the orderly end used by scenarios about something else:
// we close first, the kernel follows, our TIME-WAIT runs out.
func closeFromUs(l *link) {
	l.oursClose()
	l.expect("we closed, the kernel acknowledged", sFinWait2, "CLOSE-WAIT")
	l.kernelReceive(nil)
	l.kernelClose()
	l.expect("the kernel closed too", sTimeWait, "CLOSED")
	l.expect("our TIME-WAIT ran out", sClosed, "CLOSED")
}

var scenarios = []scenario{
	{
		name:  "handshake",
		roles: bothRoles,
		run: func(l *link) {
			l.open()
			l.oursTold(tcpfsm.TellEstablished)
			l.expect("handshake done", sEstablished, "ESTABLISHED")
			closeFromUs(l)
		},
	},
	{
		name:  "data-both-ways",
		roles: bothRoles,
		run: func(l *link) {
			ours, kernel := pattern(1, 200_000), pattern(2, 150_000)
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			wait := l.kernelWrite(kernel)
			l.oursWrite(ours)
			l.kernelReceiveN(ours)
			l.oursReceiveN(kernel)
			wait()
			l.expect("both streams delivered", sEstablished, "ESTABLISHED")
			closeFromUs(l)
		},
	},
	{
		name:  "close-by-us",
		roles: bothRoles,
		run: func(l *link) {
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			l.oursWrite(pattern(3, 5000))
			l.oursClose()
			l.expect("our FIN acknowledged", sFinWait2, "CLOSE-WAIT")
			l.kernelReceive(pattern(3, 5000))
			l.kernelClose()
			l.expect("the kernel's FIN taken", sTimeWait, "CLOSED")
			l.expect("our TIME-WAIT ran out", sClosed, "CLOSED")
		},
	},
	{
		name:  "close-by-kernel",
		roles: bothRoles,
		run: func(l *link) {
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			wait := l.kernelWrite(pattern(4, 5000))
			wait()
			l.kernelClose()
			l.expect("the kernel's FIN taken", sCloseWait, "FIN-WAIT-2")
			l.oursReceive(pattern(4, 5000))
			l.oursClose()
			l.expect("our FIN acknowledged", sClosed, "TIME-WAIT")
		},
	},
	{
		// The kernel shuts down its sending side; we go on sending, and
		// the kernel reads it in FIN-WAIT-2.
		name:  "half-close-kernel-shuts-write",
		roles: bothRoles,
		run: func(l *link) {
			data := pattern(5, 100_000)
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			l.kernelShutWrite()
			l.expect("the kernel's FIN taken", sCloseWait, "FIN-WAIT-2")
			l.oursReceive(nil)
			l.oursWrite(data)
			l.kernelReceiveN(data)
			l.expect("our data after its FIN delivered", sCloseWait, "FIN-WAIT-2")
			l.oursClose()
			l.expect("our FIN acknowledged", sClosed, "TIME-WAIT")
			l.kernelReceive(nil)
		},
	},
	{
		// We close; the kernel goes on sending, and we read it in
		// FIN-WAIT-2.
		name:  "half-close-we-close-kernel-sends",
		roles: bothRoles,
		run: func(l *link) {
			data := pattern(6, 100_000)
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			l.oursClose()
			l.expect("our FIN acknowledged", sFinWait2, "CLOSE-WAIT")
			wait := l.kernelWrite(data)
			l.oursReceiveN(data)
			wait()
			l.expect("its data after our FIN delivered", sFinWait2, "CLOSE-WAIT")
			l.kernelClose()
			l.expect("the kernel's FIN taken", sTimeWait, "CLOSED")
			l.oursReceive(nil)
			l.expect("our TIME-WAIT ran out", sClosed, "CLOSED")
		},
	},
	{
		// Both sides close before either has the other's FIN. Our FIN is
		// lost on the way (iptables holds our packets), so the kernel's
		// FIN reaches us in FIN-WAIT-1: we go through CLOSING (RFC 9293
		// Figure 13). Our FIN, sent again, acknowledges the kernel's,
		// which takes the kernel from FIN-WAIT-1 straight to TIME-WAIT.
		name:  "simultaneous-close-kernel-fin-first",
		roles: bothRoles,
		run: func(l *link) {
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			in := l.drop("INPUT")
			l.oursClose()
			l.expect("our FIN lost", sFinWait1, "ESTABLISHED")
			l.kernelClose()
			l.expect("its FIN crossed ours: CLOSING", sClosing, "FIN-WAIT-1")
			l.undrop(in)
			l.expect("our FIN came again", sTimeWait, "TIME-WAIT")
			l.expect("our TIME-WAIT ran out", sClosed, "TIME-WAIT")
		},
	},
	{
		// The mirror image: the kernel's FIN is held (iptables drops its
		// packets, so the kernel cannot send them yet), ours reaches the
		// kernel in FIN-WAIT-1 and the kernel goes through CLOSING; its
		// FIN then comes with the ACK of ours, which takes us from
		// FIN-WAIT-1 straight to TIME-WAIT.
		name:  "simultaneous-close-our-fin-first",
		roles: bothRoles,
		run: func(l *link) {
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			out := l.drop("OUTPUT")
			l.kernelClose()
			l.expect("the kernel's FIN held", sEstablished, "FIN-WAIT-1")
			l.oursClose()
			l.expect("our FIN crossed its: CLOSING", sFinWait1, "CLOSING")
			l.undrop(out)
			l.expect("its FIN came with its ACK", sTimeWait, "TIME-WAIT")
			l.expect("our TIME-WAIT ran out", sClosed, "TIME-WAIT")
		},
	},
	{
		name:  "abort-by-kernel",
		roles: bothRoles,
		run: func(l *link) {
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			l.kernelAbort()
			l.oursTold(tcpfsm.TellReset)
			l.expect("the kernel's RST taken", sClosed, "CLOSED")
		},
	},
	{
		name:  "abort-by-us",
		roles: bothRoles,
		run: func(l *link) {
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			l.oursAbort()
			l.oursTold(tcpfsm.TellClosed)
			if l.err == nil {
				_, err := l.kern.Read(make([]byte, 1))
				if !errors.Is(err, syscall.ECONNRESET) {
					l.fail("kernel read after our RST: %v, want ECONNRESET", err)
				}
				if s, err := TCPInfoState(l.kern); err != nil || s != "CLOSED" {
					l.fail("kernel TCP_INFO state %s (%v), want CLOSED", s, err)
				}
			}
			l.expect("our RST taken", sClosed, "CLOSED")
		},
	},
	{
		// We connect to a kernel port nobody listens on.
		name:  "refused-by-kernel",
		roles: []role{client},
		run: func(l *link) {
			var err error
			if l.ours, err = l.stack.Dial(l.oursAP.Port(), l.kernAP, l.cfg); err != nil {
				l.fail("our open: %v", err)
				return
			}
			l.waitOurs("ended", func(s *Status) bool { return s.Ended })
			if st := l.ours.Status(); l.err == nil && st.Told&(tcpfsm.TellReset|tcpfsm.TellRefused) == 0 {
				l.fail("our connection ended with %q, want reset or refused", st.Told)
			}
			l.expect("the kernel's RST taken", sClosed, "CLOSED")
		},
	},
	{
		// The kernel connects to a port of ours nobody listens on: our
		// stack answers as a CLOSED Endpoint does, with a reset.
		name:  "refused-by-us",
		roles: []role{server},
		run: func(l *link) {
			before := l.stack.Stats().ResetsSent
			_, err := Dial(l.net.NS, l.kernAP, l.oursAP, time.Until(l.deadline()))
			if !errors.Is(err, syscall.ECONNREFUSED) {
				l.fail("kernel connect: %v, want ECONNREFUSED", err)
				return
			}
			l.logf("%-40s %v", "kernel connect", err)
			if n := l.stack.Stats().ResetsSent - before; n == 0 {
				l.fail("our stack sent no reset")
			}
		},
	},
	{
		// Client: our SYN is lost and we send it again. Server: the
		// kernel's SYN is lost and the kernel sends it again (after its
		// 1 s initial RTO).
		name:  "syn-lost",
		roles: bothRoles,
		run: func(l *link) {
			chain := map[role]string{client: "INPUT", server: "OUTPUT"}[l.role]
			r := l.drop(chain, append([]string{"--tcp-flags", "SYN,ACK,FIN,RST", "SYN"}, DropFirst()...)...)
			l.open()
			l.expect("open after the SYN was sent again", sEstablished, "ESTABLISHED")
			l.dropped(r, 1)
			if l.role == client {
				l.retransmitted()
			}
			closeFromUs(l)
		},
	},
	{
		// Client: the kernel's SYN-ACK is lost; it comes again when the
		// kernel's timer runs out or our SYN comes again. Server: our
		// SYN-ACK is lost and we send it again.
		name:  "syn-ack-lost",
		roles: bothRoles,
		run: func(l *link) {
			chain := map[role]string{client: "OUTPUT", server: "INPUT"}[l.role]
			r := l.drop(chain, append([]string{"--tcp-flags", "SYN,ACK,FIN,RST", "SYN,ACK"}, DropFirst()...)...)
			l.open()
			l.expect("open after the SYN-ACK was sent again", sEstablished, "ESTABLISHED")
			l.dropped(r, 1)
			l.retransmitted()
			closeFromUs(l)
		},
	},
	{
		// The SYN-ACK is held until both ends have been seen half-open:
		// the side that sent the SYN in SYN-SENT, the other in
		// SYN-RECEIVED (the kernel's listener holds a request socket).
		name:  "half-open",
		roles: bothRoles,
		run: func(l *link) {
			chain := map[role]string{client: "OUTPUT", server: "INPUT"}[l.role]
			r := l.drop(chain, "--tcp-flags", "SYN,ACK,FIN,RST", "SYN,ACK")
			wait := l.startOpen()
			if l.role == client {
				l.expect("SYN-ACKs held", sSynSent, "SYN-RECEIVED")
			} else {
				l.expect("SYN-ACKs held", sSynReceived, "SYN-SENT")
			}
			l.undrop(r)
			wait()
			l.expect("open", sEstablished, "ESTABLISHED")
			closeFromUs(l)
		},
	},
	{
		name:  "our-fin-lost",
		roles: bothRoles,
		run: func(l *link) {
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			r := l.drop("INPUT", append([]string{"--tcp-flags", "FIN", "FIN"}, DropFirst()...)...)
			l.oursClose()
			l.expect("our FIN sent again, acknowledged", sFinWait2, "CLOSE-WAIT")
			l.dropped(r, 1)
			l.retransmitted()
			l.kernelReceive(nil)
			l.kernelClose()
			l.expect("the kernel's FIN taken", sTimeWait, "CLOSED")
			l.expect("our TIME-WAIT ran out", sClosed, "CLOSED")
		},
	},
	{
		name:  "kernel-fin-lost",
		roles: bothRoles,
		run: func(l *link) {
			l.open()
			l.expect("open", sEstablished, "ESTABLISHED")
			r := l.drop("OUTPUT", append([]string{"--tcp-flags", "FIN", "FIN"}, DropFirst()...)...)
			l.kernelClose()
			l.expect("the kernel's FIN sent again, taken", sCloseWait, "FIN-WAIT-2")
			l.dropped(r, 1)
			l.oursClose()
			l.expect("our FIN acknowledged", sClosed, "TIME-WAIT")
		},
	},
	timeWaitScenario,
}

// timeWaitScenario is the one TestTableMistake breaks: our ACK of the
// kernel's FIN is lost, so the kernel, in LAST-ACK, sends its FIN again.
// It reaches us in TIME-WAIT, and we must acknowledge it again (RFC 9293
// section 3.10.7.4: "The only thing that can arrive in this state is a
// retransmission of the remote FIN. Acknowledge it, and restart the 2 MSL
// timeout."), or the kernel never leaves LAST-ACK while we wait. Our
// TIME-WAIT is long here, so that the kernel's retransmission (after its
// RTO, tens of milliseconds) surely comes within it.
var timeWaitScenario = scenario{
	name:  "time-wait-answers-retransmitted-fin",
	roles: bothRoles,
	config: func(c *Config) {
		c.TCP.TimeWait = 5 * time.Second
	},
	run: func(l *link) {
		l.open()
		l.expect("open", sEstablished, "ESTABLISHED")
		l.oursClose()
		l.expect("our FIN acknowledged", sFinWait2, "CLOSE-WAIT")
		l.kernelReceive(nil)
		// Our next pure ACK is the one for the kernel's FIN: lose it.
		r := l.drop("INPUT", append([]string{"--tcp-flags", "ALL", "ACK"}, DropFirst()...)...)
		l.kernelClose()
		l.expect("the kernel's FIN came again, answered", sTimeWait, "CLOSED")
		l.dropped(r, 1)
		l.expect("our TIME-WAIT ran out", sClosed, "CLOSED")
	},
}

// retransmitted checks that our Endpoint has retransmitted something.
func (l *link) retransmitted() {
	if l.err != nil {
		return
	}
	st := l.ours.Status()
	l.logf("%-40s %d timeouts, %d segments", "our retransmissions", st.Retransmissions, st.RetransmittedSegments)
	if st.Retransmissions == 0 {
		l.fail("our Endpoint retransmitted nothing")
	}
}

// runScenario runs sc in role r in a namespace of its own, with our
// Endpoint stepping through table (nil: the generated one), and returns
// the script's error. Its log, the checkpoints with both ends' states side
// by side, is written as one block when it ends, so that the scenarios
// running in parallel do not interleave theirs. The block has every
// segment, step and timer of our connection in it too when the scenario
// fails, or with -tunpeer.trace.
func runScenario(t *testing.T, sc scenario, r role, table *tcpfsm.Table) (err error) {
	var log blockLog
	defer func() { t.Log("\n" + log.String(err != nil || *traceFlag)) }()
	n := newNetwork(t)
	stack := NewStack(n.Tun, n.PeerAddr)
	defer stack.Close()
	cfg := scenarioConfig()
	cfg.Table = table
	if sc.config != nil {
		sc.config(&cfg)
	}
	cfg.Trace = log.Tracef
	ctx, cancel := context.WithTimeout(context.Background(), scenarioTimeout)
	defer cancel()
	l := newLink(ctx, log.Logf, n, stack, r, cfg, 1)
	defer l.close()
	log.Logf("%s, tcpfsm as %s", sc.name, r)
	sc.run(l)
	if l.err == nil && l.ours != nil {
		l.finish()
	}
	if l.err == nil {
		if s := stack.Stats(); s.Bad > 0 {
			l.fail("%d packets from the kernel failed their checksums", s.Bad)
		}
	}
	return l.err
}

var traceFlag = flag.Bool("tunpeer.trace", false, "log every segment, step and timer of the kernel scenarios")

// blockLog collects a scenario's lines, from the test and from the
// connection's loop: all of them, and the test's alone.
type blockLog struct {
	mu          sync.Mutex
	brief, full strings.Builder
}

// Logf adds a line of the test's.
func (l *blockLog) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	line := fmt.Sprintf(format, args...) + "\n"
	l.brief.WriteString(line)
	l.full.WriteString(line)
}

// Tracef adds a line of the connection's trace.
func (l *blockLog) Tracef(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.full, "    "+format+"\n", args...)
}

func (l *blockLog) String(full bool) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if full {
		return l.full.String()
	}
	return l.brief.String()
}

// TestScenarios runs every scenario in each of its roles, each in a
// namespace of its own and in parallel with the others.
func TestScenarios(t *testing.T) {
	needKernel(t)
	for _, sc := range scenarios {
		for _, r := range sc.roles {
			t.Run(sc.name+"/"+string(r), func(t *testing.T) {
				t.Parallel()
				if err := runScenario(t, sc, r, nil); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}
