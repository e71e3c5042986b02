package tcpfsm_test

// An Endpoint stepping through a variant table (tcptest): the table as
// written behaves as the generated code, and an edited one changes what
// the Endpoint does.

import (
	"math/rand/v2"
	"testing"

	. "github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/tcptest"
	"github.com/synfin/synfin/tcpfsm/variant"
)

// TestTableEndpointDifferential drives two Endpoints with the same random
// calls, one on the generated table, one on the interpreter: they must
// stay equal and answer the same.
func TestTableEndpointDifferential(t *testing.T) {
	tab := tcptest.Table(t, tcptest.AsWritten)
	r := rand.New(rand.NewPCG(1, 2))
	for run := 0; run < 300; run++ {
		x := plain(t)
		cfg := Config{ISS: Seq(r.Uint32()), MSS: 50, SynRetries: 2, DataRetries: 2}
		a := x.newConn("generated", cfg.ISS, cfg)
		b := x.newConn("interpreted", cfg.ISS, a.e.Config())
		tcptest.Use(&b.e, tab)
		for i := 0; i < 60; i++ {
			op := randomOp(r, &a.e)
			op(a)
			op(b)
			if a.out.Step.Row >= 0 {
				if la, lb := Rows[a.out.Step.Row].Line, variant.Machine(tab).Rows[b.out.Step.Row].Pos.Line; la != lb {
					t.Fatalf("run %d step %d: rows at lines %d and %d", run, i, la, lb)
				}
			}
			a.out.Step.Row, b.out.Step.Row = 0, 0
			if a.out != b.out {
				t.Fatalf("run %d step %d: outputs differ:\n%+v\n%+v", run, i, a.out, b.out)
			}
			tcptest.Use(&b.e, nil)
			if a.e != b.e {
				t.Fatalf("run %d step %d: endpoints differ:\n%v\n%v", run, i, &a.e, &b.e)
			}
			tcptest.Use(&b.e, tab)
		}
	}
}

// randomOp picks a call that makes sense for e's state: a user call, a
// timer (running or not), or a segment near e's windows.
func randomOp(r *rand.Rand, e *Endpoint) func(*conn) {
	switch r.IntN(10) {
	case 0:
		calls := []func(*conn) *conn{(*conn).openPassive, (*conn).openActive, (*conn).close, (*conn).abort}
		call := calls[r.IntN(len(calls))]
		return func(c *conn) { call(c) }
	case 1:
		n := r.IntN(200)
		return func(c *conn) { c.send(n) }
	case 2:
		tm := Timer(r.IntN(NumTimers))
		return func(c *conn) { c.timeout(tm) }
	}
	s := randomSegment(r, e)
	return func(c *conn) { c.recv(s) }
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

// TestVariantTable: an edited table changes the Endpoint's behaviour.
// Here TIME-WAIT ignores every RST, as if RFC 1337 were always on
// (tcptest.TimeWaitIgnoresRst).
func TestVariantTable(t *testing.T) {
	tab := tcptest.Table(t, tcptest.TimeWaitIgnoresRst)
	c := plain(t).timeWait()
	tcptest.Use(&c.e, tab)
	if c.e.Table() != tab {
		t.Fatal("Table() is not the table in use")
	}
	c.recv(inRst(302)).sends().state(StateTimeWait)
	tcptest.Use(&c.e, nil)
	c.recv(inRst(302)).sends().state(StateClosed).tells(TellClosed)
}
