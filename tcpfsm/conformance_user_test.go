package tcpfsm_test

// Conformance: the user calls OPEN, SEND, CLOSE and ABORT in each of the
// eleven states (RFC 9293 sections 3.10.1, 3.10.2, 3.10.4, 3.10.5).

import (
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
)

var userGroup = registerGroup("user", userScenarios())

func TestConformanceUserCalls(t *testing.T) { userGroup.run(t) }

// userCall is one user call in one state and what the RFC has it do.
type userCall struct {
	fix  fixture
	name string // the stimulus and outcome, as in close_fin_wait_1_fin_sent
	rule string
	then func(x *ctx, f fixture, c *conn) // the call and its assertions
}

// userCalls is the table of user calls the group is made of.
type userCalls []userCall

// add adds the call name in state.
func (calls *userCalls) add(state State, name, rule string, then func(x *ctx, f fixture, c *conn)) {
	*calls = append(*calls, userCall{fix: allFixtures[state], name: name, rule: rule, then: then})
}

// userScenarios is the table of the user group: each call of OPEN, SEND,
// CLOSE and ABORT in the states it is added for.
func userScenarios() []scenario {
	var calls userCalls
	calls.addOpen()
	calls.addSend()
	calls.addClose()
	calls.addAbort()
	return calls.scenarios()
}

// addOpen adds OPEN in every state (RFC 9293 3.10.1).
func (calls *userCalls) addOpen() {
	calls.add(StateClosed, "open_passive_listen",
		"RFC 9293 3.10.1: a passive OPEN in CLOSED enters LISTEN",
		func(x *ctx, f fixture, c *conn) { c.openPassive().state(StateListen) })
	calls.add(StateClosed, "open_active_syn_sent",
		"RFC 9293 3.10.1: an active OPEN in CLOSED sends <SEQ=ISS><CTL=SYN> and enters SYN-SENT",
		func(x *ctx, f fixture, c *conn) {
			c.openActive().sends(c.outSyn(x.I(0))).state(StateSynSent).arms(TimerRetx, c.rto(0))
		})
	calls.add(StateListen, "open_active_syn_sent",
		"RFC 9293 3.10.1: an active OPEN in LISTEN turns the connection active: send <SEQ=ISS><CTL=SYN>, SND.UNA=ISS, SND.NXT=ISS+1, SYN-SENT",
		func(x *ctx, f fixture, c *conn) {
			c.openActive().sends(c.outSyn(x.I(0))).state(StateSynSent).arms(TimerRetx, c.rto(0))
			c.vars(x.I(0), x.I(1), c.e.RcvNxt())
			if c.e.Passive() {
				c.fatalf("still passive after an active OPEN")
			}
		})
	calls.add(StateListen, "open_passive_error_exists",
		"RFC 9293 3.10.1: OPEN on a connection that exists answers \"connection already exists\"",
		func(x *ctx, f fixture, c *conn) { c.openPassive().err(ErrExists) })
	for _, f := range allFixtures[StateSynSent:] {
		for _, call := range []string{"open_passive", "open_active"} {
			calls.add(f.state, call+"_error_exists",
				"RFC 9293 3.10.1: OPEN in any state but CLOSED and LISTEN answers \"connection already exists\" and changes nothing",
				func(x *ctx, f fixture, c *conn) {
					if call == "open_passive" {
						c.openPassive()
					} else {
						c.openActive()
					}
					c.err(ErrExists)
				})
		}
	}
}

