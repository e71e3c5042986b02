package tcpfsm

import (
	"errors"
	"strings"
)

// MaxOutSegments is how many segments one Output holds. An Endpoint call
// never asks for more; when the send window would allow more data than
// fits, it sets Output.More and the caller calls Endpoint.Poll.
const MaxOutSegments = 8

// Output is what one Endpoint call asks of its caller: segments to send,
// timer commands, and news for the user. The caller owns it and may reuse
// it: every Endpoint method clears it first.
type Output struct {
	// Segs[:NSegs] are the segments to send, in order (Segments returns
	// that slice).
	Segs  [MaxOutSegments]OutSegment
	NSegs int

	// Timers holds a command per timer, indexed by Timer: arm it to run
	// out after a duration (re-arming one that runs restarts it), cancel
	// it, or leave it alone.
	Timers [NumTimers]TimerCmd

	// Tell is the set of things to tell the user.
	Tell Tell
	// Data is the received data the user may now take, when Tell has
	// TellData: the receive stream's bytes from Data.Off to
	// Data.Off+Data.Len. They are the segment's payload from byte
	// DataSkip on (bytes before it were received already; bytes after
	// Data.Len are beyond the receive window and were dropped).
	Data     Range
	DataSkip uint32
	// Acked is how many bytes of the send stream were newly acknowledged:
	// the caller may forget them.
	Acked uint64

	// Err answers a user call that the RFC refuses: ErrExists,
	// ErrClosing, ErrNoConn, ErrUnspecified or ErrResources. It is nil
	// otherwise.
	Err error

	// More reports that data is queued which the send window allows but
	// Segs had no room for: call Endpoint.Poll to get it.
	More bool

	// Step is the table step the call took: for logs, traces, tests and
	// table coverage.
	Step StepInfo
}

// Segments returns the segments to send.
func (o *Output) Segments() []OutSegment {
	return o.Segs[:o.NSegs]
}

// Reset clears o. Every Endpoint method does this before it writes.
func (o *Output) Reset() {
	// Zeroing, then one store, is cheaper than copying a composite
	// literal with Row -1 in it: that copies all 400 bytes from a
	// template.
	*o = Output{}
	o.Step.Row = -1
}

// push appends a segment; it reports false when o is full.
func (o *Output) push(s OutSegment) bool {
	if o.NSegs == len(o.Segs) {
		return false
	}
	o.Segs[o.NSegs] = s
	o.NSegs++
	return true
}

// full reports whether there is no room for another segment.
func (o *Output) full() bool {
	return o.NSegs == len(o.Segs)
}

// Range is a stretch of a byte stream: Len bytes from offset Off.
type Range struct {
	Off uint64
	Len uint32
}

// StepInfo describes the table step an Endpoint call took: in state From,
// event Event under guards Guards, the row Row decided (to go to To, with
// Actions, OK false for an error row). Row indexes Rows, or with a variant
// table (Endpoint.UseTable) the Rows of its spec.Machine. Taken is false
// when the call took no step: Poll, or a timer that was not running.
type StepInfo struct {
	Taken   bool
	From    State
	Event   Event
	Guards  Guards
	To      State
	Actions Actions
	OK      bool
	Row     int
}

// record sets st to a step taken in state from: event ev under guards g,
// decided by row, to state next with actions act. It writes field by
// field: a composite literal would be built on the stack and copied.
func (st *StepInfo) record(from State, ev Event, g Guards, row int, next State, act Actions, ok bool) {
	st.Taken, st.From, st.Event, st.Guards, st.To, st.Actions, st.OK, st.Row = true, from, ev, g, next, act, ok, row
}

// Tell is a set of things to tell the user.
type Tell uint8

// The things an Endpoint tells its user (RFC 9293 sections 3.9.1 and
// 3.10: the signals and "error:" responses of the user interface).
const (
	// TellEstablished: the connection is open.
	TellEstablished Tell = 1 << iota
	// TellData: received data is ready, Output.Data says where.
	TellData
	// TellEOF: the peer has closed its side; no data will follow
	// ("connection closing").
	TellEOF
	// TellReset: "connection reset" by the peer. The connection is CLOSED.
	TellReset
	// TellRefused: "connection refused". The connection is CLOSED.
	TellRefused
	// TellClosed: the connection is CLOSED (TCB deleted), normally or by
	// the user's ABORT.
	TellClosed
	// TellTimeout: the connection timed out (retransmissions ran out, or
	// the FIN-WAIT-2 timer) and is CLOSED.
	TellTimeout
)

var tellNames = [...]string{"established", "data", "eof", "reset", "refused", "closed", "timeout"}

// String returns the names of the set bits joined by "|", or "" for none.
func (t Tell) String() string {
	var parts []string
	for i, name := range tellNames {
		if t&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, "|")
}

// The answers to user calls that the RFC refuses (RFC 9293 section 3.10).
// Output.Err is one of these, never a wrapped error.
var (
	// ErrExists: "connection already exists" (OPEN on an open connection).
	ErrExists = errors.New("tcpfsm: connection already exists")
	// ErrClosing: "connection closing" (SEND or CLOSE after CLOSE).
	ErrClosing = errors.New("tcpfsm: connection closing")
	// ErrNoConn: "connection does not exist" (a call in CLOSED).
	ErrNoConn = errors.New("tcpfsm: connection does not exist")
	// ErrUnspecified: "remote socket unspecified" (SEND in LISTEN).
	ErrUnspecified = errors.New("tcpfsm: remote socket unspecified")
	// ErrResources: "insufficient resources" (SEND beyond the queue limit).
	ErrResources = errors.New("tcpfsm: insufficient resources")
)
