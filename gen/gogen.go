package gen

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"go/token"
	"math/bits"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/synfin/synfin/spec"
)

// GoOptions controls the Go source that Go writes.
type GoOptions struct {
	// Package is the name in the generated package clause. It is required.
	Package string
	// Source is the table's file name as the header line shows it. When
	// empty, the base name of the machine's File is used.
	Source string
	// Lookup writes Step and Match as lookups in two generated arrays,
	// small enough for the compiler to inline, instead of nested switch
	// statements. The answers are the same; see the package documentation
	// for what each shape costs. A machine whose arrays would be too large
	// (more than MaxTableGuards guards, or an index of more than
	// MaxTableIndex entries) gets switches whatever Lookup says.
	Lookup bool
}

// The limits of the table shape of Step and Match (see GoOptions.Lookup):
// the index has one entry per event and combination of guards,
// NumEvents<<NumGuards in all.
const (
	MaxTableGuards = 8
	MaxTableIndex  = 1 << 14
)

// useTable reports whether Step and Match of m are written as table
// lookups.
func useTable(m *spec.Machine, opts GoOptions) bool {
	return opts.Lookup && len(m.Guards) <= MaxTableGuards && len(m.Events)<<len(m.Guards) <= MaxTableIndex
}

// Go returns the Go source of a package file that implements m: the State,
// Event, Actions and Guards types with their constants and String methods,
// the Outcome and Row types, the Rows table, and the Step and Match
// functions (see the package documentation for the whole API). The output
// is gofmt-formatted and the same for the same machine and options.
//
// Go fails when opts.Package is not a valid package name, when m has more
// declarations than the generated types can number, and when table names
// do not make distinct, valid Go identifiers. For the names the error is a
// spec.ErrorList with one "file:line:col: message" per problem, at the
// later of two clashing declarations and naming the earlier one.
func Go(m *spec.Machine, opts GoOptions) ([]byte, error) {
	src, err := goFileSource(m, opts.Package, opts.Source)
	if err != nil {
		return nil, err
	}
	if err := checkMachine(m); err != nil {
		return nil, err
	}
	ids, err := goNames(m)
	if err != nil {
		return nil, err
	}
	if !m.Indexed() {
		// A machine assembled or changed by hand: index a copy, so that
		// the caller's machine is not written to.
		c := *m
		c.Index()
		m = &c
	}
	g := &goGen{m: m, ids: ids, src: src, f: jen.NewFile(opts.Package), table: useTable(m, opts)}
	g.file()
	var buf bytes.Buffer
	if err := g.f.Render(&buf); err != nil {
		return nil, fmt.Errorf("rendering Go source: %v", err)
	}
	// Jennifer formats its output already; formatting again proves the
	// result is gofmt-clean and costs little.
	out, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting Go source: %v", err)
	}
	return out, nil
}

// goFileSource checks the package name of a generated Go file and returns
// the table's name as its header line gives it (source, or the machine's
// file's base name).
func goFileSource(m *spec.Machine, pkg, source string) (string, error) {
	if !token.IsIdentifier(pkg) || pkg == "_" {
		return "", fmt.Errorf("invalid package name %q", pkg)
	}
	if source == "" {
		source = sourceName(m)
	}
	if strings.ContainsAny(source, "\r\n") {
		return "", errors.New("source file name contains a line break")
	}
	return source, nil
}

// sourceName is the name the header line gives to m's table.
func sourceName(m *spec.Machine) string {
	if m.File != "" {
		return filepath.Base(m.File)
	}
	return m.Name
}

// goGen holds the state of one Go generation.
type goGen struct {
	m   *spec.Machine
	ids *names
	src string
	f   *jen.File
	// table is set when Step and Match are table lookups.
	table bool
}

// bitType returns the smallest unsigned type with n bits, at least uint8.
func bitType(n int) string {
	switch {
	case n <= 8:
		return "uint8"
	case n <= 16:
		return "uint16"
	case n <= 32:
		return "uint32"
	}
	return "uint64"
}

