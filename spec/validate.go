package spec

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// validate checks that the resolved machine is total, deterministic,
// connected and free of unused declarations. Each finding names the states
// and events involved.
func (p *parser) validate() {
	dup := p.checkDuplicates()
	p.checkPairs(dup)
	p.checkReachability()
	p.checkUnused()
}

// rowKey identifies what a row says, independent of how it is written.
func rowKey(r *Row) string {
	acts := slices.Clone(r.Actions)
	slices.Sort(acts)
	return fmt.Sprint(r.From, r.Event, r.Require, r.Forbid, r.Outcome, r.To, acts)
}

// checkDuplicates reports rows that repeat an earlier row exactly and
// returns them, so the overlap check does not report them a second time.
func (p *parser) checkDuplicates() map[int]bool {
	m := p.m
	first := map[string]int{}
	dup := map[int]bool{}
	for i := range m.Rows {
		k := rowKey(&m.Rows[i])
		if j, ok := first[k]; ok {
			p.errorf(m.Rows[i].Pos, "duplicate row: it says the same as the row on %s", p.at(m.Rows[j].Pos))
			dup[i] = true
			continue
		}
		first[k] = i
	}
	return dup
}

// pairFindings is what checkPairs finds, kept to be reported by state and
// by pair of rows once every pair is checked.
type pairFindings struct {
	missing  [][]string           // per state, the events with no row
	overlaps map[rowPair][]string // two rows -> descriptions of where both apply
	order    []rowPair            // the keys of overlaps in the order found
}

// rowPair is two rows that apply at once, by index in Machine.Rows.
type rowPair struct{ a, b int }

// checkPairs proves that every (state, event) pair is decided by exactly
// one row under every combination of the guards its rows mention.
func (p *parser) checkPairs(dup map[int]bool) {
	m := p.m
	found := &pairFindings{missing: make([][]string, len(m.States)), overlaps: map[rowPair][]string{}}
	for s := range m.States {
		for e := range m.Events {
			var rows []int
			for _, r := range m.byPair[s*len(m.Events)+e] {
				if !dup[r] {
					rows = append(rows, r)
				}
			}
			p.checkPair(s, e, rows, found)
		}
	}
	p.reportMissing(found.missing)
	for _, k := range found.order {
		a, b := &m.Rows[k.a], &m.Rows[k.b]
		p.errorf(b.Pos, "two rows decide event %q: this row and the row on %s both apply in state %s",
			m.Events[b.Event].Name, p.at(a.Pos), strings.Join(found.overlaps[k], ", state "))
	}
}

// checkPair checks that rows, those covering state s and event e, decide
// the pair exactly once under every combination of the guards they
// mention. A pair without rows and rows that overlap go into found; a
// combination no row decides is reported here.
func (p *parser) checkPair(s, e int, rows []int, found *pairFindings) {
	m := p.m
	if len(rows) == 0 {
		found.missing[s] = append(found.missing[s], m.Events[e].Name)
		return
	}
	var mask uint64
	for _, r := range rows {
		mask |= m.Rows[r].Require | m.Rows[r].Forbid
	}
	if n := bits.OnesCount64(mask); n > MaxRowGuards {
		p.errorf(m.Rows[rows[0]].Pos, "event %q in state %q depends on %d guards: expected at most %d", m.Events[e].Name, m.States[s].Name, n, MaxRowGuards)
		return
	}
	var uncovered []string
	// Enumerate every subset of mask: each is one assignment of the guards
	// the pair's rows distinguish.
	for sub := uint64(0); ; sub = (sub - mask) & mask {
		var hit []int
		for _, r := range rows {
			if m.Rows[r].Matches(sub) {
				hit = append(hit, r)
			}
		}
		switch {
		case len(hit) == 0:
			uncovered = append(uncovered, m.assignment(mask, sub))
		case len(hit) > 1:
			where := fmt.Sprintf("%q", m.States[s].Name)
			if mask != 0 {
				where += " when " + m.assignment(mask, sub)
			}
			found.addOverlap(rowPair{hit[0], hit[1]}, where)
		}
		if sub == mask {
			break
		}
	}
	if len(uncovered) > 0 {
		p.errorf(m.Rows[rows[0]].Pos, "event %q in state %q is not decided when %s: expected a row for every guard combination (add a row, or an ignore or error row)",
			m.Events[e].Name, m.States[s].Name, strings.Join(uncovered, " or "))
	}
}

