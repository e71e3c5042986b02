package tcpworld

import (
	"maps"
	"slices"
	"testing"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// twoCopies is a world with Config.Abort as two initial states would
// check it, with ABORT an action like any other: first the initial state
// with no ABORT to make, then the world's own, with one. The world's
// single initial state and optional ABORT must check the same (see the
// package documentation).
type twoCopies struct{ *System }

func (c twoCopies) Init(yield func(World)) {
	c.System.Init(func(w World) {
		none := w
		none.aborts = 0
		yield(none)
		yield(w)
	})
}

func (c twoCopies) Next(w World, yield func(model.Action, World)) {
	c.System.Next(w, func(a model.Action, t World) {
		a.Optional = false
		yield(a, t)
	})
}

// abortWorlds are the worlds TestAbortOnce checks: small and without data,
// with every table; and with a byte each way (not in -short), with the
// table as written, one that deadlocks and one whose breakage shows only
// with data. The tables named in twins also have their states compared
// (checkTwins).
var abortWorlds = []struct {
	name   string
	cfg    func() Config
	tables []tcptest.Variant
	twins  []string
	short  bool
}{
	{"small", faultySmall, append([]tcptest.Variant{tcptest.AsWritten}, tcptest.Broken...),
		[]string{tcptest.AsWritten.Name, tcptest.TimeWaitNeverExpires.Name}, true},
	{"data", func() Config { c := faultySmall(); c.Data, c.Dup = 1, 0; return c },
		[]tcptest.Variant{tcptest.AsWritten, tcptest.TimeWaitNeverExpires, tcptest.SynReceivedDropsText}, nil, false},
}

// TestAbortOnce checks broken tables, and the table as written, in worlds
// with an ABORT: with the world's one initial state and optional ABORT,
// and as two copies would. Each property, and the deadlock check, must
// come out the same, with counterexamples and examples as short.
func TestAbortOnce(t *testing.T) {
	caught := 0
	for _, world := range abortWorlds {
		if testing.Short() && !world.short {
			continue
		}
		for _, v := range world.tables {
			cfg := world.cfg()
			cfg.Table = tcptest.Table(t, v)
			without := cfg
			cfg.Abort = true
			s := newSystem(t, cfg)
			opts := Options(model.Options[World]{})
			once := checkWorld(t, s, s, opts)
			two := checkWorld(t, twoCopies{s}, s, opts)
			name := world.name + "/" + v.Name
			if (once.Deadlocks > 0) != (two.Deadlocks > 0) || steps(once.Deadlock) != steps(two.Deadlock) {
				t.Errorf("%s: %d deadlocks, path %d steps; two copies: %d, %d steps",
					name, once.Deadlocks, steps(once.Deadlock), two.Deadlocks, steps(two.Deadlock))
			}
			for i, p := range once.Properties {
				q := two.Properties[i]
				if p.Status != q.Status || steps(p.Path) != steps(q.Path) {
					t.Errorf("%s: %s %v in %d steps; two copies: %v in %d steps",
						name, p.Name, p.Status, steps(p.Path), q.Status, steps(q.Path))
				}
			}
			if slices.Contains(world.twins, v.Name) {
				checkTwins(t, name, s, newSystem(t, without), once, two)
			}
			switch {
			case v.Name != tcptest.AsWritten.Name && !once.OK():
				caught++
			case v.Name == tcptest.AsWritten.Name && !once.OK():
				t.Errorf("%s: %v", name, once)
			}
		}
	}
	if caught == 0 {
		t.Error("no broken table is caught with an ABORT")
	}
}

// checkTwins checks the argument of the package documentation on the
// states themselves: s is a world with an ABORT, none the same world
// without (the copy of the two that has none), and once and two are the
// results of checking s and its two copies. Every state of none has a
// twin in s, the same but for the ABORT left; the two copies hold the
// states of s and of none; and the deadlocks of s are those of the two
// copies, but for the ABORT left.
func checkTwins(t *testing.T, name string, s, none *System, once, two *model.Result[World]) {
	t.Helper()
	with, without, both := reach(s), reach(none), reach(twoCopies{s})
	if len(with) != once.States || len(both) != two.States {
		t.Fatalf("%s: %d and %d states, model.Check has %d and %d", name, len(with), len(both), once.States, two.States)
	}
	missing, more := 0, 0
	for w := range without {
		if _, ok := with[w]; !ok {
			more++ // not reached after an ABORT either
		}
		w.aborts = 1
		if _, ok := with[w]; !ok {
			missing++
		}
	}
	if missing > 0 || len(with)+more != len(both) {
		t.Errorf("%s: %d states without ABORT have no twin with one; %d states, %d more without ABORT, %d in two copies",
			name, missing, len(with), more, len(both))
	}
	if d, d2 := deadlocks(with), deadlocks(both); !maps.Equal(d, d2) {
		t.Errorf("%s: %d deadlocks, but for the ABORT left; two copies: %d", name, len(d), len(d2))
	}
}

// reach returns the states of sys, each with whether it is a deadlock:
// terminal (without successors but optional ones) and not accepted by
// Terminal.
func reach(sys model.System[World]) map[World]bool {
	seen := map[World]bool{}
	var queue []World
	add := func(w World) {
		if _, ok := seen[w]; !ok {
			seen[w] = false
			queue = append(queue, w)
		}
	}
	sys.Init(add)
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		stuck := true
		sys.Next(w, func(a model.Action, t World) {
			stuck = stuck && a.Optional
			add(t)
		})
		seen[w] = stuck && !Terminal(w)
	}
	return seen
}

// deadlocks is the set of the deadlocks of states (reach), with no ABORT
// left.
func deadlocks(states map[World]bool) map[World]bool {
	out := map[World]bool{}
	for w, dead := range states {
		if dead {
			w.aborts = 0
			out[w] = true
		}
	}
	return out
}

// checkWorld checks sys, whose properties are those of s.
func checkWorld(t *testing.T, sys model.System[World], s *System, opts model.Options[World]) *model.Result[World] {
	t.Helper()
	r, err := model.Check(sys, opts, s.Properties()...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// steps is the length of p (of its stem, for a lasso), -1 for none.
func steps(p *model.Path[World]) int {
	if p == nil {
		return -1
	}
	return len(p.Steps)
}
