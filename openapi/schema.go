package openapi

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// mode says which side of the API a schema is converted for: output types
// are objects and unions; input types are input objects and @oneOf inputs.
// Multipart input is input where binary strings are file uploads.
type mode int

const (
	modeOutput mode = iota
	modeInput
	modeMultipart
)

// place is where a schema is met: the base for naming it if it needs a
// named type of its own, the JSON pointer for warnings, and the mode.
type place struct {
	base    string
	pointer string
	mode    mode
	// ref is the component $ref when the schema is a component: its type
	// takes the component's reserved name.
	ref string
}

// cacheKey identifies one conversion of a schema: component schemas by
// their $ref (kin-openapi copies a schema that has 3.1 $ref siblings),
// inline schemas by identity.
type cacheKey struct {
	ref  string
	ptr  *openapi3.Schema
	mode mode
}

// Scalars the converter defines, with the descriptions printed in the SDL.
var customScalars = map[string]string{
	"JSON":     "Any JSON value: free-form objects, maps and schemas without a type.",
	"DateTime": "An RFC 3339 date-time string (format: date-time).",
	"Date":     "An RFC 3339 full-date string (format: date).",
	"BigInt":   "A 64-bit integer (format: int64), sent as a JSON number; accepted as a number or a numeric string.",
	"Upload":   "A file sent with the GraphQL multipart request spec (format: binary in multipart bodies).",
}

// typeOf returns the GraphQL type of sr, never non-null at the top, and
// whether the schema admits null.
func (c *converter) typeOf(sr *openapi3.SchemaRef, p place) (*TypeRef, bool) {
	if sr == nil || sr.Value == nil {
		return c.scalar("JSON"), true
	}
	s := sr.Value
	nullable := admitsNull(s)
	key := cacheKey{ptr: s, mode: p.mode}
	if base, ok := c.componentBase[sr.Ref]; ok {
		key = cacheKey{ref: sr.Ref, mode: p.mode}
		p.base, p.ref, p.pointer = base, sr.Ref, sr.Ref
	}
	if len(s.Enum) > 0 || s.Const != nil {
		key.mode = modeOutput // an enum is the same type both ways
	}
	if t, ok := c.cache[key]; ok {
		return t, nullable
	}
	if p.mode == modeOutput && c.extendsBase(p.ref) {
		// The bases first: they convert their descendants too, and the
		// property types they share are named for the base.
		c.buildBases(p.ref)
		if t, ok := c.cache[key]; ok {
			return t, nullable
		}
	}
	if c.building[key] {
		c.warn(p.pointer, "the schema contains itself through arrays, aliases or allOf only; typed JSON")
		return c.scalar("JSON"), nullable
	}
	c.building[key] = true
	var t *TypeRef
	if p.mode == modeOutput && c.isBase(p.ref) {
		t = c.polymorphic(s, p, key)
	} else {
		t = c.build(s, p, key)
	}
	delete(c.building, key)
	c.cache[key] = t
	return t, nullable
}

// build converts one schema after the cache missed.
func (c *converter) build(s *openapi3.Schema, p place, key cacheKey) *TypeRef {
	if len(s.AllOf) > 0 {
		subtype := p.mode == modeOutput && c.extendsBase(p.ref)
		// A schema that extends a discriminated base is a type of its own
		// even when it adds nothing: its name is a discriminator value.
		if m := soleMember(s, s.AllOf); m != nil && !subtype {
			t, _ := c.typeOf(m, p)
			return t
		}
		merged := c.mergeAllOf(s, p.pointer)
		if subtype && merged.Description != s.Description {
			own := *merged // the base's description would be wrong here
			own.Description = s.Description
			merged = &own
		}
		return c.build(merged, p, key)
	}
	if alts, field := alternatives(s); len(alts) > 0 && !constraintsOnly(alts) {
		members := make([]*openapi3.SchemaRef, 0, len(alts))
		for _, m := range alts {
			if m != nil && m.Value != nil && !isNullType(m.Value) {
				members = append(members, m)
			}
		}
		if len(members) == 1 && len(s.Properties) == 0 {
			t, _ := c.typeOf(members[0], p)
			return t
		}
		if len(members) == 0 {
			return c.scalar("JSON")
		}
		if len(s.Properties) > 0 {
			c.warn(p.pointer, fmt.Sprintf("the properties next to %s are ignored; only the alternatives are typed", field))
		}
		if p.mode == modeOutput {
			return c.union(s, members, p, key)
		}
		return c.oneOfInput(members, p, key)
	}
	if len(s.Enum) > 0 || s.Const != nil {
		return c.enum(s, p, key)
	}
	types := nonNullTypes(s)
	switch {
	case len(types) > 1:
		return c.scalar("JSON")
	case len(types) == 0 && len(s.Properties) > 0, len(types) == 1 && types[0] == openapi3.TypeObject:
		return c.object(s, p, key)
	case len(types) == 0:
		if s.Items != nil {
			return c.list(s, p)
		}
		return c.scalar("JSON")
	}
	switch types[0] {
	case openapi3.TypeArray:
		return c.list(s, p)
	case openapi3.TypeString:
		switch {
		case s.Format == "date-time":
			return c.scalar("DateTime")
		case s.Format == "date":
			return c.scalar("Date")
		case p.mode == modeMultipart && isBinary(s):
			return c.scalar("Upload")
		}
		return &TypeRef{Named: "String"}
	case openapi3.TypeInteger:
		if s.Format == "int64" {
			return c.scalar("BigInt")
		}
		return &TypeRef{Named: "Int"}
	case openapi3.TypeNumber:
		return &TypeRef{Named: "Float"}
	case openapi3.TypeBoolean:
		return &TypeRef{Named: "Boolean"}
	}
	return c.scalar("JSON")
}

