package tcpfsm

import "time"

// Timers. The Endpoint has no clock. It tells its caller to arm a timer for
// a duration or to cancel it (Output.Timers), and the caller calls
// Endpoint.Timeout when an armed timer runs out. The Endpoint remembers
// which timers it armed and ignores a Timeout for one that is not running,
// so a caller that loses a race between a cancel and an expiry does no
// harm.
//
// Who arms what:
//
//   - The retransmission timer follows what is outstanding (RFC 6298
//     section 5): after every call, if anything we sent (SYN, data, FIN) is
//     unacknowledged, it runs; if nothing is, it is cancelled. It is
//     started when something is first sent and restarted when an ACK
//     acknowledges new data (5.1, 5.3) and on every retransmission (5.6),
//     not on every send. Its duration is the RTO, doubled for every
//     retransmission since the last new ACK (5.5), at most Config.MaxRTO.
//     There is no RTT sampling inside (that needs a clock): an embedder
//     that measures round trips sets the RTO with SetRTO.
//   - The other timers are armed by the table's actions (the "timers NAME :
//     ACTION" lines of spec/tcp.fsm: arm-2msl and arm-fin-wait-2), for
//     their Config duration, and belong to the state the arming step ends
//     in: the Endpoint cancels them when it leaves that state.
//   - Entering CLOSED or LISTEN cancels everything: the TCB is gone.

// Timer names one of the Endpoint's timers: the timers spec/tcp.fsm
// declares, in its order (timer t runs out as TimerEvents[t] and is armed
// by TimerArms[t], both generated from the table).
type Timer uint8

const (
	// TimerRetx is the retransmission timer (RFC 6298).
	TimerRetx Timer = iota
	// TimerTimeWait is the TIME-WAIT timer: 2 MSL (RFC 9293 section 3.10.8).
	TimerTimeWait
	// TimerFinWait2 bounds an idle FIN-WAIT-2 (Config.FinWait2).
	TimerFinWait2
)

var timerNames = [...]string{TimerRetx: "retransmission", TimerTimeWait: "TIME-WAIT", TimerFinWait2: "FIN-WAIT-2"}

// String returns the timer's name; a timer the table declares beyond
// these three is named by its expiry event.
func (t Timer) String() string {
	switch {
	case int(t) < len(timerNames):
		return timerNames[t]
	case t < NumTimers:
		return TimerEvents[t].String()
	}
	return "Timer(?)"
}

// Event returns the event t's expiry produces (NumEvents, no event, for a
// timer out of range).
func (t Timer) Event() Event {
	if t < NumTimers {
		return TimerEvents[t]
	}
	return NumEvents
}

// The Endpoint keeps its timers as the bits of a uint8: a table may declare
// at most 8 (a compile error here says it declares more).
var _ [8 - NumTimers]struct{}

// tableArmed is the set of timers armed by table actions (TimerArms), as
// bits of Endpoint.armed.
var tableArmed = func() (set uint8) {
	for t, a := range TimerArms {
		if a != 0 {
			set |= 1 << t
		}
	}
	return set
}()

// armActions is every action that arms a timer.
var armActions = func() (set Actions) {
	for _, a := range TimerArms {
		set |= a
	}
	return set
}()

// duration is how long timer t runs when a table action arms it; zero or
// less leaves it unarmed. A timer that a variant table adds and Config has
// no field for runs for the initial RTO.
func (c *Config) duration(t Timer) time.Duration {
	switch t {
	case TimerTimeWait:
		return c.TimeWait
	case TimerFinWait2:
		return c.FinWait2
	}
	return c.RTO
}

// armByTable arms the timers that the actions in act arm, and returns
// them as bits of Endpoint.armed.
func (e *Endpoint) armByTable(act Actions, out *Output) (armed uint8) {
	for t, a := range TimerArms {
		if a == 0 || act&a == 0 {
			continue
		}
		if d := e.cfg.duration(Timer(t)); d > 0 {
			e.arm(Timer(t), d, out)
			armed |= 1 << t
		}
	}
	return armed
}

// TimerOp is what to do with a timer.
type TimerOp uint8

const (
	// TimerKeep leaves the timer as it is.
	TimerKeep TimerOp = iota
	// TimerArm (re)starts the timer to run out after TimerCmd.After.
	TimerArm
	// TimerCancel stops the timer.
	TimerCancel
)

// TimerCmd is a command for one timer.
type TimerCmd struct {
	Op    TimerOp
	After time.Duration // for TimerArm
}

// arm records that timer t runs out after d, and tells the caller.
func (e *Endpoint) arm(t Timer, d time.Duration, out *Output) {
	e.armed |= 1 << t
	out.Timers[t] = TimerCmd{Op: TimerArm, After: d}
}

// cancel stops timer t if it runs, and tells the caller.
func (e *Endpoint) cancel(t Timer, out *Output) {
	if e.armed&(1<<t) == 0 {
		return
	}
	e.armed &^= 1 << t
	out.Timers[t] = TimerCmd{Op: TimerCancel}
}

// Armed reports whether timer t is running: armed and not cancelled or
// expired since.
func (e *conn) Armed(t Timer) bool {
	return t < NumTimers && e.armed&(1<<t) != 0
}

// currentRTO is the retransmission timeout with the backoff applied.
func (e *Endpoint) currentRTO() time.Duration {
	d := e.rto
	for i := uint8(0); i < e.backoff && d < e.cfg.MaxRTO; i++ {
		d *= 2
	}
	return min(d, e.cfg.MaxRTO)
}

// settleRetx arms or cancels the retransmission timer to match what is
// outstanding. restart says whether a running timer must start over (new
// data acknowledged, or a retransmission just sent).
func (e *Endpoint) settleRetx(restart bool, out *Output) {
	if e.outstanding() {
		if e.armed&(1<<TimerRetx) == 0 || restart {
			e.arm(TimerRetx, e.currentRTO(), out)
		}
		return
	}
	e.cancel(TimerRetx, out)
}
