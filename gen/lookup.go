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
func intType(n int) string { return fitType("int", 1, n) }

// uintType is the smallest unsigned integer type that holds n.
func uintType(n int) string { return fitType("uint", 0, n) }

// fitType is the first of the 8-, 16- and 32-bit integer types called
// prefix and their width whose largest value, with signBits of the bits
// spent on the sign, is at least n.
func fitType(prefix string, signBits, n int) string {
	for _, width := range []int{8, 16} {
		if n <= 1<<(width-signBits)-1 {
			return prefix + strconv.Itoa(width)
		}
	}
	return prefix + "32"
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
	cols, index, first := g.columns()
	g.cellType()
	g.indexVar(index, uintType(len(cols)-1))
	g.cellsVar(cols, first)
	g.lookupFuncs()
}

// cellType declares _Step_cell, one answer in the cells.
func (g *goGen) cellType() {
	f := g.f
	f.Comment("_Step_cell is the answer of Step and Match for one state under one column")
	f.Comment("of _Step_cells: the next state, ok, the index in Rows of the deciding row")
	f.Comment("(-1 for none) and the actions.")
	f.Type().Id("_Step_cell").Struct(
		jen.Id("next").Id("State"),
		jen.Id("ok").Bool(),
		jen.Id("row").Id(intType(len(g.m.Rows))),
		jen.Id("act").Id("Actions"),
	)
}

// indexVar declares _Step_index, one line per event, whose entries are of
// type colType.
func (g *goGen) indexVar(index [][]int, colType string) {
	var b strings.Builder
	b.WriteString("{\n")
	for e := range g.m.Events {
		fmt.Fprintf(&b, "%s: {", g.ids.events[e])
		for i, k := range index[e] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(k))
		}
		b.WriteString("},\n")
	}
	b.WriteString("}")
	g.f.Comment("_Step_index[e][g&_Guards_known] is the column of _Step_cells that decides")
	g.f.Comment("event e under guards g. Guard sets that decide e alike share a column.")
	g.f.Var().Id("_Step_index").Op("=").Index(jen.Id("NumEvents")).Index(jen.Lit(1).Op("<<").Id("NumGuards")).Id(colType).Op(b.String())
}

// cellsVar declares _Step_cells, one block per column and one line per
// state; first[k] names the event and guard set of column k's comment.
func (g *goGen) cellsVar(cols [][]cell, first [][2]uint64) {
	m, ids := g.m, g.ids
	var b strings.Builder
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
	g.f.Commentf("_Step_cells holds the answers of the rows of %s, a column per event and", g.src)
	g.f.Comment("guard combination, each with the line of the deciding row.")
	g.f.Var().Id("_Step_cells").Op("=").Index(jen.Op("...")).Index(jen.Id("NumStates")).Id("_Step_cell").Op(b.String())
}

// outOfRange is the test that s or e is out of range, without the
// comparisons that a full State or Event type makes always false; nil
// when both types are full.
func (g *goGen) outOfRange() *jen.Statement {
	var terms []*jen.Statement
	if len(g.m.States) < 256 {
		terms = append(terms, jen.Id("s").Op(">=").Id("NumStates"))
	}
	if len(g.m.Events) < 256 {
		terms = append(terms, jen.Id("e").Op(">=").Id("NumEvents"))
	}
	return joined("||", terms)
}

// lookupFuncs writes Step and Match as reads of the index and the cells.
func (g *goGen) lookupFuncs() {
	outOfRange := g.outOfRange()
	rangeCheck := func(ret ...jen.Code) jen.Code {
		if outOfRange == nil {
			return jen.Null()
		}
		return jen.If(outOfRange).Block(jen.Return(ret...))
	}
	cellExpr := jen.Id("_Step_cells").Index(jen.Id("_Step_index").Index(jen.Id("e")).Index(jen.Id("g").Op("&").Id("_Guards_known"))).Index(jen.Id("s"))

	g.stepFunc([]string{
		"do not mention make no difference. Step does not allocate, and is small",
		"enough to be inlined: two array lookups.",
	},
		rangeCheck(jen.Id("s"), jen.Lit(0), jen.False()),
		jen.Id("c").Op(":=").Add(cellExpr),
		jen.If(jen.Id("c").Dot("next").Op("==").Id("s")).Block(
			jen.Comment("The same answer as below, but a caller that feeds the state back"),
			jen.Comment("need not wait for the load: the branch is predicted, and most"),
			jen.Comment("steps stay."),
			jen.Return(jen.Id("s"), jen.Id("c").Dot("act"), jen.Id("c").Dot("ok")),
		),
		jen.Return(jen.Id("c").Dot("next"), jen.Id("c").Dot("act"), jen.Id("c").Dot("ok")),
	)
	g.matchFunc(
		rangeCheck(jen.Lit(-1)),
		jen.Return(jen.Int().Parens(cellExpr.Clone().Dot("row"))),
	)
}
