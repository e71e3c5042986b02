package spec

import (
	"bytes"
	"fmt"
	"os"
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
		p.errs.removeDuplicates()
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
	names      map[string]nameInfo // every declared name, while resolving
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
	r.sources = p.nameList(t, "a declaration keyword or a source state at the start of a line", "a state or group name after \",\"")
	r.events = p.nameList(t, "an event name after the source states", "an event name after \",\"")
	if t.peek().kind == tokLBrack {
		r.guards = p.parseGuards(t)
	}
	p.parseOutcome(t, &r)
	if t.peek().kind == tokColon && !p.parseActions(t, &r) {
		return
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

// nameList reads names separated by commas; first and more say what is
// expected of the first name and of one after a comma.
func (p *parser) nameList(t *tokens, first, more string) []token {
	list := []token{p.name(t, first)}
	for t.peek().kind == tokComma {
		t.next()
		list = append(list, p.name(t, more))
	}
	return list
}

// parseGuards reads "[g, !h]": guards required or, after "!", forbidden.
func (p *parser) parseGuards(t *tokens) []rawLit {
	t.next()
	var guards []rawLit
	for {
		var lit rawLit
		if t.peek().kind == tokNot {
			t.next()
			lit.not = true
		}
		lit.name = p.name(t, "a guard name")
		guards = append(guards, lit)
		if t.peek().kind != tokComma {
			break
		}
		t.next()
	}
	p.expect(t, tokRBrack, `"," or "]" in the guard list`)
	return guards
}

// parseOutcome reads "-> STATE", stay, ignore or error into r.
func (p *parser) parseOutcome(t *tokens, r *rawRow) {
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
}

// parseActions reads ": ACTION ..." into r. It reports false, and the row
// is dropped, when the row is an ignore row, which takes no actions.
func (p *parser) parseActions(t *tokens, r *rawRow) bool {
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
		return false
	}
	return true
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
