package gen

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"go/token"
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
	g.calls()
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
	if n := countKind(m, spec.Call); n > 0 {
		check("NumCalls", uint64(n))
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
	return setExpr(g.ids.actions, set)
}

// guardsExpr is the constant expression of a non-empty guard set.
func (g *goGen) guardsExpr(set uint64) jen.Code {
	return setExpr(g.ids.guards, set)
}

// setExpr is the constant expression of a non-empty bit set whose bit i is
// the constant ids[i]: the constants joined by "|".
func setExpr(ids []string, set uint64) *jen.Statement {
	var terms []*jen.Statement
	for i, id := range ids {
		if set&(1<<uint(i)) != 0 {
			terms = append(terms, jen.Id(id))
		}
	}
	return joined("|", terms)
}

// joined is terms joined by the binary operator op, "a op b op c", or nil
// for no terms.
func joined(op string, terms []*jen.Statement) *jen.Statement {
	var e *jen.Statement
	for _, t := range terms {
		if e == nil {
			e = t
		} else {
			e = e.Op(op).Add(t)
		}
	}
	return e
}

// anyOf is the condition that one of terms holds, or false for no terms.
func anyOf(terms []*jen.Statement) *jen.Statement {
	if len(terms) == 0 {
		return jen.False()
	}
	return joined("||", terms)
}

// boolMethod writes the method name of type typ that returns cond; the
// caller writes its doc comment.
func (g *goGen) boolMethod(recv, typ, name string, cond jen.Code) {
	g.f.Func().Params(jen.Id(recv).Id(typ)).Id(name).Params().Bool().Block(jen.Return(cond))
}

// stepFunc writes Step with the given body. Its doc comment is the same for
// both shapes but for the last lines, which say what the shape costs.
func (g *goGen) stepFunc(docEnd []string, body ...jen.Code) {
	f := g.f
	f.Comment("Step decides event e in state s under guards g. It returns the next")
	f.Comment("state and the actions to perform, and ok=false when the table refuses the")
	f.Comment("event (an error row: next is s, act says what to do about it) or when s")
	f.Comment("or e is out of range (next is s, act is 0). Guards that the deciding rows")
	for _, line := range docEnd {
		f.Comment(line)
	}
	f.Func().Id("Step").Params(
		jen.Id("s").Id("State"), jen.Id("e").Id("Event"), jen.Id("g").Id("Guards"),
	).Params(
		jen.Id("next").Id("State"), jen.Id("act").Id("Actions"), jen.Id("ok").Bool(),
	).Block(body...)
}

// matchFunc writes Match with the given body.
func (g *goGen) matchFunc(body ...jen.Code) {
	g.f.Comment("Match returns the index in Rows of the row that decides event e in state s")
	g.f.Comment("under guards g, or -1 when s or e is out of range. It agrees with Step.")
	g.f.Func().Id("Match").Params(
		jen.Id("s").Id("State"), jen.Id("e").Id("Event"), jen.Id("g").Id("Guards"),
	).Int().Block(body...)
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
