// Command tcpcheck model-checks the TCP state machine: it explores every
// run of two TCP endpoints over a network that loses, reorders and
// duplicates segments, and checks that the endpoints keep their
// invariants, never reach an error row of the table, obey acceptable
// RSTs, deliver each other's data in order and exactly once, and on every
// fair run both end CLOSED. It prints the verdict with statistics, or the
// shortest counterexample as a message sequence chart.
//
// Usage:
//
//	tcpcheck [flags]
//
// The flags, each with its range and default, are listed under Flags at
// the end of this documentation and by tcpcheck -h; both are made from
// one description of each flag (package internal/cli).
//
// With no flags it checks the generated tcpfsm (spec/tcp.fsm, as
// compiled into package tcpfsm) in the default world, every fault on,
// and exits 0. docs/benchmarks.md has what that default costs on one
// machine; the README says how much bigger other worlds are.
//
//	go run ./model/cmd/tcpcheck                      # what CI runs
//	go run ./model/cmd/tcpcheck -spec my.fsm         # a variant of the table
//	go run ./model/cmd/tcpcheck -data 2 -capacity 2  # another world
//	go run ./model/cmd/tcpcheck -loss=false -json    # no loss, JSON out
//
// In another module's CI, record it as a tool and check the module's own
// table; the exit status is the verdict:
//
//	go get -tool github.com/synfin/synfin/model/cmd/tcpcheck
//	go tool tcpcheck -spec tcp/tcp.fsm -quiet
//
// # The world
//
// Endpoint A's application opens actively; B's opens passively or
// actively (-open). Each application may send its data, close at any
// moment its endpoint accepts a CLOSE, and with -abort one of them may
// abort once. The network holds at most -capacity segments in flight and
// drops what does not fit. Time is abstract: a retransmission or
// FIN-WAIT-2 timer may run out whenever it is armed, TIME-WAIT only when
// no segment bound for its endpoint is in flight. Applications eventually
// open and close, armed timers eventually run out (weak fairness); the
// network may lose any segment, for ever, but what it has not lost does
// not stay in flight for ever. The package documentation of
// github.com/synfin/synfin/model/tcpworld states these abstractions and
// the properties in full: a verdict means no more than they say.
//
// # Exit status
//
//	0  verified: the search was complete and every property holds
//	1  a property is violated (or an example is never reached, or a deadlock)
//	2  bad input: a bad flag or argument (a value out of its range is one
//	   line that names the flag and the range), a -max-memory under which
//	   the search cannot start, an unreadable or invalid table (its errors are
//	   printed as file:line:col: message), a table that is not TCP's (its first
//	   line says so), or a table that does not fit the endpoint (a state,
//	   event, action or guard it does not know)
//	3  inconclusive: the search stopped at -max-states, -max-depth or
//	   -max-memory, or on SIGINT or SIGTERM, with nothing violated (the
//	   partial result is printed), or the checker itself failed (a bug:
//	   please report it)
//
// # Memory and signals
//
// A run has a memory limit: -max-memory, or by default the memory limit of
// its cgroup or 80% of the machine's memory, whichever is lower. The
// search watches the process's resident set (what the kernel charges it,
// sampled every few milliseconds) and stops at 9/10 of the limit, before
// a CI runner would kill it, keeping the rest for the report. The result
// is then inconclusive (exit 3): the statistics of the breadth-first
// levels expanded in full, the properties decided there (a violation
// found is still one, exit 1), the limit and the peak; the liveness check
// is not run. At start, tcpcheck estimates from the flags the memory the
// world needs (from how much each bound multiplies the states) and warns,
// on one line on stderr, when that is over the limit; the run goes on and
// the limit stops it. SIGINT or SIGTERM stops the search the same way and
// prints the same partial result; a second one kills the process at once.
// -max-memory 0 sets no limit.
//
// # Output
//
// Progress goes to stderr about once a second (distinct states, states
// queued, depth, states per second, resident memory), then a line when the
// breadth-first search ends and the liveness check begins. The result goes
// to stdout:
//
//	tcpcheck: VERIFIED: every property holds in every reachable state
//	table:       spec/tcp.fsm (generated tcpfsm)
//	config:      loss=on reorder=on dup=1 capacity=3 retries=1 data=1 mss=1 ...
//	states:      3,664,905 distinct, 22,147,341 transitions, depth 27, 152 terminal (complete)
//	time:        SECONDS with 2 workers, RATE states/s
//	memory:      KEPT kept (N bytes/state), PEAK transient peak, SYS from the OS
//	limit:       RSS resident at most, limit 18.8GiB (80% of RAM)
//	liveness:    226,081 of 22,147,341 transitions kept (1.0%): the others lower the world's rank
//	rows:        50 of 66 rows of the table taken, error rows aside (76%)
//	             never taken: spec/tcp.fsm lines 246, 280, ...
//	properties:
//	  ok   always     endpoint invariants: holds
//	  ...
//
// A search that stopped early says so in its first line and in a line
// "stopped:" (at which limit, or on which signal, after how many levels
// expanded in full), and its properties not decided are "unknown".
//
// "kept" is what the explorer holds for the whole search (fingerprints,
// parent links, the graph for the liveness check) and bytes/state divides
// it by the states; the transient peak is the largest working set of
// states being expanded; "from the OS" is what the Go runtime obtained.
// The liveness line says how much of the graph the check kept: the world
// has a rank (tcpworld.System.Rank) that no step raises before both
// endpoints are CLOSED, so only the steps that keep it can form a cycle
// and the others need not be stored. A table variant can break the rank
// (a step that raises it); the line then says so and which step, and the
// check keeps every transition, which takes more memory but gives the
// same verdict. The rows line is the table's coverage: how many of its
// rows the explored world's steps went through, and the lines of those it
// never took. Error rows are left out, since no step may take them (a
// segment or timer that reaches one is a violation; a call one refuses
// without effect is not a step).
//
// A violation prints the property, what it means, and its shortest
// counterexample as a message sequence chart, one row per step:
//
//	step  A            │                                                          │ B
//	   0  CLOSED       │                                                          │ CLOSED
//	   1  SYN-SENT     │ OPEN (active)                                            │ CLOSED        A open-active: CLOSED → SYN-SENT (tcp.fsm:240)
//	                   │ ──SYN seq=4294967294──▷                                  │
//	   2  SYN-SENT     │                                           OPEN (passive) │ LISTEN        B open-passive: CLOSED → LISTEN (tcp.fsm:239)
//	   3  SYN-SENT     │ ──SYN seq=4294967294───────────────────────────────────▶ │ SYN-RECEIVED  B seg-syn [passive]: LISTEN → SYN-RECEIVED (tcp.fsm:329)
//	                   │               ◁──SYN|ACK seq=4294967295 ack=4294967295── │
//	   4  SYN-SENT     │                                                    CLOSE │ FIN-WAIT-1    B close [passive]: SYN-RECEIVED → FIN-WAIT-1 (tcp.fsm:267)
//	                   │                  lost ✗──FIN|ACK seq=0 ack=4294967295──  │
//
// Endpoint A's state after the step is on the left, B's on the right.
// Between them: an application's call or a timer running out, written on
// its side; a segment delivered, as an arrow across the middle towards
// its receiver (flags, SEQ, ACK, and LEN when it carries data); under the
// step, each segment it sent (an open head: in flight), lost (a cross), or
// dropped by a full network, and a duplication. Right of B: the table
// step the endpoint took (event, guards, old and new state, the row as
// file:line) and what it told its application. A broken invariant or a
// fault is written under the step that shows it. A liveness violation is
// a lasso: the steps after "cycle starts here" repeat for ever; a
// counterexample without a cycle ends in a state where nothing more can
// happen. When several violations share a run, it is drawn once.
//
// # JSON
//
// With -json the output is one object. The schema is stable: fields may
// be added, never renamed or removed.
//
//	{
//	  "verdict": "verified" | "violated" | "incomplete",
//	  "exit": 0,                       // the exit status
//	  "table": "spec/tcp.fsm (generated tcpfsm)",
//	  "config": {"loss": true, "reorder": true, "dup": 1, "capacity": 3, "retries": 1,
//	             "data": 1, "mss": 1, "window": 65535, "iss": [4294967294, 4294967295],
//	             "open": "any", "abort": false, "rfc1337": false, "lazy-read": false, "misbehave": 0,
//	             "incarnations": 1, "short-time-wait": false, "liveness": true},
//	  "stats": {"states": 3664905, "transitions": 22147341, "depth": 27, "terminal": 152,
//	            "deadlocks": 0, "complete": true, "workers": 2, "seconds": 4.83,
//	            "states_per_second": 758150, "memory_bytes": 99469644,
//	            "bytes_per_state": 27.1, "peak_bytes": 596400000, "sys_bytes": 834200000,
//	            "graph_edges": 226081,        // transitions kept for the liveness check
//	            "rank_rejected": "...",       // only when the world's rank was not used: why
//	            "stopped": "max-memory",      // only when stopped early: "max-states", "max-depth",
//	                                          // "max-memory" or "signal"
//	            "signal": "SIGINT",           // only when a signal stopped it
//	            "levels_expanded": 27,        // breadth-first levels expanded in full
//	            "memory_limit": 20132659200,  // 0: none
//	            "peak_rss": 600000000},       // largest resident set sampled
//	  "rows": {"taken": 50, "total": 66, "untaken_lines": [246, 280, ...]},
//	  "properties": [{"name": "endpoint invariants", "kind": "always", "status": "holds"},
//	                 {"name": "both ESTABLISHED", "kind": "sometimes", "status": "reached", "steps": 5}, ...],
//	  "violations": [{
//	    "property": "both reach CLOSED",   // or "deadlock"
//	    "kind": "eventually",              // "always", "eventually", "sometimes" or "deadlock"
//	    "description": "...",
//	    "trace": {                         // null for a "sometimes" never reached
//	      "cycle_start": 8,                // -1, or the step the cycle returns to
//	      "steps": [{
//	        "step": 9,
//	        "action": {"kind": "timeout", "side": "A", "timer": "retransmission",
//	                   "text": "A: retransmission timer runs out"},   // null for step 0
//	        "segment": {"from": "A", "to": "B", "flags": "FIN|ACK", "seq": 0, "ack": 1,
//	                    "len": 0, "wnd": 65535},                   // deliver and duplicate only
//	        "table": {"endpoint": "A", "from": "LAST-ACK", "event": "timeout-retx",
//	                  "guards": "exhausted", "to": "LAST-ACK", "actions": "retransmit",
//	                  "ok": true, "row": "my.fsm:299"},
//	        "tell": ["established", "data", "eof", "reset", "refused", "closed", "timeout"],
//	        "data": {"off": 0, "len": 1},
//	        "refused": true,               // a refused call that still changed something
//	        "sent": [segment...], "lost": [segment...], "overflow": [segment...],
//	        "a": {"state": "LAST-ACK", "snd_una": 4294967295, "snd_nxt": 0, "rcv_nxt": 1,
//	              "timers": ["retransmission"], "app": "closed", "sent": 1, "delivered": 1,
//	              "eof": true, "cut": false},
//	        "b": {...},
//	        "in_flight": [segment...],
//	        "fault": "A: ...",             // the step that found a fault
//	        "invariant": "B: ..."          // a state whose invariants are broken
//	      }]
//	    }
//	  }]
//	}
//
// Fields of a step that are empty or false are left out. Action kinds
// are "open-active", "open-passive", "send" (with "bytes"),
// "close", "abort", "timeout", "deliver" and "duplicate"; an
// application's "app" is "idle", "open", "closed" or "done". Segment
// flags are spelled as tcpfsm.Flags prints them ("SYN|ACK"); "ack" is
// meaningful when the flags have ACK.
package main
