package tcpfsm_test

import (
	"fmt"
	"strings"

	"github.com/synfin/synfin/tcpfsm"
)

// Two Endpoints talk over a perfect network: a handshake, data both ways,
// and a close. The embedder here keeps each side's send stream in a byte
// slice and copies the bytes that each outgoing segment names; the timers
// are only remembered, and the TIME-WAIT one is fired by hand at the end.
func Example() {
	type side struct {
		name   string
		e      tcpfsm.Endpoint
		stream []byte // everything the user sent, by stream offset
		got    []byte // everything received
		states []string
	}
	client := &side{name: "client", e: tcpfsm.NewEndpoint(tcpfsm.Config{ISS: 1000})}
	server := &side{name: "server", e: tcpfsm.NewEndpoint(tcpfsm.Config{ISS: 5000})}
	for _, s := range []*side{client, server} {
		s.states = []string{s.e.State().String()}
	}

	type packet struct {
		to      *side
		seg     tcpfsm.Segment
		payload []byte
	}
	var wire []packet
	var out tcpfsm.Output
	var current []byte // the payload of the segment being delivered

	// handle takes what one call put in out.
	handle := func(s *side) {
		peer := client
		if s == client {
			peer = server
		}
		for _, o := range out.Segments() {
			fmt.Printf("%s -> %s %v\n", s.name, peer.name, o.Segment)
			wire = append(wire, packet{peer, o.Segment, s.stream[o.Off : o.Off+uint64(o.Len)]})
		}
		if out.Tell&tcpfsm.TellData != 0 {
			// The new bytes are the payload's from DataSkip on.
			s.got = append(s.got, current[out.DataSkip:out.DataSkip+out.Data.Len]...)
		}
		if out.Tell != 0 {
			fmt.Printf("%s is told %s\n", s.name, out.Tell)
		}
		if st := s.e.State().String(); st != s.states[len(s.states)-1] {
			s.states = append(s.states, st)
		}
	}
	// deliver runs the network until it is quiet.
	deliver := func() {
		for len(wire) > 0 {
			p := wire[0]
			wire = wire[1:]
			current = p.payload
			p.to.e.Segment(p.seg, &out)
			handle(p.to)
		}
	}
	send := func(s *side, data string) {
		s.stream = append(s.stream, data...)
		s.e.Send(len(data), &out)
		handle(s)
	}

	server.e.OpenPassive(&out)
	handle(server)
	client.e.OpenActive(&out)
	handle(client)
	deliver()

	send(client, "hello")
	send(server, "world!")
	deliver()

	client.e.Close(&out)
	handle(client)
	deliver()
	server.e.Close(&out)
	handle(server)
	deliver()

	// 2 MSL later.
	client.e.Timeout(tcpfsm.TimerTimeWait, &out)
	handle(client)

	fmt.Printf("client got %q, server got %q\n", client.got, server.got)
	fmt.Println("client:", strings.Join(client.states, " "))
	fmt.Println("server:", strings.Join(server.states, " "))
	// Output:
	// client -> server <SEQ=1000><CTL=SYN><WND=65535>
	// server -> client <SEQ=5000><ACK=1001><CTL=SYN,ACK><WND=65535>
	// client -> server <SEQ=1001><ACK=5001><CTL=ACK><WND=65535>
	// client is told established
	// server is told established
	// client -> server <SEQ=1001><ACK=5001><CTL=ACK><LEN=5><WND=65535>
	// server -> client <SEQ=5001><ACK=1001><CTL=ACK><LEN=6><WND=65535>
	// server -> client <SEQ=5007><ACK=1006><CTL=ACK><WND=65535>
	// server is told data
	// client -> server <SEQ=1006><ACK=5007><CTL=ACK><WND=65535>
	// client is told data
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
