package gen_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/synfin/synfin/gen"
	"github.com/synfin/synfin/spec"
)

// dumpGo is added to each generated package of the end-to-end test. It
// prints what the generated code says for every state and event (and one
// value of each out of range, where the type has room) under the guard
// sets it is given, and the String forms of every constant.
const dumpGo = `package PKG

import (
	"fmt"
	"io"
)

func Dump(w io.Writer, guards []uint64) {
	for s := 0; s <= NumStates && s < 256; s++ {
		for e := 0; e <= NumEvents && e < 256; e++ {
			for _, g := range guards {
				next, act, ok := Step(State(s), Event(e), Guards(g))
				fmt.Fprintf(w, "step %d %d %#x: %d %#x %v %d\n", s, e, g, next, uint64(act), ok, Match(State(s), Event(e), Guards(g)))
			}
		}
	}
	for s := 0; s < NumStates; s++ {
		fmt.Fprintf(w, "state %d %s %v\n", s, State(s), State(s).IsFinal())
	}
	for e := 0; e < NumEvents; e++ {
		fmt.Fprintf(w, "event %d %s\n", e, Event(e))
	}
	for i := 0; i < NumActions; i++ {
		fmt.Fprintf(w, "action %d %s\n", i, Actions(1)<<i)
	}
	for i := 0; i < NumGuards; i++ {
		fmt.Fprintf(w, "guard %d %s\n", i, Guards(1)<<i)
	}
	fmt.Fprintf(w, "initial %d rows %d\n", InitialState, len(Rows))
}
`

// expectDump is what dumpGo must print, according to the interpreter.
func expectDump(m *spec.Machine, guards []uint64) string {
	var b strings.Builder
	for s := 0; s <= len(m.States) && s < 256; s++ {
		for e := 0; e <= len(m.Events) && e < 256; e++ {
			for _, g := range guards {
				next, act, ok := m.Step(s, e, g)
				fmt.Fprintf(&b, "step %d %d %#x: %d %#x %v %d\n", s, e, g, next, act, ok, m.Match(s, e, g))
			}
		}
	}
	for s, d := range m.States {
		fmt.Fprintf(&b, "state %d %s %v\n", s, d.Name, m.IsFinal(s))
	}
	for e, d := range m.Events {
		fmt.Fprintf(&b, "event %d %s\n", e, d.Name)
	}
	for i, d := range m.Actions {
		fmt.Fprintf(&b, "action %d %s\n", i, d.Name)
	}
	for i, d := range m.Guards {
		fmt.Fprintf(&b, "guard %d %s\n", i, d.Name)
	}
	fmt.Fprintf(&b, "initial %d rows %d\n", m.Initial, len(m.Rows))
	return b.String()
}

