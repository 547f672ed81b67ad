package wire

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/tributary-gw/tributary/internal/jsonscan"
	"github.com/tributary-gw/tributary/openapi"
)

// Input converts graphql, a GraphQL input value of type t as JSON, into its
// wire JSON (see appendInput). The runtime uses it for values it needs in
// wire form outside a request, such as the origin of an OpenAPI link.
func Input(t *openapi.TypeRef, types map[string]*openapi.Type, graphql json.RawMessage) (json.RawMessage, error) {
	raw := trimValue(graphql)
	if len(raw) == 0 {
		return json.RawMessage("null"), nil
	}
	out, err := appendInput(nil, types, t, raw)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// appendInput appends the wire JSON of raw, a GraphQL input value of type
// t: enum names become their wire values, input object fields their JSON
// property names (recursively, through lists), a @oneOf input becomes the
// value of its one set field, and scalars (BigInt, DateTime, JSON, Upload…)
// pass through unchanged.
func appendInput(dst []byte, types map[string]*openapi.Type, t *openapi.TypeRef, raw []byte) ([]byte, error) {
	if jsonscan.IsNull(raw) {
		return append(dst, "null"...), nil
	}
	if t == nil {
		return append(dst, raw...), nil
	}
	if t.Elem != nil {
		if raw[0] != '[' {
			// GraphQL input coercion: a single value stands for a list of one.
			dst = append(dst, '[')
			dst, err := appendInput(dst, types, t.Elem, raw)
			return append(dst, ']'), err
		}
		dst = append(dst, '[')
		it := jsonscan.ArrayElements(raw)
		for n := 0; ; n++ {
			elem, ok := it.Next()
			if !ok {
				break
			}
			if n > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendInput(dst, types, t.Elem, elem); err != nil {
				return dst, atIndex(err, n)
			}
		}
		return append(dst, ']'), nil
	}
	typ := types[t.Named]
	if typ == nil {
		return append(dst, raw...), nil
	}
	switch typ.Kind {
	case openapi.KindEnum:
		return appendEnumWire(dst, typ, raw)
	case openapi.KindInputObject:
		if raw[0] != '{' {
			return dst, mismatch("input type %s needs an object, got %s", typ.Name, shortJSON(raw))
		}
		if typ.OneOf {
			return appendOneOfInput(dst, types, typ, raw)
		}
		return appendInputObject(dst, types, typ, raw)
	default:
		return append(dst, raw...), nil
	}
}

// appendInputObject appends an input object with its fields renamed to
// their JSON property names.
func appendInputObject(dst []byte, types map[string]*openapi.Type, typ *openapi.Type, raw []byte) ([]byte, error) {
	dst = append(dst, '{')
	it := jsonscan.ObjectMembers(raw)
	hint := 0
	for n := 0; ; n++ {
		key, value, ok := it.Next()
		if !ok {
			break
		}
		f, next := fieldByName(typ, key, hint)
		if f == nil {
			return dst, mismatch("input type %s has no field %s", typ.Name, key)
		}
		hint = next
		if n > 0 {
			dst = append(dst, ',')
		}
		dst = jsonscan.AppendString(dst, f.JSON)
		dst = append(dst, ':')
		var err error
		if dst, err = appendInput(dst, types, f.Type, value); err != nil {
			return dst, atField(err, f.Name)
		}
	}
	return append(dst, '}'), nil
}

// appendOneOfInput appends the value of the one field set in a @oneOf
// input object, which stands for the whole value on the wire.
func appendOneOfInput(dst []byte, types map[string]*openapi.Type, typ *openapi.Type, raw []byte) ([]byte, error) {
	var (
		set   *openapi.Field
		value []byte
		count int
	)
	it := jsonscan.ObjectMembers(raw)
	for {
		key, v, ok := it.Next()
		if !ok {
			break
		}
		if jsonscan.IsNull(v) {
			continue
		}
		f, _ := fieldByName(typ, key, 0)
		if f == nil {
			return dst, mismatch("input type %s has no field %s", typ.Name, key)
		}
		set, value = f, v
		count++
	}
	if count != 1 {
		return dst, mismatch("@oneOf input type %s needs exactly one field set, got %d", typ.Name, count)
	}
	dst, err := appendInput(dst, types, set.Type, value)
	if err != nil {
		return dst, atField(err, set.Name)
	}
	return dst, nil
}

// fieldByName finds the field whose GraphQL name is the raw JSON key.
// Arguments usually come in declaration order, so the search starts at hint
// and the index after the match is returned as the next hint.
func fieldByName(typ *openapi.Type, key []byte, hint int) (*openapi.Field, int) {
	name := jsonscan.UnquoteBytes(key)
	n := len(typ.Fields)
	for k := 0; k < n; k++ {
		i := hint + k
		if i >= n {
			i -= n
		}
		if f := typ.Fields[i]; string(name) == f.Name {
			return f, i + 1
		}
	}
	return nil, hint
}

// fieldByJSON finds the field whose JSON property name is the raw key,
// searching from hint as fieldByName does: services usually send
// properties in the order their schema declares them.
func fieldByJSON(typ *openapi.Type, key []byte, hint int) (*openapi.Field, int) {
	return fieldWithJSONName(typ, jsonscan.UnquoteBytes(key), hint)
}

// fieldWithJSONName is fieldByJSON for an unquoted, unescaped name.
func fieldWithJSONName(typ *openapi.Type, name []byte, hint int) (*openapi.Field, int) {
	n := len(typ.Fields)
	for k := 0; k < n; k++ {
		i := hint + k
		if i >= n {
			i -= n
		}
		if f := typ.Fields[i]; string(name) == f.JSON {
			return f, i + 1
		}
	}
	return nil, hint
}

// appendEnumWire appends the wire value of the GraphQL enum value named by
// the JSON string raw.
func appendEnumWire(dst []byte, typ *openapi.Type, raw []byte) ([]byte, error) {
	if raw[0] != '"' {
		return dst, mismatch("enum %s needs a value name, got %s", typ.Name, shortJSON(raw))
	}
	for _, ev := range typ.EnumValues {
		if jsonscan.StringEquals(raw, ev.Name) {
			return appendWireScalar(dst, typ, ev)
		}
	}
	return dst, mismatch("enum %s has no value %s", typ.Name, shortJSON(raw))
}

// appendWireScalar appends an enum value's wire value as JSON.
func appendWireScalar(dst []byte, typ *openapi.Type, ev *openapi.EnumValue) ([]byte, error) {
	switch w := ev.Wire.(type) {
	case string:
		return jsonscan.AppendString(dst, w), nil
	case bool:
		return strconv.AppendBool(dst, w), nil
	case float64:
		if math.IsNaN(w) || math.IsInf(w, 0) {
			break
		}
		return strconv.AppendFloat(dst, w, 'f', -1, 64), nil
	case int:
		return strconv.AppendInt(dst, int64(w), 10), nil
	case int64:
		return strconv.AppendInt(dst, w, 10), nil
	case json.Number:
		return append(dst, w...), nil
	case nil:
		return append(dst, "null"...), nil
	}
	return dst, mismatch("enum %s value %s has a wire value of unsupported type %T (want string, number or boolean)", typ.Name, ev.Name, ev.Wire)
}
