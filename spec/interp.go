package spec

// This file is the interpreter: it steps a parsed Machine directly from its
// rows. It is the reference that generated code is checked against, and it
// lets a user try an edited table before generating code from it.

// Index builds the machine's index of rows by (state, event), which Match,
// Decide, Step and RowsFor read. Parse builds it; a program that assembles
// or changes a Machine's rows by hand calls Index before using the machine.
// A Machine is safe for concurrent reads once indexed.
func (m *Machine) Index() {
	m.byPair = make([][]int, len(m.States)*len(m.Events))
	m.indexed = len(m.Rows)
	for i := range m.Rows {
		r := &m.Rows[i]
		if r.Event < 0 || r.Event >= len(m.Events) {
			continue
		}
		for _, s := range r.From {
			if s < 0 || s >= len(m.States) {
				continue
			}
			k := s*len(m.Events) + r.Event
			if n := len(m.byPair[k]); n == 0 || m.byPair[k][n-1] != i {
				m.byPair[k] = append(m.byPair[k], i)
			}
		}
	}
}

// Indexed reports whether the index matches the machine's declarations and
// rows (see Index).
func (m *Machine) Indexed() bool {
	return m.byPair != nil && len(m.byPair) == len(m.States)*len(m.Events) && m.indexed == len(m.Rows)
}

// RowsFor returns the indexes of the rows covering (state, event) in file
// order, or nil when either is out of range. It panics if the machine is
// not indexed.
func (m *Machine) RowsFor(state, event int) []int {
	if state < 0 || state >= len(m.States) || event < 0 || event >= len(m.Events) {
		return nil
	}
	if !m.Indexed() {
		panic("spec: machine " + m.Name + " used before Index (rows were changed by hand)")
	}
	return m.byPair[state*len(m.Events)+event]
}

// Match returns the index in m.Rows of the row that decides event in state
// under guards, or -1 if no row does (never the case for a valid machine and
// in-range arguments). When several rows match, which a valid machine rules
// out, the first in file order wins.
func (m *Machine) Match(state, event int, guards uint64) int {
	for _, r := range m.RowsFor(state, event) {
		if m.Rows[r].Matches(guards) {
			return r
		}
	}
	return -1
}

// Decide applies event to state under guards: the deciding row (-1 if none),
// and that row's Effect. Without a row the state stays, with no actions
// and ok false.
func (m *Machine) Decide(state, event int, guards uint64) (row, next int, actions uint64, ok bool) {
	row = m.Match(state, event, guards)
	if row < 0 {
		return -1, state, 0, false
	}
	next, actions, ok = m.Rows[row].Effect(state)
	return row, next, actions, ok
}

// Step applies event to state under guards. It returns the next state, the
// actions to perform as a bit set (bit i is m.Actions[i]) and ok, which is
// false when the row is an error row or no row matches (see Row.Effect).
func (m *Machine) Step(state, event int, guards uint64) (next int, actions uint64, ok bool) {
	_, next, actions, ok = m.Decide(state, event, guards)
	return next, actions, ok
}
