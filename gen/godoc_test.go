package gen_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synfin/synfin/gen"
)

// TestMermaidDocGolden compares each table's godoc output with its golden
// file; go test -run TestMermaidDocGolden -update rewrites them.
func TestMermaidDocGolden(t *testing.T) {
	for _, tb := range tables {
		t.Run(tb.name, func(t *testing.T) {
			got, err := gen.MermaidDoc(parse(t, tb.file), gen.DocOptions{Package: tb.pkg})
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", tb.name+".godoc.golden"), got)
		})
	}
}

// TestMermaidDocIsPackageComment parses the godoc output as Go: it is a
// generated file of the package asked for, with no declarations, whose
// package comment, as go/doc reads it, is the heading, one paragraph and
// Mermaid's diagram as a code block, line for line; and it joins the
// package comment of another file after that file's text when its name
// sorts later.
func TestMermaidDocIsPackageComment(t *testing.T) {
	for _, tb := range tables {
		t.Run(tb.name, func(t *testing.T) {
			m := parse(t, tb.file)
			src, err := gen.MermaidDoc(m, gen.DocOptions{Package: tb.pkg, Source: "table.fsm"})
			if err != nil {
				t.Fatal(err)
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, tb.pkg+"_doc_gen.go", src, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			if !ast.IsGenerated(f) || f.Name.Name != tb.pkg || len(f.Decls) != 0 {
				t.Errorf("generated %v, package %s, %d declarations; want a generated file of package %s with none",
					ast.IsGenerated(f), f.Name.Name, len(f.Decls), tb.pkg)
			}
			text := f.Doc.Text()
			if !strings.HasPrefix(text, "# State diagram\n\nThe table table.fsm as a Mermaid state diagram") {
				t.Errorf("package comment starts %.80q, want the heading and the table's name", text)
			}
			var block strings.Builder
			for _, line := range strings.SplitAfter(string(gen.Mermaid(m)), "\n") {
				if line != "" {
					block.WriteString("\t" + line)
				}
			}
			if !strings.HasSuffix(text, "\n\n"+block.String()) {
				t.Errorf("package comment does not end with the Mermaid diagram as a code block:\n%s", text)
			}
			main, err := parser.ParseFile(fset, "doc.go", "// Package "+tb.pkg+" is a test.\npackage "+tb.pkg+"\n", parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			p, err := doc.NewFromFiles(fset, []*ast.File{f, main}, "example.com/"+tb.pkg)
			if err != nil {
				t.Fatal(err)
			}
			if want := "Package " + tb.pkg + " is a test.\n\n" + text; p.Doc != want {
				t.Errorf("go/doc joined the package comments as\n%s\nwant\n%s", p.Doc, want)
			}
		})
	}
}

// TestMermaidDocErrors: a bad package name and a source name with a line
// break are refused.
func TestMermaidDocErrors(t *testing.T) {
	m := parse(t, tables[0].file)
	for _, o := range []gen.DocOptions{{Package: ""}, {Package: "_"}, {Package: "a-b"}, {Package: "p", Source: "a\nb.fsm"}} {
		if _, err := gen.MermaidDoc(m, o); err == nil {
			t.Errorf("MermaidDoc(%+v) succeeded, want an error", o)
		}
	}
}
