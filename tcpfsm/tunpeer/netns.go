//go:build linux

package tunpeer

// Network namespaces: creating one, running code and commands inside it,
// deleting it.
//
// A namespace is made with `ip netns add`, which leaves a handle at
// /run/netns/NAME so that `ip netns exec NAME ...` (ss, iptables) and
// `ip -n NAME ...` reach the same namespace as this process does. Go code
// enters it with Namespace.Do: setns(2) on a goroutine locked to its OS
// thread. Sockets and TUN devices belong to the namespace of the thread that
// creates them and stay there for their whole life, so only their creation
// has to happen inside Do; reading, writing and closing them works from any
// goroutine afterwards.

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// Namespace is a network namespace made by NewNamespace.
type Namespace struct {
	Name string
	fd   int // open handle of /run/netns/Name, for setns

	diagOnce sync.Once
	diag     *sockDiag // the socket table reader, opened on first use
	diagErr  error
}

// RandomName returns prefix followed by 8 random hex digits: a namespace
// name no other test run will pick.
func RandomName(prefix string) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	return prefix + hex.EncodeToString(b[:])
}

// NewNamespace creates the network namespace name with `ip netns add` and
// brings its loopback interface up. It turns IPv6 off inside, so that the
// interfaces created there send no router solicitations or MLD reports.
// The caller must Close it.
func NewNamespace(name string) (*Namespace, error) {
	if err := run("ip", "netns", "add", name); err != nil {
		return nil, err
	}
	fd, err := unix.Open(filepath.Join("/run/netns", name), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		_ = run("ip", "netns", "delete", name)
		return nil, fmt.Errorf("tunpeer: open namespace %s: %w", name, err)
	}
	ns := &Namespace{Name: name, fd: fd}
	for _, s := range [][2]string{
		{"net/ipv6/conf/all/disable_ipv6", "1"},
		{"net/ipv6/conf/default/disable_ipv6", "1"},
	} {
		if err := ns.Sysctl(s[0], s[1]); err != nil {
			ns.Close()
			return nil, err
		}
	}
	if err := ns.IP("link", "set", "lo", "up"); err != nil {
		ns.Close()
		return nil, err
	}
	return ns, nil
}

// Close deletes the namespace. The kernel frees it once the last socket
// and device inside are closed too.
func (ns *Namespace) Close() error {
	if ns.diag != nil {
		ns.diag.close()
	}
	if ns.fd >= 0 {
		unix.Close(ns.fd)
		ns.fd = -1
	}
	return run("ip", "netns", "delete", ns.Name)
}

// Do runs fn on an OS thread that has entered the namespace, and returns
// its error. Sockets and devices that fn creates live in the namespace.
//
// fn runs on a fresh goroutine locked to its thread. That goroutine never
// unlocks: when it ends, the Go runtime ends the thread with it, so no
// thread in the wrong namespace ever runs other goroutines. Goroutines that
// fn starts run on other threads, outside the namespace.
func (ns *Namespace) Do(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := unix.Setns(ns.fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("tunpeer: enter namespace %s: %w", ns.Name, err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}

// Sysctl sets the sysctl key (a path under /proc/sys, such as
// "net/ipv4/tcp_fin_timeout") to value inside the namespace. The files
// under /proc/sys/net show the namespace of the thread that opens them.
func (ns *Namespace) Sysctl(key, value string) error {
	return ns.Do(func() error {
		if err := os.WriteFile(filepath.Join("/proc/sys", key), []byte(value), 0); err != nil {
			return fmt.Errorf("tunpeer: sysctl %s=%s in %s: %w", key, value, ns.Name, err)
		}
		return nil
	})
}

// IP runs `ip args...` inside the namespace.
func (ns *Namespace) IP(args ...string) error {
	_, err := ns.Exec("ip", args...)
	return err
}

// Exec runs the command inside the namespace and returns its standard
// output. The command is started from a thread inside the namespace (see
// Do), and a process inherits the namespaces of the thread that forks it:
// this is `ip netns exec` without the mount namespace that command sets
// up, which is slow while other namespaces are being torn down.
func (ns *Namespace) Exec(name string, args ...string) (string, error) {
	var out string
	err := ns.Do(func() error {
		var err error
		out, err = output(name, args...)
		return err
	})
	return out, err
}

// sockDiag returns the namespace's socket table reader.
func (ns *Namespace) sockDiag() (*sockDiag, error) {
	ns.diagOnce.Do(func() { ns.diag, ns.diagErr = openSockDiag(ns) })
	return ns.diag, ns.diagErr
}

// run runs a command and turns a failure into an error that quotes it and
// its standard error.
func run(name string, args ...string) error {
	_, err := output(name, args...)
	return err
}

func output(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("tunpeer: %s %s: %w: %s", name, strings.Join(args, " "), err,
			strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
