package tcpworld

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/synfin/synfin/tcpfsm"
)

// TestDefaultString: the one-line form of the default configuration, as
// tcpcheck prints it and Config.String documents it.
func TestDefaultString(t *testing.T) {
	const want = "loss=on reorder=on dup=1 capacity=3 retries=1 data=1 mss=1 window=65535 iss=4294967294,4294967295 open=any abort=off rfc1337=off lazy-read=off misbehave=0 incarnations=1 short-time-wait=off"
	if got := DefaultConfig().String(); got != want {
		t.Errorf("DefaultConfig().String() = %q, want %q", got, want)
	}
}

// TestSettingsDescribeEveryField: each setting has a unique name, a
// usage and a group, holds a variable of a kind Setting knows, and is
// bound to a field of its own: setting it through the descriptor changes
// the Config, and no other setting.
func TestSettingsDescribeEveryField(t *testing.T) {
	c := DefaultConfig()
	names := map[string]bool{}
	for _, s := range c.Settings() {
		if names[s.Name] || s.Name == "" || s.Usage == "" || s.Group == "" {
			t.Errorf("setting %+v: empty or repeated name, no usage or no group", s)
		}
		names[s.Name] = true
		if err := s.Check(); err != nil {
			t.Errorf("default %s: %v", s.Name, err)
		}
		_ = s.Help() // panics for a variable of an unknown kind
	}
	// Every field but Table is a setting: each one, set to another valid
	// value through its descriptor, changes the configuration.
	for i, s := range c.Settings() {
		d := DefaultConfig()
		other := map[string]string{"loss": "false", "reorder": "false", "dup": "2", "capacity": "2", "retries": "2",
			"data": "2", "mss": "2", "window": "7", "iss": "1,2", "open": "simultaneous", "abort": "true", "rfc1337": "true",
			"lazy-read": "true", "misbehave": "2", "incarnations": "2", "short-time-wait": "true"}[s.Name]
		if other == "" {
			t.Fatalf("no other value of %s to try", s.Name)
		}
		if err := d.Settings()[i].Set(other); err != nil {
			t.Fatalf("%s %s: %v", s.Name, other, err)
		}
		if d == DefaultConfig() {
			t.Errorf("%s=%s left the configuration as it was", s.Name, other)
		}
		if got := d.Settings()[i].FlagText(); got != other {
			t.Errorf("%s=%s reads back as %q", s.Name, other, got)
		}
	}
	if len(names) != 16 {
		t.Errorf("%d settings, want one for each of Config's 16 fields but Table", len(names))
	}
}

// TestSettingRanges: a number at each end of its range is taken, one
// beyond is refused with the setting's name, the value and the range;
// so are words where a number belongs.
func TestSettingRanges(t *testing.T) {
	c := DefaultConfig()
	for _, s := range c.Settings() {
		if _, ok := s.Var.(*int); !ok && s.Name != "window" {
			continue
		}
		for _, n := range []int64{s.Min, s.Max} {
			if err := s.Set(strconv.FormatInt(n, 10)); err != nil {
				t.Errorf("%s %d: %v", s.Name, n, err)
			}
		}
		for _, n := range []int64{s.Min - 1, s.Max + 1} {
			err := s.Set(strconv.FormatInt(n, 10))
			want := s.Name + " " + strconv.FormatInt(n, 10) + " out of range: want " + strconv.FormatInt(s.Min, 10) + " to " + strconv.FormatInt(s.Max, 10)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s %d: error %v, want %q", s.Name, n, err, want)
			}
		}
		if err := s.Set("many"); err == nil || !strings.Contains(err.Error(), s.Name+` "many": want a whole number`) {
			t.Errorf("%s many: error %v", s.Name, err)
		}
	}
}

// TestMSSZero: an MSS of 0 is out of range, for the world as for
// tcpcheck's -mss; there is no 0 that stands for 1.
func TestMSSZero(t *testing.T) {
	c := DefaultConfig()
	c.MSS = 0
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "mss 0 out of range: want 1 to 65535 bytes") {
		t.Errorf("Validate with MSS 0: %v", err)
	}
	if _, err := New(c); err == nil {
		t.Error("New takes MSS 0")
	}
}

