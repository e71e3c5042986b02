package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/model/cmd/tcpcheck/internal/cli"
)

// What keeps a run safe in CI: a memory limit that stops the search before
// the runner kills the process, and SIGINT and SIGTERM, which stop it too.
// Either way the partial result is printed and the exit status is 3.

// startNeed is the memory the search needs, beyond what the process holds
// before it starts, to expand its first levels and print a report.
const startNeed = 16 << 20

// memLimit is the memory limit of a run and where it comes from.
type memLimit struct {
	bytes int64  // 0: none
	from  string // "-max-memory", "the cgroup limit" or "80% of RAM"
}

func (l memLimit) String() string {
	if l.bytes == 0 {
		return "no limit"
	}
	return fmt.Sprintf("%s (%s)", cli.SizeText(l.bytes), l.from)
}

// memoryLimit is the limit the options give, or the default one; it is an
// error when the search could not start under it. A limit also bounds the
// Go collector's heap, so that garbage does not take the room of states.
func memoryLimit(o *cli.Options) (memLimit, error) {
	l := memLimit{bytes: o.MaxMemory, from: "-max-memory"}
	if !o.MemoryGiven {
		l.bytes, l.from = model.DefaultMemoryLimit()
	}
	if l.bytes == 0 {
		return l, nil
	}
	if need := model.ResidentBytes() + startNeed; model.MemoryThreshold(l.bytes) < need {
		least := (need*10/9 + 1<<20 - 1) &^ (1<<20 - 1)
		return l, fmt.Errorf("-max-memory %s too small: want 0 (no limit) or at least %s, what the search needs to start",
			cli.SizeText(l.bytes), cli.SizeText(least))
	}
	debug.SetMemoryLimit(l.bytes / 10 * 8)
	return l, nil
}

// interrupt cancels its context at the first SIGINT or SIGTERM and
// remembers which; a second one kills the process as it would without
// tcpcheck.
type interrupt struct {
	ctx    context.Context
	cancel context.CancelFunc
	sigs   chan os.Signal
	mu     sync.Mutex
	got    os.Signal
	done   chan struct{}
}

func watchSignals() *interrupt {
	in := &interrupt{sigs: make(chan os.Signal, 1), done: make(chan struct{})}
	in.ctx, in.cancel = context.WithCancel(context.Background())
	signal.Notify(in.sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		select {
		case s := <-in.sigs:
			signal.Reset(syscall.SIGINT, syscall.SIGTERM)
			in.mu.Lock()
			in.got = s
			in.mu.Unlock()
			in.cancel()
		case <-in.done:
		}
	}()
	return in
}

// signal is the name of the signal that stopped the run, or "".
func (in *interrupt) signal() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	switch in.got {
	case nil:
		return ""
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return in.got.String()
}

// stop stops watching: signals act as they did before.
func (in *interrupt) stop() {
	signal.Stop(in.sigs)
	close(in.done)
	in.cancel()
}
