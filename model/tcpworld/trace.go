package tcpworld

import (
	"fmt"
	"strings"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/variant"
)

// Trace is a run of the world told step by step: the data behind a
// message sequence chart, and what tcpcheck -json prints. Its JSON form
// is stable: fields are added, never renamed or removed.
type Trace struct {
	// Steps[0] is the initial state (no action); Steps[i] is the state
	// after the i-th action.
	Steps []TraceStep `json:"steps"`
	// CycleStart is -1 for a finite run. For a lasso (a liveness
	// counterexample), Steps[CycleStart+1:] are the cycle: the run goes
	// round them for ever, each time back to the state of
	// Steps[CycleStart].
	CycleStart int `json:"cycle_start"`
}

// TraceStep is one step of a Trace.
type TraceStep struct {
	Step int `json:"step"`
	// Action is what happened; nil for the initial state.
	Action *TraceAction `json:"action"`
	// Segment is the segment a network action delivered or copied.
	Segment *TraceSegment `json:"segment,omitempty"`
	// Table is the table step of the endpoint that was called, if any.
	Table *TraceTable `json:"table,omitempty"`
	// Tell is what the endpoint told its application: "established",
	// "data", "eof", "reset", "refused", "closed", "timeout".
	Tell []string `json:"tell,omitempty"`
	// Data is the receive-stream range reported with "data".
	Data *TraceRange `json:"data,omitempty"`
	// Refused: an application's call the endpoint refused, which still
	// changed something.
	Refused bool `json:"refused,omitempty"`
	// Sent are the segments the step put in flight; Lost the ones it
	// sent that the network lost; Overflow the ones a full network
	// dropped.
	Sent     []TraceSegment `json:"sent,omitempty"`
	Lost     []TraceSegment `json:"lost,omitempty"`
	Overflow []TraceSegment `json:"overflow,omitempty"`
	// A and B are the two sides after the step; InFlight the network.
	A        TraceSide      `json:"a"`
	B        TraceSide      `json:"b"`
	InFlight []TraceSegment `json:"in_flight"`
	// Fault is set on the step that found a fault ("B: a segment or
	// timer reached an error row"); Invariant on a state whose endpoint
	// invariants are broken.
	Fault     string `json:"fault,omitempty"`
	Invariant string `json:"invariant,omitempty"`
}

// TraceAction is an Action in a Trace.
type TraceAction struct {
	// Kind is "open-active", "open-passive", "send", "close", "abort",
	// "call", "timeout", "deliver" or "duplicate".
	Kind string `json:"kind"`
	// Side is the application or endpoint that acts ("A" or "B"); for a
	// network action, the side the segment is bound for.
	Side string `json:"side"`
	// Timer is "retransmission", "TIME-WAIT" or "FIN-WAIT-2" for a
	// timeout.
	Timer string `json:"timer,omitempty"`
	// Call is the event of a call the table adds (kind "call").
	Call string `json:"call,omitempty"`
	// Bytes is the size of a SEND.
	Bytes int `json:"bytes,omitempty"`
	// Incarnation and ISS are those of the connection an OPEN starts, in
	// a world with more than one incarnation (Config.Incarnations).
	Incarnation int    `json:"incarnation,omitempty"`
	ISS         uint32 `json:"iss,omitempty"`
	// Text describes the action in words.
	Text string `json:"text"`
}

// TraceSegment is a segment in a Trace.
type TraceSegment struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Flags string `json:"flags"` // as tcpfsm.Flags.String: "SYN|ACK"
	Seq   uint32 `json:"seq"`
	Ack   uint32 `json:"ack"` // meaningful when Flags has ACK
	Len   uint32 `json:"len"`
	Wnd   uint32 `json:"wnd"`
	// Incarnation is the sender's incarnation, in a world with more than
	// one (Config.Incarnations): 1 for its first connection.
	Incarnation int `json:"incarnation,omitempty"`
}

// TraceTable is the table step an endpoint took.
type TraceTable struct {
	Endpoint string `json:"endpoint"`
	From     string `json:"from"`
	Event    string `json:"event"`
	Guards   string `json:"guards,omitempty"`
	To       string `json:"to"`
	Actions  string `json:"actions,omitempty"`
	OK       bool   `json:"ok"`
	// Row is where the deciding row is written, "tcp.fsm:251" (the
	// variant's file for a variant table); empty if no row decided.
	Row string `json:"row,omitempty"`
}

// TraceRange is a stretch of a byte stream.
type TraceRange struct {
	Off uint64 `json:"off"`
	Len uint32 `json:"len"`
}

