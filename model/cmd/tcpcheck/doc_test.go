package main

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/synfin/synfin/model/cmd/tcpcheck/internal/cli"
	"github.com/synfin/synfin/model/tcpworld"
)

// TestManualFlags: flags_doc_gen.go is the list of flags that cli.Manual
// makes of the flags' settings now. If this fails, run go generate.
func TestManualFlags(t *testing.T) {
	want, err := cli.Manual()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("flags_doc_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("flags_doc_gen.go is out of date with the settings of package cli: run go generate")
	}
}

// TestDocOneFlagList: doc.go lists no flag with its help (that is the
// generated file's), and its examples of the configuration, as text and as
// JSON, are what tcpcheck prints for the default world.
func TestDocOneFlagList(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	if m := regexp.MustCompile(`(?m)^//\t-[a-z0-9-]+( [A-Z,]+)? {2,}\S`).FindString(doc); m != "" {
		t.Errorf("doc.go lists a flag (%q): the list is flags_doc_gen.go's", m)
	}
	text := regexp.MustCompile(`config: +(.*) \.\.\.\n`).FindStringSubmatch(doc)
	if text == nil || !strings.HasPrefix(tcpworld.DefaultConfig().String(), text[1]) {
		t.Errorf("doc.go's config line %q is not the start of %q", text, tcpworld.DefaultConfig().String())
	}
	// The JSON example: the lines from "config": to the closing brace,
	// without the comment marks.
	i := strings.Index(doc, `"config": {`)
	j := strings.Index(doc[i:], "},\n")
	if i < 0 || j < 0 {
		t.Fatal(`doc.go has no "config" object in its JSON example`)
	}
	example := strings.ReplaceAll(doc[i+len(`"config": `):i+j+1], "\n//", "")
	var got, want map[string]any
	if err := json.Unmarshal([]byte(example), &got); err != nil {
		t.Fatalf("doc.go's config example %q: %v", example, err)
	}
	real, err := json.Marshal(jsonConfig{Config: tcpworld.DefaultConfig(), Liveness: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(real, &want); err != nil {
		t.Fatal(err)
	}
	// The example may leave out a setting added since, not show one
	// differently.
	for k, v := range got {
		if w, ok := want[k]; !ok || !reflect.DeepEqual(v, w) {
			t.Errorf("doc.go's config example has %q: %v; tcpcheck prints %v", k, v, w)
		}
	}
}
