package tcpworld

import (
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
// table as written and those whose breakage shows in a deadlock, in a
// liveness violation or in an invariant.
var abortWorlds = []struct {
	name   string
	cfg    func() Config
	tables []tcptest.Variant
	short  bool
}{
	{"small", faultySmall, append([]tcptest.Variant{tcptest.AsWritten}, tcptest.Broken...), true},
	{"data", func() Config { c := faultySmall(); c.Data, c.Dup = 1, 0; return c },
		[]tcptest.Variant{tcptest.AsWritten, tcptest.TimeWaitNeverExpires, tcptest.FinWait2NeverTimesOut,
			tcptest.LastAckNeverRetransmits, tcptest.CloseWaitSendsNoFin, tcptest.SynReceivedDropsText}, false},
}

// TestAbortOnce checks broken tables, and the table as written, in worlds
// with an ABORT: with the world's one initial state and optional ABORT,
// and as two copies would. Each property, and the deadlock check, must
// come out the same, with counterexamples and examples as short; with the
// table as written, checkTwins checks the states themselves.
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
			switch {
			case v.Name != tcptest.AsWritten.Name && !once.OK():
				caught++
			case v.Name == tcptest.AsWritten.Name && !once.OK():
				t.Errorf("%s: %v", name, once)
			case v.Name == tcptest.AsWritten.Name:
				checkTwins(t, name, s, newSystem(t, without), two.States)
			}
		}
	}
	if caught == 0 {
		t.Error("no broken table is caught with an ABORT")
	}
}

// checkTwins checks the argument of the package documentation on the
// states of s, a world with an ABORT, and none, the same world without:
// every state of none has a twin in s, the same but for the ABORT left,
// and the two copies (their states twoStates) hold the states of both.
func checkTwins(t *testing.T, name string, s, none *System, twoStates int) {
	t.Helper()
	once := map[World]bool{}
	explore(t, s, func(w World) { once[w] = true })
	missing, only := 0, 0
	explore(t, none, func(w World) {
		if !once[w] {
			only++ // a state without ABORT that no run of s reaches after its ABORT
		}
		w.aborts = 1
		if !once[w] {
			missing++
		}
	})
	if missing > 0 {
		t.Errorf("%s: %d states without ABORT have no twin with one", name, missing)
	}
	if len(once)+only != twoStates {
		t.Errorf("%s: %d states, and %d more without ABORT; two copies have %d", name, len(once), only, twoStates)
	}
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
