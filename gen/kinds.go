package gen

import (
	"github.com/dave/jennifer/jen"

	"github.com/synfin/synfin/spec"
)

// The parts of the generated file that carry spec's definitions over to
// the generated package: what each outcome does, the kind of each event and
// the timers. Each is written from spec's own answer (Outcome.Moves and the
// like, Machine.Kinds, Machine.Timers), so generated code and the
// interpreter cannot disagree.

// eventKindIDs are the generated constants of spec's event kinds.
var eventKindIDs = [...]string{
	spec.Input:   "KindInput",
	spec.Call:    "KindCall",
	spec.Timeout: "KindTimer",
}

var eventKindDocs = [...]string{
	spec.Input:   "KindInput is an event declared with \"events\": any other input.",
	spec.Call:    "KindCall is an event declared with \"calls\": a user's request.",
	spec.Timeout: "KindTimer is an event declared with \"timers\": a timer ran out.",
}

func (g *goGen) outcome() {
	f := g.f
	f.Comment("Outcome says what a row does with the events it decides.")
	f.Type().Id("Outcome").Uint8()
	f.Const().Defs(
		jen.Comment("OutcomeGoto moves to the row's target state and performs its actions."),
		jen.Id("OutcomeGoto").Id("Outcome").Op("=").Lit(int(spec.Goto)),
		jen.Comment("OutcomeStay remains in the state and performs the row's actions."),
		jen.Id("OutcomeStay").Id("Outcome").Op("=").Lit(int(spec.Stay)),
		jen.Comment("OutcomeIgnore remains in the state and does nothing."),
		jen.Id("OutcomeIgnore").Id("Outcome").Op("=").Lit(int(spec.Ignore)),
		jen.Comment("OutcomeError refuses the event: the state is unchanged, Step reports"),
		jen.Comment("ok=false, and the row's actions (telling the user why) are performed."),
		jen.Id("OutcomeError").Id("Outcome").Op("=").Lit(int(spec.Reject)),
	)
	f.Comment("String returns the table keyword of o: goto, stay, ignore or error.")
	cases := make([]jen.Code, 0, len(spec.Outcomes()))
	for _, o := range spec.Outcomes() {
		cases = append(cases, jen.Case(jen.Id(outcomeIDs[o])).Block(jen.Return(jen.Lit(o.String()))))
	}
	f.Func().Params(jen.Id("o").Id("Outcome")).Id("String").Params().String().Block(
		jen.Switch(jen.Id("o")).Block(cases...),
		jen.Return(jen.Lit("Outcome(").Op("+").Qual("strconv", "Itoa").Call(jen.Int().Parens(jen.Id("o"))).Op("+").Lit(")")),
	)
	g.outcomeTest("Moves", "goes to its target state To", spec.Outcome.Moves)
	g.outcomeTest("Acts", "asks for its actions", spec.Outcome.Acts)
	g.outcomeTest("Accepts", "accepts the event (Step reports ok)", spec.Outcome.Accepts)
}

// outcomeTest writes a method of Outcome that reports what test says of
// each of spec's outcomes.
func (g *goGen) outcomeTest(name, what string, test func(spec.Outcome) bool) {
	var terms []*jen.Statement
	for _, o := range spec.Outcomes() {
		if test(o) {
			terms = append(terms, jen.Id("o").Op("==").Id(outcomeIDs[o]))
		}
	}
	g.f.Commentf("%s reports whether a row with outcome o %s.", name, what)
	g.boolMethod("o", "Outcome", name, anyOf(terms))
}

