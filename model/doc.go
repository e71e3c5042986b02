// Package model is an explicit-state model checker: given a System (its
// initial states and, for any state, its labelled successors) it visits
// every reachable state in breadth-first order on all cores, checks named
// properties in the style of Stateright (Always invariants, Sometimes
// reachability, Eventually liveness under weak fairness, which is checked on
// cycles rather than bounded paths), reports deadlocks, and returns
// a shortest counterexample for each violation: a path from an initial
// state, or for liveness a lasso (a path and a cycle repeated forever). It
// knows nothing of TCP; the TCP world is one System among others.
//
// # Use
//
// A system is two deterministic methods over a compact comparable state:
//
//	type World struct{ ... }                   // comparable, no pointers to mutable data
//	type Sys struct{}
//	func (Sys) Init(yield func(World))          { yield(World{}) }
//	func (Sys) Next(w World, yield func(model.Action, World)) {
//		// one yield per enabled transition, always in the same order
//		yield(model.Action{Code: deliverSeg, Fairness: fairNetwork}, w.deliver())
//	}
//
//	res, err := model.Check(Sys{}, model.Options[World]{Terminal: World.Quiet},
//		model.Always("no data corruption", World.Intact),
//		model.Sometimes("both established", World.Established),
//		model.Eventually("both closed", World.Closed))
//
// err reports misuse (and a counterexample that does not replay); a
// property failure is in the result: res.Verdict, res.Properties[i].Status
// and .Path. Action.Code is the system's own label, so the system prints
// paths its own way (as a message sequence chart, say). Replay rebuilds a
// path from its choice indices.
//
// # Properties and fairness
//
// A run is a sequence s0 -a1-> s1 -a2-> ... where s0 is an initial state
// and each step is one of the transitions Next yields. A finite run counts
// only if it ends in a terminal state: one with no successors, or none but
// through optional actions (below).
//
// Always(name, p) holds when p holds in every reachable state. Sometimes(name,
// p) holds when p holds in at least one; a complete search that never meets
// p fails, so a model that explores nothing, or not what was meant, fails
// its Sometimes properties.
//
// Every Action carries a weak-fairness class Fairness in 1..MaxFairness, or
// 0 for none. A class is enabled in a state when at least one transition
// Next yields there carries it. An infinite run is weakly fair when there is
// no class that, from some point on, is enabled in every state of the run
// and yet is taken only finitely often. Transitions of class 0 are never
// forced to happen. This is weak fairness, not strong: a class that is
// disabled now and then (a lock that the other process sometimes holds)
// may be ignored forever. A class usually stands for one process or one
// kind of step of the environment (the network delivers, a timer fires).
//
// Eventually(name, goal) holds when every terminal finite run and every
// weakly fair infinite run contains a state where goal holds. Once a run
// has met goal, nothing after it matters. The check is exact for this
// definition on the stored graph: the checker considers the states where
// goal does not hold that can be reached from a goal-free initial state
// through goal-free states only, splits them into strongly connected
// components (iterative Tarjan, so no recursion limit), and reports a
// violation at a terminal state there, or at a component with at least one
// edge inside it (two or more states, or one with a self-loop) in which
// every class enabled in all of its states labels some edge inside it. Such
// a component holds a fair run that never meets goal (go round all its edges
// forever); a component that fails the test holds none, nor does any part of
// it.
//
// # Optional actions
//
// An Action marked Optional is one that a run never has to take. A state
// whose every transition is optional is terminal: Options.Terminal judges
// it, it is a deadlock if rejected, it counts in Result.Terminal, and a
// finite run may end there, so a goal-free one violates an Eventually
// property; its optional successors are explored all the same. An
// optional action has no fairness class, so weak fairness never forces it
// either (Check reports an error for one that has one).
//
// They spare a system a copy of itself. Say an action (a crash, an abort)
// may happen at most k times: a budget in the state allows it and each
// time it is taken spends one. Then where the budget lasts the action is
// always enabled, no state is terminal, and a stuck state escapes by
// spending the budget, so a system that wants stuck states seen has to
// start from every budget, 0 to k: copies C0 ... Ck of its world. With the
// action optional, Ck alone checks the same, if the budget enables that
// action and nothing else (every other transition is enabled, and leads to
// the same state but for the budget, whatever the budget), and no
// property nor Terminal reads it. For then every state s of a copy Cj,
// reached by some path, has a twin s' in Ck, reached by the same actions
// in as many steps, that differs only in having k-j more budget, and s'
// enables the transitions s enables and perhaps the optional action too:
//
//   - Always and Sometimes: a property holds at s' exactly when it holds
//     at s, so Ck has every violation and example of the copies, as near
//     to its initial state, and, being one of them, no other.
//   - Deadlocks: if s has no successor, s' has optional ones only; and a
//     state of Ck with r of its budget left and optional successors only
//     is the twin of a state of C(k-r) that has spent all of its budget,
//     and so has no successor at all. Terminal judges twins alike, so the
//     stuck states are the same, but for the budget, and as near.
//   - Eventually: the twin of a goal-free path is goal-free. A terminal
//     state corresponds to a terminal state as above; a cycle maps to a
//     cycle through the same actions, and since the optional action has
//     no class the same classes are enabled along it, so a weakly fair run
//     of a copy is a weakly fair run of Ck; and a weakly fair run of Ck is
//     one of a copy (Ck is one of them, and an infinite run never ends,
//     optional actions or not). The violations are the same, with stems
//     as short.
//
// What changes is the counts: the states and transitions of Ck alone.
//
// # Ranks: liveness without the whole graph
//
// The components need the graph, 5 bytes a transition, which is most of the
// memory of a search with an Eventually property. A System that is also a
// Ranker supplies a progress measure, Rank(&s) uint64, that no transition
// between goal-free states raises, and whose goal states lead only to goal
// states. Then a goal-free cycle keeps one rank all the way round, so every
// component with an edge inside it lies within the transitions that keep
// the rank, and the checker stores only those (for the TCP world, under 1%
// of them), finds terminal goal-free states as it expands them, and judges
// each component as above, calling Next again on its states (rebuilt by
// replay) for the classes enabled there. The verdicts and counterexamples
// are the same as with the whole graph. The rank is checked, not trusted: a
// transition that raises it, or leaves the goal, makes the checker search
// again with the whole graph, and Result.RankRejected says which transition
// (with its Replay choices). A rank that falls on every transition between
// goal-free states is a proof, by a variant function, that no goal-free
// cycle exists at all. Computing the rank of every successor can cost more
// than expanding it; a FloorRanker also says, often more cheaply, when a
// successor ranks below the state expanded, and then the checker needs no
// more of it.
//
// # Counterexamples
//
// Breadth-first order makes paths shortest: an Always counterexample, a
// Sometimes example and a deadlock path lead to the first state, in
// breadth-first order, that shows them. A liveness counterexample has a
// shortest stem through goal-free states to the nearest violating state and,
// unless that state is terminal, a cycle back to it inside its component
// that takes or disables every fairness class it must; the cycle is short
// but not always the shortest. Each breadth-first level is expanded by
// Options.Workers goroutines and its new states are then numbered in an
// order fixed by Init and Next alone, so the counts and every path are the
// same whatever the number of workers. The liveness search, after the
// breadth-first one, runs on one goroutine.
//
// The checker keeps no states, only a parent link and a successor index per
// state, and rebuilds each path by calling Init and Next again. Before it
// reports a path it checks it on the rebuilt states: the predicate fails
// (or holds) at its end, a lasso's cycle returns to its start, avoids the
// goal and is weakly fair. A path that does not check out makes Check
// return an error: Init or Next is not deterministic, or fingerprints
// collided.
//
// # Fingerprints and memory
//
// The visited set stores 64-bit fingerprints of states, not states. Two
// different states with the same fingerprint count as one, so the second
// and anything reachable only through it are never visited: a collision can
// hide states, and so hide a violation or shorten the counts, but it can
// never invent a violation, since every counterexample is replayed and
// checked on real states first. With n states the chance of any collision
// is about n²/2⁶⁵: 3e-8 for a million states, 3e-6 for ten million, 3e-4 for
// a hundred million. The default fingerprint is hash/maphash over the bytes
// of the state that == compares (floats, strings and interfaces fall back to
// maphash.Comparable, which allocates); its seed is random per process. A
// System can implement Fingerprinter to supply its own; an injective one
// makes the search exact.
//
// Memory kept for the whole search, per stored state: the fingerprint set,
// 8 bytes a slot, between half and 3/4 full, so 10.7 to 16 bytes; a parent
// link and a successor index, 6 bytes; one bit per Eventually property.
// Less than 23 bytes in all. Eventually properties need more: 4 bytes a
// slot for the state id (22.7 to 30 bytes a state in the set and links) and
// the graph, 4 bytes a state for its edge offset and 5 bytes an edge (a
// 32-bit target and the fairness class); with a Ranker, only the kept
// edges, 7 bytes each, and 8 bytes per state that has one, plus an index of
// 0.19 bytes a state built for the liveness search. Transient memory: the
// states of the level being expanded and of the next one (unsafe.Sizeof of
// the state each, in blocks that go back to a pool as soon as the states in
// them are expanded, so that the next level reuses them, and with a Ranker
// the rank of each, 8 bytes), the successors being deduplicated; and during each liveness check 8 bytes a state and
// two bits, plus the search stacks (up to 16 bytes a state when the
// depth-first search goes deep) and 8 more while a lasso is built (with a
// Ranker, 16 bytes and 8 more for a lasso, per state with a kept edge).
// Result.Memory reports the figures. The big arrays and the slabs of
// blocks have their pages mapped as they are made, in one madvise call
// where Linux offers
// MADV_POPULATE_WRITE and by a store a page elsewhere: memory fresh from
// the kernel that is read before it is written costs two page faults a
// page and a TLB flush on every other CPU, which is dear under a
// hypervisor, and one call costs less than a fault a page.
//
// # Limits
//
// Options.MaxStates and MaxDepth bound the search; the result then says
// Complete = false, and a property without evidence either way is Unknown.
// Violations found in the part explored are real and are reported. A search
// holds at most 2³²-2 states and, with Eventually properties, 2³²-1
// transitions.
package model
