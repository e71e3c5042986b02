package tcpworld

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/synfin/synfin/tcpfsm"
)

// Limits of the world's compact state.
const (
	// MaxCapacity is the most segments the network can hold in flight.
	MaxCapacity = 6
	// MaxData is the most bytes an application may send.
	MaxData = 255
	// MaxRetries is the highest retry limit the world accepts. Every retry
	// multiplies the state space; 1 or 2 is what a model needs.
	MaxRetries = 15
	// MaxDup is the most duplications the network may make in a run.
	MaxDup = 15
	// MaxMisbehave is the most crafted segments a misbehaving peer may
	// inject in a run.
	MaxMisbehave = 7
	// MaxIncarnations is the most connections an application may open
	// on the pair of sockets in a run (see Config.Incarnations).
	MaxIncarnations = 3
)

// OpenMode says how the two applications open the connection. Application
// A always opens actively (it is the client); B waits in LISTEN, opens
// actively too (simultaneous open), or chooses either.
type OpenMode uint8

const (
	// OpenAny lets B choose, at the moment it opens, between a passive and
	// an active OPEN: the world holds both the client-server runs and the
	// simultaneous opens.
	OpenAny OpenMode = iota
	// OpenClientServer: A active, B passive.
	OpenClientServer
	// OpenSimultaneous: A and B both active.
	OpenSimultaneous
)

var openNames = [...]string{OpenAny: "any", OpenClientServer: "client-server", OpenSimultaneous: "simultaneous"}

// openList names the open modes for messages and help.
const openList = "any, client-server or simultaneous"

func (m OpenMode) String() string {
	if int(m) < len(openNames) {
		return openNames[m]
	}
	return fmt.Sprintf("OpenMode(%d)", m)
}

// ParseOpenMode reads "any", "client-server" or "simultaneous".
func ParseOpenMode(s string) (OpenMode, error) {
	for i, n := range openNames {
		if s == n {
			return OpenMode(i), nil
		}
	}
	return 0, fmt.Errorf("unknown open mode %q (want %s)", s, openList)
}

// Config describes a TCP world. Settings describes each field but Table:
// its meaning, range and unit; DefaultConfig is the configuration tcpcheck
// checks without flags. The zero value is a fault-free network, but not a
// valid configuration: the network must hold at least one segment, and
// segments must carry at least one byte.
type Config struct {
	// Table is the variant table both endpoints step through (see
	// variant.NewTable); nil means the generated table of spec/tcp.fsm.
	Table *tcpfsm.Table

	// Loss lets the network drop any segment in flight.
	Loss bool
	// Reorder lets the network deliver any segment in flight; without it
	// each direction is a FIFO queue.
	Reorder bool
	// Dup is how many times in a run the network may copy a segment.
	Dup int
	// Capacity is how many segments may be in flight at once.
	Capacity int

	// Retries is the endpoints' retry limit (tcpfsm.Config SynRetries
	// and DataRetries).
	Retries int
	// Data is how many bytes each application may send.
	Data int
	// MSS is the endpoints' segment size and the size of each SEND call.
	MSS int
	// Window is the receive window both endpoints offer (tcpfsm.Config
	// RcvWnd).
	Window uint32
	// ISS are the initial send sequence numbers of A and B.
	ISS [2]tcpfsm.Seq
	// RFC1337 makes TIME-WAIT ignore RSTs in both endpoints.
	RFC1337 bool
	// LazyRead lets each application read received data when it likes,
	// MSS bytes at a time (a Read action), instead of at once: the
	// endpoints keep it in a receive buffer of Window bytes
	// (tcpfsm.Config.Buffered), so the window each offers shrinks as
	// data arrives and reopens as its application reads.
	LazyRead bool
	// Misbehave is how many crafted segments a misbehaving peer may
	// inject in a run (an Inject action; see crafted).
	Misbehave int

	// Open says how the applications open.
	Open OpenMode
	// Abort lets one application, once in a run, ABORT at any moment the
	// endpoint accepts it. The ABORT is an optional action (see the
	// package documentation): a state where it is all that is left is
	// still terminal.
	Abort bool
	// Incarnations is how many times each application may OPEN on the
	// same pair of sockets: after its connection has ended it may open
	// again, with a new initial sequence number (see the package
	// documentation, "Incarnations"). 0 and 1 mean once.
	Incarnations int
	// ShortTimeWait lets the TIME-WAIT timer run out while segments are
	// still in flight, as a TIME-WAIT shorter than 2 MSL would: with
	// Incarnations, it shows why TIME-WAIT lasts 2 MSL.
	ShortTimeWait bool
}

