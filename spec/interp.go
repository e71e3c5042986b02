package spec

// This file is the interpreter: it steps a parsed Machine directly from its
// rows. It is the reference that generated code is checked against, and it
// lets a user try an edited table before generating code from it.

// Match returns the index in m.Rows of the row that decides event in state
// under guards, or -1 if no row does (never the case for a valid machine and
// in-range arguments). When several rows match, which a valid machine rules
// out, the first in file order wins.
func (m *Machine) Match(state, event int, guards uint64) int {
	if state < 0 || state >= len(m.States) || event < 0 || event >= len(m.Events) {
		return -1
	}
	m.index()
	for _, r := range m.byPair[state*len(m.Events)+event] {
		if m.Rows[r].Matches(guards) {
			return r
		}
	}
	return -1
}

// Step applies event to state under guards. It returns the next state, the
// actions to perform as a bit set (bit i is m.Actions[i]) and ok, which is
// false when the row is an error row or no row matches. Ignore and error
// rows leave the state unchanged.
func (m *Machine) Step(state, event int, guards uint64) (next int, actions uint64, ok bool) {
	r := m.Match(state, event, guards)
	if r < 0 {
		return state, 0, false
	}
	row := &m.Rows[r]
	switch row.Outcome {
	case Goto:
		return row.To, row.ActionSet(), true
	case Stay:
		return state, row.ActionSet(), true
	case Ignore:
		return state, 0, true
	default: // Reject
		return state, row.ActionSet(), false
	}
}

// index builds byPair once. Machines are built by Parse, which calls it;
// it is repeated lazily here for machines assembled by hand.
func (m *Machine) index() {
	if m.byPair != nil && len(m.byPair) == len(m.States)*len(m.Events) {
		return
	}
	m.byPair = make([][]int, len(m.States)*len(m.Events))
	for i := range m.Rows {
		r := &m.Rows[i]
		if r.Event < 0 || r.Event >= len(m.Events) {
			continue
		}
		for _, s := range r.From {
			k := s*len(m.Events) + r.Event
			m.byPair[k] = append(m.byPair[k], i)
		}
	}
}

// RowsFor returns the indexes of the rows covering (state, event) in file
// order.
func (m *Machine) RowsFor(state, event int) []int {
	if state < 0 || state >= len(m.States) || event < 0 || event >= len(m.Events) {
		return nil
	}
	m.index()
	return m.byPair[state*len(m.Events)+event]
}
