package spec

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// An Error is one problem found in a table, at a position.
type Error struct {
	Pos Pos
	Msg string
}

// Error formats the problem as "file:line:col: message".
func (e *Error) Error() string {
	return e.Pos.String() + ": " + e.Msg
}

// ErrorList is every problem found in one run, in source order. Parse goes
// on after an error so that one run reports as many as it can.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// compareErrors orders errors by position, then message.
func compareErrors(a, b *Error) int {
	if c := cmp.Compare(a.Pos.File, b.Pos.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Pos.Line, b.Pos.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Pos.Col, b.Pos.Col); c != 0 {
		return c
	}
	return cmp.Compare(a.Msg, b.Msg)
}

// Sort sorts the list by position; errors at the same position keep a
// deterministic order by message.
func (l ErrorList) Sort() { slices.SortStableFunc(l, compareErrors) }

// removeDuplicates sorts the list and drops errors that repeat an earlier
// one exactly (same position, same message).
func (l *ErrorList) removeDuplicates() {
	l.Sort()
	out := (*l)[:0]
	for _, e := range *l {
		if len(out) > 0 && *e == *out[len(out)-1] {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// Error joins all messages, one per line.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
