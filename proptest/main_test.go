package proptest

// The harness shared by the properties: the -long and -seed flags, the
// gopter parameters they make, and a check that reports a gopter result
// through testing.T.

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
)

var (
	longFlag = flag.Bool("long", false, "run ten times as many schedules, from a random seed unless -seed is given")
	seedFlag = flag.Int64("seed", defaultSeed, "the gopter seed; every run prints the one it used, so a failure replays with -seed N")
)

// defaultSeed makes the default run reproducible: the same schedules,
// the same coverage, every time.
const defaultSeed = 1

// seed is the seed of this run, fixed in TestMain.
var seed int64

// scale multiplies every property's run count: 1, or 10 with -long.
var scale = 1

func TestMain(m *testing.M) {
	flag.Parse()
	seed = *seedFlag
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "seed" })
	if *longFlag {
		scale = 10
		if !given {
			seed = time.Now().UnixNano()
		}
	}
	replay := fmt.Sprintf("-seed %d", seed)
	if *longFlag {
		replay += " -long"
	}
	fmt.Printf("proptest: seed %d, runs x%d (replay: go test ./proptest -run NAME %s)\n", seed, scale, replay)
	os.Exit(m.Run())
}

// params returns gopter parameters for a property that runs runs times
// (times scale) with sequences of up to maxSize elements. Every property
// starts from the run's seed, so one property replays alone under -run.
// One worker: gopter's workers share one random source, which would make
// the schedules depend on goroutine timing. Properties run in parallel
// instead.
func params(runs, maxSize int) *gopter.TestParameters {
	p := gopter.DefaultTestParametersWithSeed(seed)
	p.MinSuccessfulTests = runs * scale
	p.MaxSize = maxSize
	p.Workers = 1
	return p
}

// check runs prop and reports its result on t: the gopter report always
// (in -v), and an error naming the seed if the property does not pass.
// It returns the result for further assertions.
func check(t *testing.T, name string, prop gopter.Prop, p *gopter.TestParameters) *gopter.TestResult {
	t.Helper()
	res := prop.Check(p)
	var b strings.Builder
	gopter.NewFormatedReporter(false, 100, &b).ReportTestResult(name, res)
	t.Logf("seed %d: %s", p.Seed(), strings.TrimSpace(b.String()))
	if !res.Passed() {
		t.Errorf("property %q does not hold (seed %d; replay with -seed %d)", name, p.Seed(), p.Seed())
	}
	return res
}
