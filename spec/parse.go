package spec

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

var keywords = map[string]bool{
	"machine": true, "states": true, "initial": true, "final": true,
	"events": true, "calls": true, "timers": true, "actions": true, "guards": true, "group": true,
	"stay": true, "ignore": true, "error": true,
}

func isKeyword(s string) bool { return keywords[s] }

// ParseFile reads and parses the table in the named file. See Parse.
func ParseFile(filename string) (*Machine, error) {
	src, err := os.ReadFile(filename)
	if err != nil {
		return nil, err
	}
	return Parse(filename, src)
}

// Parse parses and validates the table in src; filename is used in
// positions. On failure the error is an ErrorList holding every problem
// found, sorted by position; the Machine is then nil.
func Parse(filename string, src []byte) (*Machine, error) {
	p := &parser{file: filename}
	p.parse(src)
	if len(p.errs) == 0 {
		p.resolve()
	}
	if len(p.errs) == 0 {
		p.m.Index()
		p.validate()
	}
	if len(p.errs) > 0 {
		p.errs.RemoveDuplicates()
		return nil, p.errs
	}
	return p.m, nil
}

// A declaration or row as written, before names are resolved.
type rawDecl struct {
	kind  string // the keyword: states, events, calls, timers, actions, guards, final, initial, machine
	names []token
	arm   *token // timers NAME : ACTION, the action that arms the timer
	doc   string
	pos   Pos
}

type rawGroup struct {
	name    token
	members []token
	doc     string
}

type rawLit struct {
	name token
	not  bool
}

type rawRow struct {
	pos     Pos
	sources []token
	events  []token
	guards  []rawLit
	outcome Outcome
	to      token
	colon   Pos // position of ":" when actions are given
	actions []token
	ref     string
	doc     string
}

type parser struct {
	file string
	errs ErrorList

	doc    string // top comment block of the file
	decls  []rawDecl
	groups []rawGroup
	rows   []rawRow

	m          *Machine
	usedGroups map[int]bool
	arms       []*token // by timer: the arming action as written, or nil
}

func (p *parser) errorf(pos Pos, format string, args ...any) {
	p.errs.Add(pos, format, args...)
}

// parse reads src line by line into declarations and rows.
func (p *parser) parse(src []byte) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if !p.checkText(src) {
		return
	}
	lines := strings.Split(string(src), "\n")
	var pending []string // comment lines directly above the current line
	top := true          // still in the file's first comment block
	sawCode := false
	for i, text := range lines {
		num := i + 1
		if len(text) > MaxLineLength {
			p.errorf(Pos{p.file, num, MaxLineLength + 1}, "line too long: expected at most %d bytes, found %d", MaxLineLength, len(text))
			pending = nil
			continue
		}
		ln := lexLine(p.file, num, text)
		if !ln.hasCode {
			switch {
			case ln.comment == "" && strings.TrimSpace(text) == "":
				// A blank line ends a comment block.
				if top && len(pending) > 0 && !sawCode {
					p.doc = strings.Join(pending, "\n")
					top = false
				}
				pending = nil
			default:
				pending = append(pending, strings.TrimPrefix(ln.comment, " "))
			}
			continue
		}
		top = false
		sawCode = true
		doc := strings.Join(pending, "\n")
		pending = nil
		p.parseLine(ln.tokens, doc)
	}
	if !sawCode && len(p.errs) == 0 {
		p.errorf(Pos{p.file, 1, 1}, "empty table: expected declarations (states, initial, final, events) and rows, found none")
	}
}

// checkText rejects input that is not UTF-8 text, reporting where the
// first offending byte is.
func (p *parser) checkText(src []byte) bool {
	num, col := 1, 1
	for i := 0; i < len(src); {
		c := src[i]
		if c == 0 {
			p.errorf(Pos{p.file, num, col}, "binary data: expected UTF-8 text, found a NUL byte")
			return false
		}
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			p.errorf(Pos{p.file, num, col}, "binary data: expected UTF-8 text, found byte 0x%02x", c)
			return false
		}
		if c == '\n' {
			num, col = num+1, 1
		} else {
			col += size
		}
		i += size
	}
	return true
}

// tokens walks one line's tokens.
type tokens struct {
	toks []token
	i    int
}

func (t *tokens) peek() token { return t.toks[t.i] }
func (t *tokens) next() token {
	tok := t.toks[t.i]
	if tok.kind != tokEOL {
		t.i++
	}
	return tok
}

