package spec

import (
	"path/filepath"
	"slices"
	"strings"
)

// Name resolution: the declaration lines become the Machine's numbered
// declarations, and the rows as written become Rows of indexes. The parts
// of a row are checked each on its own, so that one run reports every
// problem; a row with an unresolved name is left out.

// nameInfo says what a declared name is.
type nameInfo struct {
	kind  string // state, event, action, guard, group, machine
	index int
	pos   Pos
}

// resolve declares names and turns raw rows into Rows.
func (p *parser) resolve() {
	p.m = &Machine{File: p.file, Doc: p.doc, Initial: -1}
	p.usedGroups = map[int]bool{}
	p.names = map[string]nameInfo{}
	initial, finals := p.declareAll()
	p.resolveArms()
	if p.m.Name == "" {
		base := filepath.Base(p.file)
		p.m.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	p.checkLimits()
	p.resolveGroups()
	p.checkDeclared()
	p.resolveInitial(initial)
	p.resolveFinals(finals)
	for _, r := range p.rows {
		p.resolveRow(r)
	}
}

// declare records tok as a name of the given kind, numbered index; it
// reports a name declared before, whatever it was then.
func (p *parser) declare(tok token, kind string, index int) bool {
	if prev, ok := p.names[tok.text]; ok {
		if prev.kind == kind {
			p.errorf(tok.pos, "%s %q declared again (first declared on %s)", kind, tok.text, p.at(prev.pos))
		} else {
			p.errorf(tok.pos, "%q declared as %s, but it is already %s (declared on %s)", tok.text, article(kind), article(prev.kind), p.at(prev.pos))
		}
		return false
	}
	p.names[tok.text] = nameInfo{kind: kind, index: index, pos: tok.pos}
	return true
}

// declareAll declares the names of the declaration lines in file order. It
// returns the initial line (nil if none) and the final states as written,
// which are resolved once every state is declared.
func (p *parser) declareAll() (initial *rawDecl, finals []token) {
	m := p.m
	lists := map[string]*[]Decl{"states": &m.States, "events": &m.Events, "calls": &m.Events, "timers": &m.Events, "actions": &m.Actions, "guards": &m.Guards}
	var machine *rawDecl
	for i := range p.decls {
		d := &p.decls[i]
		switch d.kind {
		case "machine":
			if machine != nil {
				p.errorf(d.pos, "machine name given twice (first on %s)", p.at(machine.pos))
				continue
			}
			machine = d
			m.Name = d.names[0].text
		case "initial":
			if initial != nil {
				p.errorf(d.pos, "initial state given twice (first on %s): a machine has one initial state", p.at(initial.pos))
				continue
			}
			initial = d
		case "final":
			finals = append(finals, d.names...)
		default:
			p.declareList(d, lists[d.kind])
		}
	}
	return initial, finals
}

// declareList declares the names of a states, events, calls, timers,
// actions or guards line, appending them to list.
func (p *parser) declareList(d *rawDecl, list *[]Decl) {
	for _, n := range d.names {
		// A comment documents the line's name only when the line declares
		// one name.
		doc := ""
		if len(d.names) == 1 {
			doc = d.doc
		}
		if !p.declare(n, kindNoun(d.kind), len(*list)) {
			continue
		}
		*list = append(*list, Decl{Name: n.text, Pos: n.pos, Doc: doc})
		if list == &p.m.Events {
			p.declareEvent(d, len(p.m.Events)-1)
		}
	}
}

func (p *parser) checkLimits() {
	m := p.m
	for _, c := range []struct {
		decls []Decl
		kind  string
		max   int
	}{{m.States, "states", MaxStates}, {m.Events, "events", MaxEvents}, {m.Actions, "actions", MaxActions}, {m.Guards, "guards", MaxGuards}} {
		if len(c.decls) > c.max {
			p.errorf(c.decls[c.max].Pos, "too many %s: expected at most %d, found %d", c.kind, c.max, len(c.decls))
		}
	}
}

// resolveGroups declares the groups. A group may name states and groups
// declared before it; unknown members are reported, and the group keeps
// the rest.
func (p *parser) resolveGroups() {
	for _, g := range p.groups {
		var members []int
		seen := map[int]bool{}
		for _, mem := range g.members {
			states, _ := p.lookupStates(mem, "in group "+g.name.text)
			members = appendUnseen(members, seen, states)
		}
		if !p.declare(g.name, "group", len(p.m.Groups)) {
			continue
		}
		slices.Sort(members)
		p.m.Groups = append(p.m.Groups, Group{Name: g.name.text, Pos: g.name.pos, Doc: g.doc, States: members})
	}
}

// appendUnseen appends to list the items that seen does not hold yet, and
// records them in seen.
func appendUnseen(list []int, seen map[int]bool, items []int) []int {
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			list = append(list, it)
		}
	}
	return list
}

// checkDeclared reports a table that declares no states or no events.
func (p *parser) checkDeclared() {
	pos1 := Pos{p.file, 1, 1}
	if len(p.m.States) == 0 {
		p.errorf(pos1, "no states: expected a \"states\" line declaring at least one state")
	}
	if len(p.m.Events) == 0 {
		p.errorf(pos1, "no events: expected an \"events\" line declaring at least one event")
	}
}

// resolveInitial resolves the state of the initial line, which a table
// must have.
func (p *parser) resolveInitial(initial *rawDecl) {
	if initial == nil {
		p.errorf(Pos{p.file, 1, 1}, "no initial state: expected an \"initial STATE\" line")
		return
	}
	if s, ok := p.lookup(initial.names[0], "state", "initial state"); ok {
		p.m.Initial = s
	}
}

