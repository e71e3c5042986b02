package tcpworld_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/synfin/synfin/model"
	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
)

// A property test drives the world itself: in each state it takes one of
// the enabled actions (here picked by a seeded generator), checks the
// properties after every step and the end state at the end, and on a
// failure draws the run with TraceOf and WriteChart.
func Example() {
	sys, err := tcpworld.New(tcpworld.Config{
		Loss: true, Reorder: true, Dup: 1, Capacity: 3, Retries: 1, Data: 1, MSS: 1,
		ISS: [2]tcpfsm.Seq{100, 300},
	})
	if err != nil {
		panic(err)
	}
	r := rand.New(rand.NewPCG(645, 2))
	w := sys.Initial()
	var run []tcpworld.Action
	for {
		acts := sys.Actions(w)
		if len(acts) == 0 {
			break
		}
		a := acts[r.IntN(len(acts))]
		if w, err = sys.Apply(w, a); err != nil {
			panic(err)
		}
		run = append(run, a)
		for _, p := range sys.Properties() {
			if p.Kind == model.KindAlways && !p.Pred(w) {
				fmt.Println("violated:", p.Name) // then: sys.TraceOf(sys.Initial(), run)
			}
		}
	}
	for _, a := range run {
		fmt.Println(a)
	}
	fmt.Println("clean end:", tcpworld.Terminal(w), w.State(tcpworld.A), w.State(tcpworld.B))
	// Output:
	// B open-active
	// A open-active
	// A timeout retransmission lost=0b1
	// deliver #1 to B
	// deliver #1 to A
	// B send
	// duplicate #1 to B
	// deliver #1 to B
	// deliver #1 to A lost=0b1
	// B timeout retransmission
	// deliver #1 to A
	// A close
	// A timeout retransmission
	// deliver #0 to A lost=0b1
	// deliver #1 to B
	// B close lost=0b1
	// deliver #0 to B
	// B timeout retransmission lost=0b1
	// A timeout retransmission
	// B timeout retransmission
	// clean end: true CLOSED CLOSED
}
