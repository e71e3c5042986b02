//go:build linux

package tunpeer

// TUN device I/O.
//
// A TUN device is a network interface whose other end is a file: every IP
// packet the kernel routes out of the interface can be read from the file,
// one packet per read, and every packet written to the file arrives at the
// kernel as if it had come in on the interface. With IFF_NO_PI the packets
// carry no extra header, so what is read and written is exactly an IPv4
// packet.

import (
	"fmt"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Tun is an open TUN device.
type Tun struct {
	Name string
	f    *os.File
}

// ifreq is struct ifreq as TUNSETIFF reads it: the interface name and the
// flags, padded to the size of the union.
type ifreq struct {
	name  [unix.IFNAMSIZ]byte
	flags uint16
	_     [22]byte
}

// OpenTun creates the TUN device name inside ns and opens it. It does not
// configure addresses or bring the link up: see NewNetwork.
func OpenTun(ns *Namespace, name string) (*Tun, error) {
	if len(name) >= unix.IFNAMSIZ {
		return nil, fmt.Errorf("tunpeer: interface name %q too long", name)
	}
	var t *Tun
	err := ns.Do(func() error {
		// Non-blocking, so that os.NewFile hands the descriptor to the
		// runtime's poller: a Read then parks only its goroutine, and
		// Close wakes it.
		fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("tunpeer: open /dev/net/tun: %w", err)
		}
		var req ifreq
		copy(req.name[:], name)
		req.flags = unix.IFF_TUN | unix.IFF_NO_PI
		if _, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.TUNSETIFF, uintptr(unsafe.Pointer(&req))); errno != 0 {
			unix.Close(fd)
			return fmt.Errorf("tunpeer: TUNSETIFF %s: %w", name, errno)
		}
		t = &Tun{Name: name, f: os.NewFile(uintptr(fd), "/dev/net/tun")}
		return nil
	})
	return t, err
}

// ReadPacket reads one packet into b and returns its length. A packet
// longer than b is cut short. After Close it returns an error.
func (t *Tun) ReadPacket(b []byte) (int, error) {
	return t.f.Read(b)
}

// WritePacket writes one packet. It is safe to call from several
// goroutines: each write is one whole packet.
func (t *Tun) WritePacket(b []byte) error {
	_, err := t.f.Write(b)
	return err
}

// SetReadDeadline makes ReadPacket fail once d has passed, and wakes one
// that is waiting then; the zero time means no deadline.
func (t *Tun) SetReadDeadline(d time.Time) error {
	return t.f.SetReadDeadline(d)
}

// Close closes the device; the kernel removes the interface with it.
func (t *Tun) Close() error {
	return t.f.Close()
}
