package gen

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/synfin/synfin/spec"
)

// An edge is one arrow of a diagram: every row that leads from one state
// to another (or back to itself), merged into one label of several lines.
type edge struct {
	from, to int
	lines    []*edgeLine
}

// An edgeLine is one line of an edge's label: the events of the rows that
// share a guard condition, an outcome and actions.
type edgeLine struct {
	events []string
	rest   string // " [guards] error / actions"
}

func (l *edgeLine) String() string { return strings.Join(l.events, ", ") + l.rest }

// edges lists the arrows of m's diagram, ordered by source state, then
// target state. Group rows are expanded to every state they cover. Goto
// rows are arrows; stay and error rows are self loops only when they have
// actions, since a loop that does nothing only clutters the picture;
// ignore rows are left out.
func edges(m *spec.Machine) []*edge {
	byPair := make(map[[2]int]*edge)
	var out []*edge
	for i := range m.Rows {
		r := &m.Rows[i]
		if r.Outcome == spec.Ignore || r.Outcome != spec.Goto && len(r.Actions) == 0 {
			continue
		}
		rest := ""
		if g := m.GuardString(r.Require, r.Forbid); g != "" {
			rest += " " + g
		}
		if r.Outcome == spec.Reject {
			rest += " error"
		}
		if len(r.Actions) > 0 {
			names := make([]string, len(r.Actions))
			for j, a := range r.Actions {
				names[j] = m.Actions[a].Name
			}
			rest += " / " + strings.Join(names, ", ")
		}
		event := m.Events[r.Event].Name
		for _, s := range r.From {
			to := s
			if r.Outcome == spec.Goto {
				to = r.To
			}
			e := byPair[[2]int{s, to}]
			if e == nil {
				e = &edge{from: s, to: to}
				byPair[[2]int{s, to}] = e
				out = append(out, e)
			}
			e.add(event, rest)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].from != out[j].from {
			return out[i].from < out[j].from
		}
		return out[i].to < out[j].to
	})
	return out
}

func (e *edge) add(event, rest string) {
	for _, l := range e.lines {
		if l.rest == rest {
			for _, ev := range l.events {
				if ev == event {
					return
				}
			}
			l.events = append(l.events, event)
			return
		}
	}
	e.lines = append(e.lines, &edgeLine{events: []string{event}, rest: rest})
}

func (e *edge) label(sep string) string {
	parts := make([]string, len(e.lines))
	for i, l := range e.lines {
		parts[i] = l.String()
	}
	return strings.Join(parts, sep)
}

// dotQuote quotes s as a DOT string.
func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// Dot returns a Graphviz digraph of m: one node per state, a point with an
// arrow into the initial state, final states drawn as double circles, and
// one arrow per pair of states that some row connects, labelled with a
// line "event [guards] / actions" per row (rows alike but for the event
// share a line, "e1, e2 / actions"; error rows read "event error /
// actions"). Group rows are drawn for every state of the group. Ignore
// rows are not drawn, and stay and error rows only when they have actions,
// as self loops. The output is the same for the same machine; render it
// with "dot -Tsvg".
func Dot(m *spec.Machine) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n\n", header(sourceName(m), "-format dot"))
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(m.Name))
	b.WriteString("\trankdir=LR;\n")
	b.WriteString("\tnode [shape=circle];\n")
	// No state name starts with "_", so the start point cannot clash.
	b.WriteString("\t\"_start\" [shape=point];\n")
	if m.Initial >= 0 && m.Initial < len(m.States) {
		fmt.Fprintf(&b, "\t\"_start\" -> %s;\n", dotQuote(m.States[m.Initial].Name))
	}
	for i, s := range m.States {
		if m.IsFinal(i) {
			fmt.Fprintf(&b, "\t%s [shape=doublecircle];\n", dotQuote(s.Name))
		} else {
			fmt.Fprintf(&b, "\t%s;\n", dotQuote(s.Name))
		}
	}
	for _, e := range edges(m) {
		fmt.Fprintf(&b, "\t%s -> %s [label=%s];\n",
			dotQuote(m.States[e.from].Name), dotQuote(m.States[e.to].Name), dotQuote(e.label("\n")))
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// mermaidIDs gives each state an identifier for Mermaid: "s" and its
// number. Table names may contain "-", which Mermaid does not accept in
// identifiers, and may be Mermaid keywords; the table spelling is shown
// through a "state "NAME" as ID" declaration instead.
func mermaidIDs(m *spec.Machine) []string {
	ids := make([]string, len(m.States))
	for i := range m.States {
		ids[i] = fmt.Sprintf("s%d", i)
	}
	return ids
}

// Mermaid returns a Mermaid state diagram (stateDiagram-v2) of m, with the
// same arrows and labels as Dot: a [*] start arrow into the initial state,
// an arrow from each final state to [*], and one arrow per pair of states
// with one label line per row (lines are separated by <br/>). Mermaid
// identifiers are s0, s1, ... in state order; each is declared with its
// table spelling. The output is the same for the same machine.
func Mermaid(m *spec.Machine) []byte {
	ids := mermaidIDs(m)
	var b bytes.Buffer
	b.WriteString("stateDiagram-v2\n")
	fmt.Fprintf(&b, "    %%%% %s\n", header(sourceName(m), "-format mermaid"))
	b.WriteString("    direction LR\n")
	for i, s := range m.States {
		fmt.Fprintf(&b, "    state %q as %s\n", s.Name, ids[i])
	}
	if m.Initial >= 0 && m.Initial < len(m.States) {
		fmt.Fprintf(&b, "    [*] --> %s\n", ids[m.Initial])
	}
	for _, e := range edges(m) {
		fmt.Fprintf(&b, "    %s --> %s: %s\n", ids[e.from], ids[e.to], e.label("<br/>"))
	}
	for _, f := range m.Final {
		if f >= 0 && f < len(m.States) {
			fmt.Fprintf(&b, "    %s --> [*]\n", ids[f])
		}
	}
	return b.Bytes()
}
