package gen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// The table shape of Step and Match: two arrays and two functions small
// enough for the compiler to inline (see the package documentation).
//
//	_Step_index[e][g&_Guards_known]  the column of _Step_cells that decides
//	                                 event e under guards g
//	_Step_cells[column][s]           the answer in state s: next state,
//	                                 ok, row, actions
//
// A column holds one event's answers in every state under one combination
// of the guards; combinations that decide alike share a column, so an
// event that no row guards has one.

// cell is one answer: what Step and Match return for a state, an event
// and a guard set.
type cell struct {
	next int
	ok   bool
	row  int // index in m.Rows, -1 when no row decides
	act  uint64
}

// decide is the answer of the rows for state s, event e and guards gs:
// spec.Machine.Decide's, so both shapes and the interpreter agree.
func (g *goGen) decide(s, e int, gs uint64) cell {
	row, next, act, ok := g.m.Decide(s, e, gs)
	return cell{next: next, ok: ok, row: row, act: act}
}

// columns computes the columns and the index: index[e][gs] is the column
// of event e under guard set gs, for every gs below 1<<len(m.Guards).
// Columns are numbered in order of first use, events in order, guard sets
// in increasing order, so the output is deterministic; first[c] is the
// event and guard set that first used column c.
func (g *goGen) columns() (cols [][]cell, index [][]int, first [][2]uint64) {
	m := g.m
	seen := make(map[string]int)
	index = make([][]int, len(m.Events))
	for e := range m.Events {
		index[e] = make([]int, 1<<len(m.Guards))
		for gs := range uint64(1) << len(m.Guards) {
			col := make([]cell, len(m.States))
			var key strings.Builder
			for s := range m.States {
				col[s] = g.decide(s, e, gs)
				fmt.Fprintf(&key, "%d %v %d %x;", col[s].next, col[s].ok, col[s].row, col[s].act)
			}
			k, ok := seen[key.String()]
			if !ok {
				k = len(cols)
				seen[key.String()] = k
				cols = append(cols, col)
				first = append(first, [2]uint64{uint64(e), gs})
			}
			index[e][gs] = k
		}
	}
	return cols, index, first
}

// intType is the smallest signed integer type that holds -1 and n.
func intType(n int) string {
	switch {
	case n <= 1<<7-1:
		return "int8"
	case n <= 1<<15-1:
		return "int16"
	}
	return "int32"
}

// uintType is the smallest unsigned integer type that holds n.
func uintType(n int) string {
	switch {
	case n <= 1<<8-1:
		return "uint8"
	case n <= 1<<16-1:
		return "uint16"
	}
	return "uint32"
}

