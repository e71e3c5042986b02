package gen

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/synfin/synfin/spec"
)

// The switch shape of Step and Match: a switch on the state, then on the
// event, then if statements on the guards, one branch per deciding row.

// A branch is one row's part of the code for a (state, event) pair: when
// cond is set, the code tests the row's guards first.
type branch struct {
	row  int
	cond bool
}

// branches returns the code plan of the rows that decide event in state,
// with the semantics of spec.Machine.Match: the first row in file order
// whose guards hold wins. A row is tested unless no test is needed: when
// it has no guards (rows after it are unreachable and left out) or when it
// is the last row and the rows together cover every combination of the
// guards they mention (as validation guarantees for a parsed table).
func (g *goGen) branches(state, event int) []branch {
	rows := g.m.RowsFor(state, event)
	var out []branch
	var mentioned uint64
	for _, r := range rows {
		row := &g.m.Rows[r]
		mentioned |= row.Require | row.Forbid
		if row.Require|row.Forbid == 0 {
			return append(out, branch{row: r})
		}
		out = append(out, branch{row: r, cond: true})
	}
	if len(out) > 0 && g.total(rows, mentioned) {
		out[len(out)-1].cond = false
	}
	return out
}

// maxProofGuards bounds the guards whose combinations total enumerates.
const maxProofGuards = 16

// total reports whether, for every combination of the guards in mentioned,
// one of rows matches.
func (g *goGen) total(rows []int, mentioned uint64) bool {
	if bits.OnesCount64(mentioned) > maxProofGuards {
		return false
	}
	sub := uint64(0)
	for {
		hit := false
		for _, r := range rows {
			if g.m.Rows[r].Matches(sub) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
		sub = (sub - mentioned) & mentioned
		if sub == 0 {
			return true
		}
	}
}

// guardCond is the Go condition that a row's guards hold: one test per
// guard literal, in declaration order, joined by &&.
func (g *goGen) guardCond(row *spec.Row) jen.Code {
	var terms []*jen.Statement
	for i := range g.m.Guards {
		bit := uint64(1) << uint(i)
		switch {
		case row.Require&bit != 0:
			terms = append(terms, jen.Id("g").Op("&").Id(g.ids.guards[i]).Op("!=").Lit(0))
		case row.Forbid&bit != 0:
			terms = append(terms, jen.Id("g").Op("&").Id(g.ids.guards[i]).Op("==").Lit(0))
		}
	}
	return joined("&&", terms)
}

// dispatch writes the nested switch shared by Step and Match: a switch on
// the state, then on the event, then if statements on the guards. ret
// returns the statement for a row reached in a state. Events whose code is
// the same in a state share one case. It returns nil when no state has rows.
func (g *goGen) dispatch(ret func(row, state int) (jen.Code, string)) jen.Code {
	m := g.m
	var stateCases []jen.Code
	for s := range m.States {
		type evCase struct {
			events []jen.Code
			body   []jen.Code
		}
		var cases []*evCase
		byKey := make(map[string]*evCase)
		for e := range m.Events {
			var body []jen.Code
			var key strings.Builder
			for _, b := range g.branches(s, e) {
				stmt, k := ret(b.row, s)
				row := &m.Rows[b.row]
				if b.cond {
					fmt.Fprintf(&key, "if %x %x ", row.Require, row.Forbid)
					stmt = jen.If(g.guardCond(row)).Block(stmt)
				}
				key.WriteString(k + ";")
				body = append(body, stmt)
			}
			if len(body) == 0 {
				continue
			}
			if c := byKey[key.String()]; c != nil {
				c.events = append(c.events, jen.Id(g.ids.events[e]))
				continue
			}
			c := &evCase{events: []jen.Code{jen.Id(g.ids.events[e])}, body: body}
			byKey[key.String()] = c
			cases = append(cases, c)
		}
		if len(cases) == 0 {
			continue
		}
		var evCases []jen.Code
		for _, c := range cases {
			evCases = append(evCases, jen.Case(c.events...).Block(c.body...))
		}
		stateCases = append(stateCases, jen.Case(jen.Id(g.ids.states[s])).Block(
			jen.Switch(jen.Id("e")).Block(evCases...),
		))
	}
	if len(stateCases) == 0 {
		return jen.Null()
	}
	return jen.Switch(jen.Id("s")).Block(stateCases...)
}

// step writes Step as nested switches.
func (g *goGen) step() {
	m := g.m
	g.stepFunc([]string{"do not mention are not looked at. Step does not allocate."},
		g.dispatch(func(r, s int) (jen.Code, string) {
			next, set, ok := m.Rows[r].Effect(s)
			return jen.Return(jen.Id(g.ids.states[next]), g.actionsExpr(set), jen.Lit(ok)),
				fmt.Sprintf("%d %x %v", next, set, ok)
		}),
		jen.Return(jen.Id("s"), jen.Lit(0), jen.False()),
	)
}

// match writes Match as nested switches.
func (g *goGen) match() {
	m := g.m
	g.matchFunc(
		g.dispatch(func(r, s int) (jen.Code, string) {
			return jen.Return(jen.Lit(r)).Commentf("%s:%d", g.src, m.Rows[r].Pos.Line),
				strconv.Itoa(r)
		}),
		jen.Return(jen.Lit(-1)),
	)
}