// comment renders text as a block of // lines, or nil when text is empty.
// Table comments keep their text after '#'; one leading space is dropped
// so that "# foo" reads "// foo".
func comment(text string) jen.Code {
	text = strings.Trim(text, "\n")
	if strings.TrimSpace(text) == "" {
		return jen.Null()
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimRight(strings.TrimPrefix(l, " "), " \t\r")
		if l == "" {
			lines[i] = "//"
		} else {
			lines[i] = "// " + l
		}
	}
	return jen.Comment(strings.Join(lines, "\n"))
}

func (g *goGen) file() {
	m, f := g.m, g.f
	f.HeaderComment(header(g.src, g.flags()...))
	f.ImportName("strconv", "strconv")

	if doc := strings.TrimSpace(m.Doc); doc != "" {
		f.Add(comment(fmt.Sprintf("Machine %s, from %s:\n\n%s", m.Name, g.src, m.Doc)))
		f.Line()
	}

	g.enum("State", "a state", m.States, g.ids.states)
	f.Comment("NumStates is the number of states; the valid States are 0 to NumStates-1.")
	f.Const().Id("NumStates").Op("=").Lit(len(m.States))
	f.Comment("InitialState is the state the machine starts in.")
	f.Const().Id("InitialState").Op("=").Id(g.ids.states[m.Initial])
	g.nameTable("State", m.States, g.ids.states)
	g.enumString("State", "s", "NumStates")
	g.isFinal()

	g.enum("Event", "an event", m.Events, g.ids.events)
	f.Comment("NumEvents is the number of events; the valid Events are 0 to NumEvents-1.")
	f.Const().Id("NumEvents").Op("=").Lit(len(m.Events))
	g.nameTable("Event", m.Events, g.ids.events)
	g.enumString("Event", "e", "NumEvents")
	g.eventKinds()

	g.bitSet("Actions", "a", "action", m.Actions, g.ids.actions)
	f.Comment("Has reports whether every action in b is in a.")
	f.Func().Params(jen.Id("a").Id("Actions")).Id("Has").Params(jen.Id("b").Id("Actions")).Bool().Block(
		jen.Return(jen.Id("a").Op("&").Id("b").Op("==").Id("b")),
	)
	g.bitSet("Guards", "g", "guard", m.Guards, g.ids.guards)
	g.timers()

	g.outcome()
	g.drift()
	g.rows()
	if g.table {
		g.lookup()
		return
	}
	g.step()
	g.match()
}

// flags are the fsmgen flags that shaped the output, as the header records
// them: the package is in the file itself, the shape is not.
func (g *goGen) flags() []string {
	if g.table {
		return []string{"-lookup"}
	}
	return nil
}

// enum declares an integer type and one constant per declaration.
func (g *goGen) enum(typ, what string, decls []spec.Decl, ids []string) {
	f := g.f
	f.Commentf("%s is %s of machine %s, numbered in table order.", typ, what, g.m.Name)
	f.Type().Id(typ).Uint8()
	if len(decls) == 0 {
		return
	}
	f.Const().DefsFunc(func(c *jen.Group) {
		for i, d := range decls {
			c.Add(g.declDoc(ids[i], d))
			c.Id(ids[i]).Id(typ).Op("=").Lit(i)
		}
	})
}

// declDoc is the doc comment of a constant: the declaration's table
// comment, or a line giving its table spelling.
func (g *goGen) declDoc(id string, d spec.Decl) jen.Code {
	if strings.TrimSpace(d.Doc) != "" {
		return comment(d.Doc)
	}
	return jen.Commentf("%s is %s.", id, d.Name)
}

// nameTable declares the array of table spellings that String indexes.
func (g *goGen) nameTable(typ string, decls []spec.Decl, ids []string) {
	g.f.Var().Id("_"+typ+"_names").Op("=").Index(jen.Id("Num"+typ+"s")).String().Custom(
		jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true},
		keyedNames(decls, ids)...,
	)
}

func keyedNames(decls []spec.Decl, ids []string) []jen.Code {
	items := make([]jen.Code, len(decls))
	for i, d := range decls {
		items[i] = jen.Id(ids[i]).Op(":").Lit(d.Name)
	}
	return items
}