// addSend adds SEND in every state (RFC 9293 3.10.2).
func (calls *userCalls) addSend() {
	calls.add(StateClosed, "send_error_no_connection",
		"RFC 9293 3.10.2: SEND in CLOSED answers \"connection does not exist\"",
		func(x *ctx, f fixture, c *conn) { c.send(10).err(ErrNoConn) })
	calls.add(StateListen, "send_error_foreign_socket_unspecified",
		"RFC 9293 3.10.2: SEND in LISTEN without a foreign socket answers \"foreign socket unspecified\"",
		func(x *ctx, f fixture, c *conn) { c.send(10).err(ErrUnspecified) })
	calls.add(StateSynSent, "send_queued",
		"RFC 9293 3.10.2: SEND in SYN-SENT queues the data for after ESTABLISHED: nothing goes out",
		func(x *ctx, f fixture, c *conn) {
			c.send(10)
			if c.e.Queued() != 10 {
				c.fatalf("Queued %d, want 10", c.e.Queued())
			}
		})
	calls.add(StateSynReceived, "send_queued",
		"RFC 9293 3.10.2: SEND in SYN-RECEIVED queues the data for after ESTABLISHED: nothing goes out",
		func(x *ctx, f fixture, c *conn) {
			c.send(10)
			if c.e.Queued() != 10 {
				c.fatalf("Queued %d, want 10", c.e.Queued())
			}
		})
	calls.add(StateEstablished, "send_data_sent",
		"RFC 9293 3.10.2: SEND in ESTABLISHED segmentizes the data and sends it with <ACK=RCV.NXT>; RFC 6298 5.1 starts the timer",
		func(x *ctx, f fixture, c *conn) {
			c.send(10).sends(c.outData(x.I(1), x.R(1), 10, 0)).arms(TimerRetx, c.rto(0))
		})
	calls.add(StateCloseWait, "send_data_sent",
		"RFC 9293 3.10.2: SEND in CLOSE-WAIT is as in ESTABLISHED: only the peer has closed",
		func(x *ctx, f fixture, c *conn) {
			c.send(10).sends(c.outData(x.I(1), x.R(2), 10, 0)).arms(TimerRetx, c.rto(0))
		})
	for _, s := range []State{StateFinWait1, StateFinWait2, StateClosing, StateLastAck, StateTimeWait} {
		calls.add(s, "send_error_closing",
			"RFC 9293 3.10.2: SEND after our CLOSE answers \"connection closing\" and sends nothing",
			func(x *ctx, f fixture, c *conn) { c.send(10).err(ErrClosing) })
	}
	for _, s := range []State{StateSynSent, StateSynReceived, StateEstablished, StateCloseWait} {
		calls.add(s, "send_beyond_queue_limit_error_insufficient_resources",
			"RFC 9293 3.10.2: a SEND the connection has no room for answers \"insufficient resources\" and queues nothing",
			func(x *ctx, f fixture, c *conn) {
				c.send(MaxQueue)
				if c.e.State() == StateEstablished || c.e.State() == StateCloseWait {
					// The peer's window lets one segment of 8192 bytes go.
					c.sends(c.outData(x.I(1), x.R(f.rcv), peerWnd, 0)).arms(TimerRetx, c.rto(0))
				}
				c.send(1).err(ErrResources)
				if c.e.Queued() != MaxQueue {
					c.fatalf("Queued %d, want %d", c.e.Queued(), MaxQueue)
				}
			})
	}
}

// addClose adds CLOSE in every state (RFC 9293 3.10.4).
func (calls *userCalls) addClose() {
	calls.add(StateClosed, "close_error_no_connection",
		"RFC 9293 3.10.4: CLOSE in CLOSED answers \"connection does not exist\"",
		func(x *ctx, f fixture, c *conn) { c.close().err(ErrNoConn) })
	calls.add(StateListen, "close_closed",
		"RFC 9293 3.10.4: CLOSE in LISTEN deletes the TCB and enters CLOSED",
		func(x *ctx, f fixture, c *conn) { c.close().state(StateClosed).tells(TellClosed) })
	calls.add(StateSynSent, "close_closed",
		"RFC 9293 3.10.4: CLOSE in SYN-SENT deletes the TCB, sending nothing",
		func(x *ctx, f fixture, c *conn) {
			c.close().state(StateClosed).tells(TellClosed).cancels(TimerRetx)
		})
	calls.add(StateSynReceived, "close_fin_wait_1_fin_sent",
		"RFC 9293 3.10.4: CLOSE in SYN-RECEIVED with nothing to send forms a FIN, sends it and enters FIN-WAIT-1",
		func(x *ctx, f fixture, c *conn) {
			c.close().sends(c.outFin(x.I(1), x.R(1))).state(StateFinWait1)
		})
	calls.add(StateEstablished, "close_fin_wait_1_fin_sent",
		"RFC 9293 3.10.4: CLOSE in ESTABLISHED sends a FIN after the queued data and enters FIN-WAIT-1",
		func(x *ctx, f fixture, c *conn) {
			c.close().sends(c.outFin(x.I(1), x.R(1))).state(StateFinWait1).arms(TimerRetx, c.rto(0))
			c.vars(x.I(1), x.I(2), x.R(1))
		})
	calls.add(StateCloseWait, "close_last_ack_fin_sent",
		"RFC 9293 3.10.4: CLOSE in CLOSE-WAIT sends a FIN after the queued data and enters LAST-ACK",
		func(x *ctx, f fixture, c *conn) {
			c.close().sends(c.outFin(x.I(1), x.R(2))).state(StateLastAck).arms(TimerRetx, c.rto(0))
		})
	for _, s := range []State{StateFinWait1, StateFinWait2, StateClosing, StateLastAck, StateTimeWait} {
		calls.add(s, "close_error_closing_no_second_fin",
			"RFC 9293 3.10.4: a second CLOSE answers \"connection closing\" and never emits a second FIN",
			func(x *ctx, f fixture, c *conn) { c.close().err(ErrClosing) })
	}
}

