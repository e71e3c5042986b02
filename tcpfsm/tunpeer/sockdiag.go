//go:build linux

package tunpeer

// Reading the kernel's TCP socket table through NETLINK_SOCK_DIAG, the
// interface `ss` uses (linux/inet_diag.h). One dump lists every TCP socket
// of the namespace the netlink socket was opened in, with its state:
// connected ones, listeners, orphans that no descriptor holds any more (a
// socket in FIN-WAIT-1 or LAST-ACK after close), TIME-WAIT sockets and a
// listener's half-open connections (SYN-RECV). Asking the kernel directly
// takes microseconds, where running ss inside the namespace costs a
// process and, while other namespaces are being torn down, seconds.

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"sync"

	"golang.org/x/sys/unix"
)

// Netlink and inet_diag constants and sizes (linux/netlink.h,
// linux/sock_diag.h, linux/inet_diag.h).
const (
	sockDiagByFamily = 20 // SOCK_DIAG_BY_FAMILY
	nlmsgHdrLen      = 16 // struct nlmsghdr
	inetDiagReqLen   = 56 // struct inet_diag_req_v2
	inetDiagMsgLen   = 72 // struct inet_diag_msg
)

// sockDiag is a NETLINK_SOCK_DIAG socket opened inside a namespace.
type sockDiag struct {
	mu  sync.Mutex
	fd  int
	seq uint32
}

// openSockDiag opens the netlink socket inside ns.
func openSockDiag(ns *Namespace) (*sockDiag, error) {
	d := &sockDiag{fd: -1}
	err := ns.Do(func() error {
		fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
		if err != nil {
			return fmt.Errorf("tunpeer: netlink socket: %w", err)
		}
		d.fd = fd
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (d *sockDiag) close() {
	if d.fd >= 0 {
		unix.Close(d.fd)
		d.fd = -1
	}
}

// TCPSocket is one entry of the kernel's socket table.
type TCPSocket struct {
	Local, Remote netip.AddrPort
	State         string // RFC 9293 spelling
}

// dumpTCP4 lists the IPv4 TCP sockets, in every state.
func (d *sockDiag) dumpTCP4() ([]TCPSocket, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seq++

	var req [nlmsgHdrLen + inetDiagReqLen]byte
	ne := binary.NativeEndian
	ne.PutUint32(req[0:4], uint32(len(req)))
	ne.PutUint16(req[4:6], sockDiagByFamily)
	ne.PutUint16(req[6:8], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	ne.PutUint32(req[8:12], d.seq)
	r := req[nlmsgHdrLen:]
	r[0] = unix.AF_INET
	r[1] = unix.IPPROTO_TCP
	// idiag_states: the TCP states 1 to 12 (ESTABLISHED to
	// NEW_SYN_RECV). Not 13, BOUND_INACTIVE (Linux 6.8): sockets that are
	// bound and nothing else, such as one whose connection has gone to
	// TIME-WAIT while its descriptor stays open; ss leaves them out too.
	ne.PutUint32(r[4:8], 1<<13-2)
	if err := unix.Sendto(d.fd, req[:], 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, fmt.Errorf("tunpeer: sock_diag request: %w", err)
	}

	var socks []TCPSocket
	buf := make([]byte, 32<<10)
	for {
		n, _, err := unix.Recvfrom(d.fd, buf, 0)
		if err != nil {
			return nil, fmt.Errorf("tunpeer: sock_diag reply: %w", err)
		}
		for b := buf[:n]; len(b) >= nlmsgHdrLen; {
			msgLen := int(ne.Uint32(b[0:4]))
			typ := ne.Uint16(b[4:6])
			seq := ne.Uint32(b[8:12])
			if msgLen < nlmsgHdrLen || msgLen > len(b) {
				return nil, fmt.Errorf("tunpeer: sock_diag: bad message length %d", msgLen)
			}
			body := b[nlmsgHdrLen:msgLen]
			b = b[min(len(b), (msgLen+3)&^3):] // messages are 4-byte aligned
			if seq != d.seq {
				continue // a late answer to an earlier request
			}
			switch typ {
			case unix.NLMSG_DONE:
				return socks, nil
			case unix.NLMSG_ERROR:
				errno := int32(ne.Uint32(body[0:4]))
				return nil, fmt.Errorf("tunpeer: sock_diag: %w", unix.Errno(-errno))
			case sockDiagByFamily:
				if len(body) < inetDiagMsgLen {
					return nil, fmt.Errorf("tunpeer: sock_diag: short message of %d bytes", len(body))
				}
				socks = append(socks, parseInetDiagMsg(body))
			}
		}
	}
}

// parseInetDiagMsg reads a struct inet_diag_msg: family, state, timer,
// retransmits, then the socket id: ports and addresses in network order.
func parseInetDiagMsg(m []byte) TCPSocket {
	state := int(m[1])
	name := fmt.Sprintf("state %d", state)
	if state < len(tcpiStates) && tcpiStates[state] != "" {
		name = tcpiStates[state]
	}
	id := m[4:]
	sport := binary.BigEndian.Uint16(id[0:2])
	dport := binary.BigEndian.Uint16(id[2:4])
	src := netip.AddrFrom4([4]byte(id[4:8]))
	dst := netip.AddrFrom4([4]byte(id[20:24]))
	return TCPSocket{
		Local:  netip.AddrPortFrom(src, sport),
		Remote: netip.AddrPortFrom(dst, dport),
		State:  name,
	}
}
