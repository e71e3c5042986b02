package tcpfsm

import (
	"bytes"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synfin/synfin/gen"
	"github.com/synfin/synfin/spec"
)

// tableFile is the table the generated files come from.
const tableFile = "../spec/tcp.fsm"

// TestGenerated: fsm_gen.go, tcp.mmd and tcp_doc_gen.go are what fsmgen
// makes of spec/tcp.fsm now, with the options generate.go gives it. If
// this fails, run go generate.
func TestGenerated(t *testing.T) {
	m, err := spec.ParseFile(tableFile)
	if err != nil {
		t.Fatal(err)
	}
	src, err := gen.Go(m, gen.GoOptions{Package: "tcpfsm", Lookup: true})
	if err != nil {
		t.Fatal(err)
	}
	diagram, err := gen.MermaidDoc(m, gen.DocOptions{Package: "tcpfsm"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		want []byte
	}{{"fsm_gen.go", src}, {"tcp.mmd", gen.Mermaid(m)}, {"tcp_doc_gen.go", diagram}} {
		got, err := os.ReadFile(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.want) {
			t.Errorf("%s is out of date with %s: run go generate", f.name, tableFile)
		}
	}
}

// TestDocDiagram: the package documentation, as go doc assembles it from
// the package's files, is the text of doc.go followed by the diagram
// section of tcp_doc_gen.go, whose code block is tcp.mmd; no other file
// has a package comment, and doc.go holds no copy of the diagram.
func TestDocDiagram(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	comments := map[string]string{} // file name -> its package comment
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		if f.Doc != nil {
			comments[name] = f.Doc.Text()
		}
	}
	if len(comments) != 2 || comments["doc.go"] == "" || comments["tcp_doc_gen.go"] == "" {
		t.Fatalf("package comments in %d files, want doc.go and tcp_doc_gen.go only", len(comments))
	}
	p, err := doc.NewFromFiles(fset, files, "github.com/synfin/synfin/tcpfsm")
	if err != nil {
		t.Fatal(err)
	}
	if want := comments["doc.go"] + "\n" + comments["tcp_doc_gen.go"]; p.Doc != want {
		t.Error("the package documentation is not doc.go's text followed by tcp_doc_gen.go's diagram")
	}
	mmd, err := os.ReadFile("tcp.mmd")
	if err != nil {
		t.Fatal(err)
	}
	var block strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(string(mmd), "\n"), "\n") {
		block.WriteString("\t" + line + "\n")
	}
	if !strings.HasSuffix(p.Doc, "\n"+block.String()) {
		t.Error("the package documentation does not end with tcp.mmd as a code block: run go generate")
	}
	if strings.Contains(comments["doc.go"], "stateDiagram") {
		t.Error("doc.go holds a copy of the diagram; tcp_doc_gen.go is where go generate writes it")
	}
}