// Settings describes c's settings, bound to its fields, in the order
// String and MarshalJSON write them. Their names are tcpcheck's flags.
func (c *Config) Settings() []Setting {
	return []Setting{
		{Name: "loss", Group: "network", Var: &c.Loss,
			Usage: "the network may lose any segment, any number of times", Note: "-loss=false turns loss off"},
		{Name: "reorder", Group: "network", Var: &c.Reorder,
			Usage: "the network may deliver segments in any order", Note: "-reorder=false makes each direction a FIFO queue"},
		{Name: "dup", Arg: "N", Group: "network", Var: &c.Dup, Min: 0, Max: MaxDup, Zero: "no duplication",
			Usage: "the network may duplicate N segments in a run"},
		{Name: "capacity", Arg: "N", Group: "network", Var: &c.Capacity, Min: 1, Max: MaxCapacity, Unit: "segments",
			Usage: "segments in flight, both directions together",
			Note:  "a segment sent into a full network is dropped, as a full queue drops it, even with -loss=false"},
		{Name: "retries", Arg: "N", Group: "endpoints", Var: &c.Retries, Min: 0, Max: MaxRetries, Zero: "no retransmission",
			Usage: "retransmissions of a SYN, data or a FIN before an endpoint gives up",
			Note:  "each retry multiplies the states"},
		{Name: "data", Arg: "N", Group: "endpoints", Var: &c.Data, Min: 0, Max: MaxData, Unit: "bytes",
			Usage: "bytes each application sends"},
		{Name: "mss", Arg: "N", Group: "endpoints", Var: &c.MSS, Min: 1, Max: 0xFFFF, Unit: "bytes",
			Usage: "the endpoints' segment size, and the size of each SEND call (the last one may be shorter)"},
		{Name: "window", Arg: "N", Group: "endpoints", Var: &c.Window, Min: 0, Max: tcpfsm.MaxQueue, Unit: "bytes",
			Zero: "tcpfsm's default", ZeroMeans: tcpfsm.DefaultRcvWnd,
			Usage: "receive window both endpoints offer"},
		{Name: "iss", Arg: "A,B", Group: "endpoints", Var: &c.ISS, Min: 0, Max: math.MaxUint32,
			Usage: "initial sequence numbers of A and B",
			Note:  "the default is just below 2^32, so that both directions wrap around"},
		{Name: "open", Arg: "MODE", Group: "endpoints", Var: &c.Open,
			Usage: "how the applications open",
			Note:  "with any, B opens passively or actively, which covers the client-server handshake and the simultaneous open"},
		{Name: "abort", Group: "endpoints", Var: &c.Abort,
			Usage: "one application may ABORT once, at any moment its endpoint accepts it"},
		{Name: "rfc1337", Group: "endpoints", Var: &c.RFC1337,
			Usage: "endpoints ignore RSTs in TIME-WAIT, as RFC 1337 advises"},
		{Name: "lazy-read", Group: "endpoints", Var: &c.LazyRead,
			Usage: "applications read received data when they like, an MSS at a time, so that the window each endpoint offers shrinks as data arrives and reopens as it is read",
			Note:  "with a -window smaller than -data the windows close and zero-window probes are explored; a window that shrinks by more than 31 bytes is a segment the world cannot carry"},
		{Name: "misbehave", Arg: "N", Group: "network", Var: &c.Misbehave, Min: 0, Max: MaxMisbehave, Zero: "an honest network",
			Usage: "a misbehaving peer may inject N crafted segments in a run: data beyond the receive window, a FIN past its edge, data with an ACK too old to accept, data left of RCV.NXT",
			Note:  "the endpoint must refuse them all: take no data, no FIN and no ACK from them"},
		{Name: "incarnations", Arg: "N", Group: "endpoints", Var: &c.Incarnations, Min: 0, Max: MaxIncarnations,
			Zero: "once", ZeroMeans: 1, Unit: "connections",
			Usage: "times each application may OPEN on the same pair of sockets, a new connection each time its last one ended",
			Note:  "from 2 on, a reopening side picks its ISS among a few values, and the property \"" + PropNoOldDuplicate + "\" is checked"},
		{Name: "short-time-wait", Group: "endpoints", Var: &c.ShortTimeWait,
			Usage: "TIME-WAIT's timer may run out while segments are still in flight, as a TIME-WAIT shorter than 2 MSL would",
			Note:  "with -incarnations 2 it shows why TIME-WAIT lasts 2 MSL: a new incarnation takes an old duplicate"},
	}
}

