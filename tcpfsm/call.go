package tcpfsm

import "errors"

// ErrNotCall answers Call with an event the table does not declare as a
// user call (an arriving segment's event or a timer's expiry): no step is
// taken.
var ErrNotCall = errors.New("tcpfsm: event is not a user call")

// Call performs the user call ev: any event the table declares with
// `calls`, including those a table of the embedder's own adds, which have
// no method of their own. OpenPassive, OpenActive, Close and Abort are
// Call with their event; Call(EventSend) is a SEND of no bytes (Send takes
// a byte count). An event of another kind is refused with ErrNotCall.
func (e *Endpoint) Call(ev Event, out *Output) {
	if ev.Kind() != KindCall {
		out.Reset()
		out.Err = ErrNotCall
		return
	}
	e.user(ev, 0, out)
}
