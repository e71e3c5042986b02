package tcpworld

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/synfin/synfin/tcpfsm"
)

// A Setting describes one setting of a configuration (its name, what it
// means, its range, its unit) and is bound to the variable that holds it,
// whose value is the setting's default when the variable starts out at
// one. Config.Settings lists the world's settings; tcpcheck registers a
// flag for each and describes its own flags the same way. Config's
// String, Validate and JSON form, tcpcheck's flags, its -h and the list
// of flags in its manual are all made from these lists, so that each
// setting is described in one place.
type Setting struct {
	// Name is the flag and the key in String and in JSON: "capacity".
	Name string
	// Arg names the flag's value in usage lines: "N", "A,B"; "" for a
	// switch.
	Arg string
	// Group is the part of tcpcheck's manual that lists the flag:
	// "network", "endpoints", ...
	Group string
	// Usage says what the setting means, as a phrase.
	Usage string
	// Unit is what a number counts, written after its range: "bytes".
	Unit string
	// Min and Max bound a number, and each number of a pair.
	Min, Max int64
	// Zero says what a number's 0 stands for, when it is not plain
	// none: "no limit", "tcpfsm's default".
	Zero string
	// ZeroMeans, when not 0, is the number that 0 stands for; String and
	// JSON show it in place of 0.
	ZeroMeans int64
	// Note says more, for -h and the manual.
	Note string
	// Var is the variable: a *bool (a switch, on or off), an *int or a
	// *uint32 (a number), a *[2]tcpfsm.Seq (a pair of numbers), an
	// *OpenMode (one of its names) or a *string (any text).
	Var any
}

// NoMax is the Max of a number that has no upper bound but its type's.
const NoMax = math.MaxInt

// IsSwitch reports whether the setting is on or off, a flag that needs no
// value.
func (s *Setting) IsSwitch() bool {
	_, ok := s.Var.(*bool)
	return ok
}

// Set sets the variable from text as a flag gives it ("true", "3",
// "100,300", "any"), or reports what it wanted and what it found.
func (s *Setting) Set(text string) error {
	switch p := s.Var.(type) {
	case *bool:
		v, err := strconv.ParseBool(text)
		if err != nil {
			return fmt.Errorf("%s %q: want true or false", s.Name, text)
		}
		*p = v
	case *string:
		*p = text
	case *OpenMode:
		m, err := ParseOpenMode(text)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		*p = m
	case *[2]tcpfsm.Seq:
		a, b, ok := strings.Cut(text, ",")
		x, errA := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
		y, errB := strconv.ParseInt(strings.TrimSpace(b), 10, 64)
		if !ok || errA != nil || errB != nil || !s.inRange(x) || !s.inRange(y) {
			return fmt.Errorf("%s %q: want two numbers, each %s, as 100,300", s.Name, text, s.rangeText())
		}
		*p = [2]tcpfsm.Seq{tcpfsm.Seq(x), tcpfsm.Seq(y)}
	default:
		n, err := strconv.ParseInt(text, 0, 64)
		if err != nil {
			return fmt.Errorf("%s %q: want a whole number, %s", s.Name, text, s.rangeText())
		}
		return s.setNumber(n)
	}
	return nil
}

// Check reports a value outside the setting's range.
func (s *Setting) Check() error {
	switch p := s.Var.(type) {
	case *bool, *string:
	case *OpenMode:
		if int(*p) >= len(openNames) {
			return fmt.Errorf("%s %d: unknown open mode (want %s)", s.Name, *p, openList)
		}
	case *[2]tcpfsm.Seq:
		for _, v := range p {
			if !s.inRange(int64(v)) {
				return s.rangeError(int64(v))
			}
		}
	default:
		if n := s.number(); !s.inRange(n) {
			return s.rangeError(n)
		}
	}
	return nil
}

// Text is the value as Config.String writes it: "on", "3", "65535" for a
// window of 0, "100,300", "any".
func (s *Setting) Text() string {
	switch p := s.Var.(type) {
	case *bool:
		if *p {
			return "on"
		}
		return "off"
	case *[2]tcpfsm.Seq:
		return fmt.Sprintf("%d,%d", p[0], p[1])
	case *int, *uint32:
		return strconv.FormatInt(s.shown(), 10)
	}
	return s.FlagText()
}

// FlagText is the value as a flag would give it: "true", "0", "100,300".
func (s *Setting) FlagText() string {
	switch p := s.Var.(type) {
	case *bool:
		return strconv.FormatBool(*p)
	case *string:
		return *p
	case *OpenMode:
		return p.String()
	case *[2]tcpfsm.Seq:
		return s.Text()
	}
	return strconv.FormatInt(s.number(), 10)
}

