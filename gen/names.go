package gen

import (
	"fmt"
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/synfin/synfin/spec"
)

// GoName turns a table name into the CamelCase part of a Go identifier: the
// name is split at '-' and '_', and each part gets its first letter
// upper-cased and the rest lower-cased, so "SYN-SENT" becomes "SynSent",
// "FIN-WAIT-1" becomes "FinWait1" and "rfc1337" becomes "Rfc1337". The
// generated constants put a kind in front: StateSynSent, EventSegRst,
// ActionSendSyn, GuardPassive.
func GoName(name string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' }) {
		r, size := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(strings.ToLower(part[size:]))
	}
	return b.String()
}

// Identifiers that every generated file declares; a derived constant name
// must not be one of them.
var fixedNames = []string{
	"State", "Event", "Actions", "Guards", "Outcome", "Row", "Rows",
	"NumStates", "NumEvents", "NumActions", "NumGuards", "InitialState",
	"OutcomeGoto", "OutcomeStay", "OutcomeIgnore", "OutcomeError",
	"EventKind", "KindInput", "KindCall", "KindTimer",
	"NumCalls", "CallEvents", "NumTimers", "TimerEvents", "TimerArms",
	"Step", "Match",
}

// names holds the Go identifier of every declaration of a machine.
type names struct {
	states, events, actions, guards []string
}

// goNames derives the Go constant names of m's declarations and checks that
// they are valid identifiers and pairwise distinct. The error is a
// spec.ErrorList with one entry per problem, at the later declaration, that
// names the earlier one and its position.
func goNames(m *spec.Machine) (*names, error) {
	var errs spec.ErrorList
	type owner struct {
		kind string
		decl spec.Decl
	}
	seen := make(map[string]owner)
	for _, id := range fixedNames {
		seen[id] = owner{}
	}
	derive := func(kind, prefix string, decls []spec.Decl) []string {
		ids := make([]string, len(decls))
		for i, d := range decls {
			id := prefix + GoName(d.Name)
			ids[i] = id
			if !token.IsIdentifier(id) || !isASCII(d.Name) || GoName(d.Name) == "" {
				errs.Add(d.Pos, "%s %q does not make a valid Go identifier (got %q)", kind, d.Name, id)
				continue
			}
			prev, dup := seen[id]
			switch {
			case !dup:
				seen[id] = owner{kind, d}
			case prev.kind == "":
				errs.Add(d.Pos, "%s %q becomes Go name %s, which the generated code already declares", kind, d.Name, id)
			default:
				errs.Add(d.Pos, "%s %q and %s %q (%s) both become Go name %s; rename one of them",
					kind, d.Name, prev.kind, prev.decl.Name, prev.decl.Pos, id)
			}
		}
		return ids
	}
	n := &names{
		states:  derive("state", "State", m.States),
		events:  derive("event", "Event", m.Events),
		actions: derive("action", "Action", m.Actions),
		guards:  derive("guard", "Guard", m.Guards),
	}
	errs.Sort()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return n, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// checkMachine rejects machines the generated types cannot represent.
// Parse enforces the same limits; this guards machines built by hand.
func checkMachine(m *spec.Machine) error {
	switch {
	case len(m.States) == 0:
		return fmt.Errorf("machine %s has no states", m.Name)
	case len(m.States) > spec.MaxStates:
		return fmt.Errorf("machine %s has %d states; at most %d fit a State", m.Name, len(m.States), spec.MaxStates)
	case len(m.Events) > spec.MaxEvents:
		return fmt.Errorf("machine %s has %d events; at most %d fit an Event", m.Name, len(m.Events), spec.MaxEvents)
	case len(m.Actions) > spec.MaxActions:
		return fmt.Errorf("machine %s has %d actions; at most %d fit Actions", m.Name, len(m.Actions), spec.MaxActions)
	case len(m.Guards) > spec.MaxGuards:
		return fmt.Errorf("machine %s has %d guards; at most %d fit Guards", m.Name, len(m.Guards), spec.MaxGuards)
	case m.Initial < 0 || m.Initial >= len(m.States):
		return fmt.Errorf("machine %s: initial state %d out of range", m.Name, m.Initial)
	}
	for _, f := range m.Final {
		if f < 0 || f >= len(m.States) {
			return fmt.Errorf("machine %s: final state %d out of range", m.Name, f)
		}
	}
	for i := range m.Rows {
		r := &m.Rows[i]
		if r.Event < 0 || r.Event >= len(m.Events) {
			return fmt.Errorf("%s: row event %d out of range", r.Pos, r.Event)
		}
		if r.Outcome == spec.Goto && (r.To < 0 || r.To >= len(m.States)) {
			return fmt.Errorf("%s: row target %d out of range", r.Pos, r.To)
		}
		for _, s := range r.From {
			if s < 0 || s >= len(m.States) {
				return fmt.Errorf("%s: row source state %d out of range", r.Pos, s)
			}
		}
		for _, a := range r.Actions {
			if a < 0 || a >= len(m.Actions) {
				return fmt.Errorf("%s: row action %d out of range", r.Pos, a)
			}
		}
		if r.Outcome > spec.Reject {
			return fmt.Errorf("%s: row outcome %d unknown", r.Pos, r.Outcome)
		}
		if all := uint64(1)<<uint(len(m.Guards)) - 1; len(m.Guards) < 64 && (r.Require|r.Forbid)&^all != 0 {
			return fmt.Errorf("%s: row mentions an undeclared guard bit", r.Pos)
		}
	}
	return nil
}
