package tcpworld

import (
	"errors"
	"fmt"
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
	return 0, fmt.Errorf("unknown open mode %q (want any, client-server or simultaneous)", s)
}

// Config describes a TCP world. The zero value is a fault-free network;
// DefaultConfig is the configuration tcpcheck checks without flags.
type Config struct {
	// Table is the variant table both endpoints step through (see
	// variant.NewTable); nil means the generated table of spec/tcp.fsm.
	Table *tcpfsm.Table

	// Loss lets the network drop any segment in flight, any number of
	// times.
	Loss bool
	// Reorder lets the network deliver any segment in flight; without it
	// each direction is a FIFO queue.
	Reorder bool
	// Dup is how many times in a run the network may copy a segment in
	// flight (0 to MaxDup).
	Dup int
	// Capacity is how many segments may be in flight at once, both
	// directions together (1 to MaxCapacity). A segment sent into a full
	// network is dropped, as a full queue drops it, whatever Loss says.
	Capacity int

	// Retries is the endpoints' retry limit for SYNs and for data and
	// FINs (tcpfsm.Config SynRetries and DataRetries; 0 to MaxRetries, 0
	// meaning no retransmission at all).
	Retries int
	// Data is how many bytes each application may send (0 to MaxData).
	Data int
	// MSS is the endpoints' segment size, and the size of each SEND call
	// (the last one may be shorter). 0 means 1.
	MSS int
	// Window is the receive window both endpoints offer (tcpfsm.Config
	// RcvWnd); 0 means tcpfsm's default, 65535.
	Window uint32
	// ISS are the initial send sequence numbers of A and B.
	ISS [2]tcpfsm.Seq
	// RFC1337 makes TIME-WAIT ignore RSTs in both endpoints.
	RFC1337 bool

	// Open says how the applications open.
	Open OpenMode
	// Abort lets one application, once in a run, ABORT at any moment the
	// endpoint accepts it. The world then has a second initial state in
	// which no application aborts (see the package documentation).
	Abort bool
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
	}
}

// Validate reports a configuration the world cannot hold.
func (c *Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(c.Capacity >= 1 && c.Capacity <= MaxCapacity, "capacity %d out of range [1, %d]", c.Capacity, MaxCapacity)
	check(c.Dup >= 0 && c.Dup <= MaxDup, "dup %d out of range [0, %d]", c.Dup, MaxDup)
	check(c.Retries >= 0 && c.Retries <= MaxRetries, "retries %d out of range [0, %d]", c.Retries, MaxRetries)
	check(c.Data >= 0 && c.Data <= MaxData, "data %d out of range [0, %d]", c.Data, MaxData)
	check(c.MSS >= 0 && c.MSS <= 0xFFFF, "mss %d out of range [1, 65535]", c.MSS)
	check(c.Window <= tcpfsm.MaxQueue, "window %d above %d", c.Window, tcpfsm.MaxQueue)
	check(c.Open <= OpenSimultaneous, "unknown open mode %d", c.Open)
	return errors.Join(errs...)
}

func (c *Config) mss() int { return max(c.MSS, 1) }

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
	}
}

// String describes the configuration on one line, as tcpcheck prints it:
// "loss=on reorder=on dup=1 capacity=3 retries=1 data=1 mss=1
// window=65535 iss=4294967294,4294967295 open=any abort=off rfc1337=off".
func (c Config) String() string {
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	wnd := c.Window
	if wnd == 0 {
		wnd = tcpfsm.DefaultRcvWnd
	}
	var b strings.Builder
	fmt.Fprintf(&b, "loss=%s reorder=%s dup=%d capacity=%d retries=%d data=%d mss=%d window=%d iss=%d,%d open=%v abort=%s rfc1337=%s",
		onOff(c.Loss), onOff(c.Reorder), c.Dup, c.Capacity, c.Retries, c.Data, c.mss(), wnd,
		c.ISS[0], c.ISS[1], c.Open, onOff(c.Abort), onOff(c.RFC1337))
	return b.String()
}