// enumString writes the String method of an integer type.
func (g *goGen) enumString(typ, recv, num string) {
	g.f.Commentf("String returns the table spelling of %s, or %s(N) for a value out of range.", recv, typ)
	g.f.Func().Params(jen.Id(recv).Id(typ)).Id("String").Params().String().Block(
		jen.If(jen.Int().Parens(jen.Id(recv)).Op("<").Id(num)).Block(
			jen.Return(jen.Id("_"+typ+"_names").Index(jen.Id(recv))),
		),
		jen.Return(jen.Lit(typ+"(").Op("+").Qual("strconv", "Itoa").Call(jen.Int().Parens(jen.Id(recv))).Op("+").Lit(")")),
	)
}

func (g *goGen) isFinal() {
	var cond *jen.Statement
	for _, s := range g.m.Final {
		term := jen.Id("s").Op("==").Id(g.ids.states[s])
		if cond == nil {
			cond = term
		} else {
			cond = cond.Op("||").Add(term)
		}
	}
	if cond == nil {
		cond = jen.False()
	}
	g.f.Comment("IsFinal reports whether s is a final state.")
	g.f.Func().Params(jen.Id("s").Id("State")).Id("IsFinal").Params().Bool().Block(jen.Return(cond))
}

// bitSet declares a bit-set type, one constant per declaration (bit i is
// declaration i), its count and its String method.
func (g *goGen) bitSet(typ, recv, what string, decls []spec.Decl, ids []string) {
	f := g.f
	num := "Num" + typ
	f.Commentf("%s is a set of the %ss of machine %s: bit i is the i-th %s in table order.", typ, what, g.m.Name, what)
	f.Type().Id(typ).Id(bitType(len(decls)))
	if len(decls) > 0 {
		f.Const().DefsFunc(func(c *jen.Group) {
			for i, d := range decls {
				c.Add(g.declDoc(ids[i], d))
				c.Id(ids[i]).Id(typ).Op("=").Lit(1).Op("<<").Lit(i)
			}
		})
	}
	f.Commentf("%s is the number of %ss.", num, what)
	f.Const().Id(num).Op("=").Lit(len(decls))

	known := "_" + typ + "_known"
	names := "_" + typ + "_names"
	mask := uint64(1)<<uint(len(decls)) - 1
	if len(decls) == 64 {
		mask = ^uint64(0)
	}
	f.Line()
	f.Const().Id(known).Id(typ).Op("=").Op(fmt.Sprintf("%#x", mask))
	lits := make([]jen.Code, len(decls))
	for i, d := range decls {
		lits[i] = jen.Lit(d.Name)
	}
	f.Var().Id(names).Op("=").Index(jen.Id(num)).String().Custom(
		jen.Options{Open: "{", Close: "}", Separator: ",", Multi: len(decls) > 0}, lits...)

	f.Commentf("String returns the table spellings of the %ss in %s joined by \"|\", or \"\"", what, recv)
	f.Commentf("for none. Bits beyond %s print as %s(0xN).", num, typ)
	f.Func().Params(jen.Id(recv).Id(typ)).Id("String").Params().String().Block(
		jen.Var().Id("b").Index().Byte(),
		jen.For(jen.List(jen.Id("i"), jen.Id("name")).Op(":=").Range().Id(names)).Block(
			jen.If(jen.Id(recv).Op("&").Parens(jen.Lit(1).Op("<<").Id("i")).Op("!=").Lit(0)).Block(
				jen.If(jen.Len(jen.Id("b")).Op(">").Lit(0)).Block(
					jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune('|')),
				),
				jen.Id("b").Op("=").Append(jen.Id("b"), jen.Id("name").Op("...")),
			),
		),
		jen.If(jen.Id("rest").Op(":=").Id(recv).Op("&^").Id(known), jen.Id("rest").Op("!=").Lit(0)).Block(
			jen.If(jen.Len(jen.Id("b")).Op(">").Lit(0)).Block(
				jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune('|')),
			),
			jen.Id("b").Op("=").Append(jen.Id("b"), jen.Lit(typ+"(0x").Op("...")),
			jen.Id("b").Op("=").Qual("strconv", "AppendUint").Call(jen.Id("b"), jen.Uint64().Parens(jen.Id("rest")), jen.Lit(16)),
			jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune(')')),
		),
		jen.Return(jen.String().Parens(jen.Id("b"))),
	)
}

