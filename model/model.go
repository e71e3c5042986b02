package model

import (
	"fmt"
	"strconv"
)

// A System is a transition system: its initial states and, for a state, its
// labelled successors. Both methods must be deterministic: the same state
// must yield the same successors in the same order every time, because the
// checker stores only the position of a successor and rebuilds paths by
// calling Next again. They are called from several goroutines at once (see
// Options.Workers), so they must not mutate shared data.
//
// States must be compact comparable values: two states are the same state
// exactly when == says so. A state must equal itself (no NaN fields), and
// pointers in a state compare by address, not by what they point to.
type System[S comparable] interface {
	// Init yields every initial state.
	Init(yield func(S))
	// Next yields every successor of s, each with the action that leads
	// there. A state that yields nothing, or nothing but optional actions
	// (Action.Optional), is terminal.
	Next(s S, yield func(Action, S))
}

// A Fingerprinter is a System that supplies its own 64-bit state hash, used
// instead of hash/maphash. Equal states must have equal fingerprints. A
// fingerprint that is injective (for example a bijective mix of a state
// packed into 64 bits) makes the search exact: no collision can hide a state.
type Fingerprinter[S comparable] interface {
	Fingerprint(S) uint64
}

// A Ranker is a System that supplies a progress measure, which makes the
// liveness check of Eventually properties much cheaper. The rank must never
// rise along a transition between two states where the goal of some
// Eventually property does not hold, and a state where a goal holds must
// lead only to states where it holds too. Then a cycle that avoids a goal
// keeps one rank all the way round, so the check keeps only the transitions
// that keep the rank (often a few percent of them) instead of the whole
// graph. A constant rank is valid and saves nothing; a rank that falls on
// every such transition (a variant function: sequence numbers sent,
// retries used, budgets spent) proves that no such cycle exists at all.
//
// The checker does not trust the rank: it checks both conditions on every
// transition, and if either fails it searches again keeping the whole graph
// (Result.RankRejected says why), so a wrong rank costs time, never
// soundness. The rank is not used when there is no Eventually property.
//
// Rank takes a pointer, which it must only read, because it is called on
// every transition and a state can be large: passing it by value would
// copy it each time.
type Ranker[S comparable] interface {
	Rank(*S) uint64
}

// A FloorRanker is a Ranker that can often tell more cheaply than by
// computing its rank that a state ranks below a floor, as a lexicographic
// rank can when a part that matters more has fallen. RankFrom(s, floor)
// must return Rank(s) when Rank(s) >= floor, and otherwise any number
// below floor. The checker calls it on each successor with the rank of
// the state expanded as the floor, since there it needs to know only
// whether the rank fell, and if it did not, the rank itself; it calls
// Rank where it needs a state's rank (the states it will expand).
//
// Unlike the rank, RankFrom is trusted: a RankFrom that says a successor
// ranks below its source when Rank says it does not hides a transition
// that breaks the rank. The checker compares the two on every new state
// whose RankFrom fell (and rejects the rank if they disagree), but not on
// transitions to states already seen; the safe way to write one is to
// make Rank(s) be RankFrom(s, 0).
type FloorRanker[S comparable] interface {
	Ranker[S]
	RankFrom(s *S, floor uint64) uint64
}

// MaxFairness is the largest weak-fairness class an Action may carry.
const MaxFairness = 64

// An Action labels a transition. The checker never interprets Code: it is
// the system's own label, kept in counterexample paths so that the system can
// print them. Fairness names the weak-fairness class of the transition, from
// 1 to MaxFairness; 0 means the transition is not fair.
//
// Weak fairness is per class: a class is enabled in a state when some
// transition leaving that state carries it, and a run is fair when no class
// stays enabled in every state from some point on without being taken
// infinitely often. Give one class to each "process" or "step kind" that the
// environment must not starve, for example one per timer or per endpoint.
//
// An optional transition is one that a run never has to take: it does not
// keep the state it leaves from being terminal, so a state whose every
// transition is optional is judged as a terminal state (Options.Terminal,
// the deadlock check, and a finite run of an Eventually property may end
// there), while its successors are still explored. It is how a system lets
// something happen at most a bounded number of times (a crash, an abort)
// without a copy of the world in which it never may, which would be there
// only so that a state stuck but for it is still seen as stuck. An
// optional transition carries no fairness class: Check reports an error
// for one that does.
type Action struct {
	Code     uint32 // system-defined label
	Fairness uint8  // weak-fairness class, 1..MaxFairness; 0 = none
	Optional bool   // the transition does not keep its source from being terminal
}

