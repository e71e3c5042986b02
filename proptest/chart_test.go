package proptest

import (
	"fmt"

	"github.com/synfin/synfin/model/tcpworld"
)

// chart renders a run as the model checker renders a counterexample:
// tcpworld's message sequence chart of the same actions from the same
// initial state.
func chart(r *run) string {
	if r.sys == nil {
		return ""
	}
	t, err := r.sys.TraceOf(r.init, r.actions)
	if err != nil {
		return fmt.Sprintf("(no chart: %v)\n", err)
	}
	return t.Chart(tcpworld.ChartOptions{})
}
