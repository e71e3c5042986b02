package tcpworld

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// ChartOptions tune WriteChart.
type ChartOptions struct {
	// ASCII draws with ASCII only ("-", ">", "x") instead of box-drawing
	// characters and arrowheads.
	ASCII bool
	// Width is the width of the middle column, where segments travel;
	// 0 means 64.
	Width int
}

type glyphs struct {
	line, bar, right, left, openRight, openLeft, lost, to string
}

var (
	unicodeGlyphs = glyphs{line: "─", bar: "│", right: "▶", left: "◀", openRight: "▷", openLeft: "◁", lost: "✗", to: "→"}
	asciiGlyphs   = glyphs{line: "-", bar: "|", right: ">", left: "<", openRight: ">", openLeft: "<", lost: "x", to: "->"}
)

// WriteChart writes t as a message sequence chart: one row per step,
// endpoint A's state on the left, B's on the right, and between them what
// happened. A segment delivered is an arrow across the whole middle
// (A ──SYN seq=100──▶ B); a segment sent goes out from its sender with an
// open head (──SYN seq=100──▷, "in flight"); a loss ends in a cross, a
// duplication is marked, timers and application calls are written on
// their side. To the right of B, the table step the endpoint took (event,
// old and new state, the row's file:line) and what it told its
// application. A lasso's cycle is framed by "cycle starts here" and
// "back to step N" rules; faults and broken invariants are written under
// the step that shows them.
//
//	step  A            │                                                                │ B
//	   0  CLOSED       │                                                                │ CLOSED
//	   1  SYN-SENT     │ OPEN (active)                                                  │ CLOSED        open-active: CLOSED → SYN-SENT (tcp.fsm:230)
//	                   │ ──SYN seq=100──▷                                               │
func (t *Trace) WriteChart(out io.Writer, opt ChartOptions) error {
	g := unicodeGlyphs
	if opt.ASCII {
		g = asciiGlyphs
	}
	width := opt.Width
	if width <= 0 {
		width = 64
	}
	c := chart{g: g, width: width}
	c.row("step", "A", "", "B", "")
	for i, st := range t.Steps {
		if t.CycleStart >= 0 && i == t.CycleStart+1 {
			c.rule(fmt.Sprintf(" cycle starts here (after step %d) ", t.CycleStart))
		}
		c.step(&st)
	}
	if t.CycleStart >= 0 {
		c.rule(fmt.Sprintf(" back to step %d: the cycle repeats for ever ", t.CycleStart))
	}
	_, err := io.WriteString(out, c.b.String())
	return err
}

// Chart returns the chart WriteChart writes.
func (t *Trace) Chart(opt ChartOptions) string {
	var b strings.Builder
	t.WriteChart(&b, opt)
	return b.String()
}

type chart struct {
	g     glyphs
	width int
	b     strings.Builder
}

const stateWidth = 12 // "SYN-RECEIVED"

func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

func padLeft(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return strings.Repeat(" ", n-k) + s
	}
	return s
}

// row writes one line: step, A's state, the middle, B's state, a note.
func (c *chart) row(step, a, mid, b, note string) {
	line := fmt.Sprintf("%4s  %s %s %s %s %s", step, pad(a, stateWidth), c.g.bar, pad(mid, c.width), c.g.bar, b)
	if note != "" {
		line = pad(line, 4+2+stateWidth+3+c.width+3+stateWidth) + "  " + note
	}
	c.b.WriteString(strings.TrimRight(line, " "))
	c.b.WriteByte('\n')
}

func (c *chart) rule(text string) {
	total := 4 + 2 + stateWidth + 3 + c.width + 3 + stateWidth
	n := total - utf8.RuneCountInString(text)
	left := max(n/2, 2)
	right := max(n-left, 2)
	c.b.WriteString(strings.Repeat(c.g.line, left) + text + strings.Repeat(c.g.line, right) + "\n")
}

// arrow draws a segment from one side: across the whole middle when full,
// else just as long as its label.
func (c *chart) arrow(from Side, label string, full bool, head string) string {
	body := c.g.line + c.g.line + label + c.g.line + c.g.line
	if full {
		if k := utf8.RuneCountInString(body) + 1; k < c.width {
			body += strings.Repeat(c.g.line, c.width-k)
		}
	}
	if from == A {
		return body + head
	}
	return head + body
}

