//go:build linux

package tunpeer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/synfin/synfin/tcpfsm"
)

// The loss run's figures.
const (
	lossConns       = 60     // connections, half with tcpfsm as client
	lossParallel    = 12     // connections open at once
	lossBytes       = 24_000 // bytes each way on each connection
	lossProbability = 0.15   // of each packet being dropped, each way
	lossTimeout     = 100 * time.Second
)

// lossConfig is our Endpoint's configuration under loss: a short RTO, and
// retry limits that 15% loss never exhausts (twenty losses of the same
// segment in a row happen with probability 0.15^20).
func lossConfig() Config {
	return Config{TCP: tcpfsm.Config{
		RTO:         100 * time.Millisecond,
		MaxRTO:      time.Second,
		SynRetries:  20,
		DataRetries: 20,
		TimeWait:    2 * time.Second,
	}}
}

// TestRandomLoss runs many connections with data both ways while iptables
// drops packets at random in both directions, and checks that every byte
// arrives once and in order and that both ends close.
func TestRandomLoss(t *testing.T) {
	n := newNetwork(t)
	// Losses are repaired after the kernel's RTO: keep it short.
	if err := n.SetRTOMin(20 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	stack := NewStack(n.Tun, n.PeerAddr)
	defer stack.Close()
	rules := addLossRules(t, n)

	ctx, cancel := context.WithTimeout(context.Background(), lossTimeout)
	defer cancel()
	kernelRetrans0 := kernelRetransSegs(t, n.NS)
	results := runLossConns(ctx, n, stack)

	var dropped [2]uint64
	for i, rule := range rules {
		var err error
		if dropped[i], err = rule.Packets(); err != nil {
			t.Error(err)
		}
	}
	logLossRun(t, n, stack, results, dropped, kernelRetrans0)
	for i, r := range results {
		if r.err != nil {
			t.Errorf("connection %d (%s): %v", i, r.role, r.err)
		}
	}
	if dropped[0] == 0 || dropped[1] == 0 {
		t.Errorf("iptables dropped %d and %d packets: the loss rules did not work", dropped[0], dropped[1])
	}
}

// addLossRules adds the loss run's DROP rules: ours on the way in to the
// kernel, then the kernel's on the way out.
func addLossRules(t *testing.T, n *Network) []*Rule {
	t.Helper()
	var rules []*Rule
	for _, r := range [][]string{
		{"INPUT", "-i", "tun0"},
		{"OUTPUT", "-o", "tun0"},
	} {
		spec := append(append(r[1:], "-p", "tcp"), DropRandom(lossProbability)...)
		rule, err := AddRule(n.NS, r[0], append(spec, "-j", "DROP")...)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("iptables %s", rule)
		rules = append(rules, rule)
	}
	return rules
}

// lossResult is how one connection of the loss run went.
type lossResult struct {
	role     role
	err      error
	st       Status
	verified int // bytes
}

// runLossConns runs the loss run's connections, lossParallel at a time,
// and returns how each went.
func runLossConns(ctx context.Context, n *Network, stack *Stack) []lossResult {
	results := make([]lossResult, lossConns)
	sem := make(chan struct{}, lossParallel)
	var wg sync.WaitGroup
	for i := range lossConns {
		r := client
		if i%2 == 1 {
			r = server
		}
		l := newLink(ctx, func(string, ...any) {}, n, stack, r, lossConfig(), uint16(i))
		results[i].role = r
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer l.close()
			results[i].verified = lossConn(l, uint64(i))
			results[i].err = l.err
			if l.ours != nil {
				results[i].st = l.ours.Status()
			}
		}()
	}
	wg.Wait()
	return results
}

// logLossRun logs what the loss run did: the connections, the bytes, the
// packets dropped and the retransmissions they caused.
func logLossRun(t *testing.T, n *Network, stack *Stack, results []lossResult, dropped [2]uint64, kernelRetrans0 int64) {
	var conns, verified, retx, retxSegs, segsIn, segsOut int
	for _, r := range results {
		if r.err != nil {
			continue
		}
		conns++
		verified += r.verified
		retx += r.st.Retransmissions
		retxSegs += r.st.RetransmittedSegments
		segsIn += r.st.SegmentsIn
		segsOut += r.st.SegmentsOut
	}
	ss := stack.Stats()
	t.Logf("connections completed:        %d of %d (%d with tcpfsm as client, %d as server)", conns, lossConns, (lossConns+1)/2, lossConns/2)
	t.Logf("bytes verified:               %d (%d each way per connection, every byte once and in order)", verified, lossBytes)
	t.Logf("packets dropped by iptables:  %d (%d of ours on the way in, %d of the kernel's on the way out; p = %.2f each)",
		dropped[0]+dropped[1], dropped[0], dropped[1], lossProbability)
	t.Logf("packets through the TUN:      %d read, %d written", ss.PacketsIn, ss.PacketsOut)
	t.Logf("our segments:                 %d in, %d out", segsIn, segsOut)
	t.Logf("our retransmissions:          %d timeouts, %d segments sent again", retx, retxSegs)
	if k := kernelRetransSegs(t, n.NS); k >= 0 && kernelRetrans0 >= 0 {
		t.Logf("kernel retransmissions:       %d segments (Tcp RetransSegs)", k-kernelRetrans0)
	}
	t.Logf("resets from our closed ports: %d; bad checksums: %d; queue drops: %d", ss.ResetsSent, ss.Bad, ss.QueueDrops)
}