// lineError aborts the parse of the current line.
type lineError struct{}

func (p *parser) expect(t *tokens, kind tokenKind, what string) token {
	tok := t.next()
	if tok.kind != kind {
		p.fail(tok, what)
	}
	return tok
}

// fail reports "expected what, found tok" and abandons the line.
func (p *parser) fail(tok token, what string) {
	if tok.kind == tokBad {
		p.errorf(tok.pos, "unexpected character %q: expected %s", tok.text, what)
	} else {
		p.errorf(tok.pos, "expected %s, found %s", what, tok.describe())
	}
	panic(lineError{})
}

// name reads a name that is not a keyword.
func (p *parser) name(t *tokens, what string) token {
	tok := t.peek()
	if tok.kind != tokName || isKeyword(tok.text) {
		p.fail(tok, what)
	}
	return t.next()
}

func (p *parser) parseLine(toks []token, doc string) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(lineError); !ok {
				panic(r)
			}
		}
	}()
	t := &tokens{toks: toks}
	first := t.peek()
	if first.kind == tokName && isKeyword(first.text) {
		switch first.text {
		case "group":
			p.parseGroup(t, doc)
		case "stay", "ignore", "error":
			p.fail(first, "a declaration keyword or a source state at the start of a line")
		default:
			p.parseDecl(t, doc)
		}
		return
	}
	p.parseRow(t, doc)
}

// parseDecl reads "states A B C", "initial A", "machine NAME" and the like.
func (p *parser) parseDecl(t *tokens, doc string) {
	kw := t.next()
	d := rawDecl{kind: kw.text, doc: doc, pos: kw.pos}
	for t.peek().kind != tokEOL {
		if kw.text == "timers" && t.peek().kind == tokColon && len(d.names) > 0 {
			p.parseArm(t, &d)
			break
		}
		d.names = append(d.names, p.name(t, kindNoun(kw.text)+" name"))
		if t.peek().kind == tokComma {
			t.next() // commas between names are allowed
		}
	}
	switch {
	case len(d.names) == 0:
		p.fail(t.peek(), "at least one "+kindNoun(kw.text)+" name after "+kw.text)
	case (kw.text == "initial" || kw.text == "machine") && len(d.names) > 1:
		p.errorf(d.names[1].pos, "expected end of line after %q, found %s: %s takes one name", d.names[0].text, d.names[1].describe(), kw.text)
		return
	}
	p.decls = append(p.decls, d)
}

// kindNoun is the singular noun for a declaration keyword.
func kindNoun(kw string) string {
	switch kw {
	case "states", "initial", "final":
		return "state"
	case "events", "calls", "timers":
		return "event"
	case "actions":
		return "action"
	case "guards":
		return "guard"
	case "machine":
		return "machine"
	}
	return kw
}

// parseGroup reads "group NAME = A B C".
func (p *parser) parseGroup(t *tokens, doc string) {
	t.next()
	g := rawGroup{doc: doc}
	g.name = p.name(t, "group name after group")
	p.expect(t, tokEquals, `"=" after the group name`)
	for t.peek().kind != tokEOL {
		g.members = append(g.members, p.name(t, "state name in group "+g.name.text))
		if t.peek().kind == tokComma {
			t.next()
		}
	}
	if len(g.members) == 0 {
		p.fail(t.peek(), "at least one state after \"=\" in group "+g.name.text)
	}
	p.groups = append(p.groups, g)
}

