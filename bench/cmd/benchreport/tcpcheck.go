package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// A Check is the part of `tcpcheck -json` the report shows: the verdict,
// the world it checked and what the search cost.
type Check struct {
	Verdict string `json:"verdict"`
	Table   string `json:"table"`
	Stats   struct {
		States          int64   `json:"states"`
		Transitions     int64   `json:"transitions"`
		Depth           int     `json:"depth"`
		Complete        bool    `json:"complete"`
		Workers         int     `json:"workers"`
		Seconds         float64 `json:"seconds"`
		StatesPerSecond float64 `json:"states_per_second"`
		MemoryBytes     int64   `json:"memory_bytes"`
		BytesPerState   float64 `json:"bytes_per_state"`
		PeakBytes       int64   `json:"peak_bytes"`
		SysBytes        int64   `json:"sys_bytes"`
	} `json:"stats"`
	// Config is the world as "name=value" pairs in tcpcheck's order.
	Config []string `json:"-"`
}

// ParseCheck reads the JSON that `tcpcheck -json` prints.
func ParseCheck(r io.Reader) (*Check, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var c Check
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("want tcpcheck -json output: %v", err)
	}
	if c.Verdict == "" || c.Stats.States == 0 {
		return nil, fmt.Errorf("want tcpcheck -json output with a verdict and states, found verdict %q and %d states", c.Verdict, c.Stats.States)
	}
	var raw struct {
		Config json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if c.Config, err = orderedPairs(raw.Config); err != nil {
		return nil, fmt.Errorf("tcpcheck config: %v", err)
	}
	return &c, nil
}

// orderedPairs renders a JSON object's members as "name=value" in the
// order they appear; a string value loses its quotes, any other value is
// its compact JSON.
func orderedPairs(obj json.RawMessage) ([]string, error) {
	if len(obj) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("want an object, found %.20s", obj)
	}
	var pairs []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, value); err != nil {
			return nil, err
		}
		pairs = append(pairs, fmt.Sprintf("%v=%s", t, strings.Trim(buf.String(), `"`)))
	}
	return pairs, nil
}
