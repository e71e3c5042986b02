// Package spec reads declarative transition tables: it parses them,
// validates them, and steps them with an interpreter.
//
// A table is the single source of truth for a state machine. The package gen
// turns a valid table into a switch-based Go state machine; the interpreter
// here (Machine.Step and Machine.Match) is the reference that generated code
// is checked against, and it lets a user run an edited table before
// generating code from it. The TCP table of the project is spec/tcp.fsm.
//
// # The language
//
// A table is line-oriented text in UTF-8; a byte order mark and CRLF line
// endings are read as if absent. "#" starts a comment that runs to the end of
// the line. Comment lines directly above a declaration or a row document it
// (the generator copies them into doc comments); the comment block at the
// top of the file, up to the first blank line, documents the whole table.
//
// A name is a letter followed by letters, digits, "_" and "-", such as
// SYN-SENT, FIN-WAIT-1, send-syn or rfc1337. Names are unique across states,
// groups, events, actions and guards. These words are reserved: machine,
// states, initial, final, events, calls, timers, actions, guards, group,
// stay, ignore, error.
//
// Declarations. The list forms may be repeated; the order of declaration
// numbers the states, events, actions and guards, and generated constants
// use the same numbers.
//
//	machine NAME               optional; defaults to the file's base name
//	states  NAME ...           the states
//	initial NAME               exactly one initial state
//	final   NAME ...           at least one final state
//	events  NAME ...           inputs the machine decides
//	calls   NAME ...           inputs that are its user's calls
//	timers  NAME [: ACTION]    inputs that are timers running out; ACTION,
//	                           if given, is the action that (re)starts the
//	                           timer (one timer a line then)
//	actions NAME ...           what a transition asks its caller to do
//	guards  NAME ...           conditions that split a (state, event) pair
//	group   NAME = NAME ...    a named set of states (members may be
//	                           states or groups declared earlier)
//
// Events, calls and timers are all events: one numbering in declaration
// order, and rows decide them alike. The keyword only records the event's
// kind (Machine.Kinds, Machine.Timers; Event.Kind, NumTimers, TimerEvents
// and TimerArms in generated code), so that code driving the machine
// tells a user's call from a timer or another input without relying on
// where the table declares it.
//
// Rows. Every other line is a row:
//
//	SOURCES EVENTS [GUARDS] OUTCOME [: ACTIONS] [@ REFERENCE]
//
// SOURCES is one or more states or groups separated by commas, and EVENTS
// one or more events separated by commas; a row stands for every
// combination of them. GUARDS, in square brackets, is a conjunction of
// guards, each one required (name) or forbidden (!name). OUTCOME is one of:
//
//	-> STATE   go to STATE and perform the actions
//	stay       remain in the state and perform the actions
//	ignore     remain in the state and do nothing (no actions allowed)
//	error      refuse the event: remain in the state, report failure,
//	           perform the actions (for example, telling the user why)
//
// ACTIONS follow a colon, separated by spaces. REFERENCE is the rest of the
// line after "@" (up to a comment): the source a row implements, such as
// "RFC 9293 3.10.7.4".
//
// # Validation
//
// Parse accepts a table only if it is total and deterministic: for every
// state and event, and for every combination of the guards that the rows
// for that pair mention, exactly one row applies. Pairs with nothing to do
// are written down as ignore or error rows, so a reader sees that they were
// considered. It also requires every state to be reachable from the initial
// state through "->" rows, a final state to be reachable from every state,
// and every declared action, guard and group to be used. Every problem is
// reported with its position as file:line:col, and one run reports all of
// them.
//
// # Example
//
// A door with a keypad lock:
//
//	# A door with a keypad lock.
//
//	machine door
//	states  LOCKED UNLOCKED OPEN BROKEN
//	initial LOCKED
//	final   LOCKED
//	events  code lock push pull kick
//	actions beep alarm
//	guards  right-code
//	group   shut = LOCKED UNLOCKED
//
//	LOCKED   code [right-code]  -> UNLOCKED : beep @ manual 2.1
//	LOCKED   code [!right-code] stay        : alarm
//	UNLOCKED code               ignore
//	UNLOCKED lock               -> LOCKED
//	LOCKED   lock               ignore
//	shut     push               ignore
//	UNLOCKED pull               -> OPEN
//	LOCKED   pull               error       : alarm @ manual 2.3
//	OPEN     push               -> UNLOCKED
//	OPEN     code, lock, pull   ignore
//	shut, OPEN kick             -> BROKEN   : alarm
//	BROKEN   code, push, pull, kick ignore
//	BROKEN   lock               -> LOCKED   : beep
//
// Stepping it with the interpreter:
//
//	m, err := spec.ParseFile("door.fsm")
//	if err != nil {
//		// err is an ErrorList: one "file:line:col: message" per line.
//	}
//	next, actions, ok := m.Step(m.StateIndex("LOCKED"), m.EventIndex("code"), 1<<m.GuardIndex("right-code"))
package spec