// guardsText is a guard set as the table writes it, "[passive !full]"
// style but listing only the guards that hold, or "" for none.
func (g *goGen) guardsText(gs uint64) string {
	var names []string
	for i, d := range g.m.Guards {
		if gs&(1<<uint(i)) != 0 {
			names = append(names, d.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " [" + strings.Join(names, " ") + "]"
}

// goExpr renders a jen expression as Go source text.
func goExpr(c jen.Code) string {
	return fmt.Sprintf("%#v", c)
}

// lookup writes the table shape of Step and Match: the cell type, the
// index and the cells, and the two functions that read them.
func (g *goGen) lookup() {
	m, f, ids := g.m, g.f, g.ids
	cols, index, first := g.columns()
	rowType := intType(len(m.Rows))
	colType := uintType(len(cols) - 1)

	f.Comment("_Step_cell is the answer of Step and Match for one state under one column")
	f.Comment("of _Step_cells: the next state, ok, the index in Rows of the deciding row")
	f.Comment("(-1 for none) and the actions.")
	f.Type().Id("_Step_cell").Struct(
		jen.Id("next").Id("State"),
		jen.Id("ok").Bool(),
		jen.Id("row").Id(rowType),
		jen.Id("act").Id("Actions"),
	)

	// The index: one line per event.
	var b strings.Builder
	b.WriteString("{\n")
	for e := range m.Events {
		fmt.Fprintf(&b, "%s: {", ids.events[e])
		for i, k := range index[e] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(k))
		}
		b.WriteString("},\n")
	}
	b.WriteString("}")
	f.Comment("_Step_index[e][g&_Guards_known] is the column of _Step_cells that decides")
	f.Comment("event e under guards g. Guard sets that decide e alike share a column.")
	f.Var().Id("_Step_index").Op("=").Index(jen.Id("NumEvents")).Index(jen.Lit(1).Op("<<").Id("NumGuards")).Id(colType).Op(b.String())

	// The cells: one block per column, one line per state.
	b.Reset()
	b.WriteString("{\n")
	for k, col := range cols {
		e, gs := int(first[k][0]), first[k][1]
		fmt.Fprintf(&b, "// %d: %s%s\n{\n", k, m.Events[e].Name, g.guardsText(gs))
		for s, c := range col {
			fmt.Fprintf(&b, "%s: {%s, %v, %d, %s},", ids.states[s], ids.states[c.next], c.ok, c.row, goExpr(g.actionsExpr(c.act)))
			if c.row >= 0 {
				fmt.Fprintf(&b, " // %s:%d\n", g.src, m.Rows[c.row].Pos.Line)
			} else {
				b.WriteString(" // no row\n")
			}
		}
		b.WriteString("},\n")
	}
	b.WriteString("}")
	f.Commentf("_Step_cells holds the answers of the rows of %s, a column per event and", g.src)
	f.Comment("guard combination, each with the line of the deciding row.")
	f.Var().Id("_Step_cells").Op("=").Index(jen.Op("...")).Index(jen.Id("NumStates")).Id("_Step_cell").Op(b.String())

	// The range test, without the comparisons that a full State or Event
	// type makes always false.
	var inRange *jen.Statement
	if len(m.States) < 256 {
		inRange = jen.Id("s").Op(">=").Id("NumStates")
	}
	if len(m.Events) < 256 {
		t := jen.Id("e").Op(">=").Id("NumEvents")
		if inRange == nil {
			inRange = t
		} else {
			inRange = inRange.Op("||").Add(t)
		}
	}
	guard := func(ret ...jen.Code) jen.Code {
		if inRange == nil {
			return jen.Null()
		}
		return jen.If(inRange).Block(jen.Return(ret...))
	}
	cellExpr := jen.Id("_Step_cells").Index(jen.Id("_Step_index").Index(jen.Id("e")).Index(jen.Id("g").Op("&").Id("_Guards_known"))).Index(jen.Id("s"))

	f.Comment("Step decides event e in state s under guards g. It returns the next")
	f.Comment("state and the actions to perform, and ok=false when the table refuses the")
	f.Comment("event (an error row: next is s, act says what to do about it) or when s")
	f.Comment("or e is out of range (next is s, act is 0). Guards that the deciding rows")
	f.Comment("do not mention make no difference. Step does not allocate, and is small")
	f.Comment("enough to be inlined: two array lookups.")
	f.Func().Id("Step").Params(
		jen.Id("s").Id("State"), jen.Id("e").Id("Event"), jen.Id("g").Id("Guards"),
	).Params(
		jen.Id("next").Id("State"), jen.Id("act").Id("Actions"), jen.Id("ok").Bool(),
	).Block(
		guard(jen.Id("s"), jen.Lit(0), jen.False()),
		jen.Id("c").Op(":=").Add(cellExpr),
		jen.If(jen.Id("c").Dot("next").Op("==").Id("s")).Block(
			jen.Comment("The same answer as below, but a caller that feeds the state back"),
			jen.Comment("need not wait for the load: the branch is predicted, and most"),
			jen.Comment("steps stay."),
			jen.Return(jen.Id("s"), jen.Id("c").Dot("act"), jen.Id("c").Dot("ok")),
		),
		jen.Return(jen.Id("c").Dot("next"), jen.Id("c").Dot("act"), jen.Id("c").Dot("ok")),
	)

	f.Comment("Match returns the index in Rows of the row that decides event e in state s")
	f.Comment("under guards g, or -1 when s or e is out of range. It agrees with Step.")
	f.Func().Id("Match").Params(
		jen.Id("s").Id("State"), jen.Id("e").Id("Event"), jen.Id("g").Id("Guards"),
	).Int().Block(
		guard(jen.Lit(-1)),
		jen.Return(jen.Int().Parens(cellExpr.Clone().Dot("row"))),
	)
}
