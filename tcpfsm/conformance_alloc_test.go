package tcpfsm_test

// Conformance: no Endpoint method allocates. TestAllocs (alloc_test.go)
// measures the calls that step the table; this test measures the rest and
// checks that between the two every method of *Endpoint is measured, so a
// new method cannot go unmeasured.

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/synfin/synfin/spec"
	. "github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/variant"
)

// measuredByTestAllocs are the methods alloc_test.go measures.
var measuredByTestAllocs = []string{
	"OpenPassive", "OpenActive", "Send", "Close", "Abort", "Segment", "Timeout", "Poll",
	"CheckInvariants", "State", "SndUna", "SndNxt", "RcvNxt",
}

// allocExempt are the methods allowed to allocate, with the reason.
var allocExempt = map[string]string{
	"String": "formats the Endpoint for logs and test failures with fmt",
}

func TestConformanceAllocs(t *testing.T) {
	m, err := spec.ParseFile("../spec/tcp.fsm")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := variant.NewTable(m)
	if err != nil {
		t.Fatal(err)
	}
	x := &ctx{t: t, b: bases[1], sc: scenario{name: "allocs", rule: "Endpoint methods do not allocate"}}
	fixtures := []*conn{x.synSent(), x.established(), x.finWait1(), x.finWait2(), x.timeWait()}
	for _, c := range fixtures {
		c.settle()
	}
	var e Endpoint
	var sinkB bool
	var sinkS Seq
	var sinkU uint64
	var sinkN int
	var snap Snapshot
	var out Output
	var reaction Reaction
	calls := map[string]func(){
		"Config":      func() { sinkN += int(e.Config().MSS) },
		"UseTable":    func() { e.UseTable(tab); e.UseTable(nil) },
		"Table":       func() { sinkB = sinkB != (e.Table() == nil) },
		"SetISS":      func() { e.SetISS(12345) },
		"SetRTO":      func() { e.SetRTO(3 * time.Second) },
		"ISS":         func() { sinkS += e.ISS() },
		"IRS":         func() { sinkS += e.IRS() },
		"SndEnd":      func() { sinkS += e.SndEnd() },
		"SndWnd":      func() { sinkU += uint64(e.SndWnd()) },
		"RcvWnd":      func() { sinkU += uint64(e.RcvWnd()) },
		"Acked":       func() { sinkU += e.Acked() },
		"Queued":      func() { sinkU += uint64(e.Queued()) },
		"Received":    func() { sinkU += e.Received() },
		"Passive":     func() { sinkB = sinkB != e.Passive() },
		"FinReceived": func() { sinkB = sinkB != e.FinReceived() },
		"FinSent":     func() { sinkB = sinkB != e.FinSent() },
		"FinAcked":    func() { sinkB = sinkB != e.FinAcked() },
		"Retries":     func() { sinkN += e.Retries() },
		"Armed":       func() { sinkB = sinkB != e.Armed(TimerRetx) != e.Armed(TimerTimeWait) != e.Armed(TimerFinWait2) },
		"Snapshot":    func() { snap = e.Snapshot().Canonical(); sinkS += snap.ISS() },
		"Restore":     func() { e.Restore(e.Snapshot()) },
		"Call":        func() { e.Call(EventClose, &out); e.Call(EventSegAck, &out) },
		"React":       func() { e.React(Segment{Seq: e.RcvNxt() + 1}, &reaction) },
		"SendOffset":  func() { sinkU += e.SendOffset(e.SndNxt()) },
		"Read":        func() { e.Read(1, &out) },
		"Unread":      func() { sinkU += uint64(e.Unread()) },
		"MaxSndWnd":   func() { sinkU += uint64(e.MaxSndWnd()) },
	}
	typ := reflect.TypeOf(&e)
	for i := 0; i < typ.NumMethod(); i++ {
		name := typ.Method(i).Name
		_, mine := calls[name]
		_, exempt := allocExempt[name]
		if !mine && !exempt && !slices.Contains(measuredByTestAllocs, name) {
			t.Errorf("Endpoint.%s is not measured for allocations", name)
		}
	}
	for name, call := range calls {
		for _, c := range fixtures {
			if n := testing.AllocsPerRun(100, func() {
				e = c.e
				call()
			}); n != 0 {
				t.Errorf("Endpoint.%s in %v: %v allocations per call", name, c.e.State(), n)
			}
		}
	}
	_, _, _, _ = sinkB, sinkS, sinkU, sinkN
}