// TraceSide is an endpoint and its application after a step.
type TraceSide struct {
	State  string   `json:"state"`
	SndUna uint32   `json:"snd_una"`
	SndNxt uint32   `json:"snd_nxt"`
	RcvNxt uint32   `json:"rcv_nxt"`
	Timers []string `json:"timers,omitempty"` // armed timers
	// The application: "idle" (not yet opened), "open", "closed" (CLOSE
	// accepted), "done" (the endpoint is CLOSED again).
	App       string `json:"app"`
	Sent      int    `json:"sent"`
	Delivered int    `json:"delivered"`
	EOF       bool   `json:"eof,omitempty"`
	Cut       bool   `json:"cut,omitempty"`
}

// Trace replays p, a path of the world (a counterexample or an example
// from model.Check), and tells each step. It fails if the path does not
// replay to the states it records.
func (s *System) Trace(p *model.Path[World]) (*Trace, error) {
	acts := make([]Action, 0, len(p.Steps)+len(p.Cycle))
	for _, st := range p.Steps {
		acts = append(acts, ActionOf(st.Action))
	}
	for _, st := range p.Cycle {
		acts = append(acts, ActionOf(st.Action))
	}
	t, err := s.traceOf(p.Init, acts)
	if err != nil {
		return nil, err
	}
	want := p.States()
	for _, st := range p.Cycle {
		want = append(want, st.State)
	}
	for i, w := range want {
		if t.world[i] != w {
			return nil, fmt.Errorf("tcpworld: step %d of the path does not replay to its state", i)
		}
	}
	if len(p.Cycle) > 0 {
		t.CycleStart = len(p.Steps)
	}
	return &t.Trace, nil
}

type traced struct {
	Trace
	world []World
}

// TraceOf performs actions one after another from init and tells each
// step: for a property test that drives the world itself.
func (s *System) TraceOf(init World, actions []Action) (*Trace, error) {
	t, err := s.traceOf(init, actions)
	if err != nil {
		return nil, err
	}
	return &t.Trace, nil
}

func (s *System) traceOf(init World, actions []Action) (*traced, error) {
	t := &traced{Trace: Trace{CycleStart: -1}}
	w := init
	t.add(s, 0, w, nil)
	for i, a := range actions {
		next, rep, err := s.Step(w, a)
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", i+1, err)
		}
		t.add(s, i+1, next, &rep)
		w = next
	}
	return t, nil
}

func (t *traced) add(s *System, i int, w World, rep *Report) {
	st := TraceStep{Step: i, A: traceSide(&w, A), B: traceSide(&w, B), InFlight: []TraceSegment{}}
	for _, g := range s.InFlight(w) {
		st.InFlight = append(st.InFlight, traceSegment(g))
	}
	if err := w.InvariantError(); err != nil {
		st.Invariant = err.Error()
	}
	if rep != nil {
		a := rep.Action
		st.Action = &TraceAction{Kind: a.Kind.String(), Side: a.Side.String(), Text: s.describe(rep)}
		if a.Kind == Timeout {
			st.Action.Timer = a.Timer.String()
		}
		if a.Kind == Call {
			st.Action.Call = a.Event.String()
		}
		if (a.Kind == OpenActive || a.Kind == OpenPassive) && s.cfg.Incarnations > 1 {
			st.Action.Incarnation, st.Action.ISS = w.Incarnation(a.Side), uint32(w.iss[a.Side])
		}
		if a.Kind == Send {
			st.Action.Bytes = w.app[a.Side].Sent() - t.world[len(t.world)-1].app[a.Side].Sent()
		}
		if a.Kind.Network() {
			g := traceSegment(rep.Segment)
			st.Segment = &g
		}
		if rep.Step.Taken {
			st.Table = s.traceTable(rep)
		}
		st.Tell = tellNames(rep.Tell)
		if rep.Tell&tcpfsm.TellData != 0 {
			st.Data = &TraceRange{Off: rep.Data.Off, Len: rep.Data.Len}
		}
		st.Refused = rep.Refused
		for _, g := range rep.Sent {
			st.Sent = append(st.Sent, traceSegment(g))
		}
		for _, g := range rep.Lost {
			st.Lost = append(st.Lost, traceSegment(g))
		}
		for _, g := range rep.Overflow {
			st.Overflow = append(st.Overflow, traceSegment(g))
		}
		prev := &t.world[len(t.world)-1]
		if f, side := w.Fault(); f != NoFault && prev.fault == NoFault {
			st.Fault = side.String() + ": " + f.String()
		}
	}
	t.Steps = append(t.Steps, st)
	t.world = append(t.world, w)
}

