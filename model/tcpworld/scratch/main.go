package main

import (
	"flag"
	"fmt"
	"github.com/synfin/synfin/tcpfsm"
	"os"
	"runtime"
	"runtime/pprof"
	"sync/atomic"
	"time"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/model/tcpworld"
)

func main() {
	cfg := tcpworld.DefaultConfig()
	flag.BoolVar(&cfg.Loss, "loss", cfg.Loss, "")
	flag.BoolVar(&cfg.Reorder, "reorder", cfg.Reorder, "")
	flag.BoolVar(&cfg.Abort, "abort", cfg.Abort, "")
	flag.IntVar(&cfg.Dup, "dup", cfg.Dup, "")
	flag.IntVar(&cfg.Capacity, "capacity", cfg.Capacity, "")
	flag.IntVar(&cfg.Retries, "retries", cfg.Retries, "")
	flag.IntVar(&cfg.Data, "data", cfg.Data, "")
	flag.IntVar(&cfg.MSS, "mss", cfg.MSS, "")
	open := flag.Int("open", 0, "")
	max := flag.Int("max", 0, "")
	example := flag.String("example", "", "")
	ascii := flag.Bool("ascii", false, "")
	prof := flag.String("cpuprofile", "", "")
	count := flag.Bool("count", false, "")
	flag.Parse()
	if *prof != "" {
		f, _ := os.Create(*prof)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	cfg.Open = tcpworld.OpenMode(*open)
	s, err := tcpworld.New(cfg)
	if err != nil {
		panic(err)
	}
	if *count {
		var drain, total, closedA atomic.Int64
		w := wrap{s, &drain, &total, &closedA}
		model.Check[tcpworld.World](w, tcpworld.Options(model.Options[tcpworld.World]{}))
		fmt.Println("drain", drain.Load(), "closedA", closedA.Load(), "total", total.Load())
		return
	}
	t0 := time.Now()
	r, err := s.Check(model.Options[tcpworld.World]{MaxStates: *max, Progress: func(p model.Progress) {
		fmt.Fprintf(os.Stderr, "%d states queue %d depth %d %.0f/s\n", p.States, p.Queue, p.Depth, p.Rate)
	}})
	if err != nil {
		panic(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println(cfg)
	fmt.Println(r, time.Since(t0), r.StatesPerSecond, r.BytesPerState(), r.Memory, ms.Sys>>20)
	for _, p := range r.Properties {
		if p.Name == *example && p.Path != nil {
			tr, err := s.Trace(p.Path)
			if err != nil {
				panic(err)
			}
			fmt.Print(tr.Chart(tcpworld.ChartOptions{ASCII: *ascii}))
		}
		if p.Status == model.Violated && p.Path != nil {
			fmt.Println(p.Name)
			w := p.Path.Init
			fmt.Println(w)
			for _, st := range append(p.Path.Steps, p.Path.Cycle...) {
				fmt.Println(" ", tcpworld.ActionOf(st.Action))
				fmt.Println(st.State)
			}
		}
	}
	if r.Deadlock != nil {
		fmt.Println("deadlock")
		for _, st := range r.Deadlock.Steps {
			fmt.Println(" ", tcpworld.ActionOf(st.Action))
			fmt.Println(st.State)
		}
	}
}

type wrap struct {
	s                     *tcpworld.System
	drain, total, closedA *atomic.Int64
}

func (w wrap) Init(y func(tcpworld.World)) { w.s.Init(y) }
func (w wrap) Next(s tcpworld.World, y func(model.Action, tcpworld.World)) {
	w.total.Add(1)
	if s.BothClosed() && len(s.InFlight()) > 0 {
		w.drain.Add(1)
	}
	if s.State(tcpworld.A) == tcpfsm.StateClosed && s.App(tcpworld.A).Opened() {
		w.closedA.Add(1)
	}
	w.s.Next(s, y)
}
