package main

import (
	"fmt"
	"math"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/model/cmd/tcpcheck/internal/cli"
	"github.com/synfin/synfin/model/tcpworld"
)

// The warning at start: an estimate of the states of the world the flags
// describe, from the default world's states and how much each bound
// multiplies them, and of the memory, from the bytes a state takes.

// defaultStates is the number of states of the default world.
const defaultStates = 3_664_905

// Bytes a state takes in the resident set: what the explorer keeps (the
// report's bytes/state) plus the transient peak (two levels of whole
// states), per state, in the default world; and what the process holds
// besides.
const (
	bytesPerStateLive   = 170
	bytesPerStateSafety = 150
	baseBytes           = 32 << 20
)

// growth is how a number bound multiplies the states: up[i] is the
// factor from def+i to def+i+1, the last repeated beyond; down[i] the
// divisor from def-i to def-i-1; both times scale, when it is set, for
// a bound whose factors depend on another. Measured (tcpcheck -json, one
// bound changed at a time, or the same step in a smaller world where the
// default one is too big to search) and rounded.
type growth struct {
	value    func(*tcpworld.Config) int
	def      int
	up, down []float64
	scale    func(*tcpworld.Config) float64
}

var growths = []growth{
	{value: func(c *tcpworld.Config) int { return c.Capacity }, def: 3, up: []float64{6.9, 4.8, 3.4}, down: []float64{10, 36}},
	// A byte more multiplies the states the more, the more segments are
	// in flight: the factors are those of one segment, times 1.5 for each
	// segment more.
	{value: func(c *tcpworld.Config) int { return c.Data }, def: 1, up: []float64{4.8, 3.5, 2.8}, down: []float64{8},
		scale: func(c *tcpworld.Config) float64 { return math.Pow(1.5, float64(c.Capacity-1)) }},
	{value: func(c *tcpworld.Config) int { return c.Dup }, def: 1, up: []float64{1.7, 1.4}, down: []float64{2.7}},
	{value: func(c *tcpworld.Config) int { return c.Retries }, def: 1, up: []float64{1.9, 1.6}, down: []float64{5.7}},
}

// switchGrowth is how the other settings multiply the states, measured
// the same way.
func switchGrowth(c *tcpworld.Config) float64 {
	f := 1.0
	if c.Abort {
		f *= 1.55
	}
	if !c.Loss {
		f *= 0.49
	}
	if !c.Reorder {
		f *= 0.3
	}
	switch c.Open {
	case tcpworld.OpenClientServer:
		f *= 0.48
	case tcpworld.OpenSimultaneous:
		f *= 0.67
	}
	return f
}

// estimateStates is the estimate of the states of the world c.
func estimateStates(c *tcpworld.Config) float64 {
	n := defaultStates * switchGrowth(c)
	for _, g := range growths {
		v, k := g.value(c), 1.0
		if g.scale != nil {
			k = g.scale(c)
		}
		for i := 0; g.def+i < v; i++ {
			n *= g.up[min(i, len(g.up)-1)] * k
		}
		for i := 0; g.def-i > v; i++ {
			n /= g.down[min(i, len(g.down)-1)] * k
		}
	}
	return n
}

// sizeWarning is a warning when the world the options describe is likely
// to need more memory than the limit allows, or "".
func sizeWarning(o *cli.Options, limit memLimit) string {
	if limit.bytes == 0 {
		return ""
	}
	states := estimateStates(&o.Config)
	if o.MaxStates > 0 {
		states = min(states, float64(o.MaxStates))
	}
	per := float64(bytesPerStateSafety)
	if o.Liveness {
		per = bytesPerStateLive
	}
	need := states*per + baseBytes
	if o.MaxDepth > 0 || need < float64(model.MemoryThreshold(limit.bytes)) {
		return ""
	}
	return fmt.Sprintf("this world may need about %s (some %s states, estimated from the flags), more than the memory limit %s allows; "+
		"the search will stop there, inconclusive (exit 3)", cli.SizeText(int64(need)), roundGroup(states), limit)
}

// roundGroup is n to two significant digits, with thousands separators.
func roundGroup(n float64) string {
	p := 1.0
	for n/p >= 100 {
		p *= 10
	}
	return group(int64(float64(int64(n/p+0.5)) * p))
}
