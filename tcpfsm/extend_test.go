package tcpfsm_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExtendTable adds a user call, a fourth timer and a segment event to
// a copy of spec/tcp.fsm (testdata/extend/tcp.fsm.add), regenerates, and
// runs the tests of testdata/extend in the copy: the generated code, the
// Endpoint and the world handle them with no other file edited.
func TestExtendTable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a copy of the module")
	}
	root := moduleRoot(t)
	dir := t.TempDir()
	copyModule(t, root, dir)
	table := filepath.Join(dir, "spec", "tcp.fsm")
	add, err := os.ReadFile("testdata/extend/tcp.fsm.add")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(table)
	if err != nil {
		t.Fatal(err)
	}
	out, err := applyAdditions(src, add)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(table, out, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ from, to string }{
		{"testdata/extend/extended_test.go", "tcpfsm/extended_test.go"},
		{"testdata/extend/world_extended_test.go", "model/tcpworld/extended_test.go"},
	} {
		b, err := os.ReadFile(f.from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goCmd(t, dir, "generate", "./tcpfsm")
	goCmd(t, dir, "test", "-count=1", "-run", "^TestExtended", "./tcpfsm", "./model/tcpworld")
}

// applyAdditions inserts each block of add (see tcp.fsm.add) after the
// line of src its "after" line names.
func applyAdditions(src, add []byte) ([]byte, error) {
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	blocks := map[string][]string{}
	var order []string
	var anchor string
	sc := bufio.NewScanner(bytes.NewReader(add))
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "after "):
			anchor = strings.TrimPrefix(l, "after ")
			order = append(order, anchor)
		case anchor == "":
			// The file's own comments, before the first block.
		default:
			blocks[anchor] = append(blocks[anchor], l)
		}
	}
	var res []string
	for _, l := range lines {
		res = append(res, l)
		if b, ok := blocks[l]; ok {
			res = append(res, b...)
			delete(blocks, l)
		}
	}
	if b, ok := blocks["the last line"]; ok {
		res = append(res, b...)
		delete(blocks, "the last line")
	}
	for _, a := range order {
		if _, ok := blocks[a]; ok {
			return nil, fmt.Errorf("tcp.fsm.add: spec/tcp.fsm has no line %q to add after", a)
		}
	}
	return []byte(strings.Join(res, "\n") + "\n"), nil
}

// moduleRoot is the directory of the module's go.mod.
func moduleRoot(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// copyModule copies the module at root to dir, without its git directory
// and the nested bench module.
func copyModule(t *testing.T, root, dir string) {
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if rel == ".git" || rel == "bench" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatalf("copying the module: %v", err)
	}
}

// goCmd runs the go command in dir and fails the test with its output if
// it fails.
func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s in the copy: %v\n%s", strings.Join(args, " "), err, out)
	}
}