// Help says what the setting means, its range, its default (the value the
// variable holds) and the note: what -h and the manual print for a flag.
func (s *Setting) Help() string {
	var b strings.Builder
	b.WriteString(s.Usage)
	switch s.Var.(type) {
	case *bool:
		fmt.Fprintf(&b, " (default %s)", s.FlagText())
	case *string:
		if d := s.FlagText(); d != "" {
			fmt.Fprintf(&b, " (default %q)", d)
		}
	case *OpenMode:
		fmt.Fprintf(&b, ": %s (default %s)", openList, s.FlagText())
	case *[2]tcpfsm.Seq:
		fmt.Fprintf(&b, ", each %s (default %s)", s.rangeText(), s.FlagText())
	default:
		fmt.Fprintf(&b, ", %s (default %s", s.rangeText(), s.FlagText())
		switch {
		case s.number() == 0 && s.Zero != "":
			fmt.Fprintf(&b, ": %s", s.zeroText())
		case s.Zero != "":
			fmt.Fprintf(&b, "; 0: %s", s.zeroText())
		}
		b.WriteString(")")
	}
	if s.Note != "" {
		b.WriteString("; " + s.Note)
	}
	return b.String()
}

func (s *Setting) zeroText() string {
	if s.ZeroMeans != 0 {
		return fmt.Sprintf("%s, %d", s.Zero, s.ZeroMeans)
	}
	return s.Zero
}

// rangeText is a number's range with its unit: "1 to 6 segments", "0 or
// more".
func (s *Setting) rangeText() string {
	r := fmt.Sprintf("%d to %d", s.Min, s.Max)
	if s.Max == NoMax {
		r = fmt.Sprintf("%d or more", s.Min)
	}
	if s.Unit != "" {
		r += " " + s.Unit
	}
	return r
}

func (s *Setting) inRange(n int64) bool { return n >= s.Min && n <= s.Max }

func (s *Setting) rangeError(n int64) error {
	return fmt.Errorf("%s %d out of range: want %s", s.Name, n, s.rangeText())
}

// number is the value of a number setting.
func (s *Setting) number() int64 {
	switch p := s.Var.(type) {
	case *int:
		return int64(*p)
	case *uint32:
		return int64(*p)
	}
	panic(s.badVar())
}

// shown is a number as String and JSON show it: 0 as the number it
// stands for.
func (s *Setting) shown() int64 {
	if n := s.number(); n != 0 || s.ZeroMeans == 0 {
		return n
	}
	return s.ZeroMeans
}

func (s *Setting) setNumber(n int64) error {
	if !s.inRange(n) {
		return s.rangeError(n)
	}
	switch p := s.Var.(type) {
	case *int:
		*p = int(n)
	case *uint32:
		*p = uint32(n)
	default:
		panic(s.badVar())
	}
	return nil
}

func (s *Setting) badVar() string {
	return fmt.Sprintf("tcpworld: setting %s holds a %T, not a *bool, *int, *uint32, *[2]tcpfsm.Seq, *OpenMode or *string", s.Name, s.Var)
}

// jsonValue is the value in JSON: a bool, a number (0 as the number it
// stands for), a pair of numbers or a string.
func (s *Setting) jsonValue() any {
	switch p := s.Var.(type) {
	case *bool:
		return *p
	case *[2]tcpfsm.Seq:
		return [2]uint32{uint32(p[0]), uint32(p[1])}
	case *int, *uint32:
		return s.shown()
	}
	return s.FlagText()
}

// setJSON sets the variable from its JSON form.
func (s *Setting) setJSON(raw json.RawMessage) error {
	var err error
	switch p := s.Var.(type) {
	case *bool:
		err = json.Unmarshal(raw, p)
	case *[2]tcpfsm.Seq:
		var v [2]uint32
		if err = json.Unmarshal(raw, &v); err == nil {
			*p = [2]tcpfsm.Seq{tcpfsm.Seq(v[0]), tcpfsm.Seq(v[1])}
		}
	case *int, *uint32:
		var n int64
		if err = json.Unmarshal(raw, &n); err == nil {
			return s.setNumber(n)
		}
	default:
		var text string
		if err = json.Unmarshal(raw, &text); err == nil {
			return s.Set(text)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %v", s.Name, err)
	}
	return nil
}

// MarshalSettings writes the settings as one JSON object, a key for each
// in order: {"loss": true, "dup": 1, "iss": [100, 300], "open": "any"}.
func MarshalSettings(settings []Setting) ([]byte, error) {
	b := []byte{'{'}
	for i := range settings {
		if i > 0 {
			b = append(b, ',')
		}
		v, err := json.Marshal(settings[i].jsonValue())
		if err != nil {
			return nil, err
		}
		b = strconv.AppendQuote(b, settings[i].Name)
		b = append(b, ':')
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// UnmarshalSettings sets the settings from a JSON object that
// MarshalSettings wrote. Keys it does not name are ignored, and settings
// the object lacks keep their values.
func UnmarshalSettings(data []byte, settings []Setting) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return err
	}
	for i := range settings {
		if raw, ok := obj[settings[i].Name]; ok {
			if err := settings[i].setJSON(raw); err != nil {
				return err
			}
		}
	}
	return nil
}
