package config

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// scalarValue is a scalar after interpolation.
type scalarValue struct {
	text string
	// raw is the text as written in the file, with its ${VAR} references.
	raw string
	// fromEnv is set when an environment variable supplied part of text; the
	// text may then be a secret and messages show raw instead.
	fromEnv bool
}

// shown is how messages quote the value: as written when it came from the
// environment, so that a secret never reaches a log.
func (s scalarValue) shown() string {
	if s.fromEnv {
		return "the value of " + quoteValue(s.raw)
	}
	return quoteValue(s.text)
}

// scalarText returns node's text with ${VAR} interpolated, or reports why
// there is none (the node is a mapping or list, or names an unset variable).
func (d *decoder) scalarText(node ast.Node, path string, line int) (scalarValue, bool) {
	s, ok := scalarOf(node)
	if !ok {
		d.errorf(line, path, "expected a single value, got %s", nodeKind(node))
		return scalarValue{}, false
	}
	if !s.quotable {
		return scalarValue{text: s.text, raw: s.text}, true
	}
	text, used, err := interpolate(s.text, d.env)
	if err != nil {
		d.errorf(line, path, "%v", err)
		return scalarValue{}, false
	}
	for _, u := range used {
		d.probs.addSecret(u.value, u.name)
	}
	return scalarValue{text: text, raw: s.text, fromEnv: len(used) > 0}, true
}

// decodeScalar stores a string, bool or number.
func (d *decoder) decodeScalar(node ast.Node, v reflect.Value, path string, line int) {
	if _, ok := scalarOf(node); !ok {
		d.mismatch(node, v.Type(), path, line)
		return
	}
	s, ok := d.scalarText(node, path, line)
	if !ok {
		return
	}
	bad := func() { d.errorf(line, path, "expected %s, got %s", typeNoun(v.Type()), s.shown()) }
	switch v.Kind() {
	case reflect.String:
		v.SetString(s.text)
	case reflect.Bool:
		switch s.text {
		case "true", "True", "TRUE":
			v.SetBool(true)
		case "false", "False", "FALSE":
			v.SetBool(false)
		default:
			bad()
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(integerText(s.text), 0, v.Type().Bits())
		switch {
		case isRangeError(err):
			d.errorf(line, path, "%s is out of range: it must be between %d and %d", s.shown(), int64(-1)<<(v.Type().Bits()-1), int64(math.MaxInt64>>(64-v.Type().Bits())))
		case err != nil:
			bad()
		default:
			v.SetInt(n)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(integerText(s.text), 0, v.Type().Bits())
		switch {
		case isRangeError(err):
			d.errorf(line, path, "%s is out of range: it must be between 0 and %d", s.shown(), uint64(math.MaxUint64>>(64-v.Type().Bits())))
		case err != nil:
			bad()
		default:
			v.SetUint(n)
		}
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s.text, v.Type().Bits())
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			bad()
			return
		}
		v.SetFloat(f)
	}
}

// integerText prepares YAML integer text for strconv with base 0: YAML 1.2
// reads "010" as ten, where Go would read octal.
func integerText(s string) string {
	digits := strings.TrimLeft(s, "+-")
	if len(digits) > 1 && digits[0] == '0' && strings.Trim(digits, "0123456789") == "" {
		trimmed := strings.TrimLeft(digits, "0")
		if trimmed == "" {
			trimmed = "0"
		}
		return s[:len(s)-len(digits)] + trimmed
	}
	return s
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// decodeText stores a value that parses its own text: durations and
// encoding.TextUnmarshaler types.
func (d *decoder) decodeText(node ast.Node, v reflect.Value, path string, line int) {
	if _, ok := scalarOf(node); !ok {
		d.mismatch(node, v.Type(), path, line)
		return
	}
	s, ok := d.scalarText(node, path, line)
	if !ok {
		return
	}
	if v.Type() == stdDurationType {
		dur, err := time.ParseDuration(s.text)
		if err != nil {
			d.errorf(line, path, `%s is not a duration (write e.g. "250ms", "10s", "1m")`, s.shown())
			return
		}
		v.SetInt(int64(dur))
		return
	}
	u, ok := v.Addr().Interface().(encoding.TextUnmarshaler)
	if !ok {
		d.unsupported(v.Type(), path, line)
		return
	}
	if err := u.UnmarshalText([]byte(s.text)); err != nil {
		msg := err.Error()
		if s.fromEnv && s.text != "" {
			msg = strings.ReplaceAll(msg, s.text, s.raw)
			msg = fmt.Sprintf("the value of %s is not valid: %s", quoteValue(s.raw), msg)
		}
		d.errorf(line, path, "%s", msg)
	}
}