// drift writes a function that does not compile once a constant no longer
// has the value this file was generated with, in the manner of stringer:
// x[C-v] is a negative or too large index unless C == v.
func (g *goGen) drift() {
	m, ids := g.m, g.ids
	var body []jen.Code
	check := func(id string, v uint64) {
		body = append(body, jen.Id("_").Op("=").Id("x").Index(jen.Id(id).Op("-").Op(strconv.FormatUint(v, 10))))
	}
	for i := range m.States {
		check(ids.states[i], uint64(i))
	}
	for i := range m.Events {
		check(ids.events[i], uint64(i))
	}
	for i := range m.Actions {
		check(ids.actions[i], 1<<uint(i))
	}
	for i := range m.Guards {
		check(ids.guards[i], 1<<uint(i))
	}
	check("InitialState", uint64(m.Initial))
	check("NumStates", uint64(len(m.States)))
	check("NumEvents", uint64(len(m.Events)))
	check("NumActions", uint64(len(m.Actions)))
	check("NumGuards", uint64(len(m.Guards)))
	check("OutcomeGoto", uint64(spec.Goto))
	check("OutcomeStay", uint64(spec.Stay))
	check("OutcomeIgnore", uint64(spec.Ignore))
	check("OutcomeError", uint64(spec.Reject))
	for _, k := range spec.EventKinds() {
		check(eventKindIDs[k], uint64(k))
	}
	if len(m.Timers) > 0 {
		check("NumTimers", uint64(len(m.Timers)))
	}

	g.f.Comment("An \"invalid array index\" compiler error here means that a constant no")
	g.f.Comment("longer has the value that Rows, Step and Match were generated with:")
	g.f.Commentf("the file was edited by hand. Run go generate to rebuild it from %s.", g.src)
	g.f.Func().Id("_").Params().Block(append([]jen.Code{
		jen.Var().Id("x").Index(jen.Lit(1)).Struct(),
	}, body...)...)
}

// actionsExpr is the constant expression of an action set.
func (g *goGen) actionsExpr(set uint64) jen.Code {
	if set == 0 {
		return jen.Lit(0)
	}
	var e *jen.Statement
	for i := range g.m.Actions {
		if set&(1<<uint(i)) == 0 {
			continue
		}
		if e == nil {
			e = jen.Id(g.ids.actions[i])
		} else {
			e = e.Op("|").Id(g.ids.actions[i])
		}
	}
	return e
}

// guardsExpr is the constant expression of a guard set.
func (g *goGen) guardsExpr(set uint64) jen.Code {
	var e *jen.Statement
	for i := range g.m.Guards {
		if set&(1<<uint(i)) == 0 {
			continue
		}
		if e == nil {
			e = jen.Id(g.ids.guards[i])
		} else {
			e = e.Op("|").Id(g.ids.guards[i])
		}
	}
	return e
}

var outcomeIDs = [...]string{
	spec.Goto:   "OutcomeGoto",
	spec.Stay:   "OutcomeStay",
	spec.Ignore: "OutcomeIgnore",
	spec.Reject: "OutcomeError",
}

