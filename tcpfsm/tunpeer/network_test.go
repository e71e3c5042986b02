//go:build linux

package tunpeer

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/synfin/synfin/tcpfsm/wire"
)

// TestNetworkKernelAnswersSYN checks the plumbing without an Endpoint: a
// SYN built by hand and written to the TUN device reaches a kernel
// listener, whose SYN-ACK comes back through the device with good
// checksums, while ss shows the half-open connection; an iptables rule
// counts what it drops.
func TestNetworkKernelAnswersSYN(t *testing.T) {
	n := newNetwork(t)
	kernel := netip.AddrPortFrom(n.KernelAddr, 5000)
	peer := netip.AddrPortFrom(n.PeerAddr, 40000)
	ln, err := Listen(n.NS, kernel)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	// The first SYN is dropped on its way in, the second one passes.
	rule, err := AddRule(n.NS, "INPUT", append([]string{"-p", "tcp", "--syn"}, DropFirst()...)...)
	if err != nil {
		t.Fatal(err)
	}
	syn := wire.Header{SrcPort: peer.Port(), DstPort: kernel.Port(), Seq: 1000,
		Flags: wire.FlagSYN, Window: 65535}
	syn.Options.MSS, syn.Options.HasMSS = 1460, true
	for range 2 {
		pkt, err := AppendPacket(nil, n.PeerAddr, n.KernelAddr, 1, &syn, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Tun.WritePacket(pkt); err != nil {
			t.Fatal(err)
		}
	}

	deadline := time.Now().Add(10 * time.Second)
	buf := make([]byte, 2048)
	for {
		if time.Now().After(deadline) {
			t.Fatal("no SYN-ACK from the kernel within 10 s")
		}
		nr, err := n.Tun.ReadPacket(buf)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParsePacket(buf[:nr])
		if errors.Is(err, ErrNotIPv4) || errors.Is(err, ErrNotTCP) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("kernel sent %v", &p)
		if p.TCP.Flags != wire.FlagSYN|wire.FlagACK || p.TCP.Ack != 1001 {
			t.Fatalf("want a SYN-ACK acknowledging 1001, got %v", &p)
		}
		break
	}
	if got, err := rule.Packets(); err != nil || got != 1 {
		t.Errorf("the drop rule counted %d packets (err %v), want 1", got, err)
	}
	state, err := KernelState(n.NS, kernel, peer)
	if err != nil {
		t.Fatal(err)
	}
	if state != "SYN-RECEIVED" {
		t.Errorf("kernel state %s, want SYN-RECEIVED", state)
	}
	if err := rule.Delete(); err != nil {
		t.Error(err)
	}
}
