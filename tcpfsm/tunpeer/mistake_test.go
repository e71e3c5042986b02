//go:build linux

package tunpeer

import (
	"testing"

	"github.com/synfin/synfin/tcpfsm/tcptest"
)

// TestTableMistake shows that the kernel scenarios catch a mistake in the
// table: a TIME-WAIT that ignores the peer's retransmitted FIN instead of
// acknowledging it (tcptest.TimeWaitIgnoresFinAgain). The table still
// parses and validates (the pair is decided, by an ignore row), so only
// behaviour can tell. Against the kernel it shows: the kernel, whose first
// ACK of its FIN was lost, stays in LAST-ACK sending its FIN again and
// again while we sit in TIME-WAIT, and the scenario
// "time-wait-answers-retransmitted-fin" fails. The same scenario passes
// with the table as written, read through the same variant-table path.
func TestTableMistake(t *testing.T) {
	needKernel(t)
	good := tcptest.Table(t, tcptest.AsWritten)
	broken := tcptest.Table(t, tcptest.TimeWaitIgnoresFinAgain)

	t.Run("as-written", func(t *testing.T) {
		t.Parallel()
		if err := runScenario(t, timeWaitScenario, client, good); err != nil {
			t.Fatalf("the table as written fails the scenario: %v", err)
		}
	})
	t.Run("broken", func(t *testing.T) {
		t.Parallel()
		err := runScenario(t, timeWaitScenario, client, broken)
		if err == nil {
			t.Fatal("the scenario passed with TIME-WAIT ignoring the retransmitted FIN: it does not test that row")
		}
		t.Logf("the scenario failed, as it must:\n%v", err)
	})
}
