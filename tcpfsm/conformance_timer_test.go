package tcpfsm_test

// Conformance: timers. Retransmission (RFC 6298 sections 5.1 to 5.6; RFC
// 9293 section 3.8.3 and RFC 1122 section 4.2.3.5 for giving up), TIME-WAIT
// (RFC 9293 section 3.10.8) and the FIN-WAIT-2 timer the table adds.

import (
	"fmt"
	"testing"
	"time"

	. "github.com/synfin/synfin/tcpfsm"
)

var timerGroup = registerGroup("timer", timerScenarios)

func TestConformanceTimers(t *testing.T) { timerGroup.run(t) }

// retries is the retry limit the give-up scenarios configure: small, and
// different for SYNs and data so that a mix-up shows.
const (
	synRetries  = 2
	dataRetries = 3
)

// retransmitThenGiveUp fires the retransmission timer of c: retries times
// it must send again exactly what want returns, with the timeout doubling
// from the RTO (RFC 6298 5.5, 5.6); the next expiry closes the connection
// (to `to`, telling `tell`), sending nothing.
func retransmitThenGiveUp(c *conn, retries int, want func() []OutSegment, to State, tell Tell) {
	c.x.t.Helper()
	for i := 1; i <= retries; i++ {
		c.fire(TimerRetx).sends(want()...).arms(TimerRetx, c.rto(i))
		if c.e.Retries() != i {
			c.fatalf("Retries() = %d after %d retransmissions", c.e.Retries(), i)
		}
	}
	was := c.running
	c.fire(TimerRetx).state(to).tells(tell)
	// The timer that ran out is not running any more; any other that ran
	// is stopped.
	for tm := Timer(0); tm < NumTimers; tm++ {
		if was[tm] && tm != TimerRetx {
			c.cancels(tm)
		}
	}
}

// giveUpRule is the rule of the give-up scenarios: the retry limit's
// name, then what giving up does.
const giveUpRule = "RFC 9293 3.8.3 and RFC 1122 4.2.3.5: after the configured number of retransmissions (%s) the connection is given up: %s, no reset sent; RFC 6298 5.4-5.6: each expiry before that retransmits the oldest unacknowledged segment and doubles the RTO"

