//go:build linux

package tunpeer

// The test network: a namespace, a TUN device in it, two addresses.

import (
	"fmt"
	"net/netip"
	"time"
)

// Network is a namespace with one TUN device in it, tun0: the kernel's
// stack at KernelAddr on one side of it, the userspace peer at PeerAddr on
// the other. Addresses come from 198.18.0.0/15, the range RFC 2544 sets
// aside for benchmarking; they exist only inside the namespace.
type Network struct {
	NS         *Namespace
	Tun        *Tun
	KernelAddr netip.Addr // the address of tun0, the kernel's side
	PeerAddr   netip.Addr // the userspace peer's address, behind tun0
}

// The addresses of every Network: each has its own namespace, so they can
// be the same.
var (
	DefaultKernelAddr = netip.MustParseAddr("198.18.0.1")
	DefaultPeerAddr   = netip.MustParseAddr("198.18.0.2")
)

// NewNetwork creates a namespace named name with tun0 in it, up, holding
// KernelAddr/24, so that the kernel routes PeerAddr through tun0. The
// kernel keeps its default timers (see SetRTOMin). The caller must Close
// it.
func NewNetwork(name string) (*Network, error) {
	ns, err := NewNamespace(name)
	if err != nil {
		return nil, err
	}
	n := &Network{NS: ns, KernelAddr: DefaultKernelAddr, PeerAddr: DefaultPeerAddr}
	if n.Tun, err = OpenTun(ns, "tun0"); err != nil {
		ns.Close()
		return nil, err
	}
	for _, args := range [][]string{
		{"addr", "add", n.prefix().String(), "dev", "tun0"},
		{"link", "set", "tun0", "up"},
	} {
		if err := ns.IP(args...); err != nil {
			n.Close()
			return nil, err
		}
	}
	return n, nil
}

// prefix is tun0's subnet, with the kernel's address.
func (n *Network) prefix() netip.Prefix {
	return netip.PrefixFrom(n.KernelAddr, 24)
}

// SetRTOMin sets the kernel's lower bound on its retransmission timeout
// for the peer (the route's rto_min), 200 ms by default. A few tens of
// milliseconds make the kernel repair losses quickly; they also make it
// retransmit spuriously when the peer is slow to acknowledge, for example
// on a loaded machine. The first SYN and SYN-ACK timeouts stay at one
// second (RFC 6298 section 2.1).
func (n *Network) SetRTOMin(d time.Duration) error {
	return n.NS.IP("route", "replace", n.prefix().Masked().String(), "dev", "tun0",
		"src", n.KernelAddr.String(), "rto_min", fmt.Sprintf("%dms", d.Milliseconds()))
}

// Close closes the TUN device and deletes the namespace.
func (n *Network) Close() error {
	if n.Tun != nil {
		n.Tun.Close()
	}
	return n.NS.Close()
}