// guardSets returns the guard values to try for m: every combination when
// there are few guards, plus one value with a bit no guard uses (when the
// Guards type has one); otherwise a deterministic sample.
func guardSets(m *spec.Machine) []uint64 {
	n := len(m.Guards)
	var gs []uint64
	if n <= 8 {
		for g := uint64(0); g < 1<<n; g++ {
			gs = append(gs, g)
		}
		if n < 8 {
			gs = append(gs, 1<<n|1)
		}
		return gs
	}
	gs = append(gs, 0, ^uint64(0)>>(64-n))
	for i := 0; i < n; i++ {
		gs = append(gs, 1<<i)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 16 {
		gs = append(gs, r.Uint64()>>(64-n))
	}
	return gs
}

// wideTable is a valid table at the limits: 256 states in a ring, 64
// actions and 64 guards, so State is full and Actions and Guards are
// uint64.
func wideTable() string {
	var b strings.Builder
	b.WriteString("# The widest table: every limit reached.\n\nmachine wide\n")
	for i := 0; i < 256; i++ {
		fmt.Fprintf(&b, "states S%d\n", i)
	}
	b.WriteString("initial S0\nfinal S255\nevents next poke\n")
	for i := 0; i < 64; i++ {
		fmt.Fprintf(&b, "actions A%d\nguards G%d\n", i, i)
	}
	for i := 0; i < 256; i++ {
		fmt.Fprintf(&b, "S%d next -> S%d : A%d\n", i, (i+1)%256, i%64)
		fmt.Fprintf(&b, "S%d poke [G%d] stay : A%d\n", i, i%64, (i+1)%64)
		fmt.Fprintf(&b, "S%d poke [!G%d] ignore\n", i, i%64)
	}
	return b.String()
}

// fullTable is a valid table with 256 states, so that State has no value
// out of range, two events and one guard.
func fullTable() string {
	var b strings.Builder
	b.WriteString("# Every State value is valid.\n\nmachine full\n")
	for i := 0; i < 256; i++ {
		fmt.Fprintf(&b, "states S%d\n", i)
	}
	b.WriteString("initial S0\nfinal S255\nevents step poke\nactions up down\nguards back\n")
	for i := 0; i < 256; i++ {
		fmt.Fprintf(&b, "S%d step [!back] -> S%d : up\n", i, (i+1)%256)
		fmt.Fprintf(&b, "S%d step [back] -> S%d : down\n", i, (i+255)%256)
		fmt.Fprintf(&b, "S%d poke ignore\n", i)
	}
	return b.String()
}

// TestEndToEnd generates code into a module of its own with go generate
// and fsmgen, as a downstream user would, builds and vets it, runs it, and
// requires the generated Step, Match and String methods to agree with the
// interpreter for every state, event and guard combination of several
// tables, each generated in both shapes (nested switches and, with
// -lookup, table lookups). The generated code imports only strconv, so the module needs no
// network.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test builds and runs the go tool; skipped in -short mode")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("end-to-end test needs the go tool, which is not in PATH: " + err.Error())
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	mod := filepath.Join(tmp, "mod")
	gocmd := &goRunner{t: t, tool: goTool, env: append(os.Environ(),
		"GOWORK=off", "GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS=",
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))}
	gocmd.run(".", "build", "-o", filepath.Join(bin, "fsmgen"), "./cmd/fsmgen")

	pkgs := e2ePackages(t)
	want := writeE2EModule(t, mod, pkgs)
	gocmd.run(mod, "generate", "./...")
	checkGenerated(t, mod, pkgs)
	// A second go generate changes nothing and rewrites nothing.
	gocmd.run(mod, "generate", "./...")
	checkNotRewritten(t, mod, pkgs)
	gocmd.run(mod, "vet", "./...")
	gocmd.run(mod, "build", "./...")
	compareDumps(t, gocmd.run(mod, "run", "."), want)
}

// goRunner runs the go tool for the end-to-end test, failing it when a
// command fails.
type goRunner struct {
	t    *testing.T
	tool string
	env  []string
}

// run runs go with args in dir and returns its standard output.
func (g *goRunner) run(dir string, args ...string) string {
	g.t.Helper()
	cmd := exec.Command(g.tool, args...)
	cmd.Dir = dir
	cmd.Env = g.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		g.t.Fatalf("go %s: %v\n%s%s", strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.String()
}

// e2ePkg is one generated package of the end-to-end module.
type e2ePkg struct {
	name   string
	src    []byte
	lookup bool // generated with -lookup
	m      *spec.Machine
}

// e2ePackages returns the packages of the end-to-end module: each golden
// table in both shapes, and the wide and full tables.
func e2ePackages(t *testing.T) []*e2ePkg {
	var pkgs []*e2ePkg
	for _, tb := range tables {
		src, err := os.ReadFile(tb.file)
		if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, &e2ePkg{name: tb.pkg, src: src}, &e2ePkg{name: tb.pkg + "lookup", src: src, lookup: true})
	}
	// The wide table has too many guards for tables: switches even with
	// -lookup.
	// The full table fills State, so no state is out of range.
	pkgs = append(pkgs, &e2ePkg{name: "wide", src: []byte(wideTable()), lookup: true}, &e2ePkg{name: "full", src: []byte(fullTable())})
	for _, p := range pkgs {
		m, err := spec.Parse(p.name+".fsm", p.src)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		p.m = m
	}
	return pkgs
}

