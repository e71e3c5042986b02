package main

import (
	"strings"
	"testing"
)

func TestParseCheck(t *testing.T) {
	in := `{"verdict": "verified", "table": "t.fsm", "config": {"loss": true, "iss": [1, 2], "open": "any"},
		"stats": {"states": 10, "transitions": 30, "depth": 4, "complete": true, "workers": 2, "seconds": 0.5}}`
	c, err := ParseCheck(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.Config, " "), "loss=true iss=[1,2] open=any"; got != want {
		t.Errorf("config = %q, want %q (tcpcheck's order)", got, want)
	}
	if c.Verdict != "verified" || c.Stats.States != 10 || c.Stats.Transitions != 30 || c.Stats.Seconds != 0.5 {
		t.Errorf("check = %+v, want verified, 10 states, 30 transitions, 0.5 s", c)
	}
}

func TestParseCheckErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"tcpcheck: VERIFIED", "want tcpcheck -json output: invalid character"},
		{`{"verdict": "", "stats": {"states": 3}}`, `want tcpcheck -json output with a verdict and states, found verdict "" and 3 states`},
		{`{"verdict": "verified", "stats": {"states": 3}, "config": [1]}`, "tcpcheck config: want an object, found [1]"},
	} {
		_, err := ParseCheck(strings.NewReader(tt.in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseCheck(%q) error = %v, want %s", tt.in, err, tt.want)
		}
	}
}