// ISS values of the default configuration: just below 2^32, so that the
// sequence numbers of both directions wrap around during the handshake
// and the data.
const (
	WrapISSA tcpfsm.Seq = 1<<32 - 2
	WrapISSB tcpfsm.Seq = 1<<32 - 1
)

// DefaultConfig returns the configuration that tcpcheck checks when given
// no flags: every network fault on (loss, reordering, one duplication),
// three segments in flight, one retry, one byte of data each way in 1-byte
// segments, sequence numbers that wrap, B choosing between a passive and
// a simultaneous open, and no ABORT. It is sized for a CI job;
// docs/benchmarks.md has what it costs on one machine.
func DefaultConfig() Config {
	return Config{
		Loss:     true,
		Reorder:  true,
		Dup:      1,
		Capacity: 3,
		Retries:  1,
		Data:     1,
		MSS:      1,
		ISS:      [2]tcpfsm.Seq{WrapISSA, WrapISSB},
		Open:     OpenAny,

		Incarnations: 1,
	}
}

// Validate reports the settings out of their range.
func (c *Config) Validate() error {
	var errs []error
	for _, s := range c.Settings() {
		errs = append(errs, s.Check())
	}
	return errors.Join(errs...)
}

// mss is the size of a segment and of a SEND call; Validate keeps it at
// least 1.
func (c *Config) mss() int { return c.MSS }

// endpointConfig is the tcpfsm configuration of endpoint side.
func (c *Config) endpointConfig(side Side) tcpfsm.Config {
	retries := c.Retries
	if retries == 0 {
		retries = -1 // tcpfsm: negative means none, zero the default
	}
	return tcpfsm.Config{
		ISS:         c.ISS[side],
		RcvWnd:      c.Window,
		MSS:         uint32(c.mss()),
		SynRetries:  retries,
		DataRetries: retries,
		RFC1337:     c.RFC1337,
		Buffered:    c.LazyRead,
	}
}

// String describes the configuration on one line, as tcpcheck prints it:
// "loss=on reorder=on dup=1 capacity=3 retries=1 data=1 mss=1
// window=65535 iss=4294967294,4294967295 open=any abort=off rfc1337=off
// lazy-read=off misbehave=0".
func (c Config) String() string {
	settings := c.Settings()
	parts := make([]string, len(settings))
	for i := range settings {
		parts[i] = settings[i].Name + "=" + settings[i].Text()
	}
	return strings.Join(parts, " ")
}

// MarshalJSON writes the settings as one object, in the order of String:
// {"loss": true, ..., "window": 65535, "iss": [4294967294, 4294967295],
// "open": "any", ...}. The table is not part of it.
func (c Config) MarshalJSON() ([]byte, error) { return MarshalSettings(c.Settings()) }

// UnmarshalJSON reads what MarshalJSON writes; the table stays.
func (c *Config) UnmarshalJSON(data []byte) error { return UnmarshalSettings(data, c.Settings()) }