// writeE2EModule writes the module: go.mod, each package's table, doc.go
// with its go:generate line and dump.go, and a main that dumps every
// package. It returns what main must print, according to the interpreter.
func writeE2EModule(t *testing.T, mod string, pkgs []*e2ePkg) string {
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(mod, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/e2e\n\ngo 1.24\n")
	var main strings.Builder
	main.WriteString("package main\n\nimport (\n\t\"os\"\n\n")
	for _, p := range pkgs {
		fmt.Fprintf(&main, "\t%q\n", "example.com/e2e/"+p.name)
	}
	main.WriteString(")\n\nfunc main() {\n")
	var want strings.Builder
	for _, p := range pkgs {
		// The go:generate line relies on the defaults: -o is
		// NAME_gen.go and -pkg is $GOPACKAGE.
		write(p.name+"/"+p.name+".fsm", string(p.src))
		flags := ""
		if p.lookup {
			flags = " -lookup"
		}
		write(p.name+"/doc.go", "// Package "+p.name+" is generated.\npackage "+p.name+"\n\n//go:generate fsmgen -spec "+p.name+".fsm"+flags+"\n")
		write(p.name+"/dump.go", strings.Replace(dumpGo, "PKG", p.name, 1))
		gs := guardSets(p.m)
		fmt.Fprintf(&main, "\tos.Stdout.WriteString(\"== %s\\n\")\n\t%s.Dump(os.Stdout, %#v)\n", p.name, p.name, gs)
		fmt.Fprintf(&want, "== %s\n%s", p.name, expectDump(p.m, gs))
	}
	main.WriteString("}\n")
	write("main.go", main.String())
	return want.String()
}

// e2eOld is the time checkGenerated gives every generated file, so that a
// rewrite shows.
var e2eOld = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// checkGenerated requires each package's generated file to be what gen.Go
// writes, and sets its time to e2eOld.
func checkGenerated(t *testing.T, mod string, pkgs []*e2ePkg) {
	for _, p := range pkgs {
		t.Run("generated/"+p.name, func(t *testing.T) {
			path := filepath.Join(mod, p.name, p.name+"_gen.go")
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, err := gen.Go(p.m, gen.GoOptions{Package: p.name, Lookup: p.lookup})
			if err != nil {
				t.Fatal(err)
			}
			sameBytes(t, path, got, want)
			if err := os.Chtimes(path, e2eOld, e2eOld); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// checkNotRewritten requires every generated file to keep the time
// checkGenerated gave it.
func checkNotRewritten(t *testing.T, mod string, pkgs []*e2ePkg) {
	for _, p := range pkgs {
		info, err := os.Stat(filepath.Join(mod, p.name, p.name+"_gen.go"))
		if err != nil {
			t.Fatal(err)
		}
		if !info.ModTime().Equal(e2eOld) {
			t.Errorf("second go generate rewrote %s_gen.go", p.name)
		}
	}
}

// compareDumps reports the first lines where the generated code's dump,
// got, differs from the interpreter's, want.
func compareDumps(t *testing.T, got, want string) {
	if got == want {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	bad := 0
	for i := 0; i < len(g) && i < len(w) && bad < 10; i++ {
		if g[i] != w[i] {
			t.Errorf("line %d: generated code printed %q, interpreter says %q", i+1, g[i], w[i])
			bad++
		}
	}
	if len(g) != len(w) {
		t.Errorf("generated code printed %d lines, interpreter %d", len(g), len(w))
	}
}
