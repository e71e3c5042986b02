package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/synfin/synfin/gen"
)

// base is a small valid table; the bad tables below are edits of it.
const base = `# A valid table to break.

machine t
states  A B C
initial A
final   C
events  go stop
actions ping
guards  g
A go [g]   -> B : ping
A go [!g]  -> C
A stop     ignore
B go       -> C
B stop     error : ping
C go, stop ignore
`

// edit returns base with old replaced by new, and panics when base has no
// old, so that a typo cannot quietly test the valid table.
func edit(pairs ...string) string {
	s := base
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			panic("base has no " + pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// assertFailure requires a run of fsmgen to have failed with exit status
// 2, printing want on stderr and nothing on stdout.
func assertFailure(t *testing.T, code int, stdout, stderr, want string) {
	t.Helper()
	if code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if stdout != "" {
		t.Errorf("stdout: %q", stdout)
	}
}

const oldOutput = "// old output, which a failed run must leave alone\n"

// fsmgen runs the command in process in dir and returns its exit status,
// standard output and standard error.
func fsmgen(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// badTables are broken tables, each with what fsmgen prints for it.
var badTables = []struct {
	name string
	src  string
	want string
}{
	{"empty file", "",
		"t.fsm:1:1: empty table: expected declarations (states, initial, final, events) and rows, found none\n"},
	{"comments only", "# nothing here\n\n# at all\n",
		"t.fsm:1:1: empty table: expected declarations (states, initial, final, events) and rows, found none\n"},
	{"binary file", "machine t\nstates A\x00B\n",
		"t.fsm:2:9: binary data: expected UTF-8 text, found a NUL byte\n"},
	{"invalid UTF-8", edit("B stop     error : ping", "B stop     error : ping \xff"),
		"t.fsm:14:25: binary data: expected UTF-8 text, found byte 0xff\n"},
	{"very long line", edit("# A valid table to break.", "# "+strings.Repeat("x", 5000)),
		"t.fsm:1:4097: line too long: expected at most 4096 bytes, found 5002\n"},
	{"unknown target state", edit("B go       -> C", "B go       -> D"),
		"t.fsm:13:15: unknown target state \"D\": expected a declared state\n"},
	{"unknown source state", edit("C go, stop ignore", "C go, stop ignore\nX stop ignore"),
		"t.fsm:16:1: unknown state or group \"X\" as a row source\n"},
	{"unknown event", edit("B go       -> C", "B jump     -> C"),
		"t.fsm:13:3: unknown event \"jump\": expected a declared event\n"},
	{"undeclared guard", edit("A stop     ignore", "A stop [h] ignore"),
		"t.fsm:12:9: unknown guard \"h\": expected a declared guard\n"},
	{"duplicate row", edit("C go, stop ignore", "C go, stop ignore\nC go, stop ignore"),
		"t.fsm:16:1: duplicate row: it says the same as the row on line 15\n"},
	{"two rows for one pair", edit("B go       -> C", "B go       -> C\nB go       -> A"),
		"t.fsm:14:1: two rows decide event \"go\": this row and the row on line 13 both apply in state \"B\"\n"},
	{"overlapping guards", edit("A stop     ignore", "A stop     ignore\nA stop [g] ignore"),
		"t.fsm:13:1: two rows decide event \"stop\": this row and the row on line 12 both apply in state \"A\" when [g]\n"},
	{"missing pair", edit("B stop     error : ping\n", ""),
		"t.fsm:4:11: state \"B\" has no row for event \"stop\": every state must decide every event (add rows, or ignore or error rows)\n"},
	{"guard combination not decided", edit("A stop     ignore", "A stop [g] ignore"),
		"t.fsm:12:1: event \"stop\" in state \"A\" is not decided when [!g]: expected a row for every guard combination (add a row, or an ignore or error row)\n"},
	{"contradictory guards", edit("A stop     ignore", "A stop [g, !g] ignore\nA stop ignore"),
		"t.fsm:12:13: guard \"g\" is both required and forbidden: the row can never apply\n"},
	{"missing initial", edit("initial A\n", ""),
		"t.fsm:1:1: no initial state: expected an \"initial STATE\" line\n"},
	{"two initial states", edit("initial A", "initial A\ninitial B"),
		"t.fsm:6:1: initial state given twice (first on line 5): a machine has one initial state\n"},
	{"final is not a state", edit("final   C", "final   go"),
		"t.fsm:6:9: final state \"go\" is an event (declared on line 7), expected a state\n"},
	{"unreachable state", edit("states  A B C", "states  A B C D", "C go, stop ignore", "C go, stop ignore\nD go, stop -> C"),
		"t.fsm:4:15: state \"D\" is unreachable: no chain of rows leads to it from the initial state \"A\"\n"},
	{"no final reachable", edit("states  A B C", "states  A B C D", "B stop     error : ping", "B stop     -> D", "C go, stop ignore", "C go, stop ignore\nD go, stop ignore"),
		"t.fsm:4:15: state \"D\" is a trap: no chain of rows leads from it to a final state (\"C\")\n"},
	{"unused action", edit("actions ping", "actions ping pong"),
		"t.fsm:8:14: action \"pong\" is declared but no row performs it\n"},
	{"unused guard", edit("guards  g", "guards  g h"),
		"t.fsm:9:11: guard \"h\" is declared but no row tests it\n"},
	{"reserved word", edit("events  go stop", "events  go stop error"),
		"t.fsm:7:17: expected event name, found keyword \"error\"\n"},
	{"name used twice", edit("events  go stop", "events  go stop A"),
		"t.fsm:7:17: \"A\" declared as an event, but it is already a state (declared on line 4)\n"},
	{"ignore with actions", edit("A stop     ignore", "A stop     ignore : ping"),
		"t.fsm:12:19: an ignore row takes no actions: use stay to act without changing state\n"},
	{"unexpected character", edit("A stop     ignore", "A stop     ignore $"),
		"t.fsm:12:19: unexpected character \"$\": expected \"@\" and a reference, or end of line\n"},
	{"several errors", edit("B go       -> C", "B go       -> D", "A stop     ignore", "A stop [h] ignore"),
		"t.fsm:12:9: unknown guard \"h\": expected a declared guard\n" +
			"t.fsm:13:15: unknown target state \"D\": expected a declared state\n"},
	{"name collision in Go", edit("states  A B C", "states  A B C SYN-SENT SYN_SENT", "B stop     error : ping", "B stop [g] -> SYN-SENT\nB stop [!g] -> SYN_SENT", "C go, stop ignore", "C go, stop ignore\nSYN-SENT, SYN_SENT go, stop -> C"),
		"t.fsm:4:24: state \"SYN_SENT\" and state \"SYN-SENT\" (t.fsm:4:15) both become Go name StateSynSent; rename one of them\n"},
}

// TestBadTables feeds fsmgen broken tables. Each must give exactly the
// expected messages on stderr (file:line:col: message, every problem, no
// "fsmgen:" prefix for table errors), exit status 2, nothing on stdout,
// and leave the output file as it was, with no temporary file left over.
func TestBadTables(t *testing.T) {
	t.Setenv("GOPACKAGE", "")
	for _, tc := range badTables {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "t.fsm"), []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "t_gen.go"), []byte(oldOutput), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := fsmgen(t, dir, "-spec", "t.fsm", "-o", "t_gen.go", "-pkg", "t")
			assertFailure(t, code, stdout, stderr, tc.want)
			assertDir(t, dir, map[string]string{"t.fsm": tc.src, "t_gen.go": oldOutput})
		})
	}
}

