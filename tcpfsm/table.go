package tcpfsm

// Variant tables.
//
// The Endpoint steps through the generated table of spec/tcp.fsm unless it
// is given a Table (Endpoint.UseTable): a variant that decides each step
// by its Rules instead. Package tcpfsm/variant makes Tables from tables in
// the table language (variant.NewTable), with the interpreter of package
// spec; this package only steps through them, so that importing it does
// not import the parser.

// Rules decide the steps of a variant table in the Endpoint's vocabulary,
// as the generated Match and Step together decide those of spec/tcp.fsm:
// for event ev in state s under guards g, the deciding row (-1 if none),
// the next state, the row's actions and ok, false for an error row or
// when no row decides. Without a row the state stays, with no actions.
//
// An Endpoint calls Decide once per step, from whichever goroutine calls
// the Endpoint, so Decide must be safe for concurrent use; the Endpoint's
// methods allocate nothing when Decide allocates nothing.
type Rules interface {
	Decide(s State, ev Event, g Guards) (row int, next State, act Actions, ok bool)
}

// Table is a variant of the TCP table that an Endpoint can step through
// instead of the generated code (see Endpoint.UseTable): its Rules. A
// Table is immutable once made and may be shared by many Endpoints and
// goroutines.
type Table struct {
	rules Rules
}

// TableOf returns the Table that decides by r; nil if r is nil, which
// UseTable takes as the generated table.
func TableOf(r Rules) *Table {
	if r == nil {
		return nil
	}
	return &Table{rules: r}
}

// Rules returns what the table decides by.
func (t *Table) Rules() Rules { return t.rules }

// step decides event ev in state s under guards g, like the generated Match
// and Step together.
func (t *Table) step(s State, ev Event, g Guards) (row int, next State, act Actions, ok bool) {
	return t.rules.Decide(s, ev, g)
}
