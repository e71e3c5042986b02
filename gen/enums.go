package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/synfin/synfin/spec"
)

// The types numbered from the table's declarations: State and Event, whose
// constants count up from zero, and the bit sets Actions and Guards, whose
// constants are one bit each; each with its count and its String method.

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

// isFinal writes State.IsFinal.
func (g *goGen) isFinal() {
	var terms []*jen.Statement
	for _, s := range g.m.Final {
		terms = append(terms, jen.Id("s").Op("==").Id(g.ids.states[s]))
	}
	g.f.Comment("IsFinal reports whether s is a final state.")
	g.boolMethod("s", "State", "IsFinal", anyOf(terms))
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
