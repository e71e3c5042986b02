package main

import (
	"strings"
	"testing"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// The worlds the RFC variants are checked in: small (no data), with one
// byte of data each way, and small with one ABORT.
var (
	noData    = []string{"-data", "0", "-capacity", "2", "-quiet"}
	withData  = []string{"-capacity", "2", "-dup", "0", "-quiet"}
	withAbort = []string{"-data", "0", "-capacity", "2", "-abort", "-quiet"}
)

// rfcVariants are the broken tables that only the judgement of each step
// against RFC 9293 catches (tcptest.BrokenRFC): each with the property
// meant to catch it and the world it shows in.
var rfcVariants = []struct {
	table    tcptest.Variant
	property string
	world    []string
}{
	{tcptest.SynSentSynAckUnacked, tcpworld.PropSynAnswered, noData},
	{tcptest.SynSentSimultaneousEstablishes, tcpworld.PropEstablishedOnAck, noData},
	{tcptest.SynSentObeysAnyRst, tcpworld.PropRSTAcceptable, withAbort},
	{tcptest.ListenSynNoSynAck, tcpworld.PropSynAnswered, noData},
	{tcptest.ListenIgnoresAck, tcpworld.PropAnswered, noData},
	{tcptest.ListenObeysRst, tcpworld.PropRSTAcceptable, noData},
	{tcptest.SynReceivedDropsText, tcpworld.PropAnswered, withData},
	{tcptest.SynReceivedMissesFin, tcpworld.PropAnswered, withData},
	{tcptest.SynReceivedObeysRstInWindow, tcpworld.PropRSTAcceptable, noData},
	{tcptest.EstablishedDropsUnacceptable, tcpworld.PropUnacceptableAck, noData},
	{tcptest.EstablishedFinNotTaken, tcpworld.PropFinTaken, noData},
	{tcptest.ClosingAnyAckToTimeWait, tcpworld.PropClosedAfterFin, noData},
	{tcptest.ClosingSkipsTimeWait, tcpworld.PropAnswered, noData},
	{tcptest.LastAckAnyAckCloses, tcpworld.PropClosedAfterFin, noData},
	{tcptest.LastAckGivesUpQuietly, tcpworld.PropClosedAfterFin, noData},
	{tcptest.TimeWaitFinAgainUnacked, tcpworld.PropUnacceptableAck, noData},
	{tcptest.TimeWaitFinAgainCloses, tcpworld.PropUnacceptableAck, noData},
	{tcptest.TimeWaitObeysAnyRst, tcpworld.PropRSTAcceptable, noData},
	{tcptest.TimeWaitSkipped, tcpworld.PropAnswered, noData},
}

// TestRFCVariants writes each RFC variant to a file and requires tcpcheck
// -spec to report a violation of the property meant for it, with a
// counterexample whose last step names the fault; the table as written
// verifies in the same worlds.
func TestRFCVariants(t *testing.T) {
	listed := map[string]bool{}
	for _, v := range rfcVariants {
		listed[v.table.Name] = true
		t.Run(v.table.Name, func(t *testing.T) {
			file := tcptest.WriteFile(t, t.TempDir(), v.table)
			r := tcpcheck(t, append([]string{"-spec", file, "-json"}, v.world...)...)
			if r.code != exitViolated {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, exitViolated, r.stdout, r.stderr)
			}
			var names []string
			for _, vi := range decode(t, r).Violations {
				names = append(names, vi.Property)
				if vi.Property != v.property {
					continue
				}
				steps := vi.Trace.Steps
				if last := steps[len(steps)-1]; last.Fault == "" {
					t.Errorf("the counterexample's last step names no fault: %+v", last)
				}
				return
			}
			t.Fatalf("no violation of %q; violations: %q", v.property, names)
		})
	}
	for _, v := range tcptest.BrokenRFC {
		if !listed[v.Name] {
			t.Errorf("broken table %s has no property meant to catch it", v.Name)
		}
	}
	file := tcptest.WriteFile(t, t.TempDir(), tcptest.AsWritten)
	for _, world := range [][]string{noData, withData, withAbort} {
		r := tcpcheck(t, append([]string{"-spec", file}, world...)...)
		if r.code != exitVerified || !strings.Contains(r.stdout, "ok   always     "+tcpworld.PropAnswered+": holds") {
			t.Errorf("the table as written in %q: exit %d\n%s%s", world, r.code, r.stdout, r.stderr)
		}
	}
}