// eventKinds writes the EventKind type and Event.Kind.
func (g *goGen) eventKinds() {
	m, f := g.m, g.f
	f.Comment("EventKind says where an event comes from, as the table declares it.")
	f.Type().Id("EventKind").Uint8()
	f.Const().DefsFunc(func(c *jen.Group) {
		for _, k := range spec.EventKinds() {
			c.Comment(eventKindDocs[k])
			c.Id(eventKindIDs[k]).Id("EventKind").Op("=").Lit(int(k))
		}
	})
	cases := make([]jen.Code, 0, len(spec.EventKinds()))
	for _, k := range spec.EventKinds() {
		cases = append(cases, jen.Case(jen.Id(eventKindIDs[k])).Block(jen.Return(jen.Lit(k.String()))))
	}
	f.Comment("String returns the kind's name: input, call or timer.")
	f.Func().Params(jen.Id("k").Id("EventKind")).Id("String").Params().String().Block(
		jen.Switch(jen.Id("k")).Block(cases...),
		jen.Return(jen.Lit("EventKind(").Op("+").Qual("strconv", "Itoa").Call(jen.Int().Parens(jen.Id("k"))).Op("+").Lit(")")),
	)
	var kinds []jen.Code
	for e := range m.Events {
		if k := m.EventKind(e); k != spec.Input {
			kinds = append(kinds, jen.Id(g.ids.events[e]).Op(":").Id(eventKindIDs[k]))
		}
	}
	f.Var().Id("_Event_kinds").Op("=").Index(jen.Id("NumEvents")).Id("EventKind").Custom(
		jen.Options{Open: "{", Close: "}", Separator: ",", Multi: len(kinds) > 0}, kinds...)
	f.Comment("Kind returns the kind of e; an event out of range is a KindInput.")
	f.Func().Params(jen.Id("e").Id("Event")).Id("Kind").Params().Id("EventKind").Block(
		jen.If(jen.Id("e").Op("<").Id("NumEvents")).Block(jen.Return(jen.Id("_Event_kinds").Index(jen.Id("e")))),
		jen.Return(jen.Id("KindInput")),
	)
}

// calls writes NumCalls and CallEvents, for a table that declares calls.
func (g *goGen) calls() {
	m, f := g.m, g.f
	var events []jen.Code
	for e := range m.Events {
		if m.EventKind(e) == spec.Call {
			events = append(events, jen.Id(g.ids.events[e]))
		}
	}
	if len(events) == 0 {
		return
	}
	f.Comment("NumCalls is the number of user calls the table declares.")
	f.Const().Id("NumCalls").Op("=").Lit(len(events))
	f.Comment("CallEvents holds the events of the user calls, in table order.")
	f.Var().Id("CallEvents").Op("=").Index(jen.Id("NumCalls")).Id("Event").Custom(
		jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, events...)
}

// timers writes NumTimers, TimerEvents and TimerArms, for a table that
// declares timers.
func (g *goGen) timers() {
	m, f := g.m, g.f
	if len(m.Timers) == 0 {
		return
	}
	f.Comment("NumTimers is the number of timers the table declares; timer i runs out")
	f.Comment("as TimerEvents[i].")
	f.Const().Id("NumTimers").Op("=").Lit(len(m.Timers))
	events := make([]jen.Code, len(m.Timers))
	arms := make([]jen.Code, len(m.Timers))
	for i, t := range m.Timers {
		events[i] = jen.Id(g.ids.events[t.Event])
		arms[i] = jen.Lit(0)
		if t.Arm >= 0 {
			arms[i] = jen.Id(g.ids.actions[t.Arm])
		}
	}
	multi := jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}
	f.Comment("TimerEvents holds the event each timer's expiry produces, in table order.")
	f.Var().Id("TimerEvents").Op("=").Index(jen.Id("NumTimers")).Id("Event").Custom(multi, events...)
	f.Comment("TimerArms holds the action that (re)starts each timer (\"timers NAME :")
	f.Comment("ACTION\"), or 0 for a timer its caller arms by rules of its own.")
	f.Var().Id("TimerArms").Op("=").Index(jen.Id("NumTimers")).Id("Actions").Custom(multi, arms...)
}

// countKind is the number of events of m of kind k.
func countKind(m *spec.Machine, k spec.EventKind) int {
	n := 0
	for e := range m.Events {
		if m.EventKind(e) == k {
			n++
		}
	}
	return n
}