// addOverlap records that the rows of k both apply at where.
func (f *pairFindings) addOverlap(k rowPair, where string) {
	if _, ok := f.overlaps[k]; !ok {
		f.order = append(f.order, k)
	}
	f.overlaps[k] = appendNew(f.overlaps[k], where)
}

// reportMissing reports, for each state, the events it has no row for.
func (p *parser) reportMissing(missing [][]string) {
	m := p.m
	for s, evs := range missing {
		if len(evs) == 0 {
			continue
		}
		noun := "event"
		if len(evs) > 1 {
			noun = "events"
		}
		p.errorf(m.States[s].Pos, "state %q has no row for %s %s: every state must decide every event (add rows, or ignore or error rows)",
			m.States[s].Name, noun, quoteList(evs))
	}
}

// assignment formats one combination of the guards in mask, for example
// "[passive, !rfc1337]".
func (m *Machine) assignment(mask, set uint64) string {
	if mask == 0 {
		return "[]"
	}
	var parts []string
	for i, g := range m.Guards {
		bit := uint64(1) << uint(i)
		switch {
		case mask&bit == 0:
		case set&bit != 0:
			parts = append(parts, g.Name)
		default:
			parts = append(parts, "!"+g.Name)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// checkReachability proves every state reachable from the initial state and
// some final state reachable from every reachable state, following the
// rows that change state.
func (p *parser) checkReachability() {
	m := p.m
	n := len(m.States)
	succ := make([][]int, n)
	pred := make([][]int, n)
	for i := range m.Rows {
		r := &m.Rows[i]
		if r.Outcome != Goto {
			continue
		}
		for _, s := range r.From {
			succ[s] = append(succ[s], r.To)
			pred[r.To] = append(pred[r.To], s)
		}
	}
	reach := search(n, []int{m.Initial}, succ)
	coreach := search(n, m.Final, pred)
	for s := range m.States {
		switch {
		case !reach[s]:
			p.errorf(m.States[s].Pos, "state %q is unreachable: no chain of rows leads to it from the initial state %q",
				m.States[s].Name, m.States[m.Initial].Name)
		case !coreach[s]:
			var finals []string
			for _, f := range m.Final {
				finals = append(finals, m.States[f].Name)
			}
			p.errorf(m.States[s].Pos, "state %q is a trap: no chain of rows leads from it to a final state (%s)",
				m.States[s].Name, quoteList(finals))
		}
	}
}

// search returns the states reachable from roots along edges.
func search(n int, roots []int, edges [][]int) []bool {
	seen := make([]bool, n)
	queue := slices.Clone(roots)
	for _, r := range roots {
		seen[r] = true
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, t := range edges[s] {
			if !seen[t] {
				seen[t] = true
				queue = append(queue, t)
			}
		}
	}
	return seen
}

// checkUnused names actions, guards and groups that no row uses.
func (p *parser) checkUnused() {
	m := p.m
	var acts, guards uint64
	for i := range m.Rows {
		acts |= m.Rows[i].ActionSet()
		guards |= m.Rows[i].Require | m.Rows[i].Forbid
	}
	for i, a := range m.Actions {
		if acts&(1<<uint(i)) == 0 {
			p.errorf(a.Pos, "action %q is declared but no row performs it", a.Name)
		}
	}
	for i, g := range m.Guards {
		if guards&(1<<uint(i)) == 0 {
			p.errorf(g.Pos, "guard %q is declared but no row tests it", g.Name)
		}
	}
	for i, g := range m.Groups {
		if !p.usedGroups[i] {
			p.errorf(g.Pos, "group %q is declared but no row or group uses it", g.Name)
		}
	}
}
