package proptest

// Sensitivity: the hostile-network property must catch the broken tables
// that the model checker must catch. Each variant edits spec/tcp.fsm in
// memory; both endpoints of the world step through it (tcpworld
// Config.Table). The property must fail, gopter must shrink the schedule,
// and the shrunk schedule must still fail the same way.

import (
	"strings"
	"testing"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/spec"
	"github.com/synfin/synfin/tcpfsm"
)

// variant is a broken table: edits of tcp.fsm (each old text must occur
// exactly once) and the property it must violate.
type variant struct {
	name  string
	edits [][2]string
	want  string
}

var variants = []variant{
	{
		name: "no TIME-WAIT expiry",
		edits: [][2]string{{
			"TIME-WAIT       timeout-2msl   -> CLOSED       : tell-closed",
			"TIME-WAIT       timeout-2msl   stay",
		}},
		want: tcpworld.PropBothClosed,
	},
	{
		name: "LAST-ACK never retransmits its FIN",
		edits: [][2]string{
			{"group   retransmitting = SYN-SENT SYN-RECEIVED ESTABLISHED FIN-WAIT-1 CLOSE-WAIT CLOSING LAST-ACK\n",
				"group   retransmitting = SYN-SENT SYN-RECEIVED ESTABLISHED FIN-WAIT-1 CLOSE-WAIT CLOSING\n"},
			{"retransmitting  timeout-retx [!exhausted]  stay    : retransmit       @ RFC 6298 5.4\n",
				"retransmitting  timeout-retx [!exhausted]  stay    : retransmit       @ RFC 6298 5.4\n" +
					"LAST-ACK        timeout-retx [!exhausted]  stay\n"},
		},
		want: propEnds,
	},
	{
		name: "CLOSE-WAIT closes without a FIN",
		edits: [][2]string{{
			"CLOSE-WAIT      close          -> LAST-ACK     : send-fin",
			"CLOSE-WAIT      close          -> LAST-ACK",
		}},
		want: tcpworld.PropInvariants,
	},
	{
		name: "SYN-RECEIVED ignores RST",
		edits: [][2]string{
			{"SYN-RECEIVED    seg-rst [passive]   -> LISTEN", "SYN-RECEIVED    seg-rst [passive]   ignore"},
			{"SYN-RECEIVED    seg-rst [!passive]  -> CLOSED  : tell-refused", "SYN-RECEIVED    seg-rst [!passive]  ignore"},
			{"actions tell-refused\n", ""}, // no row performs it now
		},
		want: tcpworld.PropRSTObeyed,
	},
}

// variantTable applies v's edits to tcp.fsm and makes an Endpoint table.
func variantTable(t *testing.T, v variant) *tcpfsm.Table {
	t.Helper()
	src := readTable(t)
	for _, e := range v.edits {
		if n := strings.Count(src, e[0]); n != 1 {
			t.Fatalf("%s: tcp.fsm holds %q %d times, want once", v.name, e[0], n)
		}
		src = strings.Replace(src, e[0], e[1], 1)
	}
	m, err := spec.Parse("tcp.fsm", []byte(src))
	if err != nil {
		t.Fatalf("%s: %v", v.name, err)
	}
	tbl, err := tcpfsm.NewTable(m)
	if err != nil {
		t.Fatalf("%s: %v", v.name, err)
	}
	return tbl
}

func TestSensitivity(t *testing.T) {
	t.Parallel()
	for _, v := range variants {
		t.Run(strings.ReplaceAll(v.name, " ", "_"), func(t *testing.T) {
			t.Parallel()
			tbl := variantTable(t, v)
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
