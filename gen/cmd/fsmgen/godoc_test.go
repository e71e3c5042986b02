package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGodocFormat runs fsmgen -format godoc: the default file name, the
// package from -pkg or $GOPACKAGE, and the error without either.
func TestGodocFormat(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  string
		file string
		pkg  string
	}{
		{"default name", []string{"-spec", "t.fsm", "-format", "godoc", "-pkg", "p"}, "", "t_doc_gen.go", "p"},
		{"under go generate", []string{"-spec", "t.fsm", "-format", "godoc"}, "gp", "t_doc_gen.go", "gp"},
		{"named", []string{"-spec", "t.fsm", "-format", "godoc", "-o", "diagram.go"}, "gp", "diagram.go", "gp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOPACKAGE", tc.env)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "t.fsm"), []byte(base), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := fsmgen(t, dir, tc.args...)
			if code != 0 || stdout != "" || stderr != "" {
				t.Fatalf("exit status %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			data, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got := string(data)
			for _, want := range []string{
				"// " + header("-format godoc") + "\n\n// # State diagram\n",
				"\n//\tstateDiagram-v2\n",
				"\n//\t    [*] --> s0\n",
				"\npackage " + tc.pkg + "\n",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("%s lacks %q:\n%s", tc.file, want, got)
				}
			}
		})
	}

	t.Run("no package", func(t *testing.T) {
		t.Setenv("GOPACKAGE", "")
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "t.fsm"), []byte(base), 0o644); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := fsmgen(t, dir, "-spec", "t.fsm", "-format", "godoc")
		want := "fsmgen: missing -pkg: name the package of the generated file ($GOPACKAGE is not set, so this is not go generate)\n" + synopsisLine
		if code != 2 || stdout != "" || stderr != want {
			t.Errorf("exit status %d, stdout %q, stderr:\n%s\nwant status 2 and:\n%s", code, stdout, stderr, want)
		}
		assertDir(t, dir, map[string]string{"t.fsm": base})
	})
}
