package tcptest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/synfin/synfin/spec"
)

// parseRow reads one row written in the table language, "SOURCES EVENTS
// [GUARDS] OUTCOME [: ACTIONS] [@ REFERENCE]", with the names declared in
// m: one spec.Row per event, as spec.Parse makes them. It checks names
// and the shape of the line only; the edited table is parsed again as a
// whole, which checks everything else.
func parseRow(m *spec.Machine, text string) ([]spec.Row, error) {
	head, ref, _ := strings.Cut(text, "@")
	head, acts, _ := strings.Cut(head, ":")
	r := spec.Row{To: -1, Ref: strings.TrimSpace(ref)}
	for _, a := range strings.Fields(acts) {
		i := m.ActionIndex(a)
		if i < 0 {
			return nil, fmt.Errorf("row %q: unknown action %q", text, a)
		}
		r.Actions = append(r.Actions, i)
	}
	f := strings.Fields(strings.NewReplacer(",", " , ", "[", " [ ", "]", " ] ", "->", " -> ").Replace(head))
	bad := func(what string) ([]spec.Row, error) { return nil, fmt.Errorf("row %q: expected %s", text, what) }
	// list reads "name , name , ..." from f.
	list := func() []string {
		var names []string
		for len(f) > 0 {
			names, f = append(names, f[0]), f[1:]
			if len(f) == 0 || f[0] != "," {
				break
			}
			f = f[1:]
		}
		return names
	}
	for _, src := range list() {
		states, ok := sourceStates(m, src)
		if !ok {
			return nil, fmt.Errorf("row %q: unknown state or group %q", text, src)
		}
		r.Sources = append(r.Sources, src)
		for _, s := range states {
			if !slices.Contains(r.From, s) {
				r.From = append(r.From, s)
			}
		}
	}
	slices.Sort(r.From)
	var events []int
	for _, name := range list() {
		ev := m.EventIndex(name)
		if ev < 0 {
			return nil, fmt.Errorf("row %q: unknown event %q", text, name)
		}
		events = append(events, ev)
	}
	if len(f) > 0 && f[0] == "[" {
		end := slices.Index(f, "]")
		if end < 0 {
			return bad(`"]" after the guards`)
		}
		var err error
		if r.Require, r.Forbid, err = parseGuards(m, strings.Join(f[:end+1], " ")); err != nil {
			return nil, err
		}
		f = f[end+1:]
	}
	var ok bool
	if r.Outcome, r.To, ok = parseOutcome(m, f); !ok {
		return bad(`an outcome ("-> STATE", stay, ignore or error) after the event and guards`)
	}
	if len(r.From) == 0 || len(events) == 0 {
		return bad("source states and an event")
	}
	var rows []spec.Row
	for _, ev := range events {
		row := r
		row.Event = ev
		rows = append(rows, row)
	}
	return rows, nil
}

// parseOutcome reads the fields of a row's outcome: "-> STATE", stay,
// ignore or error, and the target state (-1 but for "->").
func parseOutcome(m *spec.Machine, f []string) (spec.Outcome, int, bool) {
	switch {
	case len(f) == 2 && f[0] == "->" && m.StateIndex(f[1]) >= 0:
		return spec.Goto, m.StateIndex(f[1]), true
	case len(f) == 1 && f[0] == "stay":
		return spec.Stay, -1, true
	case len(f) == 1 && f[0] == "ignore":
		return spec.Ignore, -1, true
	case len(f) == 1 && f[0] == "error":
		return spec.Reject, -1, true
	}
	return 0, -1, false
}

// sourceStates resolves a row source: a state or a group.
func sourceStates(m *spec.Machine, name string) ([]int, bool) {
	if s := m.StateIndex(name); s >= 0 {
		return []int{s}, true
	}
	if g := groupIndex(m, name); g >= 0 {
		return m.Groups[g].States, true
	}
	return nil, false
}

// parseGuards reads a guard condition written as in a table, "[passive,
// !rfc1337]", or "" for none, as the guards it requires and forbids.
func parseGuards(m *spec.Machine, cond string) (require, forbid uint64, err error) {
	inner := strings.TrimSpace(cond)
	if inner == "" {
		return 0, 0, nil
	}
	if !strings.HasPrefix(inner, "[") || !strings.HasSuffix(inner, "]") {
		return 0, 0, fmt.Errorf("guards %q: expected [guard, !guard, ...]", cond)
	}
	for _, lit := range strings.Split(inner[1:len(inner)-1], ",") {
		lit = strings.TrimSpace(lit)
		name, not := strings.CutPrefix(lit, "!")
		g := m.GuardIndex(strings.TrimSpace(name))
		if g < 0 {
			return 0, 0, fmt.Errorf("guards %q: unknown guard %q", cond, name)
		}
		if not {
			forbid |= 1 << uint(g)
		} else {
			require |= 1 << uint(g)
		}
	}
	return require, forbid, nil
}
