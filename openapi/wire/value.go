package wire

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tributary-gw/tributary/internal/jsonscan"
	"github.com/tributary-gw/tributary/openapi"
)

// Value converts one wire JSON value of GraphQL type t into its GraphQL
// JSON: object properties are renamed from JSON to GraphQL names (and
// properties the type does not declare dropped), enum wire values become
// GraphQL enum names, union and interface values gain "__typename", and
// numbers are copied digit for digit. Null passes through at any level; the engine
// reports a null in a non-null position at its exact path.
func Value(t *openapi.TypeRef, types map[string]*openapi.Type, wire json.RawMessage) (json.RawMessage, error) {
	raw := trimValue(wire)
	if !validJSON(raw) {
		return nil, fmt.Errorf("openapi/wire: value of type %s: %s", t.String(), syntaxError(raw))
	}
	out, err := appendOutput(make([]byte, 0, len(raw)+len(raw)/8), types, t, raw)
	if err != nil {
		return nil, fmt.Errorf("openapi/wire: value of type %s: %w", t.String(), err)
	}
	return out, nil
}

// appendOutput appends the GraphQL JSON of the wire value raw of type t.
func appendOutput(dst []byte, types map[string]*openapi.Type, t *openapi.TypeRef, raw []byte) ([]byte, error) {
	i := jsonscan.SkipSpace(raw, 0)
	if i >= len(raw) {
		return append(dst, "null"...), nil
	}
	dst, _, err := outputAt(dst, types, t, raw, i)
	return dst, err
}

// outputAt appends the GraphQL JSON of the wire value of type t that
// starts at b[i], and returns the index just past it. Walking by position
// reads each byte of a nested value once: descending into a value is also
// how its end is found.
func outputAt(dst []byte, types map[string]*openapi.Type, t *openapi.TypeRef, b []byte, i int) ([]byte, int, error) {
	if i >= len(b) {
		return dst, i, mismatch("a value is missing")
	}
	c := b[i]
	if c == 'n' {
		return append(dst, "null"...), i + len("null"), nil
	}
	if t == nil {
		end := jsonscan.ValueEnd(b, i)
		return append(dst, b[i:end]...), end, nil
	}
	if t.Elem != nil {
		if c != '[' {
			end := jsonscan.ValueEnd(b, i)
			return dst, end, mismatch("type %s needs a list, got %s", t.String(), shortJSON(b[i:end]))
		}
		return listAt(dst, types, t, b, i)
	}
	switch t.Named {
	case "String", "ID", "Int", "Float", "Boolean":
		end := jsonscan.ValueEnd(b, i)
		dst, err := appendBuiltinScalar(dst, t.Named, b[i:end])
		return dst, end, err
	}
	typ := types[t.Named]
	if typ != nil && typ.Kind == openapi.KindObject && !typ.Wrapped && c == '{' {
		return objectAt(dst, types, typ, b, i, false)
	}
	end := jsonscan.ValueEnd(b, i)
	raw := b[i:end]
	var err error
	switch {
	case typ == nil || typ.Kind == openapi.KindScalar:
		dst, err = appendBuiltinScalar(dst, t.Named, raw)
	case typ.Kind == openapi.KindObject && typ.Wrapped:
		dst, err = appendWrapped(dst, types, typ, raw, false)
	case typ.Kind == openapi.KindObject:
		err = mismatch("type %s needs an object, got %s", typ.Name, shortJSON(raw))
	case typ.Kind == openapi.KindEnum:
		dst, err = appendEnumName(dst, typ, raw)
	case typ.Kind == openapi.KindUnion, typ.Kind == openapi.KindInterface:
		dst, err = appendUnion(dst, types, typ, raw)
	default:
		err = mismatch("type %s is an input type and cannot be a result", typ.Name)
	}
	return dst, end, err
}

// listAt appends a list whose "[" is at b[i].
func listAt(dst []byte, types map[string]*openapi.Type, t *openapi.TypeRef, b []byte, i int) ([]byte, int, error) {
	dst = append(dst, '[')
	i = jsonscan.SkipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return append(dst, ']'), i + 1, nil
	}
	for n := 0; i < len(b); n++ {
		if n > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, i, err = outputAt(dst, types, t.Elem, b, i); err != nil {
			return dst, i, atIndex(err, n)
		}
		i = jsonscan.SkipSpace(b, i)
		if i >= len(b) || b[i] != ',' {
			break
		}
		i = jsonscan.SkipSpace(b, i+1)
	}
	return append(dst, ']'), i + 1, nil
}

