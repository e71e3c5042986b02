package spec

import (
	"fmt"
	"strings"
)

// MaxLineLength is the longest line, in bytes, a table may have.
const MaxLineLength = 4096

type tokenKind uint8

const (
	tokEOL    tokenKind = iota // end of a line
	tokName                    // a name: [A-Za-z][A-Za-z0-9_-]*
	tokComma                   // ,
	tokLBrack                  // [
	tokRBrack                  // ]
	tokNot                     // !
	tokArrow                   // ->
	tokColon                   // :
	tokEquals                  // =
	tokRef                     // @ and the text after it; text holds the trimmed reference
	tokBad                     // a character that starts no token; text holds it
)

type token struct {
	kind tokenKind
	text string
	pos  Pos
}

// describe says what a token is, for "expected X, found Y" messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOL:
		return "end of line"
	case tokName:
		if isKeyword(t.text) {
			return fmt.Sprintf("keyword %q", t.text)
		}
		return fmt.Sprintf("name %q", t.text)
	case tokRef:
		return "\"@\""
	case tokBad:
		return fmt.Sprintf("character %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// line is one source line, lexed.
type line struct {
	num     int
	tokens  []token // ends with tokEOL
	comment string  // text after "#", if any
	hasCode bool    // the line has tokens other than tokEOL
}

// lexer splits one line into tokens. It is a small hand-written scanner in
// the style of text/template's: next, peek, backup and emit helpers, run
// synchronously.
type lexer struct {
	file  string
	num   int
	src   string
	start int // start of the token being scanned
	pos   int // current offset
	out   []token
	// comment is the text after "#" on this line.
	comment string
}

const eof = -1

func (l *lexer) next() int {
	if l.pos >= len(l.src) {
		return eof
	}
	c := int(l.src[l.pos])
	l.pos++
	return c
}

func (l *lexer) backup() { l.pos-- }

func (l *lexer) peek() int {
	c := l.next()
	if c != eof {
		l.backup()
	}
	return c
}

func (l *lexer) here(off int) Pos { return Pos{File: l.file, Line: l.num, Col: off + 1} }

func (l *lexer) emit(k tokenKind, text string) {
	l.out = append(l.out, token{kind: k, text: text, pos: l.here(l.start)})
	l.start = l.pos
}

// punctuation maps each character that is a token by itself to its kind.
var punctuation = map[int]tokenKind{
	',': tokComma, '[': tokLBrack, ']': tokRBrack, '!': tokNot, ':': tokColon, '=': tokEquals,
}

func isLetter(c int) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c int) bool  { return c >= '0' && c <= '9' }

// lexLine scans one line, which holds no newline.
func lexLine(file string, num int, src string) line {
	l := &lexer{file: file, num: num, src: src}
	for {
		l.start = l.pos
		c := l.next()
		switch {
		case c == eof:
			l.emit(tokEOL, "")
			return line{num: num, tokens: l.out, comment: l.comment, hasCode: len(l.out) > 1}
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			// Blank; a CR left from a CRLF line ending is blank too.
		case c == '#':
			l.comment = strings.TrimRight(l.src[l.pos:], " \t\r")
			l.pos = len(l.src)
		case isLetter(c):
			l.lexName()
		case c == '-' && l.peek() == '>':
			l.next()
			l.emit(tokArrow, "->")
		case c == '@':
			l.lexRef()
		case punctuation[c] != 0:
			l.emit(punctuation[c], l.src[l.start:l.pos])
		default:
			l.emit(tokBad, badChar(l.src[l.start:]))
		}
	}
}

// lexName scans the rest of a name. A '-' directly followed by '>' is not
// part of the name, so "A->B" reads as A, ->, B.
func (l *lexer) lexName() {
	for {
		c := l.next()
		switch {
		case isLetter(c) || isDigit(c) || c == '_':
		case c == '-' && l.peek() != '>':
		default:
			if c != eof {
				l.backup()
			}
			l.emit(tokName, l.src[l.start:l.pos])
			return
		}
	}
}

// lexRef takes the rest of the line up to a comment as reference text.
func (l *lexer) lexRef() {
	rest := l.src[l.pos:]
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		l.comment = strings.TrimRight(rest[i+1:], " \t\r")
		rest = rest[:i]
	}
	l.pos = len(l.src)
	l.out = append(l.out, token{kind: tokRef, text: strings.TrimSpace(rest), pos: l.here(l.start)})
	l.start = l.pos
}

// badChar returns the character at the start of s for a message: a
// printable rune as itself, anything else as an escape.
func badChar(s string) string {
	for _, r := range s {
		return string(r)
	}
	return s
}
