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
//   - The TIME-WAIT and FIN-WAIT-2 timers are armed by the table's
//     arm-2msl and arm-fin-wait-2 actions, and cancelled when the Endpoint
//     leaves the state they belong to.
//   - Entering CLOSED or LISTEN cancels everything: the TCB is gone.

// Timer names one of the Endpoint's timers.
type Timer uint8

const (
	// TimerRetx is the retransmission timer (RFC 6298).
	TimerRetx Timer = iota
	// TimerTimeWait is the TIME-WAIT timer: 2 MSL (RFC 9293 section 3.10.8).
	TimerTimeWait
	// TimerFinWait2 bounds an idle FIN-WAIT-2 (Config.FinWait2).
	TimerFinWait2
)

// NumTimers is the number of timers.
const NumTimers = 3

var timerNames = [NumTimers]string{"retransmission", "TIME-WAIT", "FIN-WAIT-2"}

func (t Timer) String() string {
	if int(t) < NumTimers {
		return timerNames[t]
	}
	return "Timer(?)"
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
