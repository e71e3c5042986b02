//go:build linux

package tunpeer

// The kernel's side: ordinary sockets opened inside the namespace, and the
// kernel's own view of their TCP state.
//
// The state comes from the kernel's socket table (sockdiag.go), which
// lists every TCP socket of the namespace, including those no descriptor
// holds any more (an orphan in FIN-WAIT-1 or LAST-ACK after close, a
// TIME-WAIT socket) and half-open connections of a listener (SYN-RECV).
// For a socket still held, TCPInfoState reads the same state through
// getsockopt(TCP_INFO).

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"
)

// tcpiStates maps tcpi_state of struct tcp_info (the kernel's TCP_*
// constants of include/net/tcp_states.h) to the RFC 9293 spelling.
var tcpiStates = [...]string{
	1:  "ESTABLISHED",
	2:  "SYN-SENT",
	3:  "SYN-RECEIVED",
	4:  "FIN-WAIT-1",
	5:  "FIN-WAIT-2",
	6:  "TIME-WAIT",
	7:  "CLOSED",
	8:  "CLOSE-WAIT",
	9:  "LAST-ACK",
	10: "LISTEN",
	11: "CLOSING",
	12: "SYN-RECEIVED", // TCP_NEW_SYN_RECV, a listener's request socket
}

// KernelState returns the kernel's state, in RFC 9293 spelling, of the TCP
// socket in ns whose local address is local and whose peer is remote:
// "CLOSED" when there is none.
func KernelState(ns *Namespace, local, remote netip.AddrPort) (string, error) {
	socks, err := KernelSockets(ns)
	if err != nil {
		return "", err
	}
	// A closed socket is no connection: the one whose descriptor is still
	// open after an RST or after its connection went into TIME-WAIT
	// stands beside the TIME-WAIT socket.
	for _, s := range socks {
		if s.Local == local && s.Remote == remote && s.State != "CLOSED" {
			return s.State, nil
		}
	}
	return "CLOSED", nil
}

// KernelSockets lists the IPv4 TCP sockets in ns, as `ss -tan` would.
func KernelSockets(ns *Namespace) ([]TCPSocket, error) {
	d, err := ns.sockDiag()
	if err != nil {
		return nil, err
	}
	return d.dumpTCP4()
}

// TCPInfoState returns the state, in RFC 9293 spelling, of the socket
// under c, read with getsockopt(TCP_INFO).
func TCPInfoState(c *net.TCPConn) (string, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return "", err
	}
	var info *unix.TCPInfo
	var serr error
	if err := raw.Control(func(fd uintptr) {
		info, serr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	}); err != nil {
		return "", err
	}
	if serr != nil {
		return "", fmt.Errorf("tunpeer: TCP_INFO: %w", serr)
	}
	if int(info.State) >= len(tcpiStates) || tcpiStates[info.State] == "" {
		return "", fmt.Errorf("tunpeer: unknown tcpi_state %d", info.State)
	}
	return tcpiStates[info.State], nil
}

// Listen opens a kernel TCP listener on addr inside ns. Keep-alive probes
// are off, so that the kernel sends nothing a test does not ask for.
func Listen(ns *Namespace, addr netip.AddrPort) (*net.TCPListener, error) {
	var l *net.TCPListener
	err := ns.Do(func() error {
		lc := net.ListenConfig{KeepAlive: -1}
		ln, err := lc.Listen(context.Background(), "tcp4", addr.String())
		if err != nil {
			return err
		}
		l = ln.(*net.TCPListener)
		return nil
	})
	return l, err
}

// Dial opens a kernel TCP connection from local (port 0 picks one) to
// remote inside ns, waiting at most timeout for it to be established.
// Keep-alive probes are off.
func Dial(ns *Namespace, local, remote netip.AddrPort, timeout time.Duration) (*net.TCPConn, error) {
	var c *net.TCPConn
	err := ns.Do(func() error {
		d := net.Dialer{LocalAddr: net.TCPAddrFromAddrPort(local), Timeout: timeout, KeepAlive: -1}
		conn, err := d.Dial("tcp4", remote.String())
		if err != nil {
			return err
		}
		c = conn.(*net.TCPConn)
		return nil
	})
	return c, err
}
