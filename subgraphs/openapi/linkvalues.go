package openapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	oas "github.com/tributary-gw/tributary/openapi"
)

// The values of link expressions, and the wire form of GraphQL values that
// expressions read from.

// evalLinkValue evaluates a link value against the parent object's wire
// JSON and the origin request; ok is false when an expression selects
// nothing.
func evalLinkValue(expr string, parent map[string]any, origin *linkOrigin) (any, bool) {
	lv, err := oas.ParseLinkValue(expr)
	if err != nil {
		return nil, false
	}
	if lv.Whole != nil {
		return evalExpression(*lv.Whole, parent, origin)
	}
	var b strings.Builder
	for _, p := range lv.Parts {
		if p.Expr == nil {
			b.WriteString(p.Text)
			continue
		}
		v, ok := evalExpression(*p.Expr, parent, origin)
		if !ok {
			return nil, false
		}
		b.WriteString(valueText(v))
	}
	return b.String(), true
}

func evalExpression(e oas.Expression, parent map[string]any, origin *linkOrigin) (any, bool) {
	switch e.Source {
	case oas.SourceResponseBody:
		return pointerValue(parent, e.Pointer)
	case oas.SourceRequestBody:
		if origin == nil || !origin.HasBody {
			return nil, false
		}
		return pointerValue(origin.Body, e.Pointer)
	default:
		if origin == nil {
			return nil, false
		}
		v, ok := origin.Params[originKey(strings.TrimPrefix(string(e.Source), "request."), e.Name)]
		return v, ok
	}
}

// pointerValue follows JSON pointer tokens through a decoded value.
func pointerValue(v any, tokens []string) (any, bool) {
	for _, tok := range tokens {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) || strconv.Itoa(i) != tok {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, v != nil
}

// valueText is a value's text in a template: strings as they are, other
// values as JSON.
func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func decodeJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

// wireObject rebuilds the wire form of a GraphQL object of type typ, for
// values whose wire JSON is not at hand (entities): fields under their JSON
// names, enum names as wire values. Properties the spec does not declare
// are not in the GraphQL value, so a link pointer to one selects nothing.
func wireObject(types map[string]*oas.Type, typ *oas.Type, obj map[string]any) map[string]any {
	out := make(map[string]any, len(obj))
	for _, f := range typ.Fields {
		if v, ok := obj[f.Name]; ok && f.JSON != "" {
			out[f.JSON] = wireOutput(types, f.Type, v)
		}
	}
	return out
}

func wireOutput(types map[string]*oas.Type, t *oas.TypeRef, v any) any {
	if v == nil || t == nil {
		return v
	}
	if t.Elem != nil {
		items, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(items))
		for i, item := range items {
			out[i] = wireOutput(types, t.Elem, item)
		}
		return out
	}
	typ := types[t.Named]
	if typ == nil {
		return v
	}
	switch typ.Kind {
	case oas.KindEnum:
		if name, ok := v.(string); ok {
			for _, ev := range typ.EnumValues {
				if ev.Name == name {
					return ev.Wire
				}
			}
		}
	case oas.KindUnion, oas.KindInterface, oas.KindObject:
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		if typ.Kind != oas.KindObject {
			name, _ := obj["__typename"].(string)
			if typ = types[name]; typ == nil {
				return v
			}
		}
		if typ.Wrapped && len(typ.Fields) == 1 {
			return wireOutput(types, typ.Fields[0].Type, obj[typ.Fields[0].Name])
		}
		return wireObject(types, typ, obj)
	}
	return v
}
