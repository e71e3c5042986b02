package proptest

// The stateful API test: gopter's commands package drives one Endpoint
// with random sequences of user calls (OpenPassive, OpenActive, Send,
// Close, Abort) and timer expiries, and compares every answer with
// apiModel, a small model of what the API promises. The model is written
// from RFC 9293 sections 3.10.1 to 3.10.5 (which call is allowed in which
// state, what it answers, the state after), 3.10.7 for the few segments
// it needs and 3.10.8 and RFC 6298 for the timers, plus the choices that
// package tcpfsm documents where the RFC leaves one; it never looks at the
// table.
//
// User calls and timers alone reach only CLOSED, LISTEN and SYN-SENT, so
// the commands include a well-behaved peer: segments that are always in
// order and acceptable (SEQ = RCV.NXT, ACK = SND.NXT), built from the
// Endpoint's own numbers, which carry the connection through every state.
// Its window is large and the harness polls until the Endpoint has sent
// all it may, so everything queued is on the wire after every command and
// an ACK of SND.NXT acknowledges all of it. Hostile peers and networks are
// the job of the hostile-network property.

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"

	. "github.com/synfin/synfin/tcpfsm"
)

// The peer's window and the Endpoint's MSS: large, so that one command
// sends everything queued.
const (
	apiPeerWnd = 1 << 24
	apiMSS     = 1 << 16
)

// apiKind is a command of the API test.
type apiKind uint8

const (
	cmdOpenPassive apiKind = iota
	cmdOpenActive
	cmdSend
	cmdClose
	cmdAbort
	cmdFireRetx
	cmdFireTimeWait
	cmdFireFinWait2
	cmdPeerSyn    // <SEQ=peer ISS><CTL=SYN>
	cmdPeerSynAck // <SEQ=peer ISS><ACK=ISS+1><CTL=SYN,ACK>
	cmdPeerAck    // <SEQ=RCV.NXT><ACK=SND.NXT><CTL=ACK>, with N bytes
	cmdPeerFin    // <SEQ=RCV.NXT><ACK=SND.NXT><CTL=FIN,ACK>, with N bytes
	cmdPeerFinDup // <SEQ=RCV.NXT-1><ACK=SND.NXT><CTL=FIN,ACK>: the peer's FIN again
	cmdPeerRst    // <SEQ=RCV.NXT><ACK=SND.NXT><CTL=RST,ACK>
	// Segments a well-behaved peer sends only by mistake or late, which
	// the RFC answers without a change of state.
	cmdPeerNoAck       // <SEQ=RCV.NXT><CTL=FIN>: no ACK bit
	cmdPeerBadAck      // <SEQ=RCV.NXT><ACK=SND.NXT+1000><CTL=ACK>: acknowledges what was never sent
	cmdPeerRstInWindow // <SEQ=RCV.NXT+1><CTL=RST>: in the window, not at RCV.NXT
	cmdPeerOutOfWindow // <SEQ=RCV.NXT+2^20><ACK=SND.NXT><CTL=ACK>, 1 byte: fails the sequence test
	cmdPeerRstOutside  // <SEQ=RCV.NXT+2^20><CTL=RST>: outside the window, no ACK
	numAPIKinds
)

var apiKindNames = [numAPIKinds]string{"OpenPassive", "OpenActive", "Send", "Close", "Abort",
	"Timeout(retx)", "Timeout(TIME-WAIT)", "Timeout(FIN-WAIT-2)",
	"peer SYN", "peer SYN,ACK", "peer ACK", "peer FIN,ACK", "peer FIN again", "peer RST,ACK",
	"peer FIN without ACK", "peer ACK of unsent data", "peer RST in window", "peer data out of window", "peer RST out of window"}

// apiCmd is one command: a kind and, for Send and the peer's data, a
// byte count.
type apiCmd struct {
	Kind apiKind
	N    uint64
}

func (c apiCmd) String() string {
	switch c.Kind {
	case cmdSend, cmdPeerAck, cmdPeerFin:
		return fmt.Sprintf("%s(%d)", apiKindNames[c.Kind], c.N)
	}
	return apiKindNames[c.Kind]
}

// PreCondition: the user may call anything at any time, and any timer
// may run out (a stale one must be ignored); the peer's segments are
// those a well-behaved peer sends in the state.
func (c apiCmd) PreCondition(s commands.State) bool {
	m := s.(apiModel)
	switch c.Kind {
	case cmdPeerRstInWindow, cmdPeerOutOfWindow:
		return synchronized(m.state)
	case cmdPeerSynAck:
		return m.state == StateSynSent
	case cmdPeerAck:
		return synchronized(m.state) && (c.N == 0 || receiving(m.state))
	case cmdPeerFin:
		return receiving(m.state)
	case cmdPeerFinDup:
		return finReceived(m.state)
	case cmdSend:
		// A SEND that fits the queue in full would make the harness
		// poll out a gigabyte; only those in the generator's ranges.
		return c.N <= 1<<16 || m.queued+c.N > MaxQueue
	}
	return true
}