// assertDir checks that dir holds exactly the files in want, with their
// contents; a leftover temporary file fails it.
func assertDir(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		w, ok := want[e.Name()]
		if !ok {
			t.Errorf("unexpected file %s", e.Name())
			continue
		}
		got, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != w {
			t.Errorf("%s changed:\n%.200s", e.Name(), got)
		}
	}
	if len(entries) != len(want) {
		t.Errorf("%d files, want %d", len(entries), len(want))
	}
}

// TestCRLFAndBOM checks that a table with CRLF line endings and a UTF-8
// byte order mark gives the same output as the plain one.
func TestCRLFAndBOM(t *testing.T) {
	plain, crlf := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(plain, "t.fsm"), []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	dos := "\xef\xbb\xbf" + strings.ReplaceAll(base, "\n", "\r\n")
	if err := os.WriteFile(filepath.Join(crlf, "t.fsm"), []byte(dos), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{plain, crlf} {
		if code, _, stderr := fsmgen(t, dir, "-spec", "t.fsm", "-pkg", "t"); code != 0 {
			t.Fatalf("exit status %d: %s", code, stderr)
		}
	}
	a, err := os.ReadFile(filepath.Join(plain, "t_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(crlf, "t_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the CRLF+BOM table gives different output")
	}
	if !bytes.Contains(a, []byte("\n// A valid table to break.\n")) || bytes.Contains(a, []byte("\r")) {
		t.Error("table comment missing, or CR in the output")
	}
}

const synopsisLine = "usage: fsmgen -spec FILE [-o FILE] [-pkg NAME] [-format go|dot|mermaid|godoc] [-lookup]\n"

// TestMisuse checks command lines that are wrong in themselves: exit
// status 2, one "fsmgen:" line per problem, then the synopsis.
func TestMisuse(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		env   string // $GOPACKAGE
		want  string
		files map[string]string // extra files in the directory
	}{
		{"no arguments", nil, "",
			"fsmgen: missing -spec: name the table file to generate from\n" +
				"fsmgen: missing -pkg: name the package of the generated file ($GOPACKAGE is not set, so this is not go generate)\n" + synopsisLine, nil},
		{"missing -spec", []string{"-pkg", "t"}, "",
			"fsmgen: missing -spec: name the table file to generate from\n" + synopsisLine, nil},
		{"missing -pkg", []string{"-spec", "t.fsm"}, "",
			"fsmgen: missing -pkg: name the package of the generated file ($GOPACKAGE is not set, so this is not go generate)\n" + synopsisLine, nil},
		{"unknown format", []string{"-spec", "t.fsm", "-format", "svg"}, "",
			"fsmgen: unknown -format \"svg\": want go, dot, mermaid or godoc\n" + synopsisLine, nil},
		{"extra arguments", []string{"-spec", "t.fsm", "-pkg", "t", "x.fsm", "y"}, "",
			"fsmgen: unexpected arguments [\"x.fsm\" \"y\"]: fsmgen takes flags only\n" + synopsisLine, nil},
		{"unknown flag", []string{"-spec", "t.fsm", "-v"}, "",
			"fsmgen: flag provided but not defined: -v\n" + synopsisLine, nil},
		{"flag without value", []string{"-spec"}, "",
			"fsmgen: flag needs an argument: -spec\n" + synopsisLine, nil},
		{"invalid package", []string{"-spec", "t.fsm", "-pkg", "my-pkg"}, "",
			"fsmgen: invalid package name \"my-pkg\"\n", nil},
		{"missing table", []string{"-spec", "nosuch.fsm", "-pkg", "t"}, "",
			"fsmgen: open nosuch.fsm: no such file or directory\n", nil},
		{"table is a directory", []string{"-spec", "sub", "-pkg", "t"}, "",
			"fsmgen: read sub: is a directory\n", map[string]string{"sub/x": ""}},
		{"output directory missing", []string{"-spec", "t.fsm", "-pkg", "t", "-o", "nodir/t_gen.go"}, "",
			"fsmgen: cannot write nodir/t_gen.go: no such file or directory\n", nil},
		{"output parent is a file", []string{"-spec", "t.fsm", "-pkg", "t", "-o", "file/t_gen.go"}, "",
			"fsmgen: cannot write file/t_gen.go: not a directory\n", map[string]string{"file": "x"}},
		{"output is a directory", []string{"-spec", "t.fsm", "-pkg", "t", "-o", "sub"}, "",
			"fsmgen: cannot write sub: not a regular file\n", map[string]string{"sub/x": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOPACKAGE", tc.env)
			dir := t.TempDir()
			files := map[string]string{"t.fsm": base}
			for name, text := range tc.files {
				files[name] = text
			}
			for name, text := range files {
				path := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, stdout, stderr := fsmgen(t, dir, tc.args...)
			assertFailure(t, code, stdout, stderr, tc.want)
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1+len(topLevel(tc.files)) {
				for _, e := range entries {
					t.Logf("left in the directory: %s", e.Name())
				}
				t.Error("fsmgen wrote a file")
			}
		})
	}
}

func topLevel(files map[string]string) map[string]bool {
	top := make(map[string]bool)
	for name := range files {
		first, _, _ := strings.Cut(name, "/")
		top[first] = true
	}
	return top
}

// TestUnwritableDirectory needs a directory that refuses writes, which
// file permissions give only to a user who is not root.
func TestUnwritableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write to any directory; the missing-directory cases of TestMisuse cover the error")
	}
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(ro, 0o755)
	if err := os.WriteFile(filepath.Join(dir, "t.fsm"), []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := fsmgen(t, dir, "-spec", "t.fsm", "-pkg", "t", "-o", "ro/t_gen.go")
	if want := "fsmgen: cannot write ro/t_gen.go: permission denied\n"; code != 2 || stderr != want {
		t.Errorf("exit status %d, stderr %q; want 2, %q", code, stderr, want)
	}
}

func TestHelp(t *testing.T) {
	code, stdout, stderr := fsmgen(t, t.TempDir(), "-h")
	if code != 0 || stdout != "" {
		t.Errorf("exit status %d, stdout %q", code, stdout)
	}
	for _, want := range []string{synopsisLine, "//go:generate go run github.com/synfin/synfin/gen/cmd/fsmgen -spec", "-format format", "-o file", "-pkg name", "-spec file", "Exit status is 0 on success and 2"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("usage lacks %q:\n%s", want, stderr)
		}
	}
}

