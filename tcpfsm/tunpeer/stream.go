//go:build linux

package tunpeer

// The byte streams. The Endpoint works in sequence space and keeps no
// bytes: it names stretches of the send stream by offset when it wants
// them sent (OutSegment.Off, Len), says how many bytes the peer has
// acknowledged (Output.Acked), and says where in the receive stream the
// in-order part of an arriving segment goes (Output.Data, DataSkip). The
// embedder keeps the bytes; these two types are that part of it.

import "fmt"

// sendStream holds the bytes the user has written and the peer has not
// acknowledged yet: the send stream from offset base on. Only the event
// loop touches it.
type sendStream struct {
	buf  []byte // buf[head:] is the stream from offset base
	head int
	base uint64
}

// write appends b to the stream.
func (s *sendStream) write(b []byte) {
	s.buf = append(s.buf, b...)
}

// bytes returns the n bytes at stream offset off. The Endpoint only asks
// for bytes it has been given and that are not acknowledged, so anything
// else is a bug, reported as an error.
func (s *sendStream) bytes(off uint64, n uint32) ([]byte, error) {
	if off < s.base || off+uint64(n) > s.base+uint64(len(s.buf)-s.head) {
		return nil, fmt.Errorf("tunpeer: the Endpoint asked for send stream bytes %d to %d; held: %d to %d",
			off, off+uint64(n), s.base, s.base+uint64(len(s.buf)-s.head))
	}
	i := s.head + int(off-s.base)
	return s.buf[i : i+int(n)], nil
}

// forget drops the first n bytes: the peer has acknowledged them.
func (s *sendStream) forget(n uint64) error {
	if n > uint64(len(s.buf)-s.head) {
		return fmt.Errorf("tunpeer: %d bytes acknowledged, only %d held", n, len(s.buf)-s.head)
	}
	s.head += int(n)
	s.base += n
	// Move the rest to the front once the dead part is the larger one, so
	// that copying costs O(1) per byte over the stream's life.
	if s.head > len(s.buf)/2 {
		s.buf = s.buf[:copy(s.buf, s.buf[s.head:])]
		s.head = 0
	}
	return nil
}

// recvStream holds received bytes the user has not read yet. The loop
// appends, the user reads; Conn's mutex guards it.
type recvStream struct {
	buf   []byte // unread bytes
	total uint64 // bytes received since the connection opened: the offset of the next one
}

// deliver appends the bytes the Endpoint took, which it says start at
// stream offset off: that must be exactly where the stream stands, or
// bytes would be lost or repeated.
func (r *recvStream) deliver(off uint64, b []byte) error {
	if off != r.total {
		return fmt.Errorf("tunpeer: the Endpoint delivered receive stream bytes from offset %d; the stream is at %d", off, r.total)
	}
	r.buf = append(r.buf, b...)
	r.total += uint64(len(b))
	return nil
}

// read moves unread bytes into p.
func (r *recvStream) read(p []byte) int {
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	if len(r.buf) == 0 {
		r.buf = nil // let the array go
	}
	return n
}