// apiSUT is the system under test: the Endpoint and what its last call
// produced.
type apiSUT struct {
	e       Endpoint
	peerISS Seq
	cov     *coverage
}

// apiResult is what one command did.
type apiResult struct {
	before, after Endpoint
	out           Output       // the answer to the command itself
	segs          []OutSegment // everything sent, with the Polls after it
	sent          Segment      // the peer's segment, for a peer command
	err           error        // a harness error
}

func (c apiCmd) Run(s commands.SystemUnderTest) commands.Result {
	sut := s.(*apiSUT)
	e := &sut.e
	r := &apiResult{before: *e}
	out := &r.out
	peer := func(flags Flags, seq Seq, ack Seq, n uint32) {
		r.sent = Segment{Flags: flags, Seq: seq, Ack: ack, Len: n, Wnd: apiPeerWnd}
		e.Segment(r.sent, out)
	}
	switch c.Kind {
	case cmdOpenPassive:
		e.OpenPassive(out)
	case cmdOpenActive:
		e.OpenActive(out)
	case cmdSend:
		e.Send(int(c.N), out)
	case cmdClose:
		e.Close(out)
	case cmdAbort:
		e.Abort(out)
	case cmdFireRetx:
		e.Timeout(TimerRetx, out)
	case cmdFireTimeWait:
		e.Timeout(TimerTimeWait, out)
	case cmdFireFinWait2:
		e.Timeout(TimerFinWait2, out)
	case cmdPeerSyn:
		seq := sut.peerISS
		if e.State() >= StateSynReceived {
			seq = e.RcvNxt()
		}
		peer(FlagSYN, seq, 0, 0)
	case cmdPeerNoAck:
		peer(FlagFIN, e.RcvNxt(), 0, 0)
	case cmdPeerBadAck:
		peer(FlagACK, e.RcvNxt(), e.SndNxt().Add(1000), 0)
	case cmdPeerRstInWindow:
		peer(FlagRST, e.RcvNxt().Add(1), 0, 0)
	case cmdPeerOutOfWindow:
		peer(FlagACK, e.RcvNxt().Add(1<<20), e.SndNxt(), 1)
	case cmdPeerRstOutside:
		peer(FlagRST, e.RcvNxt().Add(1<<20), 0, 0)
	case cmdPeerSynAck:
		peer(FlagSYN|FlagACK, sut.peerISS, e.ISS().Add(1), 0)
	case cmdPeerAck:
		peer(FlagACK, e.RcvNxt(), e.SndNxt(), uint32(c.N))
	case cmdPeerFin:
		peer(FlagFIN|FlagACK, e.RcvNxt(), e.SndNxt(), uint32(c.N))
	case cmdPeerFinDup:
		peer(FlagFIN|FlagACK, e.RcvNxt().Add(^uint32(0)), e.SndNxt(), 0)
	case cmdPeerRst:
		peer(FlagRST|FlagACK, e.RcvNxt(), e.SndNxt(), 0)
	}
	if out.Step.Taken {
		sut.cov.record(out.Step)
	}
	r.segs = append(r.segs, out.Segments()...)
	var poll Output
	for more, n := out.More, 0; more; more, n = poll.More, n+1 {
		if n > MaxQueue/apiMSS {
			r.err = fmt.Errorf("Poll still has more after %d calls", n)
			break
		}
		e.Poll(&poll)
		r.segs = append(r.segs, poll.Segments()...)
	}
	r.after = *e
	return r
}