// side places text against the lifeline of s.
func (c *chart) side(s Side, text string) string {
	if s == A {
		return text
	}
	return padLeft(text, c.width)
}

func (c *chart) step(st *TraceStep) {
	a, b := st.A.State, st.B.State
	num := fmt.Sprint(st.Step)
	if st.Action == nil {
		c.row(num, a, "", b, "")
		c.notes(st)
		return
	}
	act := st.Action
	side := A
	if act.Side == "B" {
		side = B
	}
	var mid string
	switch act.Kind {
	case "open-active":
		mid = c.side(side, "OPEN (active)"+opened(act))
	case "open-passive":
		mid = c.side(side, "OPEN (passive)"+opened(act))
	case "send":
		mid = c.side(side, fmt.Sprintf("SEND %d byte%s", act.Bytes, plural(act.Bytes)))
	case "close":
		mid = c.side(side, "CLOSE")
	case "abort":
		mid = c.side(side, "ABORT")
	case "timeout":
		mid = c.side(side, "timer: "+act.Timer+" runs out")
	case "read":
		mid = c.side(side, "READ")
	case "inject":
		mid = c.side(side, "crafted: "+st.Segment.String())
	case "deliver", "duplicate":
		from := side.Peer()
		label := st.Segment.String()
		switch act.Kind {
		case "deliver":
			head := c.g.right
			if from == B {
				head = c.g.left
			}
			mid = c.arrow(from, label, true, head)
		case "duplicate":
			if from == A {
				mid = c.arrow(from, label, false, c.g.openRight+c.g.openRight+" duplicated")
			} else {
				mid = c.side(B, c.arrow(from, label, false, "duplicated "+c.g.openLeft+c.g.openLeft))
			}
		}
	}
	c.row(num, a, mid, b, c.tableNote(st))
	c.notes(st)
}

// notes writes the lines under a step: segments sent, segments the full
// network dropped, what the application was told, faults.
func (c *chart) notes(st *TraceStep) {
	for _, g := range st.Sent {
		c.row("", "", c.sent(g, "", ""), "", "")
	}
	for _, g := range st.Lost {
		c.row("", "", c.sent(g, c.g.lost, " lost"), "", "")
	}
	for _, g := range st.Overflow {
		c.row("", "", c.sent(g, c.g.lost, " dropped: network full"), "", "")
	}
	if len(st.Tell) > 0 && st.Table != nil {
		tell := strings.Join(st.Tell, ", ")
		if st.Data != nil {
			tell = strings.Replace(tell, "data", fmt.Sprintf("data [%d, %d)", st.Data.Off, st.Data.Off+uint64(st.Data.Len)), 1)
		}
		c.row("", "", "", "", st.Table.Endpoint+" tells its application: "+tell)
	}
	if st.Refused {
		c.row("", "", "", "", "the call was refused (error row), yet the endpoint changed")
	}
	if st.Fault != "" {
		c.row("", "", "", "", "FAULT "+st.Fault)
	}
	if st.Invariant != "" {
		c.row("", "", "", "", "INVARIANT BROKEN "+st.Invariant)
	}
}

// sent draws a segment leaving its sender: with an open head while in
// flight, or ending in mark (a cross) and a note.
func (c *chart) sent(g TraceSegment, mark, note string) string {
	if g.From == "A" {
		if mark == "" {
			mark = c.g.openRight
		}
		return c.arrow(A, g.String(), false, mark) + note
	}
	if mark == "" {
		mark = c.g.openLeft
	}
	return c.side(B, strings.TrimPrefix(note, " ")+" "+c.arrow(B, g.String(), false, mark))
}

func (c *chart) tableNote(st *TraceStep) string {
	t := st.Table
	if t == nil {
		return ""
	}
	s := t.Endpoint + " " + t.Event
	if t.Guards != "" {
		s += " [" + t.Guards + "]"
	}
	s += ": " + t.From
	if t.To != t.From {
		s += " " + c.g.to + " " + t.To
	}
	if !t.OK {
		s += " ERROR ROW"
	}
	if t.Row != "" {
		s += " (" + t.Row + ")"
	}
	return s
}

// opened names the incarnation and ISS an OPEN starts, when the trace
// has them: " as A#2, ISS 1000".
func opened(act *TraceAction) string {
	if act.Incarnation == 0 {
		return ""
	}
	return fmt.Sprintf(" as %s#%d, ISS %d", act.Side, act.Incarnation, act.ISS)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
