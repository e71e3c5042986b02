package tcptest

import (
	"fmt"
	"slices"

	"github.com/synfin/synfin/spec"
)

// An Edit changes the rows of a table. Its String says what it does, in
// the words a reviewer of the table would use.
type Edit struct {
	desc string
	// state and event name the pair the edit changes; empty for an edit
	// that changes no decision or adds a new event.
	state, event string
	apply        func(m *spec.Machine) error
}

func (e Edit) String() string { return e.desc }

// Replace replaces the rows that decide event in state under guards
// (written as in a table, "[!exhausted]"; "" for every guard combination)
// with rows, written in the table language. A row that also covers other
// states keeps them; a row that decides the pair also outside guards is an
// error, since replacing it would change more than the edit says.
func Replace(state, event, guards string, rows ...string) Edit {
	desc := fmt.Sprintf("replace the rows deciding %s with %q", pair(state, event, guards), rows)
	return Edit{desc, state, event, func(m *spec.Machine) error {
		s, matched, err := deciding(m, state, event, guards)
		if err != nil {
			return err
		}
		var repl []spec.Row
		for _, text := range rows {
			rs, err := parseRow(m, text)
			if err != nil {
				return err
			}
			repl = append(repl, rs...)
		}
		first := true
		m.Rows = rewrite(m, s, matched, func(spec.Row) []spec.Row {
			if !first {
				return nil
			}
			first = false
			return repl
		})
		return nil
	}}
}

// RemoveAction removes action from the rows that decide event in state
// under guards ("" for every guard combination). A row that also covers
// other states keeps the action for them.
func RemoveAction(state, event, guards, action string) Edit {
	desc := fmt.Sprintf("remove action %s from the rows deciding %s", action, pair(state, event, guards))
	return Edit{desc, state, event, func(m *spec.Machine) error {
		s, matched, err := deciding(m, state, event, guards)
		if err != nil {
			return err
		}
		a := m.ActionIndex(action)
		for _, i := range matched {
			if !slices.Contains(m.Rows[i].Actions, a) {
				return fmt.Errorf("the row at %v does not perform %s", m.Rows[i].Pos, action)
			}
		}
		m.Rows = rewrite(m, s, matched, func(r spec.Row) []spec.Row {
			r.Sources, r.From = []string{state}, []int{s}
			r.Actions = slices.DeleteFunc(slices.Clone(r.Actions), func(x int) bool { return x == a })
			return []spec.Row{r}
		})
		return nil
	}}
}

// ReverseRows puts the rows in reverse order. In a valid table exactly one
// row decides each case, so the order means nothing.
func ReverseRows() Edit {
	return Edit{"reverse the order of the rows", "", "", func(m *spec.Machine) error {
		slices.Reverse(m.Rows)
		return nil
	}}
}

// AddEvent declares a new event, decided by rows.
func AddEvent(event string, rows ...string) Edit {
	desc := fmt.Sprintf("declare event %s, decided by %q", event, rows)
	return Edit{desc, "", "", func(m *spec.Machine) error {
		if m.EventIndex(event) >= 0 {
			return fmt.Errorf("event %s is declared already", event)
		}
		m.Events = append(m.Events, spec.Decl{Name: event})
		m.Kinds = append(m.Kinds, spec.Input)
		for _, text := range rows {
			rs, err := parseRow(m, text)
			if err != nil {
				return err
			}
			m.Rows = append(m.Rows, rs...)
		}
		return nil
	}}
}

func pair(state, event, guards string) string {
	if guards == "" {
		return fmt.Sprintf("(%s, %s)", state, event)
	}
	return fmt.Sprintf("(%s, %s, %s)", state, event, guards)
}

// deciding returns the index of state and the rows that decide event in
// it under the guard condition guards. It is an error if there are none,
// or if one of them decides the pair also outside the condition.
func deciding(m *spec.Machine, state, event, guards string) (int, []int, error) {
	s, ev := m.StateIndex(state), m.EventIndex(event)
	if s < 0 || ev < 0 {
		return 0, nil, fmt.Errorf("unknown state %q or event %q", state, event)
	}
	req, forbid, err := parseGuards(m, guards)
	if err != nil {
		return 0, nil, err
	}
	var matched []int
	for i := range m.Rows {
		r := &m.Rows[i]
		if r.Event != ev || !r.Covers(s) || r.Require&forbid != 0 || r.Forbid&req != 0 {
			continue
		}
		if r.Require&req != req || r.Forbid&forbid != forbid {
			return 0, nil, fmt.Errorf("the row at %v decides %s also outside %s", r.Pos, pair(state, event, ""), guards)
		}
		matched = append(matched, i)
	}
	if len(matched) == 0 {
		return 0, nil, fmt.Errorf("no row decides %s", pair(state, event, guards))
	}
	return s, matched, nil
}

// rewrite returns m's rows with state carved out of the matched rows,
// and the rows with(r) for each matched row r: on r's line if r covered
// state alone (and so is gone), after the last row otherwise, so that no
// row the edit leaves alone moves to another line.
func rewrite(m *spec.Machine, state int, matched []int, with func(r spec.Row) []spec.Row) []spec.Row {
	var out, after []spec.Row
	for i, r := range m.Rows {
		if !slices.Contains(matched, i) {
			out = append(out, r)
			continue
		}
		rest, ok := carve(m, r, state)
		add := with(r)
		if ok {
			out = append(out, rest)
			for _, a := range add {
				a.Pos = spec.Pos{}
				after = append(after, a)
			}
			continue
		}
		for _, a := range add {
			a.Pos = r.Pos
			out = append(out, a)
		}
	}
	return append(out, after...)
}

// carve returns r without state among its sources, and whether any state
// is left. A group that holds state is written out as its other states.
func carve(m *spec.Machine, r spec.Row, state int) (spec.Row, bool) {
	var sources []string
	add := func(name string) {
		if !slices.Contains(sources, name) {
			sources = append(sources, name)
		}
	}
	for _, src := range r.Sources {
		if g := groupIndex(m, src); g >= 0 && slices.Contains(m.Groups[g].States, state) {
			for _, s := range m.Groups[g].States {
				if s != state {
					add(m.States[s].Name)
				}
			}
		} else if src != m.States[state].Name {
			add(src)
		}
	}
	r.Sources = sources
	r.From = slices.DeleteFunc(slices.Clone(r.From), func(s int) bool { return s == state })
	return r, len(r.From) > 0
}

func groupIndex(m *spec.Machine, name string) int {
	for i, g := range m.Groups {
		if g.Name == name {
			return i
		}
	}
	return -1
}
