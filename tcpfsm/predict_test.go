package tcpfsm

import "testing"

// predictAck (classify.go) is a shortcut past classifySynchronized for the
// common segment. These tests check what makes it safe: whenever it says
// true, classifySynchronized says seg-ack. (When it says false the full
// checks run, so its misses cost time only.)

// checkPrediction fails t if predictAck takes seg, on e, to be seg-ack
// and classifySynchronized does not. It reports whether predictAck said
// true.
func checkPrediction(t *testing.T, e *Endpoint, seg Segment) bool {
	if !e.synchronized() {
		return false
	}
	c := segCtx{seg: seg, seq: seg.Seq, flags: seg.Flags}
	if !e.reader().predictAck(&c) {
		return false
	}
	full := c
	if ev := e.reader().classifySynchronized(&full); ev != EventSegAck {
		t.Helper()
		t.Fatalf("in %v (%v): predictAck takes %v for seg-ack, classifySynchronized says %v", e.State(), e, seg, ev)
	}
	return true
}