// lossConn runs one connection of the loss run, each end as an
// application would: send its stream, close, read the other's to the end.
// Neither waits for the other: ours queues its data before the handshake
// is over, which is also what completes the handshake at the kernel when
// our ACK of its SYN-ACK is lost. It returns how many bytes it verified.
func lossConn(l *link, seed uint64) int {
	oursData, kernData := pattern(2*seed+100, lossBytes), pattern(2*seed+101, lossBytes)
	var err error
	switch l.role {
	case client:
		if l.ln, err = Listen(l.net.NS, l.kernAP); err != nil {
			l.fail("kernel listen: %v", err)
			return 0
		}
		if l.ours, err = l.stack.Dial(l.oursAP.Port(), l.kernAP, l.cfg); err != nil {
			l.fail("our open: %v", err)
			return 0
		}
	case server:
		if l.ours, err = l.stack.Listen(l.oursAP.Port(), l.cfg); err != nil {
			l.fail("our listen: %v", err)
			return 0
		}
	}

	kernDone := make(chan error, 1)
	go func() { kernDone <- l.kernelApp(kernData, oursData) }()

	if l.role == server {
		// SEND is refused in LISTEN: wait for the kernel's SYN.
		l.waitOurs("out of LISTEN", func(s *Status) bool { return s.State != tcpfsm.StateListen })
	}
	l.oursWrite(oursData)
	// CLOSE in SYN-SENT deletes the connection (RFC 9293 section
	// 3.10.4): wait for the handshake, as an application waits for
	// connect to return.
	l.oursTold(tcpfsm.TellEstablished)
	l.oursClose()
	l.oursReceive(kernData)
	if err := <-kernDone; err != nil {
		l.fail("%v", err)
	}
	l.waitOurs("ended", func(s *Status) bool { return s.Ended })
	if st := l.ours.Status(); l.err == nil {
		switch {
		case st.Fault != nil:
			l.fail("fault: %v", st.Fault)
		case st.Told&tcpfsm.TellClosed == 0:
			l.fail("our connection ended with %q, not closed", st.Told)
		}
	}
	l.kernelGone()
	if l.err != nil {
		return 0
	}
	return 2 * lossBytes
}

// kernelApp is the kernel's end of a loss-run connection: accept or
// connect, send, read to the end, check, close.
func (l *link) kernelApp(send, want []byte) error {
	var kern *net.TCPConn
	var err error
	switch l.role {
	case client:
		l.ln.SetDeadline(l.deadline())
		kern, err = l.ln.AcceptTCP()
		if err != nil {
			return fmt.Errorf("kernel accept: %w", err)
		}
	case server:
		kern, err = Dial(l.net.NS, l.kernAP, l.oursAP, time.Until(l.deadline()))
		if err != nil {
			return fmt.Errorf("kernel connect: %w", err)
		}
	}
	defer kern.Close()
	kern.SetDeadline(l.deadline())
	if _, err := kern.Write(send); err != nil {
		return fmt.Errorf("kernel write: %w", err)
	}
	got, err := io.ReadAll(kern)
	if err != nil {
		return fmt.Errorf("kernel read: %w (after %d bytes)", err, len(got))
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("kernel received %d bytes, not the %d sent", len(got), len(want))
	}
	return nil
}

// kernelGone waits until the kernel has no socket for the connection
// other than one in TIME-WAIT.
func (l *link) kernelGone() {
	for l.err == nil {
		s, err := KernelState(l.net.NS, l.kernAP, l.oursAP)
		if err != nil {
			l.fail("%v", err)
			return
		}
		if s == "CLOSED" || s == "TIME-WAIT" {
			return
		}
		if time.Now().After(l.deadline()) {
			l.fail("the kernel's socket is still in %s at the deadline", s)
			return
		}
		time.Sleep(10 * pollEvery)
	}
}

// kernelRetransSegs reads the namespace's count of retransmitted TCP
// segments (RetransSegs in /proc/net/snmp), or -1.
func kernelRetransSegs(t *testing.T, ns *Namespace) int64 {
	var n int64 = -1
	err := ns.Do(func() error {
		// /proc/thread-self: /proc/net is the main thread's namespace.
		b, err := os.ReadFile("/proc/thread-self/net/snmp")
		if err != nil {
			return err
		}
		var names []string
		for line := range strings.Lines(string(b)) {
			f := strings.Fields(line)
			if len(f) == 0 || f[0] != "Tcp:" {
				continue
			}
			if names == nil {
				names = f
				continue
			}
			for i, name := range names {
				if name == "RetransSegs" && i < len(f) {
					n, err = strconv.ParseInt(f[i], 10, 64)
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Logf("kernel counters: %v", err)
		return -1
	}
	return n
}
