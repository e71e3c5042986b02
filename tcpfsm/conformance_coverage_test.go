package tcpfsm_test

// Conformance: coverage of spec/tcp.fsm.
//
// TestConformanceCoverage runs the whole suite and requires every row of
// the table to be stepped through from every state the row names, except
// for the pairs listed in unreachableByConstruction: error rows for a
// state and event that the Endpoint can never produce. For those it
// requires the opposite, and checks it beyond the suite: the classifier
// sweep (TestConformanceClassifierSweep) and the fuzz target
// (FuzzConformanceClassifier, whose seeds and corpus the coverage test
// replays) must never produce them either. A row added to the table is
// therefore either exercised by a scenario or listed here with a reason;
// otherwise the coverage test fails.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/wire"
)

// stateEvent is a pair the table decides.
type stateEvent struct {
	state State
	event Event
}

// rowState is a row of Rows stepped through from one of its states.
type rowState struct {
	row   int
	state State
}

// recorder collects the table steps of Endpoint calls.
type recorder struct {
	rows   map[rowState]bool
	events map[stateEvent]bool
}

func newRecorder() *recorder {
	return &recorder{rows: map[rowState]bool{}, events: map[stateEvent]bool{}}
}

func (r *recorder) step(st StepInfo) {
	r.rows[rowState{st.Row, st.From}] = true
	r.events[stateEvent{st.From, st.Event}] = true
}

// unreachable is a set of state and event pairs that the Endpoint never
// produces, so their error rows cannot be exercised through it.
type unreachable struct {
	states []State
	events []Event
	why    string
}

var (
	unsynchronizedStates = []State{StateClosed, StateListen, StateSynSent}
	synchronizedStates   = []State{StateSynReceived, StateEstablished, StateFinWait1, StateFinWait2,
		StateCloseWait, StateClosing, StateLastAck, StateTimeWait}
	finReceivedStates = []State{StateCloseWait, StateClosing, StateLastAck, StateTimeWait}
	ackOfOursEvents   = []Event{EventSegAckSyn, EventSegAckSynFin, EventSegAckFin, EventSegAckFinFin}
)

func allStatesBut(s State) []State {
	var out []State
	for st := State(0); st < NumStates; st++ {
		if st != s {
			out = append(out, st)
		}
	}
	return out
}

// unreachableByConstruction lists, with the reason, every state and event
// pair whose row cannot be reached through the Endpoint. Each must be an
// error row of the table; the coverage test checks that, and that none
// is ever produced.
var unreachableByConstruction = []unreachable{
	{unsynchronizedStates,
		[]Event{EventSegRstInWindow, EventSegUnacceptable, EventSegAck, EventSegAckSynFin, EventSegAckFin, EventSegAckFinFin, EventSegFin, EventSegFinAgain},
		"these events are defined by the sequence test, the receive window or our FIN, none of which exists before synchronization: " +
			"CLOSED and LISTEN classify by RST, ACK and SYN alone, SYN-SENT by the ACK field, RST and SYN (RFC 9293 3.10.7.1-3)"},
	{[]State{StateClosed, StateListen},
		[]Event{EventSegRstBad, EventSegSynAck, EventSegAckSyn},
		"without a TCB every RST is seg-rst (to be ignored) and every segment with the ACK bit is seg-bad-ack, SYN or not (RFC 9293 3.10.7.1-2)"},
	{[]State{StateSynReceived, StateEstablished, StateFinWait1, StateFinWait2},
		[]Event{EventSegFinAgain},
		"a repeated FIN needs a FIN already taken; these states have taken none"},
	{synchronizedStates,
		[]Event{EventSegSynAck},
		"in a synchronized state any SYN passing the sequence test is seg-syn (RFC 5961 4.2), and the SYN-ACK of a simultaneous open is read as the ACK of our SYN"},
	{[]State{StateSynReceived},
		[]Event{EventSegAck, EventSegFin, EventSegAckFin, EventSegAckFinFin},
		"while our SYN is outstanding every acceptable ACK acknowledges it (seg-ack-syn, seg-ack-syn-fin), and no FIN of ours is sent: CLOSE leaves SYN-RECEIVED at once"},
	{[]State{StateEstablished},
		ackOfOursEvents,
		"in ESTABLISHED our SYN is acknowledged and no FIN of ours has been sent"},
	{[]State{StateFinWait2},
		ackOfOursEvents,
		"in FIN-WAIT-2 everything of ours, SYN and FIN, is acknowledged"},
	{finReceivedStates,
		[]Event{EventSegFin, EventSegAckSyn, EventSegAckSynFin, EventSegAckFinFin},
		"the peer's FIN is taken (a repeat is seg-fin-again) and our SYN is acknowledged"},
	{[]State{StateCloseWait, StateTimeWait},
		[]Event{EventSegAckFin},
		"no FIN of ours is outstanding: none sent yet in CLOSE-WAIT, already acknowledged in TIME-WAIT"},
	{[]State{StateClosed, StateListen, StateFinWait2, StateTimeWait},
		[]Event{EventTimeoutRetx},
		"the retransmission timer runs only while something of ours is outstanding (CheckInvariants), never in these states, and Timeout ignores a timer that is not running"},
	{allStatesBut(StateTimeWait),
		[]Event{EventTimeout2msl},
		"the 2 MSL timer runs only in TIME-WAIT (CheckInvariants; leaving TIME-WAIT cancels it) and Timeout ignores a timer that is not running"},
	{allStatesBut(StateFinWait2),
		[]Event{EventTimeoutFinWait2},
		"the FIN-WAIT-2 timer runs only in FIN-WAIT-2 (CheckInvariants; leaving FIN-WAIT-2 cancels it) and Timeout ignores a timer that is not running"},
}