// timerScenarios is the table of the timer group.
var timerScenarios = []scenario{
	{
		name: "syn_sent_timeout_retransmits_syn_then_gives_up",
		rule: fmt.Sprintf(giveUpRule, "SynRetries", "the user hears the timeout, CLOSED"),
		run: func(x *ctx) {
			c := x.synSent(Config{SynRetries: synRetries, DataRetries: dataRetries})
			retransmitThenGiveUp(c, synRetries, func() []OutSegment { return []OutSegment{c.outSyn(x.I(0))} },
				StateClosed, TellTimeout)
		},
	},
	{
		name: "syn_sent_backoff_capped_at_max_rto",
		rule: "RFC 6298 5.5 and 2.5: the RTO doubles on each expiry, up to a maximum (here 4 s from 1 s)",
		run: func(x *ctx) {
			c := x.synSent(Config{RTO: time.Second, MaxRTO: 4 * time.Second, SynRetries: 5})
			for _, d := range []time.Duration{2, 4, 4, 4, 4} {
				c.fire(TimerRetx).sends(c.outSyn(x.I(0))).arms(TimerRetx, d*time.Second)
			}
			c.fire(TimerRetx).state(StateClosed).tells(TellTimeout)
		},
	},
	{
		name: "syn_received_passive_timeout_retransmits_syn_ack_then_listen",
		rule: fmt.Sprintf(giveUpRule, "SynRetries", "a half-open connection from a passive OPEN goes back to LISTEN, the user never having seen it"),
		run: func(x *ctx) {
			c := x.synReceived(Config{SynRetries: synRetries, DataRetries: dataRetries})
			retransmitThenGiveUp(c, synRetries, func() []OutSegment { return []OutSegment{c.outSynAck(x.I(0), x.R(1))} },
				StateListen, 0)
			// LISTEN takes the next SYN as a new connection.
			c.recv(inSyn(x.R(500))).sends(c.outSynAck(x.I(0), x.R(501))).state(StateSynReceived).arms(TimerRetx, c.rto(0))
		},
	},
	{
		name: "syn_received_active_timeout_retransmits_syn_ack_then_closed",
		rule: fmt.Sprintf(giveUpRule, "SynRetries", "after an active OPEN the user hears the timeout, CLOSED"),
		run: func(x *ctx) {
			c := x.synReceivedActive(Config{SynRetries: synRetries, DataRetries: dataRetries})
			// The timer runs since the SYN; the SYN-ACK did not restart it.
			retransmitThenGiveUp(c, synRetries, func() []OutSegment { return []OutSegment{c.outSynAck(x.I(0), x.R(1))} },
				StateClosed, TellTimeout)
		},
	},
	{
		name: "established_timeout_retransmits_text_then_gives_up",
		rule: fmt.Sprintf(giveUpRule, "DataRetries", "the user hears the timeout, CLOSED"),
		run: func(x *ctx) {
			c := x.withText(Config{SynRetries: synRetries, DataRetries: dataRetries})
			retransmitThenGiveUp(c, dataRetries, func() []OutSegment { return []OutSegment{c.outData(x.I(1), x.R(1), 10, 0)} },
				StateClosed, TellTimeout)
		},
	},
	{
		name: "established_retransmission_goes_back_to_snd_una",
		rule: "RFC 6298 5.4 and RFC 9293 3.8.3: a retransmission resends from SND.UNA, in segments of at most the MSS",
		run: func(x *ctx) {
			c := x.established(Config{MSS: 4})
			c.send(10).sends(c.outData(x.I(1), x.R(1), 4, 0), c.outData(x.I(5), x.R(1), 4, 4), c.outData(x.I(9), x.R(1), 2, 8)).
				arms(TimerRetx, c.rto(0))
			c.recv(inAck(x.R(1), x.I(5))).acked(4).arms(TimerRetx, c.rto(0))
			c.fire(TimerRetx).sends(c.outData(x.I(5), x.R(1), 4, 4), c.outData(x.I(9), x.R(1), 2, 8)).arms(TimerRetx, c.rto(1))
		},
	},
	{
		name: "established_progress_resets_retry_count_and_backoff",
		rule: "RFC 1122 4.2.3.5 counts retransmissions of the same segment, and RFC 6298 5.3 restarts the timer with the RTO on a new ACK: progress starts the count and the backoff over",
		run: func(x *ctx) {
			c := x.established(Config{MSS: 5, DataRetries: 2})
			c.send(10).sends(c.outData(x.I(1), x.R(1), 5, 0), c.outData(x.I(6), x.R(1), 5, 5)).arms(TimerRetx, c.rto(0))
			c.fire(TimerRetx).sends(c.outData(x.I(1), x.R(1), 5, 0), c.outData(x.I(6), x.R(1), 5, 5)).arms(TimerRetx, c.rto(1))
			c.fire(TimerRetx).sends(c.outData(x.I(1), x.R(1), 5, 0), c.outData(x.I(6), x.R(1), 5, 5)).arms(TimerRetx, c.rto(2))
			c.recv(inAck(x.R(1), x.I(6))).acked(5).arms(TimerRetx, c.rto(0))
			retransmitThenGiveUp(c, 2, func() []OutSegment { return []OutSegment{c.outData(x.I(6), x.R(1), 5, 5)} },
				StateClosed, TellTimeout)
		},
	},
	{
		name: "close_wait_timeout_retransmits_text_then_gives_up",
		rule: fmt.Sprintf(giveUpRule, "DataRetries", "in CLOSE-WAIT as in ESTABLISHED"),
		run: func(x *ctx) {
			c := x.closeWait(Config{SynRetries: synRetries, DataRetries: dataRetries})
			c.send(10).sends(c.outData(x.I(1), x.R(2), 10, 0)).arms(TimerRetx, c.rto(0))
			retransmitThenGiveUp(c, dataRetries, func() []OutSegment { return []OutSegment{c.outData(x.I(1), x.R(2), 10, 0)} },
				StateClosed, TellTimeout)
		},
	},
	{
		name: "fin_wait_1_timeout_retransmits_fin_then_gives_up",
		rule: fmt.Sprintf(giveUpRule, "DataRetries", "the FIN is retransmitted like data; then the user hears the timeout, CLOSED"),
		run: func(x *ctx) {
			c := x.finWait1(Config{SynRetries: synRetries, DataRetries: dataRetries})
			retransmitThenGiveUp(c, dataRetries, func() []OutSegment { return []OutSegment{c.outFin(x.I(1), x.R(1))} },
				StateClosed, TellTimeout)
		},
	},
	{
		name: "fin_wait_1_timeout_retransmits_text_and_fin",
		rule: "RFC 6298 5.4 and RFC 9293 3.10.4: text and the FIN after it are retransmitted together from SND.UNA; the FIN keeps its sequence number",
		run: func(x *ctx) {
			c := x.withText()
			c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
			c.fire(TimerRetx).sends(c.outDataFin(x.I(1), x.R(1), 10, 0)).arms(TimerRetx, c.rto(1))
		},
	},
	{
		name: "fin_wait_1_syn_outstanding_timeout_retransmits_syn_ack_and_fin",
		rule: "RFC 6298 5.4: after CLOSE in SYN-RECEIVED the SYN-ACK and the FIN are both outstanding and both sent again",
		run: func(x *ctx) {
			c := x.finWait1SynOutstanding()
			c.fire(TimerRetx).sends(c.outSynAck(x.I(0), x.R(1)), c.outFin(x.I(1), x.R(1))).arms(TimerRetx, c.rto(1))
		},
	},
	{
		name: "closing_timeout_retransmits_fin_then_gives_up",
		rule: fmt.Sprintf(giveUpRule, "DataRetries", "in CLOSING the FIN is retransmitted, then the user hears the timeout, CLOSED"),
		run: func(x *ctx) {
			c := x.closing(Config{SynRetries: synRetries, DataRetries: dataRetries})
			retransmitThenGiveUp(c, dataRetries, func() []OutSegment { return []OutSegment{c.outFin(x.I(1), x.R(2))} },
				StateClosed, TellTimeout)
		},
	},
	{
		name: "last_ack_timeout_retransmits_fin_then_gives_up",
		rule: fmt.Sprintf(giveUpRule, "DataRetries", "in LAST-ACK the FIN is retransmitted, then the user hears the timeout, CLOSED"),
		run: func(x *ctx) {
			c := x.lastAck(Config{SynRetries: synRetries, DataRetries: dataRetries})
			retransmitThenGiveUp(c, dataRetries, func() []OutSegment { return []OutSegment{c.outFin(x.I(1), x.R(2))} },
				StateClosed, TellTimeout)
		},
	},
	{
		name: "established_stale_timeout_ignored",
		rule: "RFC 6298 5.2: with nothing outstanding the retransmission timer is off; an expiry the caller reports late does nothing",
		run: func(x *ctx) {
			c := x.established()
			for tm := Timer(0); tm < NumTimers; tm++ {
				c.fireStale(tm)
			}
		},
	},
	{
		name: "syn_sent_default_retries_last_at_least_3_minutes",
		rule: "RFC 1122 4.2.3.5: R2 for a SYN MUST let the SYN be retransmitted for at least 3 minutes before the connection is given up",
		run: func(x *ctx) {
			c := x.synSent()
			total := time.Duration(0)
			for i := 1; ; i++ {
				total += c.out.Timers[TimerRetx].After
				c.fire(TimerRetx)
				if c.e.State() == StateClosed {
					c.state(StateClosed).tells(TellTimeout)
					break
				}
				c.sends(c.outSyn(x.I(0))).arms(TimerRetx, c.rto(i))
			}
			c.bugIf(total < 3*time.Minute, "with the default Config a SYN is given up after %v of retransmission "+
				"(SynRetries %d, RTO %v): less than RFC 1122's 3 minutes", total, DefaultSynRetries, DefaultRTO)
		},
	},
	{
		name: "established_default_retries_last_at_least_100_seconds",
		rule: "RFC 1122 4.2.3.5: R2 for data SHOULD correspond to at least 100 seconds of retransmission",
		run: func(x *ctx) {
			c := x.withText()
			total := time.Duration(0)
			for i := 1; ; i++ {
				total += c.out.Timers[TimerRetx].After
				c.fire(TimerRetx)
				if c.e.State() == StateClosed {
					c.state(StateClosed).tells(TellTimeout)
					break
				}
				c.sends(c.outData(x.I(1), x.R(1), 10, 0)).arms(TimerRetx, c.rto(i))
			}
			if total < 100*time.Second {
				c.fatalf("data given up after %v of retransmission", total)
			}
		},
	},
	{
		name: "time_wait_default_lasts_2_msl_of_2_minutes",
		rule: "RFC 9293 3.3.2 and 3.4.2: TIME-WAIT lasts twice the maximum segment lifetime, which is 2 minutes",
		run: func(x *ctx) {
			c := x.finWait2()
			c.recv(inFin(x.R(1), x.I(2))).sends(c.outAck(x.I(2), x.R(2))).state(StateTimeWait).tells(TellEOF).
				arms(TimerTimeWait, 2*2*time.Minute).cancels(TimerFinWait2)
		},
	},
	{
		name: "time_wait_timeout_closed",
		rule: "RFC 9293 3.10.8: when the 2 MSL time-wait timeout runs out, delete the TCB and enter CLOSED",
		run: func(x *ctx) {
			c := x.timeWait()
			c.fire(TimerTimeWait).state(StateClosed).tells(TellClosed)
		},
	},
	{
		name: "time_wait_retransmitted_fin_restarts_timer_then_closed",
		rule: "RFC 9293 3.10.7.4 fifth and 3.10.8: a retransmitted FIN in TIME-WAIT is acknowledged and restarts the 2 MSL timeout, which then runs out to CLOSED",
		run: func(x *ctx) {
			c := x.timeWait(Config{TimeWait: 30 * time.Second})
			c.recv(inFin(x.R(1), x.I(2))).sends(c.outAck(x.I(2), x.R(2))).arms(TimerTimeWait, 30*time.Second)
			c.fire(TimerTimeWait).state(StateClosed).tells(TellClosed)
		},
	},
	{
		name: "fin_wait_2_timeout_closed",
		rule: "spec/tcp.fsm FIN-WAIT-2 (Linux tcp_fin_timeout; RFC 9293 has no such timer): an idle FIN-WAIT-2 times out to CLOSED and the user hears the timeout",
		run: func(x *ctx) {
			c := x.finWait2(Config{FinWait2: 10 * time.Second})
			c.fire(TimerFinWait2).state(StateClosed).tells(TellTimeout)
		},
	},
	{
		name: "fin_wait_2_segment_restarts_timer",
		rule: "spec/tcp.fsm FIN-WAIT-2: every acceptable segment restarts the idle timer",
		run: func(x *ctx) {
			c := x.finWait2()
			c.recv(inAck(x.R(1), x.I(2))).arms(TimerFinWait2, DefaultFinWait2)
		},
	},
	{
		name: "fin_wait_2_timer_off_waits_for_ever",
		rule: "RFC 9293 (no FIN-WAIT-2 timeout): with the timer configured off, FIN-WAIT-2 arms nothing and waits for the peer's FIN",
		run: func(x *ctx) {
			c := x.finWait2(Config{FinWait2: -1})
			c.fireStale(TimerFinWait2)
			c.recv(inFin(x.R(1), x.I(2))).sends(c.outAck(x.I(2), x.R(2))).state(StateTimeWait).tells(TellEOF).
				arms(TimerTimeWait, DefaultTimeWait)
		},
	},
}
