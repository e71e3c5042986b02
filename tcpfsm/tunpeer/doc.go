//go:build linux

// Package tunpeer runs tcpfsm Endpoints against the Linux kernel's TCP,
// over a TUN device inside a network namespace. It is what the tests of
// this directory use to hold real conversations with the kernel, and it is
// the worked example of embedding the sans-I/O tcpfsm.Endpoint in a stack
// that has a clock, buffers and a wire.
//
// # The picture
//
//	+-- network namespace, made for one test and deleted after it -------+
//	|                                                                    |
//	|  kernel sockets        tun0           /dev/net/tun     Stack       |
//	|  198.18.0.1    ---> iptables OUTPUT ---> read ------> Conn: loop   |
//	|  (net.Listen,                                          Endpoint    |
//	|   net.Dial)    <--- iptables INPUT  <--- write <----- 198.18.0.2   |
//	|                                                                    |
//	+--------------------------------------------------------------------+
//
// The kernel routes 198.18.0.2 out of tun0, so whatever its sockets send
// there is read by the Stack, and whatever the Stack writes arrives at the
// kernel as if it had come in on tun0. The addresses come from
// 198.18.0.0/15, the block RFC 2544 sets aside for benchmarking, and exist
// only inside the namespace: nothing leaves it.
//
// # One file per concern
//
//   - netns.go: creating a namespace (ip netns add), entering it from Go
//     (setns on a locked OS thread), running commands inside it, deleting it.
//   - tun.go: the TUN device: create it inside the namespace, read and write
//     one packet at a time.
//   - network.go: a namespace with tun0 configured, the kernel's address and
//     ours.
//   - ipv4.go: IPv4 packets carrying TCP, built and parsed with the
//     header codec, package tcpfsm/wire, and its pseudo-header checksums.
//   - stack.go: the reader goroutine, demultiplexing by port, answering
//     segments for closed ports with a CLOSED Endpoint, writing packets.
//   - loop.go: a connection's event loop, the one goroutine that owns its
//     Endpoint: segments, user calls and timers in; segments, timer
//     commands and news for the user out.
//   - stream.go: the send and receive byte streams, which the Endpoint
//     names by offset but never holds.
//   - conn.go: the connection as its user sees it: Write, Close, Abort,
//     Read, Status, Wait.
//   - kernel.go, sockdiag.go: the kernel's side: sockets opened inside the
//     namespace, and their TCP state read from the kernel's socket table
//     (NETLINK_SOCK_DIAG, as ss does) or TCP_INFO.
//   - iptables.go: DROP rules inside the namespace and their counters, for
//     losing one chosen packet or a random share of them.
//
// # Embedding an Endpoint
//
// The Endpoint has no clock, no buffers and no goroutine. A Conn gives it
// those in loop.go:
//
//   - Time: the Endpoint asks for a timer to be armed for a duration or
//     cancelled (Output.Timers); the loop keeps a deadline per timer and one
//     time.Timer set to the earliest, and calls Endpoint.Timeout when it
//     runs out.
//   - Bytes: a SEND gives the Endpoint only a count; the loop keeps the
//     bytes, copies the stretch each outgoing segment names (OutSegment.Off,
//     Len) into the packet, and forgets what Output.Acked says the peer
//     has. Arriving data is delivered from the segment's payload as
//     Output.Data and DataSkip say, at the stream offset they give.
//   - The wire: segments become IPv4 packets with the header codec, plus an
//     MSS option on SYNs (the Endpoint leaves options to its embedder).
//   - Addresses: the Endpoint knows no addresses or ports; the loop sends its
//     answers to the peer of the connection, or while listening to the
//     sender of the segment, and chooses the ISS with tcpfsm.ISN (RFC 6528)
//     once both ends are known.
//   - Closed ports: a segment nobody owns goes to a zero (CLOSED) Endpoint,
//     whose answer is the reset RFC 9293 section 3.10.7.1 requires.
//
// # Example
//
//	n, err := tunpeer.NewNetwork(tunpeer.RandomName("synfin-"))
//	if err != nil { ... }
//	defer n.Close()
//	stack := tunpeer.NewStack(n.Tun, n.PeerAddr)
//	defer stack.Close()
//
//	ln, err := tunpeer.Listen(n.NS, netip.AddrPortFrom(n.KernelAddr, 80)) // a kernel socket
//	conn, err := stack.Dial(0, netip.AddrPortFrom(n.KernelAddr, 80), tunpeer.Config{})
//	k, err := ln.AcceptTCP()
//	conn.Write([]byte("hello, kernel"))
//	conn.Close() // our FIN; we can still read
//	state, err := tunpeer.KernelState(n.NS, netip.AddrPortFrom(n.KernelAddr, 80), conn.Local())
//
// Everything needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN), /dev/net/tun,
// and the ip and iptables commands (Debian: iproute2, iptables); the tests
// add ss's view of the sockets to their failure messages when ss is there.
package tunpeer
