package main

import (
	"os"
	"path/filepath"

	"github.com/synfin/synfin/gen"
	"github.com/synfin/synfin/spec"
)

// godocSuffix ends the default name of -format godoc output, which sorts
// after doc.go, so that the diagram ends the package documentation.
const godocSuffix = "_doc_gen.go"

// checkGodoc fills in the package of -format godoc output the way Go
// output gets it, and returns the problem when there is none.
func (o *options) checkGodoc() []string {
	if o.pkg == "" {
		o.pkg = os.Getenv("GOPACKAGE")
	}
	if o.pkg == "" {
		return []string{"missing -pkg: name the package of the generated file ($GOPACKAGE is not set, so this is not go generate)"}
	}
	return nil
}

// godoc renders -format godoc output: a Go file whose package comment is
// the Mermaid diagram of m.
func godoc(m *spec.Machine, o options) ([]byte, error) {
	return gen.MermaidDoc(m, gen.DocOptions{Package: o.pkg, Source: filepath.Base(o.spec)})
}