func (g *goGen) rows() {
	m, f := g.m, g.f
	f.Comment("Row is one row of the table. A row decides its Event in each of its From")
	f.Comment("states when the guards in Require hold and those in Forbid do not. To is")
	f.Comment("the target of an OutcomeGoto row and zero otherwise; Ref is the text after")
	f.Commentf("\"@\" and Line the row's line in %s.", g.src)
	f.Type().Id("Row").Struct(
		jen.Id("From").Index().Id("State"),
		jen.Id("Event").Id("Event"),
		jen.List(jen.Id("Require"), jen.Id("Forbid")).Id("Guards"),
		jen.Id("Outcome").Id("Outcome"),
		jen.Id("To").Id("State"),
		jen.Id("Actions").Id("Actions"),
		jen.Id("Ref").String(),
		jen.Id("Line").Int(),
	)
	items := make([]jen.Code, len(m.Rows))
	for i := range m.Rows {
		r := &m.Rows[i]
		from := make([]jen.Code, len(r.From))
		for j, s := range r.From {
			from[j] = jen.Id(g.ids.states[s])
		}
		fields := []jen.Code{
			jen.Id("From").Op(":").Index().Id("State").Values(from...),
			jen.Id("Event").Op(":").Id(g.ids.events[r.Event]),
		}
		if r.Require != 0 {
			fields = append(fields, jen.Id("Require").Op(":").Add(g.guardsExpr(r.Require)))
		}
		if r.Forbid != 0 {
			fields = append(fields, jen.Id("Forbid").Op(":").Add(g.guardsExpr(r.Forbid)))
		}
		fields = append(fields, jen.Id("Outcome").Op(":").Id(outcomeIDs[r.Outcome]))
		if r.Outcome == spec.Goto {
			fields = append(fields, jen.Id("To").Op(":").Id(g.ids.states[r.To]))
		}
		if set := r.ActionSet(); set != 0 {
			fields = append(fields, jen.Id("Actions").Op(":").Add(g.actionsExpr(set)))
		}
		if r.Ref != "" {
			fields = append(fields, jen.Id("Ref").Op(":").Lit(r.Ref))
		}
		fields = append(fields, jen.Id("Line").Op(":").Lit(r.Pos.Line))
		items[i] = jen.Values(fields...)
	}
	f.Commentf("Rows are the rows of %s in file order; Match returns an index into it.", g.src)
	f.Var().Id("Rows").Op("=").Index(jen.Op("...")).Id("Row").Custom(
		jen.Options{Open: "{", Close: "}", Separator: ",", Multi: len(items) > 0}, items...)
}

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
	var e *jen.Statement
	for i := range g.m.Guards {
		bit := uint64(1) << uint(i)
		var t *jen.Statement
		switch {
		case row.Require&bit != 0:
			t = jen.Id("g").Op("&").Id(g.ids.guards[i]).Op("!=").Lit(0)
		case row.Forbid&bit != 0:
			t = jen.Id("g").Op("&").Id(g.ids.guards[i]).Op("==").Lit(0)
		default:
			continue
		}
		if e == nil {
			e = t
		} else {
			e = e.Op("&&").Add(t)
		}
	}
	return e
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

func (g *goGen) step() {
	m, f := g.m, g.f
	f.Comment("Step decides event e in state s under guards g. It returns the next")
	f.Comment("state and the actions to perform, and ok=false when the table refuses the")
	f.Comment("event (an error row: next is s, act says what to do about it) or when s")
	f.Comment("or e is out of range (next is s, act is 0). Guards that the deciding rows")
	f.Comment("do not mention are not looked at. Step does not allocate.")
	f.Func().Id("Step").Params(
		jen.Id("s").Id("State"), jen.Id("e").Id("Event"), jen.Id("g").Id("Guards"),
	).Params(
		jen.Id("next").Id("State"), jen.Id("act").Id("Actions"), jen.Id("ok").Bool(),
	).Block(
		g.dispatch(func(r, s int) (jen.Code, string) {
			next, set, ok := m.Rows[r].Effect(s)
			return jen.Return(jen.Id(g.ids.states[next]), g.actionsExpr(set), jen.Lit(ok)),
				fmt.Sprintf("%d %x %v", next, set, ok)
		}),
		jen.Return(jen.Id("s"), jen.Lit(0), jen.False()),
	)
}

func (g *goGen) match() {
	m, f := g.m, g.f
	f.Comment("Match returns the index in Rows of the row that decides event e in state s")
	f.Comment("under guards g, or -1 when s or e is out of range. It agrees with Step.")
	f.Func().Id("Match").Params(
		jen.Id("s").Id("State"), jen.Id("e").Id("Event"), jen.Id("g").Id("Guards"),
	).Int().Block(
		g.dispatch(func(r, s int) (jen.Code, string) {
			return jen.Return(jen.Lit(r)).Commentf("%s:%d", g.src, m.Rows[r].Pos.Line),
				strconv.Itoa(r)
		}),
		jen.Return(jen.Lit(-1)),
	)
}
