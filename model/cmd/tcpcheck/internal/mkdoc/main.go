// Command mkdoc writes the list of tcpcheck's flags, as cli.Manual makes
// it from their settings, to the file that -o names (flags_doc_gen.go of
// package main, by its go:generate line). Exit status is 0 on success, 1
// if the file cannot be written, 2 for a bad flag.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/synfin/synfin/model/cmd/tcpcheck/internal/cli"
)

func main() {
	out := flag.String("o", "flags_doc_gen.go", "write the manual's list of flags to `file`")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "mkdoc: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	src, err := cli.Manual()
	if err == nil {
		err = os.WriteFile(*out, src, 0o666)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "mkdoc: %v\n", err)
		os.Exit(1)
	}
}