// addAbort adds ABORT in every state (RFC 9293 3.10.5).
func (calls *userCalls) addAbort() {
	calls.add(StateClosed, "abort_error_no_connection",
		"RFC 9293 3.10.5: ABORT in CLOSED answers \"connection does not exist\"",
		func(x *ctx, f fixture, c *conn) { c.abort().err(ErrNoConn) })
	for _, s := range []State{StateListen, StateSynSent} {
		calls.add(s, "abort_closed_no_rst",
			"RFC 9293 3.10.5: ABORT in LISTEN or SYN-SENT deletes the TCB and enters CLOSED; no reset (the peer has nothing to reset)",
			func(x *ctx, f fixture, c *conn) {
				c.abort().state(StateClosed).tells(TellClosed).cancelsAll(f.running)
			})
	}
	for _, s := range []State{StateSynReceived, StateEstablished, StateFinWait1, StateFinWait2, StateCloseWait} {
		calls.add(s, "abort_rst_snd_nxt_closed",
			"RFC 9293 3.10.5: ABORT in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 or CLOSE-WAIT sends <SEQ=SND.NXT><CTL=RST>, flushes the queues and enters CLOSED",
			func(x *ctx, f fixture, c *conn) {
				c.abort().sends(outRst(f.snd(x))).state(StateClosed).tells(TellClosed).cancelsAll(f.running)
			})
	}
	for _, s := range []State{StateClosing, StateLastAck, StateTimeWait} {
		calls.add(s, "abort_closed_no_rst",
			"RFC 9293 3.10.5: ABORT in CLOSING, LAST-ACK or TIME-WAIT answers ok, deletes the TCB and enters CLOSED without a reset",
			func(x *ctx, f fixture, c *conn) {
				c.abort().state(StateClosed).tells(TellClosed).cancelsAll(f.running)
			})
	}
	calls.add(StateEstablished, "abort_with_data_outstanding_rst_only",
		"RFC 9293 3.10.5: ABORT flushes the retransmission queue: only <SEQ=SND.NXT><CTL=RST> goes out",
		func(x *ctx, f fixture, c *conn) {
			c.send(10).sends(c.outData(x.I(1), x.R(1), 10, 0)).arms(TimerRetx, c.rto(0))
			c.abort().sends(outRst(x.I(11))).state(StateClosed).tells(TellClosed).cancels(TimerRetx)
		})
}

// scenarios makes a scenario of each call: the fixture of its state, with
// an MSS that lets one segment carry the peer's whole window where data
// may go out.
func (calls userCalls) scenarios() []scenario {
	var out []scenario
	for _, uc := range calls {
		out = append(out, scenario{
			name: uc.fix.name + "_" + uc.name,
			rule: uc.rule,
			run: func(x *ctx) {
				cfg := Config{}
				if uc.fix.state == StateEstablished || uc.fix.state == StateCloseWait {
					cfg.MSS = 65535 // one segment may carry the peer's whole window
				}
				uc.then(x, uc.fix, uc.fix.build(x, cfg))
			},
		})
	}
	return out
}