// String returns "#code", "#code/wfN" for a fair action, or "#code/opt"
// for an optional one.
func (a Action) String() string {
	s := "#" + strconv.FormatUint(uint64(a.Code), 10)
	if a.Fairness != 0 {
		s += "/wf" + strconv.Itoa(int(a.Fairness))
	}
	if a.Optional {
		s += "/opt"
	}
	return s
}

// Kind is the kind of a Property.
type Kind uint8

// The property kinds, as in Stateright.
const (
	// KindAlways: the predicate holds in every reachable state (an invariant).
	KindAlways Kind = iota + 1
	// KindSometimes: the predicate holds in some reachable state.
	KindSometimes
	// KindEventually: on every fair run from an initial state, the
	// predicate holds in some state of the run.
	KindEventually
)

func (k Kind) String() string {
	return enumString("Kind", int(k), int(KindAlways), "always", "sometimes", "eventually")
}

// enumString names value v of an enumerated type typ whose values from
// first on are named names: names[v-first], or "typ(v)" outside them.
func enumString(typ string, v, first int, names ...string) string {
	if i := v - first; i >= 0 && i < len(names) {
		return names[i]
	}
	return typ + "(" + strconv.Itoa(v) + ")"
}

// A Property is a named predicate on states with a Kind. Build one with
// Always, Sometimes or Eventually, or with AlwaysPtr, SometimesPtr or
// EventuallyPtr for a predicate that reads the state through a pointer.
// Predicates are called from several goroutines at once and must not
// mutate shared data.
type Property[S comparable] struct {
	Name string
	Kind Kind
	Pred func(S) bool
	// PredPtr, when set, is Pred reading the state through a pointer,
	// which it must only read; it must agree with Pred on every state.
	// The checker calls it instead of Pred on every new state, so that a
	// large state is not copied once for each property.
	PredPtr func(*S) bool
}

// test returns the property's predicate on a pointer: PredPtr, or Pred
// called on a copy.
func (p *Property[S]) test() func(*S) bool {
	if p.PredPtr != nil {
		return p.PredPtr
	}
	pred := p.Pred
	return func(s *S) bool { return pred(*s) }
}

// withPtr returns p with PredPtr pred and Pred its by-value form.
func withPtr[S comparable](name string, kind Kind, pred func(*S) bool) Property[S] {
	return Property[S]{Name: name, Kind: kind, Pred: func(s S) bool { return pred(&s) }, PredPtr: pred}
}

// Always returns an invariant: pred must hold in every reachable state. A
// violation is reported with a shortest path to a state where pred is false.
func Always[S comparable](name string, pred func(S) bool) Property[S] {
	return Property[S]{Name: name, Kind: KindAlways, Pred: pred}
}

// Sometimes returns a reachability property: pred must hold in at least one
// reachable state. The result carries a shortest example path. A complete
// search that never reaches pred fails, so a model that explores nothing (or
// too little) cannot pass by accident.
func Sometimes[S comparable](name string, pred func(S) bool) Property[S] {
	return Property[S]{Name: name, Kind: KindSometimes, Pred: pred}
}

// Eventually returns a liveness property: every fair run from an initial
// state must reach a state where goal holds. A run that reaches goal once is
// done with; a violation is either a finite run that ends in a terminal state
// without ever reaching goal, or a fair infinite run that never reaches goal,
// reported as a lasso: a shortest stem to a strongly connected set of
// goal-free states and a cycle inside it. See the package documentation for
// the fairness semantics.
func Eventually[S comparable](name string, goal func(S) bool) Property[S] {
	return Property[S]{Name: name, Kind: KindEventually, Pred: goal}
}

// AlwaysPtr is Always with a predicate that reads the state through a
// pointer, which it must not change.
func AlwaysPtr[S comparable](name string, pred func(*S) bool) Property[S] {
	return withPtr(name, KindAlways, pred)
}

// SometimesPtr is Sometimes with a predicate that reads the state through
// a pointer, which it must not change.
func SometimesPtr[S comparable](name string, pred func(*S) bool) Property[S] {
	return withPtr(name, KindSometimes, pred)
}

// EventuallyPtr is Eventually with a goal that reads the state through a
// pointer, which it must not change.
func EventuallyPtr[S comparable](name string, goal func(*S) bool) Property[S] {
	return withPtr(name, KindEventually, goal)
}

func validateProperties[S comparable](props []Property[S]) error {
	seen := make(map[string]bool, len(props))
	for i, p := range props {
		switch {
		case p.Name == "":
			return fmt.Errorf("model: property %d has no name", i)
		case seen[p.Name]:
			return fmt.Errorf("model: two properties are named %q", p.Name)
		case p.Kind < KindAlways || p.Kind > KindEventually:
			return fmt.Errorf("model: property %q has invalid kind %d", p.Name, p.Kind)
		case p.Pred == nil:
			return fmt.Errorf("model: property %q has no predicate", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}