// unreachablePairs expands unreachableByConstruction; it fails on a pair
// listed twice.
func unreachablePairs(t *testing.T) map[stateEvent]string {
	t.Helper()
	out := map[stateEvent]string{}
	for _, u := range unreachableByConstruction {
		for _, s := range u.states {
			for _, ev := range u.events {
				p := stateEvent{s, ev}
				if _, dup := out[p]; dup {
					t.Fatalf("unreachableByConstruction lists %v %v twice", s, ev)
				}
				out[p] = u.why
			}
		}
	}
	return out
}

// TestConformanceUnreachableAreErrorRows: a pair listed as unreachable is
// decided by an error row under every guard set; the table refuses it.
func TestConformanceUnreachableAreErrorRows(t *testing.T) {
	for p := range unreachablePairs(t) {
		for g := Guards(0); g < 1<<NumGuards; g++ {
			row := Match(p.state, p.event, g)
			if row < 0 || Rows[row].Outcome != OutcomeError {
				t.Errorf("%v %v [%v] is listed unreachable but decided by a non-error row (tcp.fsm:%d)",
					p.state, p.event, g, Rows[max(row, 0)].Line)
			}
		}
	}
}

// TestConformanceCoverage runs the suite and measures which rows of the
// table, from which states, it steps through.
func TestConformanceCoverage(t *testing.T) {
	unreach := unreachablePairs(t)
	for _, b := range bases {
		t.Run(b.name, func(t *testing.T) {
			rec := newRecorder()
			n := 0
			for _, g := range groups {
				for _, sc := range g.scenarios {
					n++
					t.Run(g.name+"/"+sc.name, func(t *testing.T) { runScenario(t, b, sc, rec) })
				}
			}
			if n < 40 {
				t.Errorf("%d scenarios, want at least 40", n)
			}

			// What else may produce segment and timer events: the sweep and
			// the fuzz seeds and corpus.
			produced := newRecorder()
			sweepClassifier(t, b, produced)
			for _, in := range fuzzInputs(t) {
				fuzzOne(t, in, produced)
			}

			var missing []string
			pairs, covered, rowsCovered, rowsUnreachable := 0, 0, 0, 0
			for i, r := range Rows {
				rowHit, rowUnreach := false, true
				for _, s := range r.From {
					p := stateEvent{s, r.Event}
					if why, ok := unreach[p]; ok {
						if r.Outcome != OutcomeError {
							t.Errorf("tcp.fsm:%d %v %v is listed unreachable (%s) but the row is %v", r.Line, s, r.Event, why, r.Outcome)
						}
						if rec.rows[rowState{i, s}] || rec.events[p] || produced.events[p] {
							t.Errorf("tcp.fsm:%d %v %v is listed unreachable (%s) but was produced", r.Line, s, r.Event, why)
						}
						continue
					}
					rowUnreach = false
					pairs++
					if rec.rows[rowState{i, s}] {
						covered++
						rowHit = true
					} else {
						missing = append(missing, fmt.Sprintf("tcp.fsm:%d %v %v %s %v (%s)",
							r.Line, s, r.Event, guardText(r), r.Outcome, r.Ref))
					}
				}
				switch {
				case rowUnreach:
					rowsUnreachable++
				case rowHit:
					rowsCovered++
				}
			}
			slices.Sort(missing)
			for _, m := range missing {
				t.Errorf("never exercised by the conformance suite: %s", m)
			}
			t.Logf("%d scenarios; rows exercised %d of %d (%d more unreachable by construction); (row, state) pairs exercised %d of %d; %d unreachable (state, event) pairs never produced",
				n, rowsCovered, len(Rows), rowsUnreachable, covered, pairs, len(unreach))
		})
	}
}

