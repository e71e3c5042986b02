package tcpfsm_test

import (
	"fmt"
	"strings"

	"github.com/synfin/synfin/tcpfsm"
)

// The examples run one connection between two Endpoints over a perfect
// network: a handshake (Example), data both ways (Example_data) and a
// close (Example_close). Each example starts from nothing and goes
// quietly through the steps before its own.
//
// The embedder, exampleNet, keeps each side's send stream in a byte slice
// and copies the bytes that each outgoing segment names; the timers are
// only remembered, and the TIME-WAIT one is fired by hand at the end.

// exampleSide is one end of the connection.
type exampleSide struct {
	name   string
	e      tcpfsm.Endpoint
	stream []byte // everything the user sent, by stream offset
	got    []byte // everything received
	states []string
}

// examplePacket is a segment on the wire, with its payload.
type examplePacket struct {
	to      *exampleSide
	seg     tcpfsm.Segment
	payload []byte
}

// exampleNet is the two ends and the wire between them.
type exampleNet struct {
	client, server *exampleSide
	wire           []examplePacket
	out            tcpfsm.Output
	current        []byte // the payload of the segment being delivered
	quiet          bool   // print nothing
}

func newExampleNet() *exampleNet {
	n := &exampleNet{
		client: &exampleSide{name: "client", e: tcpfsm.NewEndpoint(tcpfsm.Config{ISS: 1000})},
		server: &exampleSide{name: "server", e: tcpfsm.NewEndpoint(tcpfsm.Config{ISS: 5000})},
	}
	for _, s := range []*exampleSide{n.client, n.server} {
		s.states = []string{s.e.State().String()}
	}
	return n
}

// printf prints unless the net is quiet.
func (n *exampleNet) printf(format string, args ...any) {
	if !n.quiet {
		fmt.Printf(format, args...)
	}
}

// handle takes what one call of s's Endpoint put in n.out.
func (n *exampleNet) handle(s *exampleSide) {
	peer := n.client
	if s == n.client {
		peer = n.server
	}
	for _, o := range n.out.Segments() {
		n.printf("%s -> %s %v\n", s.name, peer.name, o.Segment)
		n.wire = append(n.wire, examplePacket{peer, o.Segment, s.stream[o.Off : o.Off+uint64(o.Len)]})
	}
	if n.out.Tell&tcpfsm.TellData != 0 {
		// The new bytes are the payload's from DataSkip on.
		s.got = append(s.got, n.current[n.out.DataSkip:n.out.DataSkip+n.out.Data.Len]...)
	}
	if n.out.Tell != 0 {
		n.printf("%s is told %s\n", s.name, n.out.Tell)
	}
	if st := s.e.State().String(); st != s.states[len(s.states)-1] {
		s.states = append(s.states, st)
	}
}

// deliver runs the network until it is quiet.
func (n *exampleNet) deliver() {
	for len(n.wire) > 0 {
		p := n.wire[0]
		n.wire = n.wire[1:]
		n.current = p.payload
		p.to.e.Segment(p.seg, &n.out)
		n.handle(p.to)
	}
}

// send is the user of s sending data.
func (n *exampleNet) send(s *exampleSide, data string) {
	s.stream = append(s.stream, data...)
	s.e.Send(len(data), &n.out)
	n.handle(s)
}

// connect opens the connection: the server listens, the client connects.
func (n *exampleNet) connect() {
	n.server.e.OpenPassive(&n.out)
	n.handle(n.server)
	n.client.e.OpenActive(&n.out)
	n.handle(n.client)
	n.deliver()
}

// exchange sends data both ways.
func (n *exampleNet) exchange() {
	n.send(n.client, "hello")
	n.send(n.server, "world!")
	n.deliver()
}

// Example opens a connection: the server listens, the client connects,
// and the three-way handshake brings both to ESTABLISHED.
func Example() {
	n := newExampleNet()
	n.server.e.OpenPassive(&n.out)
	n.handle(n.server)
	n.client.e.OpenActive(&n.out)
	n.handle(n.client)
	n.deliver()

	fmt.Println("client:", strings.Join(n.client.states, " "))
	fmt.Println("server:", strings.Join(n.server.states, " "))
	// Output:
	// client -> server <SEQ=1000><CTL=SYN><WND=65535>
	// server -> client <SEQ=5000><ACK=1001><CTL=SYN,ACK><WND=65535>
	// client -> server <SEQ=1001><ACK=5001><CTL=ACK><WND=65535>
	// client is told established
	// server is told established
	// client: CLOSED SYN-SENT ESTABLISHED
	// server: CLOSED LISTEN SYN-RECEIVED ESTABLISHED
}

// Example_data sends data both ways over an open connection: each side's
// segment carries its data and acknowledges the other's.
func Example_data() {
	n := newExampleNet()
	n.quiet = true
	n.connect()
	n.quiet = false

	n.send(n.client, "hello")
	n.send(n.server, "world!")
	n.deliver()

	fmt.Printf("client got %q, server got %q\n", n.client.got, n.server.got)
	// Output:
	// client -> server <SEQ=1001><ACK=5001><CTL=ACK><LEN=5><WND=65535>
	// server -> client <SEQ=5001><ACK=1001><CTL=ACK><LEN=6><WND=65535>
	// server -> client <SEQ=5007><ACK=1006><CTL=ACK><WND=65535>
	// server is told data
	// client -> server <SEQ=1006><ACK=5007><CTL=ACK><WND=65535>
	// client is told data
	// client got "world!", server got "hello"
}

// Example_close closes a connection after data went both ways: the client
// closes first and waits in TIME-WAIT, the server follows, and 2 MSL
// later the client is CLOSED too.
func Example_close() {
	n := newExampleNet()
	n.quiet = true
	n.connect()
	n.exchange()
	n.quiet = false

	n.client.e.Close(&n.out)
	n.handle(n.client)
	n.deliver()
	n.server.e.Close(&n.out)
	n.handle(n.server)
	n.deliver()

	// 2 MSL later.
	n.client.e.Timeout(tcpfsm.TimerTimeWait, &n.out)
	n.handle(n.client)

	fmt.Printf("client got %q, server got %q\n", n.client.got, n.server.got)
	fmt.Println("client:", strings.Join(n.client.states, " "))
	fmt.Println("server:", strings.Join(n.server.states, " "))
	// Output:
	// client -> server <SEQ=1006><ACK=5007><CTL=FIN,ACK><WND=65535>
	// server -> client <SEQ=5007><ACK=1007><CTL=ACK><WND=65535>
	// server is told eof
	// server -> client <SEQ=5007><ACK=1007><CTL=FIN,ACK><WND=65535>
	// client -> server <SEQ=1007><ACK=5008><CTL=ACK><WND=65535>
	// client is told eof
	// server is told closed
	// client is told closed
	// client got "world!", server got "hello"
	// client: CLOSED SYN-SENT ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT CLOSED
	// server: CLOSED LISTEN SYN-RECEIVED ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED
}