// TestValidate: each setting out of its range is reported, all at once.
func TestValidate(t *testing.T) {
	c := DefaultConfig()
	c.Capacity, c.Dup, c.Retries, c.Data, c.Window, c.Open = 0, MaxDup+1, MaxRetries+1, MaxData+1, tcpfsm.MaxQueue+1, OpenSimultaneous+1
	err := c.Validate()
	for _, want := range []string{"capacity 0 out of range", "dup 16 out of range", "retries 16 out of range",
		"data 256 out of range", "window 1073741825 out of range", "open 3: unknown open mode"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v, want %q", err, want)
		}
	}
	if d := DefaultConfig(); d.Validate() != nil {
		t.Errorf("DefaultConfig: %v", d.Validate())
	}
}

// TestSettingSyntax: what a flag's text may be, and what it is told when
// it is wrong.
func TestSettingSyntax(t *testing.T) {
	for _, tc := range []struct{ name, text, err string }{
		{"loss", "maybe", `loss "maybe": want true or false`},
		{"iss", "1", `iss "1": want two numbers, each 0 to 4294967295, as 100,300`},
		{"iss", "1,4294967296", `iss "1,4294967296": want two numbers`},
		{"iss", " 5, 6", ""},
		{"open", "sideways", `open: unknown open mode "sideways" (want any, client-server or simultaneous)`},
		{"open", "client-server", ""},
		{"capacity", "0x2", ""},
	} {
		c := DefaultConfig()
		var s *Setting
		for _, x := range c.Settings() {
			if x.Name == tc.name {
				s = &x
			}
		}
		err := s.Set(tc.text)
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s %q: error %v, want %q", tc.name, tc.text, err, tc.err)
		}
	}
}

// TestConfigJSON: the JSON form has a key per setting in String's order,
// shows the window in use, and reads back to the same configuration.
func TestConfigJSON(t *testing.T) {
	c := DefaultConfig()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"loss":true,"reorder":true,"dup":1,"capacity":3,"retries":1,"data":1,"mss":1,"window":65535,` +
		`"iss":[4294967294,4294967295],"open":"any","abort":false,"rfc1337":false,"lazy-read":false,"misbehave":0,"incarnations":1,"short-time-wait":false}`
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
	var d Config
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if d.String() != c.String() || d.Window != tcpfsm.DefaultRcvWnd {
		t.Errorf("read back as %v (window %d), want %v", d, d.Window, c)
	}
	if err := json.Unmarshal([]byte(`{"capacity":9}`), &d); err == nil || !strings.Contains(err.Error(), "capacity 9 out of range") {
		t.Errorf("capacity 9 from JSON: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"loss":"yes"}`), &d); err == nil || !strings.Contains(err.Error(), "loss:") {
		t.Errorf("loss \"yes\" from JSON: %v", err)
	}
}

// TestSettingHelp: what -h and the manual say of a setting: its range,
// unit, default and what 0 stands for.
func TestSettingHelp(t *testing.T) {
	c := DefaultConfig()
	want := map[string]string{
		"loss":     "the network may lose any segment, any number of times (default true); -loss=false turns loss off",
		"dup":      "the network may duplicate N segments in a run, 0 to 15 (default 1; 0: no duplication)",
		"capacity": "segments in flight, both directions together, 1 to 6 segments (default 3); a segment sent",
		"mss":      "SEND call (the last one may be shorter), 1 to 65535 bytes (default 1)",
		"window":   "receive window both endpoints offer, 0 to 1073741824 bytes (default 0: tcpfsm's default, 65535)",
		"iss":      "initial sequence numbers of A and B, each 0 to 4294967295 (default 4294967294,4294967295); the default",
		"open":     "how the applications open: any, client-server or simultaneous (default any); with any",
	}
	for _, s := range c.Settings() {
		if w, ok := want[s.Name]; ok && !strings.Contains(s.Help(), w) {
			t.Errorf("%s: help %q, want %q", s.Name, s.Help(), w)
		}
	}
	s := Setting{Name: "limit", Var: new(int), Max: NoMax, Zero: "no limit", Usage: "states"}
	if got, want := s.Help(), "states, 0 or more (default 0: no limit)"; got != want {
		t.Errorf("help %q, want %q", got, want)
	}
	s = Setting{Name: "file", Var: new(string), Usage: "the table"}
	if got := s.Help(); got != "the table" {
		t.Errorf("help %q", got)
	}
}
