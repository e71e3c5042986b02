package tcptest

import (
	"slices"
	"strings"

	"github.com/synfin/synfin/spec"
)

// render writes m as table text that spec.Parse reads back as the same
// machine: its declarations, then one line per row, each on the line of
// its Pos if that line is still free, so that a row an edit left alone
// keeps its spec/tcp.fsm line in positions and counterexamples. Actions,
// guards and groups that no row uses any more are left out (the validator
// rejects them); a group is written as the states it holds. header
// becomes the comment block at the top.
func render(m *spec.Machine, header string) string {
	var b strings.Builder
	n := 0 // lines written
	line := func(parts ...string) {
		b.WriteString(strings.Join(parts, " "))
		b.WriteByte('\n')
		n++
	}
	for _, l := range strings.Split(header, "\n") {
		line(strings.TrimSpace("# " + l))
	}
	line()
	line("machine", m.Name)
	line(append([]string{"states"}, names(m.States, nil)...)...)
	line("initial", m.States[m.Initial].Name)
	line(append([]string{"final"}, names(m.States, m.Final)...)...)
	for i, d := range m.Events {
		line(eventDecl(m, i, d.Name))
	}

	var acts, guards uint64
	var sources []string
	for i := range m.Rows {
		r := &m.Rows[i]
		acts |= r.ActionSet()
		guards |= r.Require | r.Forbid
		sources = append(sources, r.Sources...)
	}
	for _, tm := range m.Timers {
		if tm.Arm >= 0 {
			acts |= 1 << uint(tm.Arm) // named by the timer's declaration
		}
	}
	for i, d := range m.Actions {
		if acts&(1<<uint(i)) != 0 {
			line("actions", d.Name)
		}
	}
	for i, d := range m.Guards {
		if guards&(1<<uint(i)) != 0 {
			line("guards", d.Name)
		}
	}
	for _, g := range m.Groups {
		if slices.Contains(sources, g.Name) {
			line(append([]string{"group", g.Name, "="}, names(m.States, g.States)...)...)
		}
	}
	line()
	for i := 0; i < len(m.Rows); {
		r := &m.Rows[i]
		events := []string{m.Events[r.Event].Name}
		for i++; i < len(m.Rows) && sameLine(r, &m.Rows[i]); i++ {
			events = append(events, m.Events[m.Rows[i].Event].Name)
		}
		for n+1 < r.Pos.Line {
			line()
		}
		line(rowText(m, r, strings.Join(events, ", ")))
	}
	return b.String()
}

// eventDecl declares event i, named name, by the keyword of its kind,
// with its arming action if it is a timer that has one.
func eventDecl(m *spec.Machine, i int, name string) string {
	switch m.EventKind(i) {
	case spec.Call:
		return "calls " + name
	case spec.Timeout:
		for _, tm := range m.Timers {
			if tm.Event == i && tm.Arm >= 0 {
				return "timers " + name + " : " + m.Actions[tm.Arm].Name
			}
		}
		return "timers " + name
	}
	return "events " + name
}

// names returns the names of decls at the indexes idx, or of all of them
// if idx is nil.
func names(decls []spec.Decl, idx []int) []string {
	var out []string
	for i, d := range decls {
		if idx == nil || slices.Contains(idx, i) {
			out = append(out, d.Name)
		}
	}
	return out
}

// sameLine reports whether r and q come from one line that lists several
// events, and say the same apart from the event: they are written as one
// line again.
func sameLine(r, q *spec.Row) bool {
	return r.Pos.Line > 0 && q.Pos == r.Pos && slices.Equal(q.Sources, r.Sources) && q.Require == r.Require &&
		q.Forbid == r.Forbid && q.Outcome == r.Outcome && q.To == r.To && slices.Equal(q.Actions, r.Actions) && q.Ref == r.Ref
}

// rowText writes r in the table language, for events (one or several, as
// a table lists them).
func rowText(m *spec.Machine, r *spec.Row, events string) string {
	parts := []string{strings.Join(r.Sources, ", "), events}
	if g := m.GuardString(r.Require, r.Forbid); g != "" {
		parts = append(parts, g)
	}
	switch r.Outcome {
	case spec.Goto:
		parts = append(parts, "->", m.States[r.To].Name)
	default:
		parts = append(parts, r.Outcome.String())
	}
	if len(r.Actions) > 0 {
		parts = append(parts, ":")
		for _, a := range r.Actions {
			parts = append(parts, m.Actions[a].Name)
		}
	}
	if r.Ref != "" {
		parts = append(parts, "@", r.Ref)
	}
	return strings.Join(parts, " ")
}