// TestOutputs runs fsmgen successfully: default file names for each
// format, $GOPACKAGE as the default package, and "-o -".
func TestOutputs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		env     string
		file    string // the file written, "" for stdout
		prefix  string // how the output starts
		contain string
	}{
		{"go default name", []string{"-spec", "t.fsm", "-pkg", "p"}, "", "t_gen.go",
			"// " + header("") + "\n", "\npackage p\n"},
		{"go under go generate", []string{"-spec", "t.fsm"}, "gp", "t_gen.go",
			"// " + header("") + "\n", "\npackage gp\n"},
		{"-pkg wins over $GOPACKAGE", []string{"-spec", "t.fsm", "-pkg", "p"}, "gp", "t_gen.go",
			"// " + header("") + "\n", "\npackage p\n"},
		{"go named", []string{"-spec", "t.fsm", "-pkg", "p", "-o", "out/fsm.go"}, "", "out/fsm.go",
			"// " + header("") + "\n", "\nfunc Step(s State, e Event, g Guards) (next State, act Actions, ok bool) {\n"},
		{"go switches", []string{"-spec", "t.fsm", "-pkg", "p"}, "", "t_gen.go",
			"// " + header("") + "\n", "\tswitch s {\n"},
		{"go tables", []string{"-spec", "t.fsm", "-pkg", "p", "-lookup"}, "", "t_gen.go",
			"// " + header("-lookup") + "\n", "\tc := _Step_cells[_Step_index[e][g&_Guards_known]][s]\n"},
		{"dot default name", []string{"-spec", "t.fsm", "-format", "dot"}, "", "t.dot",
			"// " + header("-format dot") + "\n\ndigraph \"t\" {\n", "\t\"C\" [shape=doublecircle];\n"},
		{"mermaid default name", []string{"-spec", "t.fsm", "-format", "mermaid"}, "", "t.mmd",
			"stateDiagram-v2\n", "    [*] --> s0\n"},
		{"stdout", []string{"-spec", "t.fsm", "-format", "dot", "-o", "-"}, "", "",
			"// " + header("-format dot") + "\n", "\"A\" -> \"B\" [label=\"go [g] / ping\"];"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOPACKAGE", tc.env)
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "t.fsm"), []byte(base), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := fsmgen(t, dir, tc.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit status %d, stderr %q", code, stderr)
			}
			got := stdout
			if tc.file != "" {
				if stdout != "" {
					t.Errorf("stdout: %q", stdout)
				}
				data, err := os.ReadFile(filepath.Join(dir, tc.file))
				if err != nil {
					t.Fatal(err)
				}
				got = string(data)
				info, err := os.Stat(filepath.Join(dir, tc.file))
				if err != nil {
					t.Fatal(err)
				}
				if info.Mode().Perm() != 0o644 {
					t.Errorf("mode %v, want 0644", info.Mode().Perm())
				}
			}
			if !strings.HasPrefix(got, tc.prefix) || !strings.Contains(got, tc.contain) {
				t.Errorf("output does not start with %q and contain %q:\n%s", tc.prefix, tc.contain, got)
			}
		})
	}
}

