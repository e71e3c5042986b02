package spec

import "fmt"

// The event declarations: "events", "calls" and "timers" lines, and the
// timers' arming actions.

// parseArm reads ": ACTION" after the timer of a "timers" line: the action
// that (re)starts the timer.
func (p *parser) parseArm(t *tokens, d *rawDecl) {
	colon := t.next()
	if len(d.names) > 1 {
		p.fail(colon, fmt.Sprintf("end of line: a timers line with \":\" declares one timer, found %d", len(d.names)))
	}
	arm := p.name(t, "action name after \":\" (the action that arms the timer)")
	if t.peek().kind != tokEOL {
		p.fail(t.peek(), "end of line after the arming action")
	}
	d.arm = &arm
}

// declareEvent records the kind of event e, declared by d, and its timer
// if d is a timers line.
func (p *parser) declareEvent(d *rawDecl, e int) {
	m := p.m
	kind := map[string]EventKind{"events": Input, "calls": Call, "timers": Timeout}[d.kind]
	m.Kinds = append(m.Kinds, kind)
	if kind == Timeout {
		m.Timers = append(m.Timers, Timer{Event: e, Arm: -1})
		p.arms = append(p.arms, d.arm)
	}
}

// resolveArms resolves the arming actions of the timers, once every action
// is declared; an action arms at most one timer.
func (p *parser) resolveArms() {
	armedBy := map[int]int{} // action -> timer
	for i, tok := range p.arms {
		if tok == nil {
			continue
		}
		a, ok := p.lookup(*tok, "action", "arming action")
		if !ok {
			continue
		}
		if j, dup := armedBy[a]; dup {
			p.errorf(tok.pos, "action %q already arms timer %q: expected one timer an action", tok.text, p.m.Events[p.m.Timers[j].Event].Name)
			continue
		}
		armedBy[a] = i
		p.m.Timers[i].Arm = a
	}
}