// PostCondition compares the result with the model's want, and checks
// what must hold after any call.
func (c apiCmd) PostCondition(s commands.State, res commands.Result) *gopter.PropResult {
	m, r := s.(apiModel), res.(*apiResult)
	w := m.want
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	e, out := &r.after, &r.out

	if r.err != nil {
		fail("%v", r.err)
	}
	if err := e.CheckInvariants(); err != nil {
		fail("invariant: %v", err)
	}
	if e.State() != m.state {
		fail("state %v, model says %v", e.State(), m.state)
	}
	if out.Err != w.err {
		fail("Err = %v, want %v", out.Err, w.err)
	}
	if w.unchanged && *e != r.before {
		fail("the Endpoint changed: %v, was %v", e, &r.before)
	}
	if out.Step.Taken == w.noStep {
		fail("Step.Taken = %v", out.Step.Taken)
	}
	if out.Step.Taken {
		// A refused call is an error row; everything else must step
		// through a row the table accepts.
		if out.Step.OK != (w.err == nil) {
			fail("Step.OK = %v (row %d)", out.Step.OK, out.Step.Row)
		}
		if out.Step.Row < 0 || out.Step.Row >= len(Rows) {
			fail("Step.Row = %d", out.Step.Row)
		}
	}
	tell := out.Tell
	if tell != w.tell && (w.tellAlt == 0 || tell != w.tellAlt) {
		fail("Tell = %q, want %q", tell, w.tell)
	}
	if w.data > 0 && out.Data != (Range{Off: w.dataOff, Len: w.data}) {
		fail("Data = %+v, want %d bytes at %d", out.Data, w.data, w.dataOff)
	}
	for t := Timer(0); t < NumTimers; t++ {
		if e.Armed(t) != m.running(t) {
			fail("%v timer running = %v, model says %v", t, e.Armed(t), m.running(t))
		}
	}
	if m.state == StateClosed || m.state == StateListen {
		if e.Queued() != 0 || e.Received() != 0 {
			fail("no TCB, but %d bytes queued and %d received", e.Queued(), e.Received())
		}
	} else {
		if uint64(e.Queued()) != m.queued {
			fail("Queued() = %d, model says %d", e.Queued(), m.queued)
		}
		if e.Received() != m.received {
			fail("Received() = %d, model says %d", e.Received(), m.received)
		}
	}
	if w.rearm2MSL && out.Timers[TimerTimeWait].Op != TimerArm {
		fail("the TIME-WAIT timer is not restarted: %+v", out.Timers[TimerTimeWait])
	}
	checkSegs(w, r, fail)

	if len(errs) > 0 {
		return &gopter.PropResult{Status: gopter.PropFalse, Labels: []string{fmt.Sprintf("%v: %s (model: %v)", c, strings.Join(errs, "; "), m)}}
	}
	return &gopter.PropResult{Status: gopter.PropTrue}
}

// checkSegs checks what the command sent against w.segs:
//
//	none        nothing
//	syn         one <SEQ=ISS><CTL=SYN>
//	syn-ack     one <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> first
//	rst         one <SEQ=SND.NXT><CTL=RST> (ABORT, 3.10.5)
//	rst-ack     one <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (3.10.7.1)
//	rst-at-ack  one <SEQ=SEG.ACK><CTL=RST> (3.10.7.1-4)
//	fin         a FIN last, at SND.NXT-1
//	ack         one <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
//	retransmit  at least one segment, starting at SND.UNA
//	any         anything
//
// and, for every kind, that w.sendBytes of new data went out.
func checkSegs(w apiWant, r *apiResult, fail func(string, ...any)) {
	segs, e := r.segs, &r.after
	one := func(want Segment) {
		if len(segs) != 1 || segs[0].Segment != want {
			fail("sent %v, want exactly %v", segStrings(segs), want)
		}
	}
	switch w.segs {
	case "none":
		if len(segs) != 0 {
			fail("sent %v, want nothing", segStrings(segs))
		}
	case "syn":
		one(Segment{Flags: FlagSYN, Seq: e.ISS(), Wnd: e.RcvWnd()})
	case "syn-ack":
		if len(segs) == 0 || segs[0].Segment != (Segment{Flags: FlagSYN | FlagACK, Seq: e.ISS(), Ack: e.RcvNxt(), Wnd: e.RcvWnd()}) {
			fail("sent %v, want a SYN,ACK first", segStrings(segs))
		}
	case "rst":
		one(Segment{Flags: FlagRST, Seq: r.before.SndNxt()})
	case "rst-ack":
		one(Segment{Flags: FlagRST | FlagACK, Ack: r.sent.End()})
	case "rst-at-ack":
		one(Segment{Flags: FlagRST, Seq: r.sent.Ack})
	case "fin":
		if len(segs) == 0 || segs[len(segs)-1].Flags&FlagFIN == 0 || segs[len(segs)-1].End() != e.SndNxt() {
			fail("sent %v, want our FIN last, ending at SND.NXT %d", segStrings(segs), e.SndNxt())
		}
	case "ack":
		one(Segment{Flags: FlagACK, Seq: e.SndNxt(), Ack: e.RcvNxt(), Wnd: e.RcvWnd()})
	case "retransmit":
		if len(segs) == 0 || segs[0].Seq != e.SndUna() {
			fail("sent %v, want a retransmission from SND.UNA %d", segStrings(segs), e.SndUna())
		}
	}
	var data uint64
	for _, s := range segs {
		data += uint64(s.Len)
	}
	if w.segs != "retransmit" && data != w.sendBytes {
		fail("sent %d bytes of data, want %d", data, w.sendBytes)
	}
}