// parseRow reads "SOURCES EVENT [GUARDS] OUTCOME [: ACTIONS] [@ REF]".
func (p *parser) parseRow(t *tokens, doc string) {
	r := rawRow{pos: t.peek().pos, doc: doc, to: token{}}
	r.sources = append(r.sources, p.name(t, "a declaration keyword or a source state at the start of a line"))
	for t.peek().kind == tokComma {
		t.next()
		r.sources = append(r.sources, p.name(t, "a state or group name after \",\""))
	}
	r.events = append(r.events, p.name(t, "an event name after the source states"))
	for t.peek().kind == tokComma {
		t.next()
		r.events = append(r.events, p.name(t, "an event name after \",\""))
	}
	if t.peek().kind == tokLBrack {
		t.next()
		for {
			var lit rawLit
			if t.peek().kind == tokNot {
				t.next()
				lit.not = true
			}
			lit.name = p.name(t, "a guard name")
			r.guards = append(r.guards, lit)
			if t.peek().kind == tokComma {
				t.next()
				continue
			}
			p.expect(t, tokRBrack, `"," or "]" in the guard list`)
			break
		}
	}
	out := t.next()
	switch {
	case out.kind == tokArrow:
		r.outcome = Goto
		r.to = p.name(t, `a target state after "->"`)
	case out.kind == tokName && out.text == "stay":
		r.outcome = Stay
	case out.kind == tokName && out.text == "ignore":
		r.outcome = Ignore
	case out.kind == tokName && out.text == "error":
		r.outcome = Reject
	default:
		p.fail(out, `an outcome ("-> STATE", stay, ignore or error)`)
	}
	if t.peek().kind == tokColon {
		colon := t.next()
		r.colon = colon.pos
		for t.peek().kind == tokName {
			r.actions = append(r.actions, p.name(t, "an action name"))
		}
		if len(r.actions) == 0 {
			p.fail(t.peek(), `at least one action name after ":"`)
		}
		if r.outcome == Ignore {
			p.errorf(colon.pos, "an ignore row takes no actions: use stay to act without changing state")
			return
		}
	}
	if t.peek().kind == tokRef {
		ref := t.next()
		if ref.text == "" {
			p.errorf(ref.pos, `expected reference text after "@", found end of line`)
			return
		}
		r.ref = ref.text
	}
	if end := t.peek(); end.kind != tokEOL {
		switch {
		case r.outcome != Ignore && len(r.actions) == 0 && r.ref == "":
			p.fail(end, `":" and actions, "@" and a reference, or end of line`)
		case r.ref == "":
			p.fail(end, `"@" and a reference, or end of line`)
		default:
			p.fail(end, "end of line")
		}
	}
	p.rows = append(p.rows, r)
}

// names maps every declared name to what it is.
type nameInfo struct {
	kind  string // state, event, action, guard, group, machine
	index int
	pos   Pos
}