// resolveFinals resolves the final states, of which a table has at least
// one, each listed once.
func (p *parser) resolveFinals(finals []token) {
	if len(finals) == 0 {
		p.errorf(Pos{p.file, 1, 1}, "no final state: expected a \"final STATE ...\" line")
	}
	seen := map[int]bool{}
	for _, f := range finals {
		s, ok := p.lookup(f, "state", "final state")
		if !ok {
			continue
		}
		if seen[s] {
			p.errorf(f.pos, "state %q listed as final twice", f.text)
			continue
		}
		seen[s] = true
		p.m.Final = append(p.m.Final, s)
	}
}

// lookup resolves a name that must be of the given kind.
func (p *parser) lookup(tok token, kind, role string) (int, bool) {
	info, ok := p.names[tok.text]
	switch {
	case !ok:
		p.errorf(tok.pos, "unknown %s %q: expected a declared %s", role, tok.text, kind)
		return -1, false
	case info.kind != kind:
		p.errorf(tok.pos, "%s %q is %s (declared on %s), expected %s", role, tok.text, article(info.kind), p.at(info.pos), article(kind))
		return -1, false
	}
	return info.index, true
}

// lookupStates resolves a state or group name to its states.
func (p *parser) lookupStates(tok token, where string) ([]int, bool) {
	info, ok := p.names[tok.text]
	switch {
	case !ok:
		p.errorf(tok.pos, "unknown state or group %q %s", tok.text, where)
		return nil, false
	case info.kind == "state":
		return []int{info.index}, true
	case info.kind == "group":
		p.usedGroups[info.index] = true
		return p.m.Groups[info.index].States, true
	}
	p.errorf(tok.pos, "%q %s is %s (declared on %s), expected a state or group", tok.text, where, article(info.kind), p.at(info.pos))
	return nil, false
}

// resolveRow turns a row as written into Rows, one per event it lists; a
// row with a problem adds none.
func (p *parser) resolveRow(r rawRow) {
	sources, from, okFrom := p.resolveSources(r.sources)
	events, okEvents := p.resolveEvents(r.events)
	require, forbid, okGuards := p.resolveGuards(r.guards)
	to, okTo := p.resolveTarget(r)
	actions, okActions := p.resolveActions(r.actions)
	if !okFrom || !okEvents || !okGuards || !okTo || !okActions {
		return
	}
	row := Row{
		Pos: r.pos, Sources: sources, From: from, Event: -1,
		Require: require, Forbid: forbid, Outcome: r.outcome, To: to,
		Actions: actions, Ref: r.ref, Doc: r.doc,
	}
	// A row that lists several events stands for one row per event.
	for i, e := range events {
		if slices.Contains(events[:i], e) {
			p.errorf(r.events[i].pos, "event %q listed twice in one row", r.events[i].text)
			continue
		}
		row.Event = e
		p.m.Rows = append(p.m.Rows, row)
	}
}

// resolveSources returns the source names as written and the states they
// cover (groups expanded), sorted and without repeats.
func (p *parser) resolveSources(sources []token) (names []string, from []int, ok bool) {
	ok = true
	seen := map[int]bool{}
	for _, src := range sources {
		names = append(names, src.text)
		states, good := p.lookupStates(src, "as a row source")
		ok = ok && good
		from = appendUnseen(from, seen, states)
	}
	slices.Sort(from)
	return names, from, ok
}

// resolveEvents returns the indexes of the row's events as written.
func (p *parser) resolveEvents(toks []token) ([]int, bool) {
	var events []int
	ok := true
	for _, ev := range toks {
		if e, good := p.lookup(ev, "event", "event"); good {
			events = append(events, e)
		} else {
			ok = false
		}
	}
	return events, ok
}

// resolveGuards returns the guards the row requires and forbids, as bit
// sets; a guard may be listed once.
func (p *parser) resolveGuards(lits []rawLit) (require, forbid uint64, ok bool) {
	ok = true
	for _, lit := range lits {
		g, good := p.lookup(lit.name, "guard", "guard")
		if !good {
			ok = false
			continue
		}
		bit := uint64(1) << uint(g)
		switch {
		case (require|forbid)&bit != 0 && (lit.not && require&bit != 0 || !lit.not && forbid&bit != 0):
			p.errorf(lit.name.pos, "guard %q is both required and forbidden: the row can never apply", lit.name.text)
			ok = false
		case (require|forbid)&bit != 0:
			p.errorf(lit.name.pos, "guard %q listed twice in one row", lit.name.text)
			ok = false
		case lit.not:
			forbid |= bit
		default:
			require |= bit
		}
	}
	return require, forbid, ok
}

// resolveTarget returns the target state of a Goto row, and -1 for the
// other outcomes.
func (p *parser) resolveTarget(r rawRow) (int, bool) {
	if r.outcome != Goto {
		return -1, true
	}
	return p.lookup(r.to, "state", "target state")
}

// resolveActions returns the indexes of the row's actions as written; an
// action may be listed once.
func (p *parser) resolveActions(toks []token) ([]int, bool) {
	var actions []int
	var seen uint64
	ok := true
	for _, a := range toks {
		i, good := p.lookup(a, "action", "action")
		if !good {
			ok = false
			continue
		}
		if seen&(1<<uint(i)) != 0 {
			p.errorf(a.pos, "action %q listed twice in one row", a.text)
			ok = false
			continue
		}
		seen |= 1 << uint(i)
		actions = append(actions, i)
	}
	return actions, ok
}
