package tcptest

// The harmless variants.
var (
	// AsWritten is spec/tcp.fsm itself: stepped through the interpreter it
	// must behave exactly as the generated code.
	AsWritten = Variant{Name: "as-written", Mistake: "none: the table as written"}

	// Reversed has the rows of spec/tcp.fsm in reverse order, which means
	// the same table.
	Reversed = Variant{Name: "reversed", Mistake: "none: the rows in reverse order",
		Edits: []Edit{ReverseRows()}}
)

// The broken tables. Each still parses and validates: only behaviour can
// tell it from the table as written.
var (
	TimeWaitNeverExpires = Variant{
		Name:    "time-wait-never-expires",
		Mistake: "TIME-WAIT ignores its 2 MSL timer, so the connection never leaves TIME-WAIT on its own",
		Edits:   []Edit{Replace("TIME-WAIT", "timeout-2msl", "", "TIME-WAIT timeout-2msl ignore")},
	}
	TimeWaitRestarts = Variant{
		Name:    "time-wait-restarts",
		Mistake: "the 2 MSL timer restarts when it runs out instead of ending TIME-WAIT",
		Edits:   []Edit{Replace("TIME-WAIT", "timeout-2msl", "", "TIME-WAIT timeout-2msl stay : arm-2msl")},
	}
	TimeWaitIgnoresFinAgain = Variant{
		Name:    "time-wait-ignores-fin-again",
		Mistake: "TIME-WAIT ignores the peer's retransmitted FIN instead of acknowledging it and restarting 2 MSL",
		Edits:   []Edit{Replace("TIME-WAIT", "seg-fin-again", "", "TIME-WAIT seg-fin-again ignore")},
	}
	TimeWaitIgnoresRst = Variant{
		Name:    "time-wait-ignores-rst",
		Mistake: "TIME-WAIT ignores every RST, as if the RFC 1337 switch were always on",
		Edits:   []Edit{Replace("TIME-WAIT", "seg-rst", "[!rfc1337]", "TIME-WAIT seg-rst [!rfc1337] ignore")},
	}
	LastAckNeverRetransmits = Variant{
		Name:    "last-ack-never-retransmits",
		Mistake: "LAST-ACK neither retransmits its FIN nor gives up when the retransmission timer runs out",
		Edits:   []Edit{Replace("LAST-ACK", "timeout-retx", "", "LAST-ACK timeout-retx stay")},
	}
	LastAckToTimeWait = Variant{
		Name:    "last-ack-to-time-wait",
		Mistake: "the ACK of our FIN takes LAST-ACK to TIME-WAIT, as if we had closed first, instead of CLOSED",
		Edits:   []Edit{Replace("LAST-ACK", "seg-ack-fin", "", "LAST-ACK seg-ack-fin -> TIME-WAIT : take-ack arm-2msl")},
	}
	FinWait2NeverTimesOut = Variant{
		Name:    "fin-wait-2-never-times-out",
		Mistake: "FIN-WAIT-2 ignores its timer, so a peer that never sends its FIN holds the connection for ever",
		Edits:   []Edit{Replace("FIN-WAIT-2", "timeout-fin-wait-2", "", "FIN-WAIT-2 timeout-fin-wait-2 ignore")},
	}
	CloseWaitSendsNoFin = Variant{
		Name:    "close-wait-sends-no-fin",
		Mistake: "CLOSE in CLOSE-WAIT goes to LAST-ACK without queueing our FIN",
		Edits:   []Edit{RemoveAction("CLOSE-WAIT", "close", "", "send-fin")},
	}
	SynReceivedIgnoresRst = Variant{
		Name:    "syn-received-ignores-rst",
		Mistake: "SYN-RECEIVED ignores an acceptable RST instead of returning to LISTEN or refusing the connection",
		Edits:   []Edit{Replace("SYN-RECEIVED", "seg-rst", "", "SYN-RECEIVED seg-rst ignore")},
	}
	ListenRejectsSyn = Variant{
		Name:    "listen-rejects-syn",
		Mistake: "a SYN in LISTEN lands on an error row, as if the classifier could never report one there",
		Edits:   []Edit{Replace("LISTEN", "seg-syn", "", "LISTEN seg-syn error")},
	}
)

// The broken tables that only a world with more than one incarnation of
// the connection (tcpworld Config.Incarnations) tells apart: on one
// connection they behave as the table as written, but for what the next
// connection on the same sockets may receive.
var (
	TimeWaitSkipped = Variant{
		Name:    "time-wait-skipped",
		Mistake: "the side that closes first goes straight to CLOSED when the peer's FIN arrives, instead of waiting 2 MSL in TIME-WAIT (only a simultaneous close, from CLOSING, still waits)",
		Edits: []Edit{
			Replace("FIN-WAIT-1", "seg-ack-fin-fin", "", "FIN-WAIT-1 seg-ack-fin-fin -> CLOSED : take-ack take-data take-fin tell-closed"),
			Replace("FIN-WAIT-2", "seg-fin", "", "FIN-WAIT-2 seg-fin -> CLOSED : take-ack take-data take-fin tell-closed"),
		},
	}
)

// Incarnation lists the broken tables that need incarnations to fail.
var Incarnation = []Variant{TimeWaitSkipped}

// Broken lists every broken table.
var Broken = []Variant{
	TimeWaitNeverExpires, TimeWaitRestarts, TimeWaitIgnoresFinAgain, TimeWaitIgnoresRst,
	LastAckNeverRetransmits, LastAckToTimeWait, FinWait2NeverTimesOut, CloseWaitSendsNoFin,
	SynReceivedIgnoresRst, ListenRejectsSyn,
}