func guardText(r Row) string {
	if r.Require == 0 && r.Forbid == 0 {
		return ""
	}
	var parts []string
	for b := 0; b < NumGuards; b++ {
		g := Guards(1) << b
		switch {
		case r.Require&g != 0:
			parts = append(parts, g.String())
		case r.Forbid&g != 0:
			parts = append(parts, "!"+g.String())
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// ----------------------------------------------------------------------------
// The classifier sweep: every fixture, every combination of control bits,
// sequence and acknowledgment numbers at and around the edges that the
// checks of RFC 9293 section 3.10.7 compare them with, and lengths around
// the window. Each segment goes to a fresh copy of the fixture; the
// harness fails on an error row, a broken invariant or an inconsistent
// Output. The timers are swept too: a timer that is not running must be
// ignored, one that runs must step.

// sweepFixtures are the starting points of the sweep and the fuzz target:
// one per state, and the variants where different numbers are
// outstanding.
var sweepFixtures = []struct {
	name string
	make func(*ctx) *conn
}{
	{"closed", func(x *ctx) *conn { return x.closed() }},
	{"listen", func(x *ctx) *conn { return x.listen() }},
	{"syn_sent", func(x *ctx) *conn { return x.synSent() }},
	{"syn_received_passive", func(x *ctx) *conn { return x.synReceived() }},
	{"syn_received_active", func(x *ctx) *conn { return x.synReceivedActive() }},
	{"established", func(x *ctx) *conn { return x.established() }},
	{"established_text_outstanding", func(x *ctx) *conn { return x.withText() }},
	{"established_small_window", func(x *ctx) *conn { return x.established(Config{RcvWnd: 100}) }},
	{"fin_wait_1", func(x *ctx) *conn { return x.finWait1() }},
	{"fin_wait_1_text_outstanding", func(x *ctx) *conn {
		c := x.withText()
		c.close().sends(c.outFin(x.I(11), x.R(1))).state(StateFinWait1)
		return c
	}},
	{"fin_wait_1_syn_outstanding", func(x *ctx) *conn { return x.finWait1SynOutstanding() }},
	{"fin_wait_2", func(x *ctx) *conn { return x.finWait2() }},
	{"close_wait", func(x *ctx) *conn { return x.closeWait() }},
	{"close_wait_text_outstanding", func(x *ctx) *conn {
		c := x.closeWait()
		c.send(10).sends(c.outData(x.I(1), x.R(2), 10, 0)).arms(TimerRetx, c.rto(0))
		return c
	}},
	{"closing", func(x *ctx) *conn { return x.closing() }},
	{"last_ack", func(x *ctx) *conn { return x.lastAck() }},
	{"time_wait", func(x *ctx) *conn { return x.timeWait() }},
	{"time_wait_rfc1337", func(x *ctx) *conn { return x.timeWait(Config{RFC1337: true}) }},
}

// sweepFlags are the control-bit combinations of the sweep: all of SYN,
// FIN, RST and ACK.
func sweepFlags() []Flags {
	var out []Flags
	for f := 0; f < 16; f++ {
		var fl Flags
		for i, b := range []Flags{FlagSYN, FlagFIN, FlagRST, FlagACK} {
			if f&(1<<i) != 0 {
				fl |= b
			}
		}
		out = append(out, fl)
	}
	return out
}

// clone returns a copy of c that the scenario does not settle.
func (c *conn) clone() *conn {
	cp := *c
	return &cp
}

// refs returns the sequence number the fixture's receive window starts at
// and the one its send side has reached.
func refs(x *ctx, c *conn) (rcv, snd Seq) {
	rcv, snd = x.R(1), x.I(1)
	if c.e.State() != StateClosed && c.e.State() != StateListen {
		snd = c.e.SndNxt()
		if c.e.State() != StateSynSent {
			rcv = c.e.RcvNxt()
		}
	}
	return rcv, snd
}

func sweepClassifier(t *testing.T, b base, rec *recorder) {
	wnd := int(DefaultRcvWnd)
	seqOffs := []int{-1 << 31, -wnd - 1, -wnd, -11, -10, -2, -1, 0, 1, 9, 99, 100, wnd - 1, wnd, 1<<31 - 1}
	ackOffs := []int{-1 << 31, -int(peerWnd) - 12, -int(peerWnd) - 11, -int(peerWnd) - 1, -int(peerWnd), -11, -10, -2, -1, 0, 1, 2, 1 << 30}
	lens := []uint32{0, 1, 10, uint32(wnd) + 2}
	flags := sweepFlags()
	for _, fx := range sweepFixtures {
		x := &ctx{t: t, b: b, sc: scenario{name: "sweep " + fx.name, rule: "the classifier never produces a pair the table refuses"}}
		c := fx.make(x)
		c.settle()
		rcv, snd := refs(x, c)
		for _, fl := range flags {
			for _, ds := range seqOffs {
				for _, da := range ackOffs {
					for _, n := range lens {
						cc := c.clone()
						cc.x = &ctx{t: t, b: b, sc: x.sc, rec: rec}
						seg := Segment{Flags: fl, Seq: rcv + Seq(uint32(ds)), Len: n, Wnd: peerWnd}
						if fl&FlagACK != 0 {
							seg.Ack = snd + Seq(uint32(da))
						}
						cc.recv(seg).anything()
						if !cc.out.Step.Taken {
							cc.fatalf("a segment took no step")
						}
					}
				}
			}
		}
		for tm := Timer(0); tm < NumTimers; tm++ {
			cc := c.clone()
			cc.x = &ctx{t: t, b: b, sc: x.sc, rec: rec}
			if cc.running[tm] {
				cc.fire(tm).anything()
			} else {
				cc.fireStale(tm)
			}
		}
	}
}

func TestConformanceClassifierSweep(t *testing.T) {
	for _, b := range bases {
		t.Run(b.name, func(t *testing.T) {
			rec := newRecorder()
			sweepClassifier(t, b, rec)
			for p, why := range unreachablePairs(t) {
				if rec.events[p] {
					t.Errorf("the sweep produced %v %v, listed unreachable: %s", p.state, p.event, why)
				}
			}
		})
	}
}

// ----------------------------------------------------------------------------
// The fuzz target.

// fuzzInput is one input of FuzzConformanceClassifier: a fixture, a base,
// and a segment whose numbers are offsets from the fixture's RCV.NXT and
// SND.NXT.
type fuzzInput struct {
	fix, base, flags uint8
	dseq, dack       int32
	n                uint32
	wnd              uint16
}

// fuzzSeeds are the seed corpus: the segments each check of RFC 9293
// section 3.10.7 turns on, in every fixture, plus the headers of the
// FuzzParseHeader corpus (captured traffic) at the window edge.
func fuzzSeeds(t testing.TB) []fuzzInput {
	var out []fuzzInput
	for fix := range sweepFixtures {
		for _, s := range []fuzzInput{
			{flags: uint8(FlagSYN)},
			{flags: uint8(FlagSYN | FlagACK)},
			{flags: uint8(FlagACK), n: 10},
			{flags: uint8(FlagACK), dack: 1},
			{flags: uint8(FlagRST), dseq: 1},
			{flags: uint8(FlagRST | FlagACK)},
			{flags: uint8(FlagFIN | FlagACK), dseq: -1},
			{flags: uint8(FlagFIN | FlagACK), n: 5},
		} {
			s.fix, s.base, s.wnd = uint8(fix), uint8(fix%len(bases)), uint16(peerWnd)
			out = append(out, s)
		}
	}
	files, _ := filepath.Glob(filepath.Join("wire", "testdata", "fuzz", "FuzzParseHeader", "*"))
	for i, file := range files {
		b, err := readCorpusBytes(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		h, payload, err := wire.ParseHeader(b)
		if err != nil {
			continue // a malformed header: not a segment
		}
		out = append(out, fuzzInput{fix: uint8(i % len(sweepFixtures)), base: uint8(i % len(bases)),
			flags: uint8(h.Flags), n: uint32(len(payload)), wnd: h.Window})
	}
	return out
}

// readCorpusBytes reads a "go test fuzz v1" file holding one []byte.
func readCorpusBytes(file string) ([]byte, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(string(src)), "\n")
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		return nil, fmt.Errorf("not a one-value fuzz corpus file")
	}
	lit, ok := strings.CutPrefix(lines[1], "[]byte(")
	if !ok {
		return nil, fmt.Errorf("not a []byte value")
	}
	s, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
	return []byte(s), err
}

// fuzzInputs is the seed corpus and the inputs in
// testdata/fuzz/FuzzConformanceClassifier, if any.
func fuzzInputs(t testing.TB) []fuzzInput {
	out := fuzzSeeds(t)
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzConformanceClassifier", "*"))
	for _, file := range files {
		in, err := readCorpusInput(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out = append(out, in)
	}
	return out
}

// readCorpusInput reads a corpus file of FuzzConformanceClassifier.
func readCorpusInput(file string) (fuzzInput, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return fuzzInput{}, err
	}
	lines := strings.Split(strings.TrimSpace(string(src)), "\n")
	if len(lines) != 8 || lines[0] != "go test fuzz v1" {
		return fuzzInput{}, fmt.Errorf("want 7 values")
	}
	var v [7]int64
	for i, l := range lines[1:] {
		open, close := strings.IndexByte(l, '('), strings.LastIndexByte(l, ')')
		if open < 0 || close < open {
			return fuzzInput{}, fmt.Errorf("line %q", l)
		}
		if v[i], err = strconv.ParseInt(l[open+1:close], 0, 64); err != nil {
			return fuzzInput{}, err
		}
	}
	return fuzzInput{uint8(v[0]), uint8(v[1]), uint8(v[2]), int32(v[3]), int32(v[4]), uint32(v[5]), uint16(v[6])}, nil
}

// fuzzOne runs one input: the segment to the fixture, then every timer
// that runs.
func fuzzOne(t *testing.T, in fuzzInput, rec *recorder) {
	t.Helper()
	b := bases[int(in.base)%len(bases)]
	fx := sweepFixtures[int(in.fix)%len(sweepFixtures)]
	x := &ctx{t: t, b: b, sc: scenario{name: "fuzz " + fx.name, rule: "the classifier never produces a pair the table refuses"}}
	c := fx.make(x)
	c.settle()
	c.x = &ctx{t: t, b: b, sc: x.sc, rec: rec}
	rcv, snd := refs(x, c)
	seg := Segment{Flags: Flags(in.flags), Seq: rcv + Seq(uint32(in.dseq)), Len: in.n, Wnd: uint32(in.wnd)}
	if seg.Flags&FlagACK != 0 {
		seg.Ack = snd + Seq(uint32(in.dack))
	}
	c.recv(seg).anything()
	for tm := Timer(0); tm < NumTimers; tm++ {
		if c.running[tm] {
			c.clone().fire(tm).anything()
		}
	}
}

// FuzzConformanceClassifier sends one arbitrary segment, placed relative
// to the windows, to a connection in any state. The harness fails when it
// lands on an error row (a pair the classifier must never produce), breaks
// an invariant, or answers inconsistently. Run with
// go test -fuzz=FuzzConformanceClassifier ./tcpfsm/
func FuzzConformanceClassifier(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s.fix, s.base, s.flags, s.dseq, s.dack, s.n, s.wnd)
	}
	f.Fuzz(func(t *testing.T, fix, base, flags uint8, dseq, dack int32, n uint32, wnd uint16) {
		fuzzOne(t, fuzzInput{fix, base, flags, dseq, dack, n, wnd}, nil)
	})
}