func segStrings(segs []OutSegment) string {
	var b []string
	for _, s := range segs {
		b = append(b, s.Segment.String())
	}
	return "[" + strings.Join(b, " ") + "]"
}

// apiCommands is the commands.Commands of the test.
func apiCommands(cov *coverage) commands.Commands {
	return &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(s commands.State) commands.SystemUnderTest {
			m := s.(apiModel)
			return &apiSUT{e: NewEndpoint(m.cfg), peerISS: m.peerISS, cov: cov}
		},
		InitialStateGen: gen.Struct(reflect.TypeOf(apiInit{}), map[string]gopter.Gen{
			"ISS":         genSeq(),
			"PeerISS":     genSeq(),
			"SynRetries":  gen.IntRange(1, 3),
			"DataRetries": gen.IntRange(1, 3),
			"RFC1337":     gen.Bool(),
			"NoFinWait2":  gen.Weighted([]gen.WeightedGen{{Weight: 4, Gen: gen.Const(false)}, {Weight: 1, Gen: gen.Const(true)}}),
		}).Map(func(i apiInit) apiModel {
			cfg := Config{ISS: i.ISS, MSS: apiMSS, SynRetries: i.SynRetries, DataRetries: i.DataRetries, RFC1337: i.RFC1337}
			if i.NoFinWait2 {
				cfg.FinWait2 = -1
			}
			return apiModel{cfg: cfg, peerISS: i.PeerISS, state: StateClosed}
		}),
		GenCommandFunc: func(s commands.State) gopter.Gen {
			m := s.(apiModel)
			small := gen.UInt64Range(0, 3000)
			beyond := gen.UInt64Range(MaxQueue-m.queued+1, MaxQueue-m.queued+1000)
			kind := func(k apiKind) gopter.Gen { return gen.Const(apiCmd{Kind: k}) }
			sized := func(k apiKind, n gopter.Gen) gopter.Gen {
				return n.Map(func(n uint64) apiCmd { return apiCmd{Kind: k, N: n} })
			}
			return gen.Weighted([]gen.WeightedGen{
				{Weight: 4, Gen: kind(cmdOpenPassive)},
				{Weight: 4, Gen: kind(cmdOpenActive)},
				{Weight: 4, Gen: sized(cmdSend, small)},
				{Weight: 1, Gen: sized(cmdSend, beyond)},
				{Weight: 3, Gen: kind(cmdClose)},
				{Weight: 2, Gen: kind(cmdAbort)},
				{Weight: 4, Gen: kind(cmdFireRetx)},
				{Weight: 2, Gen: kind(cmdFireTimeWait)},
				{Weight: 2, Gen: kind(cmdFireFinWait2)},
				{Weight: 5, Gen: kind(cmdPeerSyn)},
				{Weight: 5, Gen: kind(cmdPeerSynAck)},
				{Weight: 6, Gen: sized(cmdPeerAck, gen.UInt64Range(0, 3))},
				{Weight: 4, Gen: sized(cmdPeerFin, gen.UInt64Range(0, 3))},
				{Weight: 2, Gen: kind(cmdPeerFinDup)},
				{Weight: 2, Gen: kind(cmdPeerRst)},
				{Weight: 1, Gen: kind(cmdPeerNoAck)},
				{Weight: 1, Gen: kind(cmdPeerBadAck)},
				{Weight: 1, Gen: kind(cmdPeerRstInWindow)},
				{Weight: 1, Gen: kind(cmdPeerOutOfWindow)},
				{Weight: 1, Gen: kind(cmdPeerRstOutside)},
			}).SuchThat(func(c apiCmd) bool { return c.PreCondition(m) })
		},
	}
}

// apiInit is the generated part of the initial state.
type apiInit struct {
	ISS, PeerISS            Seq
	SynRetries, DataRetries int
	RFC1337, NoFinWait2     bool
}

// apiRuns is how many command sequences the API test runs, of up to
// apiLen commands each.
const (
	apiRuns = 3000
	apiLen  = 80
)

// testAPI runs the stateful API test, recording row coverage in cov.
func testAPI(t *testing.T, cov *coverage) {
	check(t, "Endpoint API against the RFC 9293 model", commands.Prop(apiCommands(cov)), params(apiRuns, apiLen))
}
