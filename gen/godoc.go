package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"strings"

	"github.com/synfin/synfin/spec"
)

// DocOptions configure MermaidDoc.
type DocOptions struct {
	// Package is the name in the generated package clause. It is required.
	Package string
	// Source is the table's file name as the header line and the comment
	// show it. When empty, the base name of the machine's File is used.
	Source string
}

// MermaidDoc returns a Go source file that holds nothing but a package
// comment: a section "# State diagram" whose code block is Mermaid(m),
// line for line. Go documentation tools (go doc, pkg.go.dev) join the
// package comments of a package's files, in the order of their file
// names, so a package gets the diagram at the end of its documentation by
// keeping this file next to the file with its main package comment, under
// a name that sorts after it (the default name fsmgen gives, the table's
// base name and _doc_gen.go, sorts after doc.go). The file starts with
// the "Code generated" line, separated from the comment by a blank line so
// that it stays out of the documentation.
//
// MermaidDoc fails when opts.Package is not a valid package name or the
// source name contains a line break.
func MermaidDoc(m *spec.Machine, opts DocOptions) ([]byte, error) {
	src, err := goFileSource(m, opts.Package, opts.Source)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n\n", header(src, "-format godoc"))
	b.WriteString("// # State diagram\n//\n")
	fmt.Fprintf(&b, "// The table %s as a Mermaid state diagram, as fsmgen -format\n", src)
	b.WriteString("// mermaid draws it: ignore rows are left out, and so are stay and\n")
	b.WriteString("// error rows without actions.\n//\n")
	for _, line := range strings.Split(strings.TrimSuffix(string(Mermaid(m)), "\n"), "\n") {
		b.WriteString("//\t" + line + "\n")
	}
	fmt.Fprintf(&b, "package %s\n", opts.Package)
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting Go source: %v", err)
	}
	return out, nil
}
