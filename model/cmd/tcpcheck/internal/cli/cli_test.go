package cli

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/synfin/synfin/model/tcpworld"
	"github.com/synfin/synfin/tcpfsm"
)

func TestParseDefaults(t *testing.T) {
	o, err := Parse(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if *o != Defaults() || !o.Liveness || o.Config != tcpworld.DefaultConfig() {
		t.Errorf("no flags give %+v, want %+v", *o, Defaults())
	}
}

// TestParseFlags: each flag sets its field; a switch needs no value.
func TestParseFlags(t *testing.T) {
	o, err := Parse([]string{"-loss=false", "-reorder=false", "-dup", "0", "-capacity", "5", "-retries", "2", "-data", "7",
		"-mss", "3", "-window", "9", "-iss", "100,300", "-open", "simultaneous", "-abort", "-rfc1337",
		"-spec", "my.fsm", "-workers", "4", "-max-states", "1000", "-max-depth", "12", "-liveness=false",
		"-json", "-ascii", "-quiet"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Options{
		Config: tcpworld.Config{Dup: 0, Capacity: 5, Retries: 2, Data: 7, MSS: 3, Window: 9, ISS: [2]tcpfsm.Seq{100, 300},
			Open: tcpworld.OpenSimultaneous, Abort: true, RFC1337: true, Incarnations: 1},
		Spec: "my.fsm", Workers: 4, MaxStates: 1000, MaxDepth: 12, JSON: true, ASCII: true, Quiet: true,
	}
	if *o != want {
		t.Errorf("got  %+v\nwant %+v", *o, want)
	}
	// -iss-wrap gives the default ISNs whatever -iss says; the last of a
	// repeated flag counts.
	o, err = Parse([]string{"-iss", "1,2", "-iss-wrap", "-capacity", "1", "-capacity", "2"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.Config.ISS != [2]tcpfsm.Seq{tcpworld.WrapISSA, tcpworld.WrapISSB} || o.Config.Capacity != 2 {
		t.Errorf("-iss 1,2 -iss-wrap -capacity 1 -capacity 2: ISS %v, capacity %d", o.Config.ISS, o.Config.Capacity)
	}
}

// TestParseErrors: a bad value is reported with the flag, the value and
// what was wanted, every bad value at once; -h is flag.ErrHelp.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-capacity", "7"}, []string{"-capacity 7 out of range: want 1 to 6 segments"}},
		{[]string{"-mss", "0"}, []string{"-mss 0 out of range: want 1 to 65535 bytes"}},
		{[]string{"-window", "4294967296"}, []string{"-window 4294967296 out of range: want 0 to 1073741824 bytes"}},
		{[]string{"-max-states", "-1"}, []string{"-max-states -1 out of range: want 0 or more"}},
		{[]string{"-data", "lots"}, []string{`-data "lots": want a whole number, 0 to 255 bytes`}},
		{[]string{"-abort=perhaps"}, []string{`-abort "perhaps": want true or false`}},
		{[]string{"-dup", "99", "-retries", "99"}, []string{"-dup 99 out of range: want 0 to 15", "-retries 99 out of range: want 0 to 15"}},
		{[]string{"-quiet", "x"}, []string{`unexpected argument "x"`}},
	} {
		_, err := Parse(tc.args, io.Discard)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %v, want %q", tc.args, err, w)
			}
		}
	}
	var help strings.Builder
	if _, err := Parse([]string{"-h"}, &help); !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(help.String(), "usage: tcpcheck [") {
		t.Errorf("-h: error %v, output %q", err, help.String())
	}
}

// TestUsage: -h lists every flag with its argument and its whole help:
// what it means, its range and its default.
func TestUsage(t *testing.T) {
	o := Defaults()
	settings := o.Settings()
	usage := Usage(settings)
	flat := strings.Join(strings.Fields(usage), " ")
	for i := range settings {
		s := &settings[i]
		head := "-" + s.Name
		if s.Arg != "" {
			head += " " + s.Arg
		}
		if !strings.Contains(flat, head+" "+strings.Join(strings.Fields(s.Help()), " ")) {
			t.Errorf("usage lacks %s with its help %q", head, s.Help())
		}
	}
	for _, want := range []string{"-capacity N     segments in flight, both directions together, 1 to 6",
		"(default 3)", "(default 0: tcpfsm's default, 65535)", "Exit status"} {
		if !strings.Contains(usage, want) {
			t.Errorf("usage lacks %q:\n%s", want, usage)
		}
	}
	for _, line := range strings.Split(usage, "\n") {
		if len(line) > 80 {
			t.Errorf("usage line longer than 80: %q", line)
		}
	}
}

// TestSettingNames: no two flags share a name, and each is in a group of
// the list.
func TestSettingNames(t *testing.T) {
	o := Defaults()
	seen := map[string]bool{}
	for _, s := range o.Settings() {
		if seen[s.Name] {
			t.Errorf("two settings named %s", s.Name)
		}
		seen[s.Name] = true
	}
	defer func() {
		if recover() == nil {
			t.Error("a setting in no group is listed")
		}
	}()
	list(append(o.Settings(), tcpworld.Setting{Name: "x", Group: "nowhere", Var: new(bool)}))
}
