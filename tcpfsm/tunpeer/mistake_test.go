//go:build linux

package tunpeer

import (
	"os"
	"regexp"
	"testing"

	"github.com/synfin/synfin/spec"
	"github.com/synfin/synfin/tcpfsm"
)

// tableFile is the TCP table, relative to this package's directory.
const tableFile = "../../spec/tcp.fsm"

// timeWaitFinRow matches the row by which TIME-WAIT acknowledges a
// retransmitted FIN and restarts its timer.
var timeWaitFinRow = regexp.MustCompile(`(?m)^TIME-WAIT\s+seg-fin-again\s+stay\b.*$`)

// loadTable parses the TCP table after edit has changed its text, and
// makes a variant table of it for the Endpoint.
func loadTable(t *testing.T, edit func(src []byte) []byte) *tcpfsm.Table {
	t.Helper()
	src, err := os.ReadFile(tableFile)
	if err != nil {
		t.Fatal(err)
	}
	src = edit(src)
	m, err := spec.Parse(tableFile, src)
	if err != nil {
		t.Fatalf("the edited table does not parse:\n%v", err)
	}
	table, err := tcpfsm.NewTable(m)
	if err != nil {
		t.Fatal(err)
	}
	return table
}

// TestTableMistake shows that the kernel scenarios catch a mistake in the
// table: a TIME-WAIT that ignores the peer's retransmitted FIN instead of
// acknowledging it. The table still parses and validates (the pair is
// decided, by an ignore row), so only behaviour can tell. Against the
// kernel it shows: the kernel, whose first ACK of its FIN was lost, stays
// in LAST-ACK sending its FIN again and again while we sit in TIME-WAIT,
// and the scenario "time-wait-answers-retransmitted-fin" fails. The same
// scenario passes with the table as written, read through the same
// variant-table path.
func TestTableMistake(t *testing.T) {
	needKernel(t)
	good := loadTable(t, func(src []byte) []byte { return src })
	broken := loadTable(t, func(src []byte) []byte {
		if len(timeWaitFinRow.FindAll(src, -1)) != 1 {
			t.Fatalf("%s: no single row %q to break", tableFile, timeWaitFinRow)
		}
		return timeWaitFinRow.ReplaceAll(src, []byte("TIME-WAIT  seg-fin-again  ignore  @ a deliberate mistake"))
	})

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
