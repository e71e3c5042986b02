package tcpfsm

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/synfin/synfin/spec"
)

const tableFile = "../spec/tcp.fsm"

func parseTable(t testing.TB, src string) *spec.Machine {
	t.Helper()
	m, err := spec.Parse(tableFile, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func readTable(t testing.TB) string {
	t.Helper()
	src, err := os.ReadFile(tableFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

func mustTable(t testing.TB, src string) *Table {
	t.Helper()
	tab, err := NewTable(parseTable(t, src))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestTableMatchesGenerated: stepping tcp.fsm through the interpreter
// agrees with the generated Step for every state, event and guard set.
func TestTableMatchesGenerated(t *testing.T) {
	tab := mustTable(t, readTable(t))
	m := tab.Machine()
	for s := State(0); s < NumStates; s++ {
		for ev := Event(0); ev < NumEvents; ev++ {
			for g := Guards(0); g < 1<<NumGuards; g++ {
				row, next, act, ok := tab.step(s, ev, g)
				wantNext, wantAct, wantOK := Step(s, ev, g)
				if next != wantNext || act != wantAct || ok != wantOK {
					t.Fatalf("%v %v [%v]: interpreter (%v, %v, %v), generated (%v, %v, %v)",
						s, ev, g, next, act, ok, wantNext, wantAct, wantOK)
				}
				if line := m.Rows[row].Pos.Line; line != Rows[Match(s, ev, g)].Line {
					t.Fatalf("%v %v [%v]: interpreter row at line %d, generated at %d", s, ev, g, line, Rows[Match(s, ev, g)].Line)
				}
			}
		}
	}
}

// TestTableEndpointDifferential drives two Endpoints with the same random
// calls, one on the generated table, one on the interpreter: they must
// stay equal and answer the same.
func TestTableEndpointDifferential(t *testing.T) {
	tab := mustTable(t, readTable(t))
	r := rand.New(rand.NewPCG(1, 2))
	for run := 0; run < 300; run++ {
		a := newEp(t, Config{ISS: Seq(r.Uint32()), MSS: 50, SynRetries: 2, DataRetries: 2})
		b := newEp(t, a.e.Config())
		b.e.UseTable(tab)
		for i := 0; i < 60; i++ {
			op := randomOp(r, &a.e)
			op(a)
			op(b)
			if a.out.Step.Row >= 0 {
				if la, lb := Rows[a.out.Step.Row].Line, tab.Machine().Rows[b.out.Step.Row].Pos.Line; la != lb {
					t.Fatalf("run %d step %d: rows at lines %d and %d", run, i, la, lb)
				}
			}
			a.out.Step.Row, b.out.Step.Row = 0, 0
			if a.out != b.out {
				t.Fatalf("run %d step %d: outputs differ:\n%+v\n%+v", run, i, a.out, b.out)
			}
			b.e.UseTable(nil)
			if a.e != b.e {
				t.Fatalf("run %d step %d: endpoints differ:\n%v\n%v", run, i, &a.e, &b.e)
			}
			b.e.UseTable(tab)
		}
	}
}

// randomOp picks a call that makes sense for e's state: a user call, a
// timer (running or not), or a segment near e's windows.
func randomOp(r *rand.Rand, e *Endpoint) func(*ep) {
	switch r.IntN(10) {
	case 0:
		calls := []func(*ep) *ep{(*ep).openPassive, (*ep).openActive, (*ep).close, (*ep).abort}
		call := calls[r.IntN(len(calls))]
		return func(c *ep) { call(c) }
	case 1:
		n := r.IntN(200)
		return func(c *ep) { c.send(n) }
	case 2:
		tm := Timer(r.IntN(NumTimers))
		return func(c *ep) { c.timeout(tm) }
	}
	s := randomSegment(r, e)
	return func(c *ep) { c.seg(s) }
}

// randomSegment makes a segment whose numbers fall near e's RCV.NXT and
// SND.UNA/SND.NXT, where the interesting cases are.
func randomSegment(r *rand.Rand, e *Endpoint) Segment {
	var b [8]byte
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return segmentFrom(b[:], e)
}

// segmentFrom decodes 8 bytes into a segment near e's windows: flags,
// SEG.SEQ as an offset from RCV.NXT, SEG.ACK as an offset from SND.UNA,
// the length, the window, and a byte that sometimes makes the numbers
// absolute.
func segmentFrom(b []byte, e *Endpoint) Segment {
	s := Segment{
		Flags: Flags(b[0]) & (FlagFIN | FlagSYN | FlagRST | FlagACK | FlagPSH),
		Seq:   e.RcvNxt() + Seq(int32(int8(b[1]))),
		Ack:   e.SndUna() + Seq(int32(int8(b[2]))%8),
		Len:   uint32(b[3] % 64),
		Wnd:   uint32(b[4]) << 4,
	}
	if e.State() == StateListen || e.State() == StateClosed || e.State() == StateSynSent {
		s.Seq = Seq(b[5]) << 8
	}
	switch b[6] % 8 {
	case 0:
		s.Seq = Seq(uint32(b[5])<<24 | uint32(b[7])<<8)
	case 1:
		s.Ack = Seq(uint32(b[7])<<24 | uint32(b[5]))
	case 2:
		s.Seq = e.RcvNxt() - 1 - Seq(s.Len) // ends just before RCV.NXT: a FIN again, or old data
	}
	return s
}

func TestNewTableErrors(t *testing.T) {
	src := readTable(t)
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown event", "events  seg-fin-again\n", "events  seg-fin-again seg-urg\n", `unknown event "seg-urg"`},
		{"missing event", "events  seg-fin-again\n", "", `missing event "seg-fin-again"`},
		{"unknown action", "actions err-resources\n", "actions err-resources send-urg\n", `unknown action "send-urg"`},
		{"unknown guard", "guards  full\n", "guards  full urgent\n", `unknown guard "urgent"`},
		{"initial", "initial CLOSED\n", "initial LISTEN\n", `initial state is "LISTEN"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(src, tt.old) {
				t.Fatalf("table has no %q", tt.old)
			}
			edited := strings.Replace(src, tt.old, tt.new, 1)
			// Make the edited table valid where the edit alone would not be.
			switch tt.name {
			case "unknown event":
				edited += "synchronized, unsynchronized  seg-urg  ignore\n"
			case "missing event":
				edited = dropRowsMentioning(edited, "seg-fin-again")
			case "unknown action":
				edited = strings.Replace(edited, "seg-rst-bad    ignore ", "seg-rst-bad    stay : send-urg ", 1)
			case "unknown guard":
				edited = strings.Replace(edited, "TIME-WAIT       seg-ack        ignore", "TIME-WAIT seg-ack [urgent] ignore\nTIME-WAIT seg-ack [!urgent] ignore", 1)
			}
			m, err := spec.Parse(tableFile, []byte(edited))
			if err != nil {
				t.Fatalf("edited table: %v", err)
			}
			_, err = NewTable(m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewTable: %v, want %s", err, tt.want)
			}
		})
	}
	if _, err := NewTable(nil); err == nil {
		t.Error("NewTable(nil): no error")
	}
}

// dropRowsMentioning removes the rows for event ev from a table source,
// and ev from rows that list it among others.
func dropRowsMentioning(src, ev string) string {
	var out []string
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(line, "#") || !strings.Contains(line, ev) {
			out = append(out, line)
			continue
		}
		if strings.Contains(line, ev+",") || strings.Contains(line, ", "+ev) {
			line = strings.Replace(line, ", "+ev, "", 1)
			line = strings.Replace(line, ev+", ", "", 1)
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// TestVariantTable: an edited table changes the Endpoint's behaviour.
// Here TIME-WAIT ignores every RST, as if RFC 1337 were always on.
func TestVariantTable(t *testing.T) {
	src := readTable(t)
	const old = "TIME-WAIT       seg-rst [!rfc1337]  -> CLOSED  : tell-closed"
	if !strings.Contains(src, old) {
		t.Fatalf("table has no %q", old)
	}
	tab := mustTable(t, strings.Replace(src, old, "TIME-WAIT seg-rst [!rfc1337] ignore", 1))
	c := timeWait(t)
	c.e.UseTable(tab)
	if c.e.Table() != tab {
		t.Fatal("Table() is not the table in use")
	}
	c.seg(pRst(302)).expect().state(StateTimeWait)
	c.e.UseTable(nil)
	c.seg(pRst(302)).expect().state(StateClosed).tell(TellClosed)
}
