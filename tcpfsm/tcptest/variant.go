package tcptest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/synfin/synfin/spec"
	"github.com/synfin/synfin/tcpfsm"
	"github.com/synfin/synfin/tcpfsm/variant"
)

// SpecFile is the path of spec/tcp.fsm, found from this package's source
// so that tests in any directory of the module read the same file.
var SpecFile = func() string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "..", "spec", "tcp.fsm")
}()

// specName is the name the table as written is parsed under, as positions
// show it.
const specName = "spec/tcp.fsm"

// A Variant is spec/tcp.fsm with its Edits applied. Without edits it is the
// table as written, byte for byte.
type Variant struct {
	// Name names the variant in test names and file names:
	// "time-wait-restarts".
	Name string
	// Mistake says in one line what the variant changes: for a broken
	// table, the mistake a user could make.
	Mistake string
	Edits   []Edit
}

// Text returns the variant's table text.
func (v Variant) Text() (string, error) {
	src, err := os.ReadFile(SpecFile)
	if err != nil {
		return "", err
	}
	if len(v.Edits) == 0 {
		return string(src), nil
	}
	orig, err := spec.Parse(specName, src)
	if err != nil {
		return "", err
	}
	m := clone(orig)
	header := []string{v.Name + ": " + v.Mistake, "", "spec/tcp.fsm edited:"}
	for _, e := range v.Edits {
		if err := e.apply(m); err != nil {
			return "", fmt.Errorf("variant %s: %s: %w", v.Name, e, err)
		}
		header = append(header, "  "+e.String())
	}
	return render(m, strings.Join(header, "\n")), nil
}

// File is the name the variant's machine is parsed under: spec/tcp.fsm
// for the table as written, NAME.fsm for an edited one.
func (v Variant) File() string {
	if len(v.Edits) == 0 {
		return specName
	}
	return v.Name + ".fsm"
}

// Machine returns the variant parsed and validated.
func (v Variant) Machine() (*spec.Machine, error) {
	text, err := v.Text()
	if err != nil {
		return nil, err
	}
	m, err := spec.Parse(v.File(), []byte(text))
	if err != nil {
		return nil, fmt.Errorf("variant %s does not parse:\n%w\n%s", v.Name, err, text)
	}
	return m, nil
}

// Table returns the variant as a table an Endpoint steps through.
func (v Variant) Table() (*tcpfsm.Table, error) {
	m, err := v.Machine()
	if err != nil {
		return nil, err
	}
	return variant.NewTable(m)
}

// Machine returns v's machine, failing t if it has none.
func Machine(t testing.TB, v Variant) *spec.Machine {
	t.Helper()
	m, err := v.Machine()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Table returns v's Endpoint table, failing t if it has none.
func Table(t testing.TB, v Variant) *tcpfsm.Table {
	t.Helper()
	tab, err := v.Table()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// Use makes e step through tab (nil: the generated table).
func Use(e *tcpfsm.Endpoint, tab *tcpfsm.Table) { e.UseTable(tab) }

// WriteFile writes v's text to NAME.fsm in dir and returns the path.
func WriteFile(t testing.TB, dir string, v Variant) string {
	t.Helper()
	text, err := v.Text()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, strings.ReplaceAll(v.Name, "/", "-")+".fsm")
	if err := os.WriteFile(path, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
	return path
}

// clone copies m's declarations and rows, so that edits leave m alone.
func clone(m *spec.Machine) *spec.Machine {
	c := &spec.Machine{
		Name: m.Name, File: m.File, Doc: m.Doc, Initial: m.Initial,
		States: slices.Clone(m.States), Final: slices.Clone(m.Final),
		Events: slices.Clone(m.Events), Kinds: slices.Clone(m.Kinds), Timers: slices.Clone(m.Timers),
		Actions: slices.Clone(m.Actions), Guards: slices.Clone(m.Guards),
	}
	for _, g := range m.Groups {
		g.States = slices.Clone(g.States)
		c.Groups = append(c.Groups, g)
	}
	for _, r := range m.Rows {
		r.Sources, r.From, r.Actions = slices.Clone(r.Sources), slices.Clone(r.From), slices.Clone(r.Actions)
		c.Rows = append(c.Rows, r)
	}
	return c
}
