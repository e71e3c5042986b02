//go:build linux

package tunpeer

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"golang.org/x/sys/unix"
)

// kernelMissing says why the tests against the kernel cannot run here, or
// is empty when they can. TestMain sets it once.
var kernelMissing string

func TestMain(m *testing.M) {
	kernelMissing = probeKernel()
	if kernelMissing != "" && os.Getenv("CI") != "true" {
		fmt.Printf("tunpeer: skipping the tests against the Linux kernel: %s\n", kernelMissing)
	}
	os.Exit(m.Run())
}

// probeKernel checks what the kernel tests need: root, the commands they
// run, /dev/net/tun, and the right to make a namespace.
func probeKernel() string {
	if os.Geteuid() != 0 {
		return "they need root (network namespaces, a TUN device, iptables)"
	}
	for _, cmd := range []string{"ip", "iptables"} {
		if _, err := exec.LookPath(cmd); err != nil {
			return fmt.Sprintf("%s is not installed (apt packages: iproute2 iptables)", cmd)
		}
	}
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Sprintf("cannot open /dev/net/tun: %v", err)
	}
	unix.Close(fd)
	ns, err := NewNamespace(RandomName("synfin-probe-"))
	if err != nil {
		return fmt.Sprintf("cannot make a network namespace: %v", err)
	}
	defer ns.Close()
	if _, err := ns.Exec("iptables", "-w", "-S"); err != nil {
		return fmt.Sprintf("iptables does not work inside a namespace: %v", err)
	}
	return ""
}

// needKernel skips t when the kernel tests cannot run here (TestMain has
// printed why, once), and fails it instead when CI=true: CI must run them.
func needKernel(t testing.TB) {
	t.Helper()
	if kernelMissing == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and the tests against the Linux kernel cannot run: %s", kernelMissing)
	}
	t.SkipNow()
}

// newNetwork makes a Network in a namespace of its own, removed when the
// test ends, pass or fail.
func newNetwork(t testing.TB) *Network {
	t.Helper()
	needKernel(t)
	n, err := NewNetwork(RandomName("synfin-"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Errorf("removing the namespace: %v", err)
		}
	})
	return n
}
