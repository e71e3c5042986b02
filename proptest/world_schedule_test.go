package proptest

// The schedules of the hostile-network property: what gopter generates
// (a world configuration and a choice sequence) and how a failing one
// shrinks.

import (
	"fmt"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
)

// schedule is one generated run of the world, from its initial state.
type schedule struct {
	Config  tcpworld.Config // Table is set by the test, not generated
	Choices []uint8
}

func (s schedule) String() string {
	return fmt.Sprintf("{%v; %d choices %v}", s.Config, len(s.Choices), s.Choices)
}

// Limits of the generated schedules. The checker's default world has 3
// segments in flight, 1 duplication, 1 retry and 1 byte each way.
const (
	maxChoices = 200 // choices per schedule (gopter's size grows to it)
	maxData    = 48  // bytes each application may send
	maxMSS     = 8
	maxRetries = 6
	stepBound  = 4000 // steps per run, choices and policy together

	// maxStepData is the most data segments one step may send: the world
	// offers every subset of a step's segments as lost, 2^k actions for
	// k segments (and at most 16 segments), so the window must keep k
	// small. With an ACK and a FIN, a step sends at most 5 segments.
	maxStepData = 3
)

// small reports whether c keeps the segments of one step within
// maxStepData data segments: its window, or all its data, fits in that
// many segments.
func small(c tcpworld.Config) bool {
	w := int(c.Window)
	if w == 0 {
		w = tcpfsm.DefaultRcvWnd
	}
	mss := max(c.MSS, 1)
	return (min(w, c.Data)+mss-1)/mss <= maxStepData
}

// genSchedule generates schedules whose endpoints step through table (nil
// for the generated one).
func genSchedule(table *tcpfsm.Table) gopter.Gen {
	choices := gen.SliceOf(gen.UInt8())
	return func(p *gopter.GenParameters) *gopter.GenResult {
		r := p.Rng
		iss := [2]gopter.Gen{genSeq(), genSeq()}
		var s schedule
		c := &s.Config
		c.Table = table
		c.Loss = r.Intn(8) != 0
		c.Reorder = r.Intn(8) != 0
		c.Capacity = 2 + r.Intn(tcpworld.MaxCapacity-1)
		c.Dup = r.Intn(tcpworld.MaxDup + 1)
		c.Retries = 1 + r.Intn(maxRetries)
		if r.Intn(16) == 0 {
			c.Retries = 0
		}
		c.Data = r.Intn(maxData + 1)
		c.MSS = 1 + r.Intn(maxMSS)
		if !small(*c) || r.Intn(4) == 0 {
			// Window-limited sends and probes, and a bound on the
			// segments a step sends.
			c.Window = uint32(1 + r.Intn(maxStepData*c.MSS))
		}
		for i := range c.ISS {
			v, _ := iss[i](p).Retrieve()
			c.ISS[i] = v.(tcpfsm.Seq)
		}
		c.RFC1337 = r.Intn(4) == 0
		c.Open = tcpworld.OpenMode(r.Intn(3))
		c.Abort = r.Intn(4) == 0
		cr := choices(p)
		v, _ := cr.Retrieve()
		s.Choices = v.([]uint8)
		return gopter.NewGenResult(s, scheduleShrinker)
	}
}

// scheduleShrinker shrinks the choice sequence: first by removing runs of
// choices (halves, quarters, ... single ones), then by setting one choice
// at a time to 0 (the first enabled action). Then it shrinks the
// configuration towards the checker's small world, one knob at a time:
// less data, fewer duplications, fewer retries, a 1-byte MSS, the default
// window, fewer segments in flight, no ABORT, no RFC 1337; the initial
// sequence numbers stay. Each candidate costs a whole run, so it proposes
// few.
func scheduleShrinker(v any) gopter.Shrink {
	s := v.(schedule)
	zero := func(v any) gopter.Shrink {
		if v.(uint8) == 0 {
			return gopter.NoShrink
		}
		return listShrink([]any{uint8(0)})
	}
	choices := gen.SliceShrinker(zero)(s.Choices).Map(func(c []uint8) schedule {
		t := s
		t.Choices = c
		return t
	})
	var knobs []any
	try := func(f func(c *tcpworld.Config)) {
		t := s
		f(&t.Config)
		for _, k := range knobs {
			if k.(schedule).Config == t.Config {
				return
			}
		}
		if t.Config != s.Config && small(t.Config) {
			knobs = append(knobs, t)
		}
	}
	// less proposes lo, half and one less than the knob, if smaller.
	less := func(knob func(*tcpworld.Config) *int, lo int) {
		cur := *knob(&s.Config)
		for _, m := range []int{lo, cur / 2, cur - 1} {
			if m >= lo && m < cur {
				try(func(c *tcpworld.Config) { *knob(c) = m })
			}
		}
	}
	less(func(c *tcpworld.Config) *int { return &c.Data }, 0)
	less(func(c *tcpworld.Config) *int { return &c.Dup }, 0)
	less(func(c *tcpworld.Config) *int { return &c.Retries }, 1)
	less(func(c *tcpworld.Config) *int { return &c.MSS }, 1)
	less(func(c *tcpworld.Config) *int { return &c.Capacity }, 1)
	try(func(c *tcpworld.Config) { c.Window = 0 })
	try(func(c *tcpworld.Config) { c.Abort = false })
	try(func(c *tcpworld.Config) { c.RFC1337 = false })
	return gopter.ConcatShrinks(choices, listShrink(knobs))
}

// listShrink proposes the values of vs in order.
func listShrink(vs []any) gopter.Shrink {
	return func() (any, bool) {
		if len(vs) == 0 {
			return nil, false
		}
		v := vs[0]
		vs = vs[1:]
		return v, true
	}
}
