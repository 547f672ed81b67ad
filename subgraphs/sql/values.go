package sql

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// bindValue turns a JSON value (an argument, a parent's field) into the
// value bound for column c. JSON null is nil.
func bindValue(d dialect, c *column, raw json.RawMessage) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if c.array {
		var list []any
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("want a list")
		}
		return string(raw), nil // bound as JSON text, cast by the database
	}
	switch c.kind {
	case kindInt:
		// A string is accepted too: another subgraph may key the entity
		// with an ID.
		s, err := numberText(raw)
		if err != nil {
			return nil, fmt.Errorf("want an integer")
		}
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("want an integer, not %q", s)
		}
		return v, nil
	case kindFloat:
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("want a number")
		}
		return v, nil
	case kindBigInt:
		s, err := numberText(raw)
		if err != nil {
			return nil, err
		}
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("want an integer, not %s", s)
		}
		return v, nil
	case kindDecimal:
		s, err := numberText(raw)
		if err != nil {
			return nil, err
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return nil, fmt.Errorf("want a decimal number, not %q", s)
		}
		return s, nil
	case kindBool:
		var v bool
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("want true or false")
		}
		return v, nil
	case kindJSON:
		if !json.Valid(raw) {
			return nil, fmt.Errorf("want a JSON value")
		}
		return string(raw), nil
	case kindDateTime, kindDate:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("want a string")
		}
		return bindTime(d, c.kind, s)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("want a string")
	}
	if c.kind == kindEnum && !validEnum(c, s) {
		return nil, fmt.Errorf("%q is not a value of %s", s, c.scalar)
	}
	return s, nil
}

// bindTime checks a DateTime (RFC 3339) or Date (2006-01-02) and binds
// it: MySQL gets a time.Time (its DATETIME refuses the offset), SQLite
// the text as written (it stores and compares text), PostgreSQL the text.
func bindTime(d dialect, kind valueKind, s string) (any, error) {
	layout := time.RFC3339Nano
	if kind == kindDate {
		layout = time.DateOnly
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		if kind == kindDate {
			return nil, fmt.Errorf("want a date like 2026-01-31, not %q", s)
		}
		return nil, fmt.Errorf("want an RFC 3339 date-time like 2026-01-31T12:00:00Z, not %q", s)
	}
	if d.name() == "mysql" {
		return t.UTC(), nil
	}
	return s, nil
}

// numberText reads a number written as a JSON number or string.
func numberText(raw json.RawMessage) (string, error) {
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("want a number")
		}
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("want a number")
	}
	return n.String(), nil
}

func validEnum(c *column, s string) bool {
	for _, v := range c.enumValues {
		if v == s {
			return true
		}
	}
	return false
}

// appendValue writes a value the driver scanned for column c as JSON.
// Drivers differ (MySQL returns []byte for text, SQLite int64 for
// booleans): each kind accepts what any of the three returns.
func appendValue(dst []byte, c *column, v any) ([]byte, error) {
	if v == nil {
		return append(dst, "null"...), nil
	}
	if c.array {
		return appendJSON(dst, v), nil
	}
	switch c.kind {
	case kindInt, kindFloat:
		switch n := v.(type) {
		case int64:
			return strconv.AppendInt(dst, n, 10), nil
		case float64:
			if math.IsInf(n, 0) || math.IsNaN(n) {
				return append(dst, "null"...), nil
			}
			return strconv.AppendFloat(dst, n, 'g', -1, 64), nil
		case []byte, string:
			s := text(n)
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				return dst, fmt.Errorf("column %s: %q is not a number", c.name, s)
			}
			return append(dst, s...), nil
		}
	case kindBool:
		switch b := v.(type) {
		case bool:
			return strconv.AppendBool(dst, b), nil
		case int64:
			return strconv.AppendBool(dst, b != 0), nil
		case []byte, string:
			s := text(b)
			return strconv.AppendBool(dst, s != "0" && s != "" && s != "f" && s != "false"), nil
		}
	case kindJSON:
		return appendJSON(dst, v), nil
	case kindDateTime, kindDate:
		if t, ok := v.(time.Time); ok {
			if c.kind == kindDate {
				return jsonscan.AppendString(dst, t.Format(time.DateOnly)), nil
			}
			return jsonscan.AppendString(dst, t.UTC().Format(time.RFC3339Nano)), nil
		}
	case kindBigInt, kindDecimal:
		if n, ok := v.(int64); ok {
			return jsonscan.AppendString(dst, strconv.FormatInt(n, 10)), nil
		}
	}
	return jsonscan.AppendString(dst, text(v)), nil
}

// appendJSON writes a JSON column's text as it is, or as a string when it
// is not valid JSON.
func appendJSON(dst []byte, v any) []byte {
	s := text(v)
	if json.Valid([]byte(s)) {
		return append(dst, s...)
	}
	return jsonscan.AppendString(dst, s)
}

// text is a scanned value's text.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
