package proptest

// Sensitivity: the hostile-network property must catch the broken tables
// that the model checker must catch, taken from tcptest's named list;
// both endpoints of the world step through the broken table (tcpworld
// Config.Table). The property must fail, gopter must shrink the schedule,
// and the shrunk schedule must still fail the same way.

import (
	"testing"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// sensitivity lists the broken tables and the property each must violate.
var sensitivity = []struct {
	table tcptest.Variant
	want  string
}{
	{tcptest.TimeWaitNeverExpires, tcpworld.PropBothClosed},
	{tcptest.LastAckNeverRetransmits, propEnds},
	{tcptest.CloseWaitSendsNoFin, tcpworld.PropInvariants},
	{tcptest.SynReceivedIgnoresRst, tcpworld.PropRSTObeyed},
}

func TestSensitivity(t *testing.T) {
	t.Parallel()
	for _, v := range sensitivity {
		t.Run(v.table.Name, func(t *testing.T) {
			t.Parallel()
			tbl := tcptest.Table(t, v.table)
			p := params(worldRuns, maxChoices)
			res := worldProp(tbl, nil).Check(p)
			if res.Passed() {
				t.Fatalf("the hostile-network property passed %d schedules of a broken table (seed %d)", res.Succeeded, p.Seed())
			}
			if len(res.Args) != 1 {
				t.Fatalf("want one shrunk schedule, got %d arguments: %v", len(res.Args), res.Error)
			}
			shrunk, orig := res.Args[0].Arg.(schedule), res.Args[0].OrigArg.(schedule)
			if len(shrunk.Choices) > len(orig.Choices) {
				t.Errorf("the shrunk schedule has %d choices, the original %d", len(shrunk.Choices), len(orig.Choices))
			}
			r := runSchedule(shrunk, nil)
			if r.violated != v.want {
				t.Errorf("the shrunk schedule violates %q (%s), want %q", r.violated, r.detail, v.want)
			}
			t.Logf("caught after %d passing schedules; shrunk from %d to %d choices in %d shrinks:\n%s",
				res.Succeeded, len(orig.Choices), len(shrunk.Choices), res.Args[0].Shrinks, describe(shrunk))
		})
	}
}