// list converts an array schema; items are non-null unless they admit null.
func (c *converter) list(s *openapi3.Schema, p place) *TypeRef {
	if s.Items == nil {
		return &TypeRef{Elem: &TypeRef{Named: "JSON", NonNull: false}}
	}
	item, nullable := c.typeOf(s.Items, place{base: p.base + "Item", pointer: p.pointer + "/items", mode: p.mode})
	return &TypeRef{Elem: nonNull(item, !nullable)}
}

// object converts an object schema with properties to an object or input
// object. Objects without properties are free-form: JSON.
func (c *converter) object(s *openapi3.Schema, p place, key cacheKey) *TypeRef {
	wires := propertyNames(s, p.mode)
	if len(wires) == 0 {
		return c.scalar("JSON")
	}
	t := &Type{Name: c.typeName(p, p.mode != modeOutput), Kind: KindObject, Description: s.Description}
	if p.mode != modeOutput {
		t.Kind = KindInputObject
	}
	ref := &TypeRef{Named: t.Name}
	c.cache[key] = ref // before the fields: a property may refer back to this type
	c.addType(t)
	c.addFields(t, s, wires, p)
	return ref
}

// propertyNames returns the sorted wire names of the properties that are
// fields in mode: readOnly ones are left out of inputs, writeOnly ones out
// of outputs.
func propertyNames(s *openapi3.Schema, m mode) []string {
	wires := make([]string, 0, len(s.Properties))
	for name, prop := range s.Properties {
		if prop == nil || prop.Value == nil {
			continue
		}
		if m == modeOutput && prop.Value.WriteOnly || m != modeOutput && prop.Value.ReadOnly {
			continue
		}
		wires = append(wires, name)
	}
	sort.Strings(wires)
	return wires
}

// addFields adds a field to t for each of the properties wires of s.
func (c *converter) addFields(t *Type, s *openapi3.Schema, wires []string, p place) {
	required := make(map[string]bool, len(s.Required))
	for _, r := range s.Required {
		required[r] = true
	}
	names := c.memberNames(wires, "field", p.pointer+"/properties")
	for i, wire := range wires {
		prop := s.Properties[wire]
		ft, nullable := c.typeOf(prop, place{base: p.base + pascalOr(wire, "Field"), pointer: p.pointer + "/properties/" + escapePointer(wire), mode: p.mode})
		t.Fields = append(t.Fields, &Field{
			Name:        names[i],
			JSON:        wire,
			Type:        nonNull(ft, required[wire] && !nullable),
			Description: prop.Value.Description,
		})
	}
}

// memberNames names fields or arguments from wire names: valid names are
// kept and claimed first, so that a sanitized name never takes a real
// one's place; collisions get suffixes with a warning.
func (c *converter) memberNames(wires []string, fallback, pointer string) []string {
	out := make([]string, len(wires))
	n := newNamer()
	for pass := 0; pass < 2; pass++ {
		for i, w := range wires {
			if isName(w) != (pass == 0) {
				continue
			}
			want := memberName(w, fallback)
			out[i] = n.unique(want)
			if out[i] != want {
				c.warn(pointer+"/"+escapePointer(w), fmt.Sprintf("%q is named %s, as %s is taken by another member", w, out[i], want))
			}
		}
	}
	return out
}

