package bench

import "github.com/synfin/synfin/tcpfsm"

// Input is one event of a walk through the table: the event, the guards
// that hold when it happens (as tcpfsm.Endpoint would compute them), and
// the state the table must reach. Refused marks an event that an error row
// refuses.
type Input struct {
	Event   tcpfsm.Event
	Guards  tcpfsm.Guards
	Want    tcpfsm.State
	Refused bool
}

// A Walk is a sequence of events from CLOSED. The walks only name events
// and the states they should reach; what happens is decided by the table,
// and the tests check that every Machine agrees.
type Walk struct {
	Name   string
	Inputs []Input
}

const passive = tcpfsm.GuardPassive

// Active is the life cycle of a client connection that closes first:
// an active OPEN, data both ways, our FIN, the peer's data and FIN in
// FIN-WAIT-2 (half-close), TIME-WAIT, and the 2 MSL timer.
var Active = Walk{Name: "active", Inputs: []Input{
	{Event: tcpfsm.EventOpenActive, Want: tcpfsm.StateSynSent},
	{Event: tcpfsm.EventSend, Want: tcpfsm.StateSynSent}, // queued until the SYN is acknowledged
	{Event: tcpfsm.EventSegSynAck, Want: tcpfsm.StateEstablished},
	{Event: tcpfsm.EventSegAck, Want: tcpfsm.StateEstablished}, // our data acknowledged, the peer's taken
	{Event: tcpfsm.EventSend, Want: tcpfsm.StateEstablished},
	{Event: tcpfsm.EventSegAck, Want: tcpfsm.StateEstablished},
	{Event: tcpfsm.EventClose, Want: tcpfsm.StateFinWait1},
	{Event: tcpfsm.EventSegAckFin, Want: tcpfsm.StateFinWait2},
	{Event: tcpfsm.EventSegAck, Want: tcpfsm.StateFinWait2}, // the peer still sends
	{Event: tcpfsm.EventSegFin, Want: tcpfsm.StateTimeWait},
	{Event: tcpfsm.EventTimeout2msl, Want: tcpfsm.StateClosed},
}}

// Passive is the life cycle of a server connection that the peer closes
// first: a passive OPEN, the three-way handshake from LISTEN, data both
// ways, the peer's FIN, our data in CLOSE-WAIT (half-close), our FIN and
// its ACK.
var Passive = Walk{Name: "passive", Inputs: []Input{
	{Event: tcpfsm.EventOpenPassive, Want: tcpfsm.StateListen},
	{Event: tcpfsm.EventSegSyn, Want: tcpfsm.StateSynReceived},
	{Event: tcpfsm.EventSegAckSyn, Guards: passive, Want: tcpfsm.StateEstablished},
	{Event: tcpfsm.EventSegAck, Guards: passive, Want: tcpfsm.StateEstablished},
	{Event: tcpfsm.EventSend, Guards: passive, Want: tcpfsm.StateEstablished},
	{Event: tcpfsm.EventSegAck, Guards: passive, Want: tcpfsm.StateEstablished},
	{Event: tcpfsm.EventSegFin, Guards: passive, Want: tcpfsm.StateCloseWait},
	{Event: tcpfsm.EventSend, Guards: passive, Want: tcpfsm.StateCloseWait},
	{Event: tcpfsm.EventClose, Guards: passive, Want: tcpfsm.StateLastAck},
	{Event: tcpfsm.EventSegAckFin, Guards: passive, Want: tcpfsm.StateClosed},
}}

// Guarded takes the rows where the guards choose: a half-open connection
// from LISTEN reset, re-synced and timed out back to LISTEN, an active
// OPEN whose SYN retries run out, a full send queue, RFC 1337 in TIME-WAIT,
// and a few error rows. It is for the tests, not the benchmarks.
var Guarded = Walk{Name: "guarded", Inputs: []Input{
	{Event: tcpfsm.EventOpenPassive, Want: tcpfsm.StateListen},
	{Event: tcpfsm.EventOpenPassive, Want: tcpfsm.StateListen, Refused: true},
	{Event: tcpfsm.EventSegSyn, Want: tcpfsm.StateSynReceived},
	{Event: tcpfsm.EventSegRst, Guards: passive, Want: tcpfsm.StateListen},
	{Event: tcpfsm.EventSegSyn, Want: tcpfsm.StateSynReceived},
	{Event: tcpfsm.EventSegSyn, Guards: passive, Want: tcpfsm.StateListen},
	{Event: tcpfsm.EventSegSyn, Want: tcpfsm.StateSynReceived},
	{Event: tcpfsm.EventTimeoutRetx, Guards: passive, Want: tcpfsm.StateSynReceived},
	{Event: tcpfsm.EventTimeoutRetx, Guards: passive | tcpfsm.GuardExhausted, Want: tcpfsm.StateListen},
	{Event: tcpfsm.EventOpenActive, Want: tcpfsm.StateSynSent},
	{Event: tcpfsm.EventSegSyn, Want: tcpfsm.StateSynReceived}, // simultaneous open
	{Event: tcpfsm.EventSegRst, Want: tcpfsm.StateClosed},      // refused
	{Event: tcpfsm.EventSend, Want: tcpfsm.StateClosed, Refused: true},
	{Event: tcpfsm.EventOpenActive, Want: tcpfsm.StateSynSent},
	{Event: tcpfsm.EventSend, Guards: tcpfsm.GuardFull, Want: tcpfsm.StateSynSent, Refused: true},
	{Event: tcpfsm.EventTimeoutRetx, Want: tcpfsm.StateSynSent},
	{Event: tcpfsm.EventTimeoutRetx, Guards: tcpfsm.GuardExhausted, Want: tcpfsm.StateClosed},
	{Event: tcpfsm.EventOpenActive, Want: tcpfsm.StateSynSent},
	{Event: tcpfsm.EventSegSynAck, Want: tcpfsm.StateEstablished},
	{Event: tcpfsm.EventClose, Want: tcpfsm.StateFinWait1},
	{Event: tcpfsm.EventClose, Want: tcpfsm.StateFinWait1, Refused: true},
	{Event: tcpfsm.EventSegAckFinFin, Guards: tcpfsm.GuardRfc1337, Want: tcpfsm.StateTimeWait},
	{Event: tcpfsm.EventSegFinAgain, Guards: tcpfsm.GuardRfc1337, Want: tcpfsm.StateTimeWait},
	{Event: tcpfsm.EventSegRst, Guards: tcpfsm.GuardRfc1337, Want: tcpfsm.StateTimeWait},
	{Event: tcpfsm.EventSegRst, Want: tcpfsm.StateClosed},
}}

// Walks are the walks the tests check; the benchmarks use Active and
// Passive.
var Walks = []Walk{Active, Passive, Guarded}

// Lifecycles is Active then Passive: 21 events from CLOSED back to CLOSED,
// the stream BenchmarkTransition cycles through.
func Lifecycles() []Input {
	return append(append([]Input(nil), Active.Inputs...), Passive.Inputs...)
}
