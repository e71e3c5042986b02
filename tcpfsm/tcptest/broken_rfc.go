package tcptest

// Broken tables that still let both ends reach CLOSED on most runs: the
// mistakes only a judgement of each step against RFC 9293 catches
// (model/tcpworld's RFC properties). They are in Broken too.
var (
	SynSentSynAckUnacked = Variant{
		Name:    "syn-sent-syn-ack-unacked",
		Mistake: "the SYN-ACK takes SYN-SENT to ESTABLISHED without the ACK that completes the handshake",
		Edits:   []Edit{RemoveAction("SYN-SENT", "seg-syn-ack", "", "send-ack")},
	}
	SynSentSimultaneousEstablishes = Variant{
		Name:    "syn-sent-simultaneous-establishes",
		Mistake: "a SYN without ACK in SYN-SENT goes straight to ESTABLISHED, as if it acknowledged our SYN",
		Edits: []Edit{Replace("SYN-SENT", "seg-syn", "",
			"SYN-SENT seg-syn -> ESTABLISHED : take-syn send-ack tell-established")},
	}
	SynSentObeysAnyRst = Variant{
		Name:    "syn-sent-obeys-any-rst",
		Mistake: "SYN-SENT obeys an RST that does not acknowledge our SYN (RFC 5961 section 3.2 says drop it)",
		Edits:   []Edit{Replace("SYN-SENT", "seg-rst-bad", "", "SYN-SENT seg-rst-bad -> CLOSED : tell-reset")},
	}
	ListenSynNoSynAck = Variant{
		Name:    "listen-syn-no-syn-ack",
		Mistake: "a SYN in LISTEN is taken but not answered with a SYN-ACK",
		Edits:   []Edit{Replace("LISTEN", "seg-syn", "", "LISTEN seg-syn -> SYN-RECEIVED : take-syn")},
	}
	ListenIgnoresAck = Variant{
		Name:    "listen-ignores-ack",
		Mistake: "LISTEN drops an ACK silently instead of answering it with a reset",
		Edits:   []Edit{Replace("LISTEN", "seg-bad-ack", "", "LISTEN seg-bad-ack ignore")},
	}
	ListenObeysRst = Variant{
		Name:    "listen-obeys-rst",
		Mistake: "an RST in LISTEN closes the listening connection; it cannot be valid there and must be ignored",
		Edits:   []Edit{Replace("LISTEN", "seg-rst", "", "LISTEN seg-rst -> CLOSED : tell-reset")},
	}
	SynReceivedDropsText = Variant{
		Name:    "syn-received-drops-text",
		Mistake: "the ACK that completes the handshake in SYN-RECEIVED is taken, but the text on it is not",
		Edits: []Edit{Replace("SYN-RECEIVED", "seg-ack-syn", "",
			"SYN-RECEIVED seg-ack-syn -> ESTABLISHED : take-ack tell-established")},
	}
	SynReceivedMissesFin = Variant{
		Name:    "syn-received-misses-fin",
		Mistake: "a FIN on the ACK that completes the handshake is not taken: SYN-RECEIVED goes to ESTABLISHED, not CLOSE-WAIT",
		Edits: []Edit{Replace("SYN-RECEIVED", "seg-ack-syn-fin", "",
			"SYN-RECEIVED seg-ack-syn-fin -> ESTABLISHED : take-ack take-data tell-established")},
	}
	SynReceivedObeysRstInWindow = Variant{
		Name:    "syn-received-obeys-rst-in-window",
		Mistake: "SYN-RECEIVED obeys any RST in the window, as RFC 793 had it, not only one at RCV.NXT",
		Edits: []Edit{Replace("SYN-RECEIVED", "seg-rst-in-window", "",
			"SYN-RECEIVED seg-rst-in-window [passive] -> LISTEN",
			"SYN-RECEIVED seg-rst-in-window [!passive] -> CLOSED : tell-refused")},
	}
	EstablishedDropsUnacceptable = Variant{
		Name:    "established-drops-unacceptable",
		Mistake: "ESTABLISHED drops a segment that fails the sequence test without the ACK that resynchronizes the peer",
		Edits:   []Edit{Replace("ESTABLISHED", "seg-unacceptable", "", "ESTABLISHED seg-unacceptable ignore")},
	}
	EstablishedFinNotTaken = Variant{
		Name:    "established-fin-not-taken",
		Mistake: "the peer's FIN takes ESTABLISHED to CLOSE-WAIT without taking the FIN: no ACK of it, no end of stream",
		Edits:   []Edit{RemoveAction("ESTABLISHED", "seg-fin", "", "take-fin")},
	}
	ClosingAnyAckToTimeWait = Variant{
		Name:    "closing-any-ack-to-time-wait",
		Mistake: "any acceptable ACK takes CLOSING to TIME-WAIT, not only the ACK of our FIN",
		Edits:   []Edit{Replace("CLOSING", "seg-ack", "", "CLOSING seg-ack -> TIME-WAIT : take-ack arm-2msl")},
	}
	ClosingSkipsTimeWait = Variant{
		Name:    "closing-skips-time-wait",
		Mistake: "the ACK of our FIN takes CLOSING straight to CLOSED instead of TIME-WAIT",
		Edits:   []Edit{Replace("CLOSING", "seg-ack-fin", "", "CLOSING seg-ack-fin -> CLOSED : take-ack tell-closed")},
	}
	LastAckAnyAckCloses = Variant{
		Name:    "last-ack-any-ack-closes",
		Mistake: "any acceptable ACK ends LAST-ACK, not only the ACK of our FIN",
		Edits:   []Edit{Replace("LAST-ACK", "seg-ack", "", "LAST-ACK seg-ack -> CLOSED : take-ack tell-closed")},
	}
	LastAckGivesUpQuietly = Variant{
		Name:    "last-ack-gives-up-quietly",
		Mistake: "LAST-ACK giving up on its FIN tells the user the connection closed, not that it timed out",
		Edits: []Edit{Replace("LAST-ACK", "timeout-retx", "[exhausted]",
			"LAST-ACK timeout-retx [exhausted] -> CLOSED : tell-closed")},
	}
	TimeWaitFinAgainUnacked = Variant{
		Name:    "time-wait-fin-again-unacked",
		Mistake: "TIME-WAIT restarts 2 MSL on the peer's retransmitted FIN but does not acknowledge it again",
		Edits:   []Edit{Replace("TIME-WAIT", "seg-fin-again", "", "TIME-WAIT seg-fin-again stay : arm-2msl")},
	}
	TimeWaitFinAgainCloses = Variant{
		Name:    "time-wait-fin-again-closes",
		Mistake: "the peer's retransmitted FIN ends TIME-WAIT, instead of being acknowledged and restarting 2 MSL",
		Edits:   []Edit{Replace("TIME-WAIT", "seg-fin-again", "", "TIME-WAIT seg-fin-again -> CLOSED : send-ack tell-closed")},
	}
	TimeWaitObeysAnyRst = Variant{
		Name:    "time-wait-obeys-any-rst",
		Mistake: "TIME-WAIT ends on an RST outside the window, not only one at RCV.NXT",
		Edits:   []Edit{Replace("TIME-WAIT", "seg-rst-bad", "", "TIME-WAIT seg-rst-bad -> CLOSED : tell-closed")},
	}
)

// TimeWaitSkipped leaves out TIME-WAIT for the side that closes first.
// On one connection it looks harmless; what it breaks is the next
// incarnation, but the RFC reference catches it at the FIN.
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

// BrokenRFC lists the broken tables above; Broken ends with them.
var BrokenRFC = []Variant{
	SynSentSynAckUnacked, SynSentSimultaneousEstablishes, SynSentObeysAnyRst,
	ListenSynNoSynAck, ListenIgnoresAck, ListenObeysRst,
	SynReceivedDropsText, SynReceivedMissesFin, SynReceivedObeysRstInWindow,
	EstablishedDropsUnacceptable, EstablishedFinNotTaken,
	ClosingAnyAckToTimeWait, ClosingSkipsTimeWait, LastAckAnyAckCloses, LastAckGivesUpQuietly,
	TimeWaitFinAgainUnacked, TimeWaitFinAgainCloses, TimeWaitObeysAnyRst, TimeWaitSkipped,
}