// enum converts an enum (or a 3.1 const) of strings, numbers or booleans.
// null entries make the type nullable instead.
func (c *converter) enum(s *openapi3.Schema, p place, key cacheKey) *TypeRef {
	values := s.Enum
	if len(values) == 0 {
		values = []any{s.Const}
	}
	seen := map[string]bool{}
	var kept []any
	for _, v := range values {
		switch v.(type) {
		case nil:
			continue
		case string, float64, bool:
		default:
			c.warn(p.pointer+"/enum", "enum values that are objects or arrays cannot be GraphQL enum values; typed JSON")
			return c.scalar("JSON")
		}
		id := fmt.Sprintf("%T:%v", v, v)
		if !seen[id] {
			seen[id] = true
			kept = append(kept, v)
		}
	}
	if len(kept) == 0 {
		return c.scalar("JSON")
	}
	t := &Type{Name: c.typeName(p, false), Kind: KindEnum, Description: s.Description}
	n := newNamer()
	for _, v := range kept {
		t.EnumValues = append(t.EnumValues, &EnumValue{Name: n.unique(enumValueName(v)), Wire: v})
	}
	c.addType(t)
	ref := &TypeRef{Named: t.Name}
	c.cache[key] = ref
	return ref
}

// typeName names the type for a schema at p: a component's reserved name
// (plus "Input" for input objects), or a new unique name from p.base.
func (c *converter) typeName(p place, input bool) string {
	if p.ref != "" && !input {
		return c.opts.TypePrefix + p.base
	}
	base := p.base
	if base == "" {
		base = "Anonymous"
	}
	if input {
		base += "Input"
	}
	return c.names.unique(c.opts.TypePrefix + base)
}

// scalar returns a named scalar type, recording custom scalars as used.
func (c *converter) scalar(name string) *TypeRef {
	if _, custom := customScalars[name]; custom && c.types[name] == nil {
		c.types[name] = &Type{Name: name, Kind: KindScalar, Description: customScalars[name]}
	}
	return &TypeRef{Named: name}
}

func (c *converter) addType(t *Type) { c.types[t.Name] = t }

// nonNull returns t with NonNull set to on, copying it: cached TypeRefs
// are shared and must not change.
func nonNull(t *TypeRef, on bool) *TypeRef {
	if t.NonNull == on {
		return t
	}
	cp := *t
	cp.NonNull = on
	return &cp
}

// admitsNull reports whether null is a valid instance: nullable (3.0), a
// "null" type (3.1), a null enum entry, or a null alternative.
func admitsNull(s *openapi3.Schema) bool {
	if s.Nullable || s.Type.Includes(openapi3.TypeNull) {
		return true
	}
	for _, v := range s.Enum {
		if v == nil {
			return true
		}
	}
	alts, _ := alternatives(s)
	for _, a := range alts {
		if a != nil && a.Value != nil && isNullType(a.Value) {
			return true
		}
	}
	return false
}

func isNullType(s *openapi3.Schema) bool {
	return s.Type != nil && len(*s.Type) == 1 && (*s.Type)[0] == openapi3.TypeNull
}

// nonNullTypes returns the schema's types without "null".
func nonNullTypes(s *openapi3.Schema) []string {
	if s.Type == nil {
		return nil
	}
	out := make([]string, 0, len(*s.Type))
	for _, t := range *s.Type {
		if t != openapi3.TypeNull {
			out = append(out, t)
		}
	}
	return out
}

func isBinary(s *openapi3.Schema) bool {
	if s.Format == "binary" {
		return true
	}
	return s.ContentMediaType != "" && s.ContentEncoding == "" && !strings.HasPrefix(s.ContentMediaType, "text/")
}

// alternatives returns oneOf, or else anyOf, and which it was.
func alternatives(s *openapi3.Schema) (openapi3.SchemaRefs, string) {
	if len(s.OneOf) > 0 {
		return s.OneOf, "oneOf"
	}
	return s.AnyOf, "anyOf"
}

// constraintsOnly reports whether the alternatives only add constraints
// to the schema around them (oneOf: [{required: [a]}, {required: [b]}]),
// rather than being types of their own.
func constraintsOnly(alts openapi3.SchemaRefs) bool {
	for _, a := range alts {
		if a == nil || a.Value == nil {
			continue
		}
		v := a.Value
		if a.Ref != "" || v.Type != nil || len(v.Properties) > 0 || v.Items != nil || len(v.AllOf)+len(v.OneOf)+len(v.AnyOf) > 0 || len(v.Enum) > 0 || v.Const != nil {
			return false
		}
	}
	return true
}

// soleMember returns the only member of an allOf that merely names another
// schema (allOf: [$ref], with nullable or a description beside it), or nil.
func soleMember(s *openapi3.Schema, members openapi3.SchemaRefs) *openapi3.SchemaRef {
	if len(members) != 1 || members[0] == nil || len(s.Properties) > 0 || len(s.OneOf)+len(s.AnyOf) > 0 || len(s.Enum) > 0 || len(nonNullTypes(s)) > 0 && !s.Type.Is(openapi3.TypeObject) {
		return nil
	}
	return members[0]
}

// pascalOr is pascalCase with a fallback for names made only of symbols.
func pascalOr(s, fallback string) string {
	if p := pascalCase(s); p != "" {
		return p
	}
	return fallback
}
