package wire

import (
	"github.com/tributary-gw/tributary/internal/jsonscan"
	"github.com/tributary-gw/tributary/openapi"
)

// possibleTypes returns the object types a value of the abstract type t
// may be: a union's members, an interface's implementations.
func possibleTypes(t *openapi.Type) []string {
	if t.Kind == openapi.KindInterface {
		return t.Implementations
	}
	return t.Members
}

// abstractKind names the kind of an abstract type and of its possible
// types, for errors.
func abstractKind(t *openapi.Type) (kind, member string) {
	if t.Kind == openapi.KindInterface {
		return "interface", "implementation"
	}
	return "union", "member"
}

// appendUnion appends a value of a union or interface as its object type,
// with "__typename". An object is told apart by the discriminator (a value
// that names no possible type is an error), else, when it lacks the
// discriminator property, by shape (an interface lists the base's own
// object type first, so a base object that fits it is typed so); any
// other value goes to the first wrapper member whose "value" field can
// hold it.
func appendUnion(dst []byte, types map[string]*openapi.Type, union *openapi.Type, raw []byte) ([]byte, error) {
	if raw[0] != '{' {
		for _, name := range possibleTypes(union) {
			m := types[name]
			if m != nil && m.Wrapped && len(m.Fields) == 1 && accepts(types, m.Fields[0].Type, raw) {
				return appendWrapped(dst, types, m, raw, true)
			}
		}
		kind, what := abstractKind(union)
		return dst, mismatch("no %s of %s %s holds %s", what, kind, union.Name, shortJSON(raw))
	}
	kind, what := abstractKind(union)
	member, value, found := discriminate(types, union, raw)
	if found && member == nil {
		return dst, mismatch("%s %s has no %s for discriminator %s %q", kind, union.Name, what, union.Discriminator.Property, value)
	}
	if member == nil {
		member = memberByShape(types, union, raw)
	}
	if member == nil {
		return dst, mismatch("no %s of %s %s matches the object %s: none has all its required properties", what, kind, union.Name, shortJSON(raw))
	}
	if member.Wrapped {
		return appendWrapped(dst, types, member, raw, true)
	}
	return appendObject(dst, types, member, raw, true)
}

// discriminate picks the possible type named by the discriminator
// property: its value through Mapping, else a type of that name. found
// reports whether the object has the property; when it does, the type is
// nil only if the value names none.
func discriminate(types map[string]*openapi.Type, union *openapi.Type, raw []byte) (member *openapi.Type, value string, found bool) {
	d := union.Discriminator
	if d == nil {
		return nil, "", false
	}
	it := jsonscan.ObjectMembers(raw)
	for {
		key, v, ok := it.Next()
		if !ok {
			return nil, "", false
		}
		if !jsonscan.StringEquals(key, d.Property) || v[0] != '"' {
			continue
		}
		text := jsonscan.UnquoteBytes(v)
		name, mapped := d.Mapping[string(text)]
		for _, m := range possibleTypes(union) {
			if mapped && m == name || !mapped && m == string(text) {
				return types[m], "", true
			}
		}
		return nil, string(text), true
	}
}

// memberByShape picks the first object member whose required (non-null)
// properties are all present and which declares every property present;
// failing that, the first whose required properties are all present.
func memberByShape(types map[string]*openapi.Type, union *openapi.Type, raw []byte) *openapi.Type {
	var store [32][]byte
	keys := store[:0]
	it := jsonscan.ObjectMembers(raw)
	for {
		key, _, ok := it.Next()
		if !ok {
			break
		}
		keys = append(keys, key)
	}
	var fallback *openapi.Type
	for _, name := range possibleTypes(union) {
		m := types[name]
		if m == nil || m.Kind != openapi.KindObject || m.Wrapped || !hasRequired(m, keys) {
			continue
		}
		if declaresAll(m, keys) {
			return m
		}
		if fallback == nil {
			fallback = m
		}
	}
	if fallback != nil {
		return fallback
	}
	// An object may still be the value of a wrapper member (a JSON or
	// free-form object schema among the union's alternatives).
	for _, name := range possibleTypes(union) {
		m := types[name]
		if m != nil && m.Wrapped && len(m.Fields) == 1 && accepts(types, m.Fields[0].Type, raw) {
			return m
		}
	}
	return nil
}

// hasRequired reports whether every non-null field of m is among keys.
func hasRequired(m *openapi.Type, keys [][]byte) bool {
	for _, f := range m.Fields {
		if f.Type == nil || !f.Type.NonNull {
			continue
		}
		found := false
		for _, k := range keys {
			if jsonscan.StringEquals(k, f.JSON) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// declaresAll reports whether m declares a field for every key.
func declaresAll(m *openapi.Type, keys [][]byte) bool {
	hint := 0
	for _, k := range keys {
		f, next := fieldByJSON(m, k, hint)
		if f == nil {
			return false
		}
		hint = next
	}
	return true
}

// accepts reports whether a value of type t can hold the JSON value raw,
// judged by its JSON kind only.
func accepts(types map[string]*openapi.Type, t *openapi.TypeRef, raw []byte) bool {
	if t == nil {
		return true
	}
	c := raw[0]
	if t.Elem != nil {
		return c == '['
	}
	number := c == '-' || '0' <= c && c <= '9'
	switch t.Named {
	case "String", "ID":
		return c == '"'
	case "Int", "Float":
		return number
	case "Boolean":
		return c == 't' || c == 'f'
	}
	typ := types[t.Named]
	if typ == nil {
		return true // JSON, BigInt, DateTime and other scalars
	}
	switch typ.Kind {
	case openapi.KindEnum:
		for _, ev := range typ.EnumValues {
			if wireEquals(raw, ev.Wire) {
				return true
			}
		}
		return false
	case openapi.KindObject, openapi.KindUnion, openapi.KindInterface:
		return c == '{'
	case openapi.KindScalar:
		return true
	default:
		return false
	}
}