// TestUnchangedNotRewritten checks that a run whose output equals the file
// leaves the file alone (same mtime), and that a changed table does
// replace it, keeping its permissions.
func TestUnchangedNotRewritten(t *testing.T) {
	dir := t.TempDir()
	table, out := filepath.Join(dir, "t.fsm"), filepath.Join(dir, "t_gen.go")
	if err := os.WriteFile(table, []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-spec", "t.fsm", "-pkg", "t"}
	if code, _, stderr := fsmgen(t, dir, args...); code != 0 {
		t.Fatalf("first run: %d %s", code, stderr)
	}
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(out, old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(out, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := fsmgen(t, dir, args...); code != 0 {
		t.Fatalf("second run: %d %s", code, stderr)
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if !info.ModTime().Equal(old) {
		t.Errorf("unchanged output was rewritten: mtime %v", info.ModTime())
	}

	if err := os.WriteFile(table, []byte(edit("B go       -> C", "B go       -> A")), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := fsmgen(t, dir, args...); code != 0 {
		t.Fatalf("third run: %d %s", code, stderr)
	}
	third, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(first, third) {
		t.Error("changed table, same output")
	}
	info, err = os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.ModTime().Equal(old) || info.Mode().Perm() != 0o600 {
		t.Errorf("after a change: mtime %v, mode %v; want a new mtime and mode 0600", info.ModTime(), info.Mode().Perm())
	}
	assertDir(t, dir, map[string]string{"t.fsm": edit("B go       -> C", "B go       -> A"), "t_gen.go": string(third)})
}

// header is the first line fsmgen writes for t.fsm with flags (none: "").
func header(flags string) string {
	if flags != "" {
		flags = " " + flags
	}
	return "Code generated by fsmgen " + gen.Version + flags + " from t.fsm; DO NOT EDIT."
}
