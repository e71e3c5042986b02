package tcpfsm_test

import (
	"reflect"
	"testing"
	"unsafe"

	. "github.com/synfin/synfin/tcpfsm"
)

// TestSnapshotRestore: an Endpoint restored from its Snapshot into another
// Endpoint of the same Config is equal to it, at every step of a
// connection's life, and the two go on the same way.
func TestSnapshotRestore(t *testing.T) {
	cfg := Config{ISS: 1000, RcvWnd: 4096, SynRetries: 3}
	a := NewEndpoint(cfg)
	var out, outB Output
	steps := []struct {
		name string
		do   func(*Endpoint, *Output)
	}{
		{"open", func(e *Endpoint, o *Output) { e.OpenActive(o) }},
		{"syn-ack", func(e *Endpoint, o *Output) {
			e.Segment(Segment{Flags: FlagSYN | FlagACK, Seq: 5000, Ack: 1001, Wnd: 100}, o)
		}},
		{"send", func(e *Endpoint, o *Output) { e.Send(10, o) }},
		{"ack", func(e *Endpoint, o *Output) { e.Segment(Segment{Flags: FlagACK, Seq: 5001, Ack: 1006, Wnd: 100}, o) }},
		{"close", func(e *Endpoint, o *Output) { e.Close(o) }},
		{"retransmit", func(e *Endpoint, o *Output) { e.Timeout(TimerRetx, o) }},
	}
	for _, st := range steps {
		st.do(&a, &out)
		restored := NewEndpoint(cfg)
		restored.Restore(a.Snapshot())
		if restored != a {
			t.Fatalf("after %s: restored %v, want %v", st.name, &restored, &a)
		}
		next, nextR := a, restored
		next.Poll(&out)
		nextR.Poll(&outB)
		if next != nextR || out != outB {
			t.Fatalf("after %s: the restored Endpoint polls differently", st.name)
		}
		snap := a.Snapshot()
		if snap.State() != a.State() || snap.SndNxt() != a.SndNxt() || snap.CheckInvariants() != nil {
			t.Fatalf("after %s: snapshot reads %v, endpoint %v", st.name, &snap, &a)
		}
	}
}

// TestSnapshotWindowHistory: Canonical changes SND.WL1 and
// SND.WL2 only, so a snapshot with history differs from one without only
// once a segment has updated the window.
func TestSnapshotWindowHistory(t *testing.T) {
	e := NewEndpoint(Config{ISS: 1000})
	var out Output
	e.OpenActive(&out)
	if s := e.Snapshot(); s.Canonical() != s {
		t.Fatal("SYN-SENT: window history before any window was taken")
	}
	e.Segment(Segment{Flags: FlagSYN | FlagACK, Seq: 5000, Ack: 1001, Wnd: 100}, &out)
	s := e.Snapshot()
	z := s.Canonical()
	if z == s {
		t.Fatal("ESTABLISHED: the SYN-ACK set no window history")
	}
	if z.State() != s.State() || z.SndUna() != s.SndUna() || z.SndNxt() != s.SndNxt() ||
		z.RcvNxt() != s.RcvNxt() || z.SndWnd() != s.SndWnd() || z.ISS() != s.ISS() || z.IRS() != s.IRS() {
		t.Fatalf("zeroing changed more than the history: %v vs %v", &z, &s)
	}
}

// TestSnapshotIsCompact: a Snapshot is the size its documentation says,
// holds no pointer, and has no padding for == and hashing to skip.
func TestSnapshotIsCompact(t *testing.T) {
	typ := reflect.TypeFor[Snapshot]()
	if size := typ.Size(); size != 80 {
		t.Errorf("Snapshot is %d bytes, the documentation says 80", size)
	}
	var fields uintptr
	var pointers []string
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Struct:
			for i := range t.NumField() {
				walk(t.Field(i).Type)
			}
		case reflect.Array:
			for range t.Len() {
				walk(t.Elem())
			}
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.String, reflect.Func, reflect.Chan, reflect.UnsafePointer:
			pointers = append(pointers, t.String())
		default:
			fields += t.Size()
		}
	}
	walk(typ)
	if len(pointers) > 0 {
		t.Errorf("Snapshot holds pointers: %v", pointers)
	}
	if fields != typ.Size() {
		t.Errorf("Snapshot has %d bytes of padding", typ.Size()-fields)
	}
	if unsafe.Sizeof(Endpoint{}) <= typ.Size() {
		t.Errorf("a Snapshot (%d bytes) is not smaller than an Endpoint (%d)", typ.Size(), unsafe.Sizeof(Endpoint{}))
	}
}