// resolve declares names and turns raw rows into Rows.
func (p *parser) resolve() {
	m := &Machine{File: p.file, Doc: p.doc, Initial: -1}
	p.m = m
	p.usedGroups = map[int]bool{}
	names := map[string]nameInfo{}
	declare := func(tok token, kind string, index int) bool {
		if prev, ok := names[tok.text]; ok {
			if prev.kind == kind {
				p.errorf(tok.pos, "%s %q declared again (first declared on %s)", kind, tok.text, p.at(prev.pos))
			} else {
				p.errorf(tok.pos, "%q declared as %s, but it is already %s (declared on %s)", tok.text, article(kind), article(prev.kind), p.at(prev.pos))
			}
			return false
		}
		names[tok.text] = nameInfo{kind: kind, index: index, pos: tok.pos}
		return true
	}
	lists := map[string]*[]Decl{"states": &m.States, "events": &m.Events, "calls": &m.Events, "timers": &m.Events, "actions": &m.Actions, "guards": &m.Guards}
	var machineDecl, initialDecl *rawDecl
	var finals []token
	for i := range p.decls {
		d := &p.decls[i]
		switch d.kind {
		case "machine":
			if machineDecl != nil {
				p.errorf(d.pos, "machine name given twice (first on %s)", p.at(machineDecl.pos))
				continue
			}
			machineDecl = d
			m.Name = d.names[0].text
		case "initial":
			if initialDecl != nil {
				p.errorf(d.pos, "initial state given twice (first on %s): a machine has one initial state", p.at(initialDecl.pos))
				continue
			}
			initialDecl = d
		case "final":
			finals = append(finals, d.names...)
		default:
			list := lists[d.kind]
			for _, n := range d.names {
				// A comment documents the line's name only when the line
				// declares one name.
				doc := ""
				if len(d.names) == 1 {
					doc = d.doc
				}
				if declare(n, kindNoun(d.kind), len(*list)) {
					*list = append(*list, Decl{Name: n.text, Pos: n.pos, Doc: doc})
					if list == &m.Events {
						p.declareEvent(d, len(m.Events)-1)
					}
				}
			}
		}
	}
	p.resolveArms(names)
	if m.Name == "" {
		base := filepath.Base(p.file)
		m.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	p.checkLimits()

	// Groups may name states and groups declared before them.
	for _, g := range p.groups {
		var members []int
		seen := map[int]bool{}
		for _, mem := range g.members {
			// Unknown members are reported; the group keeps the rest.
			states, _ := p.lookupStates(names, mem, "in group "+g.name.text)
			for _, s := range states {
				if seen[s] {
					continue
				}
				seen[s] = true
				members = append(members, s)
			}
		}
		if !declare(g.name, "group", len(m.Groups)) {
			continue
		}
		slices.Sort(members)
		m.Groups = append(m.Groups, Group{Name: g.name.text, Pos: g.name.pos, Doc: g.doc, States: members})
	}

	pos1 := Pos{p.file, 1, 1}
	if len(m.States) == 0 {
		p.errorf(pos1, "no states: expected a \"states\" line declaring at least one state")
	}
	if len(m.Events) == 0 {
		p.errorf(pos1, "no events: expected an \"events\" line declaring at least one event")
	}
	if initialDecl == nil {
		p.errorf(pos1, "no initial state: expected an \"initial STATE\" line")
	} else if s, ok := p.lookup(names, initialDecl.names[0], "state", "initial state"); ok {
		m.Initial = s
	}
	if len(finals) == 0 {
		p.errorf(pos1, "no final state: expected a \"final STATE ...\" line")
	}
	seenFinal := map[int]bool{}
	for _, f := range finals {
		if s, ok := p.lookup(names, f, "state", "final state"); ok {
			if seenFinal[s] {
				p.errorf(f.pos, "state %q listed as final twice", f.text)
				continue
			}
			seenFinal[s] = true
			m.Final = append(m.Final, s)
		}
	}
	for _, r := range p.rows {
		p.resolveRow(names, r)
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

// lookup resolves a name that must be of the given kind.
func (p *parser) lookup(names map[string]nameInfo, tok token, kind, role string) (int, bool) {
	info, ok := names[tok.text]
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
func (p *parser) lookupStates(names map[string]nameInfo, tok token, where string) ([]int, bool) {
	info, ok := names[tok.text]
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

func (p *parser) resolveRow(names map[string]nameInfo, r rawRow) {
	m := p.m
	row := Row{Pos: r.pos, Outcome: r.outcome, To: -1, Ref: r.ref, Doc: r.doc, Event: -1}
	ok := true
	seen := map[int]bool{}
	for _, src := range r.sources {
		row.Sources = append(row.Sources, src.text)
		states, good := p.lookupStates(names, src, "as a row source")
		ok = ok && good
		for _, s := range states {
			if seen[s] {
				continue
			}
			seen[s] = true
			row.From = append(row.From, s)
		}
	}
	slices.Sort(row.From)
	var events []int
	for _, ev := range r.events {
		if e, good := p.lookup(names, ev, "event", "event"); good {
			events = append(events, e)
		} else {
			ok = false
		}
	}
	for _, lit := range r.guards {
		g, good := p.lookup(names, lit.name, "guard", "guard")
		if !good {
			ok = false
			continue
		}
		bit := uint64(1) << uint(g)
		switch {
		case (row.Require|row.Forbid)&bit != 0 && (lit.not && row.Require&bit != 0 || !lit.not && row.Forbid&bit != 0):
			p.errorf(lit.name.pos, "guard %q is both required and forbidden: the row can never apply", lit.name.text)
			ok = false
		case (row.Require|row.Forbid)&bit != 0:
			p.errorf(lit.name.pos, "guard %q listed twice in one row", lit.name.text)
			ok = false
		case lit.not:
			row.Forbid |= bit
		default:
			row.Require |= bit
		}
	}
	if r.outcome == Goto {
		if s, good := p.lookup(names, r.to, "state", "target state"); good {
			row.To = s
		} else {
			ok = false
		}
	}
	var acts uint64
	for _, a := range r.actions {
		i, good := p.lookup(names, a, "action", "action")
		if !good {
			ok = false
			continue
		}
		if acts&(1<<uint(i)) != 0 {
			p.errorf(a.pos, "action %q listed twice in one row", a.text)
			ok = false
			continue
		}
		acts |= 1 << uint(i)
		row.Actions = append(row.Actions, i)
	}
	if !ok {
		return
	}
	// A row that lists several events stands for one row per event.
	for i, e := range events {
		if slices.Contains(events[:i], e) {
			p.errorf(r.events[i].pos, "event %q listed twice in one row", r.events[i].text)
			continue
		}
		row.Event = e
		m.Rows = append(m.Rows, row)
	}
}

// quoteList formats names as "a", "b" and "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// at formats a position for a message about the same file: "line N".
func (p *parser) at(pos Pos) string {
	if pos.File == p.file {
		return fmt.Sprintf("line %d", pos.Line)
	}
	return pos.String()
}

// article puts "a" or "an" before a kind of name.
func article(kind string) string {
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}
