package tcpfsm_test

import (
	"os/exec"
	"strings"
	"testing"
)

// notDependedOn are the packages each package must not depend on, directly
// or not: the Endpoint does not pay for the table language (package spec,
// the code generator and jennifer are for variant tables and go generate),
// and the codec and the sequence numbers depend on nothing of the Endpoint.
var notDependedOn = map[string][]string{
	"github.com/synfin/synfin/tcpfsm": {
		"github.com/synfin/synfin/spec/",
		"github.com/synfin/synfin/gen/",
		"github.com/dave/jennifer/",
	},
	"github.com/synfin/synfin/tcpfsm/wire": {
		"github.com/synfin/synfin/tcpfsm",
		"github.com/synfin/synfin/tcpfsm/variant",
		"github.com/synfin/synfin/spec/",
	},
	"github.com/synfin/synfin/tcpfsm/seqnum": {
		"github.com/synfin/synfin/",
	},
}

// TestDependencies lists what each package depends on (go list -deps) and
// fails on a dependency it must not have. A forbidden path matches that
// package; one ending in "/" matches that package and every one below it.
func TestDependencies(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to list dependencies with: %v", err)
	}
	for pkg, forbidden := range notDependedOn {
		out, err := exec.Command(gobin, "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == pkg {
				continue
			}
			for _, f := range forbidden {
				if dep == strings.TrimSuffix(f, "/") || strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f) {
					t.Errorf("%s depends on %s; want no dependency on %s", pkg, dep, f)
				}
			}
		}
	}
}
