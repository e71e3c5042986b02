package tcpfsm

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/synfin/synfin/gen"
	"github.com/synfin/synfin/spec"
)

// TestGenerated: fsm_gen.go and tcp.mmd are what fsmgen makes of
// spec/tcp.fsm now. If this fails, run go generate.
func TestGenerated(t *testing.T) {
	m, err := spec.ParseFile(tableFile)
	if err != nil {
		t.Fatal(err)
	}
	src, err := gen.Go(m, gen.GoOptions{Package: "tcpfsm", Lookup: true}) // as generate.go asks
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		want []byte
	}{{"fsm_gen.go", src}, {"tcp.mmd", gen.Mermaid(m)}} {
		got, err := os.ReadFile(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.want) {
			t.Errorf("%s is out of date with %s: run go generate", f.name, tableFile)
		}
	}
}

// TestDocDiagram: the state diagram in the package documentation is
// tcp.mmd.
func TestDocDiagram(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	mmd, err := os.ReadFile("tcp.mmd")
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for _, line := range strings.Split(strings.TrimRight(string(mmd), "\n"), "\n") {
		want.WriteString("//\t" + line + "\n")
	}
	if !strings.Contains(string(doc), want.String()) {
		t.Error("the diagram in doc.go differs from tcp.mmd: paste tcp.mmd into doc.go, each line as \"//\\t\" + line")
	}
}