// objectAt appends an object whose "{" is at b[i], with its properties
// renamed to GraphQL field names and undeclared ones dropped; with
// typename set, "__typename" comes first.
func objectAt(dst []byte, types map[string]*openapi.Type, typ *openapi.Type, b []byte, i int, typename bool) ([]byte, int, error) {
	dst = append(dst, '{')
	n := 0
	if typename {
		dst = append(dst, `"__typename":"`...)
		dst = append(dst, typ.Name...)
		dst = append(dst, '"')
		n++
	}
	i = jsonscan.SkipSpace(b, i+1)
	hint := 0
	for i < len(b) && b[i] == '"' {
		keyEnd, escaped := jsonscan.KeyEnd(b, i)
		if keyEnd-1 <= i {
			break // unterminated; validated input never is
		}
		name := b[i+1 : keyEnd-1]
		if escaped {
			name = []byte(jsonscan.Unquote(b[i:keyEnd]))
		}
		i = jsonscan.SkipSpace(b, keyEnd)
		i = jsonscan.SkipSpace(b, i+1) // past ':'
		f, next := fieldWithJSONName(typ, name, hint)
		if f == nil {
			i = jsonscan.ValueEnd(b, i)
		} else {
			hint = next
			if n > 0 {
				dst = append(dst, ',')
			}
			n++
			dst = append(dst, '"')
			dst = append(dst, f.Name...)
			dst = append(dst, '"', ':')
			var err error
			if dst, i, err = outputAt(dst, types, f.Type, b, i); err != nil {
				return dst, i, atField(err, f.Name)
			}
		}
		i = jsonscan.SkipSpace(b, i)
		if i >= len(b) || b[i] != ',' {
			break
		}
		i = jsonscan.SkipSpace(b, i+1)
	}
	return append(dst, '}'), i + 1, nil
}

// appendObject appends the object raw as objectAt does.
func appendObject(dst []byte, types map[string]*openapi.Type, typ *openapi.Type, raw []byte, typename bool) ([]byte, error) {
	dst, _, err := objectAt(dst, types, typ, raw, jsonscan.SkipSpace(raw, 0), typename)
	return dst, err
}

// appendWrapped appends a wrapper object {"value": v} for a union member
// that is not an object schema.
func appendWrapped(dst []byte, types map[string]*openapi.Type, typ *openapi.Type, raw []byte, typename bool) ([]byte, error) {
	if len(typ.Fields) != 1 {
		return dst, mismatch("wrapper type %s needs exactly one field, has %d", typ.Name, len(typ.Fields))
	}
	f := typ.Fields[0]
	dst = append(dst, '{')
	if typename {
		dst = append(dst, `"__typename":"`...)
		dst = append(dst, typ.Name...)
		dst = append(dst, `",`...)
	}
	dst = append(dst, '"')
	dst = append(dst, f.Name...)
	dst = append(dst, '"', ':')
	dst, err := appendOutput(dst, types, f.Type, raw)
	if err != nil {
		return dst, atField(err, f.Name)
	}
	return append(dst, '}'), nil
}

// appendEnumName appends the GraphQL name of an enum wire value. A wire
// value the enum does not declare is an error, never a silent null.
func appendEnumName(dst []byte, typ *openapi.Type, raw []byte) ([]byte, error) {
	for _, ev := range typ.EnumValues {
		if wireEquals(raw, ev.Wire) {
			dst = append(dst, '"')
			dst = append(dst, ev.Name...)
			return append(dst, '"'), nil
		}
	}
	return dst, mismatch("enum %s has no value for wire value %s", typ.Name, shortJSON(raw))
}

// wireEquals reports whether the JSON value raw equals an enum's wire
// value.
func wireEquals(raw []byte, wire any) bool {
	switch w := wire.(type) {
	case string:
		return raw[0] == '"' && jsonscan.StringEquals(raw, w)
	case bool:
		return string(raw) == strconv.FormatBool(w)
	case float64:
		f, err := strconv.ParseFloat(string(raw), 64)
		return err == nil && raw[0] != '"' && f == w
	case int:
		f, err := strconv.ParseFloat(string(raw), 64)
		return err == nil && raw[0] != '"' && f == float64(w)
	case int64:
		f, err := strconv.ParseFloat(string(raw), 64)
		return err == nil && raw[0] != '"' && f == float64(w)
	case json.Number:
		return string(raw) == string(w)
	}
	return false
}

// appendBuiltinScalar appends a scalar. Lossless coercions are applied where
// REST services commonly differ from their spec: a number for a String or
// ID becomes its digits as a string, and a string holding a number or
// boolean becomes that number or boolean for Int, Float and Boolean. Other
// scalars (BigInt, DateTime, JSON, custom) pass through.
func appendBuiltinScalar(dst []byte, name string, raw []byte) ([]byte, error) {
	c := raw[0]
	switch name {
	case "String", "ID":
		switch {
		case c == '"':
			return append(dst, raw...), nil
		case c == '-' || '0' <= c && c <= '9' || c == 't' || c == 'f':
			dst = append(dst, '"')
			dst = append(dst, raw...)
			return append(dst, '"'), nil
		}
	case "Int":
		if c == '"' {
			s := jsonscan.Unquote(raw)
			if _, err := strconv.ParseInt(s, 10, 64); err == nil {
				return append(dst, s...), nil
			}
		} else if c == '-' || '0' <= c && c <= '9' {
			return append(dst, raw...), nil
		}
	case "Float":
		if c == '"' {
			s := jsonscan.Unquote(raw)
			if s != "" && (s[0] == '-' || '0' <= s[0] && s[0] <= '9') && validJSON([]byte(s)) {
				return append(dst, s...), nil
			}
		} else if c == '-' || '0' <= c && c <= '9' {
			return append(dst, raw...), nil
		}
	case "Boolean":
		if c == 't' || c == 'f' {
			return append(dst, raw...), nil
		}
		if c == '"' {
			if s := jsonscan.Unquote(raw); s == "true" || s == "false" {
				return append(dst, s...), nil
			}
		}
	default:
		return append(dst, raw...), nil
	}
	return dst, mismatch("type %s cannot hold %s", name, shortJSON(raw))
}