// describe says what the action of rep did, in words.
func (s *System) describe(rep *Report) string {
	a := rep.Action
	switch a.Kind {
	case OpenActive:
		return a.Side.String() + ": OPEN (active)"
	case OpenPassive:
		return a.Side.String() + ": OPEN (passive)"
	case Send:
		return a.Side.String() + ": SEND"
	case Close:
		return a.Side.String() + ": CLOSE"
	case Abort:
		return a.Side.String() + ": ABORT"
	case Timeout:
		return fmt.Sprintf("%v: %v timer runs out", a.Side, a.Timer)
	case Call:
		return fmt.Sprintf("%v: call %v", a.Side, a.Event)
	case Deliver:
		return fmt.Sprintf("%v delivered to %v", rep.Segment, a.Side)
	case Duplicate:
		return fmt.Sprintf("%v duplicated on the way to %v", rep.Segment, a.Side)
	case Read:
		return a.Side.String() + ": reads received data"
	case Inject:
		return fmt.Sprintf("%v crafted and injected toward %v", rep.Segment, a.Side)
	}
	return a.String()
}

func (s *System) traceTable(rep *Report) *TraceTable {
	st := rep.Step
	tt := &TraceTable{
		Endpoint: rep.Stepped.String(),
		From:     st.From.String(),
		Event:    st.Event.String(),
		Guards:   st.Guards.String(),
		To:       st.To.String(),
		Actions:  st.Actions.String(),
		OK:       st.OK,
	}
	tt.Row = s.rowRef(st.Row)
	return tt
}

// rowRef is "file:line" of a row of the world's table, or "".
func (s *System) rowRef(row int) string {
	if row < 0 {
		return ""
	}
	if t := s.cfg.Table; t != nil {
		m := variant.Machine(t)
		if row < len(m.Rows) {
			p := m.Rows[row].Pos
			return fmt.Sprintf("%s:%d", p.File, p.Line)
		}
		return ""
	}
	if row < len(tcpfsm.Rows) {
		return fmt.Sprintf("tcp.fsm:%d", tcpfsm.Rows[row].Line)
	}
	return ""
}

var tellBits = []struct {
	bit  tcpfsm.Tell
	name string
}{
	{tcpfsm.TellEstablished, "established"},
	{tcpfsm.TellData, "data"},
	{tcpfsm.TellEOF, "eof"},
	{tcpfsm.TellReset, "reset"},
	{tcpfsm.TellRefused, "refused"},
	{tcpfsm.TellClosed, "closed"},
	{tcpfsm.TellTimeout, "timeout"},
}

func tellNames(t tcpfsm.Tell) []string {
	var out []string
	for _, b := range tellBits {
		if t&b.bit != 0 {
			out = append(out, b.name)
		}
	}
	return out
}

func traceSegment(g Segment) TraceSegment {
	return TraceSegment{
		From: g.From.String(), To: g.From.Peer().String(),
		Flags: g.Flags.String(), Seq: uint32(g.Seq), Ack: uint32(g.Ack), Len: g.Len, Wnd: g.Wnd,
		Incarnation: g.Incarnation,
	}
}

func traceSide(w *World, s Side) TraceSide {
	e := &w.ep[s]
	app := w.app[s]
	ts := TraceSide{
		State:     e.State().String(),
		SndUna:    uint32(e.SndUna()),
		SndNxt:    uint32(e.SndNxt()),
		RcvNxt:    uint32(e.RcvNxt()),
		Sent:      app.Sent(),
		Delivered: app.Delivered(),
		EOF:       app.EOF(),
		Cut:       app.Cut(),
	}
	for tm := tcpfsm.Timer(0); tm < tcpfsm.NumTimers; tm++ {
		if e.Armed(tm) {
			ts.Timers = append(ts.Timers, tm.String())
		}
	}
	switch {
	case !app.Opened():
		ts.App = "idle"
	case e.State() == tcpfsm.StateClosed:
		ts.App = "done"
	case app.Closed():
		ts.App = "closed"
	default:
		ts.App = "open"
	}
	return ts
}

// String is the label of a segment in a chart: "SYN|ACK seq=300
// ack=101 len=1", after its sender's incarnation ("B#2 SYN|ACK ...") in a
// world with more than one.
func (g TraceSegment) String() string {
	var b strings.Builder
	if g.Incarnation > 0 {
		fmt.Fprintf(&b, "%s#%d ", g.From, g.Incarnation)
	}
	fmt.Fprintf(&b, "%s seq=%d", g.Flags, g.Seq)
	if strings.Contains(g.Flags, "ACK") {
		fmt.Fprintf(&b, " ack=%d", g.Ack)
	}
	if g.Len > 0 {
		fmt.Fprintf(&b, " len=%d", g.Len)
	}
	return b.String()
}
