package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// build compiles tcpcheck into a temporary directory, for the tests that
// need it in a process of its own: its memory and its signals.
func build(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the resident set and Maxrss are read as Linux gives them")
	}
	bin := filepath.Join(t.TempDir(), "tcpcheck")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// tooBig is a world that cannot be searched in the limit of the tests: at
// three bytes each way it has hundreds of millions of states, and passes
// the limit in a few seconds.
var tooBig = []string{"-data", "3"}

const testLimit = 200 << 20

// exitOf is the exit status of a finished command.
func exitOf(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	if ee != nil {
		return ee.ExitCode()
	}
	return 0
}

// maxRSS is the peak resident set of a finished command, in bytes.
func maxRSS(cmd *exec.Cmd) int64 {
	return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // Linux gives kilobytes
}

// TestMemoryLimit: a world that cannot fit stops at -max-memory with exit 3
// and the statistics so far, and the process never passes the limit by
// more than a tenth, in text and in JSON.
func TestMemoryLimit(t *testing.T) {
	bin := build(t)
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			args := append([]string{"-max-memory", "200MiB"}, tooBig...)
			if format == "json" {
				args = append(args, "-json")
			}
			cmd := exec.Command(bin, args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			code := exitOf(t, cmd.Run())
			peak := maxRSS(cmd)
			t.Logf("peak RSS %d MiB of %d MiB\n%s", peak>>20, testLimit>>20, stderr.String())
			if code != exitIncomplete {
				t.Fatalf("exit %d, want %d\n%s", code, exitIncomplete, stdout.String())
			}
			if peak > testLimit*11/10 {
				t.Errorf("peak RSS %d bytes, more than 1.1 times the limit of %d", peak, testLimit)
			}
			if !strings.Contains(stderr.String(), "tcpcheck: warning: this world may need") {
				t.Errorf("no warning at start:\n%s", stderr.String())
			}
			if format == "text" {
				for _, want := range []string{"tcpcheck: INCOMPLETE: the search stopped at the memory limit", "200MiB (-max-memory)",
					"states:      ", "(incomplete)", "stopped:     at the memory limit", "levels expanded in full",
					"eventually both reach CLOSED: unknown"} {
					if !strings.Contains(stdout.String(), want) {
						t.Errorf("output lacks %q:\n%s", want, stdout.String())
					}
				}
				return
			}
			o := decode(t, result{code, stdout.String(), stderr.String()})
			s := o.Stats
			if o.Verdict != "incomplete" || o.Exit != exitIncomplete || s.Stopped != "max-memory" || s.Complete ||
				s.States == 0 || s.Transitions == 0 || s.LevelsExpanded == 0 || s.LevelsExpanded > s.Depth ||
				s.MemoryLimit != testLimit || s.PeakRSS <= 0 || s.PeakRSS > testLimit*11/10 || s.Signal != "" {
				t.Errorf("%+v", o)
			}
		})
	}
}

// TestInterrupt: SIGINT stops a running search: the partial result, and
// exit 3.
func TestInterrupt(t *testing.T) {
	bin := build(t)
	cmd := exec.Command(bin, append([]string{"-json", "-max-memory", "0"}, tooBig...)...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The first progress line: the search runs.
	sc := bufio.NewScanner(errPipe)
	for sc.Scan() && !strings.Contains(sc.Text(), "queued") {
	}
	sent := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(errPipe)
	code := exitOf(t, cmd.Wait())
	t.Logf("stopped %v after SIGINT\n%s", time.Since(sent).Round(time.Millisecond), rest)
	if code != exitIncomplete {
		t.Fatalf("exit %d, want %d\n%s", code, exitIncomplete, stdout.String())
	}
	o := decode(t, result{code, stdout.String(), string(rest)})
	s := o.Stats
	if o.Verdict != "incomplete" || s.Stopped != "signal" || s.Signal != "SIGINT" || s.Complete ||
		s.States == 0 || s.Transitions == 0 || s.LevelsExpanded == 0 || s.MemoryLimit != 0 {
		t.Errorf("%+v", o)
	}
	var text map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &text); err != nil {
		t.Errorf("stdout is not one JSON object: %v", err)
	}
}
