package openapi

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// mergeAllOf merges an allOf schema into one schema: the members in order,
// then the schema's own keywords. Properties are united; when two define
// the same property with different types, the later one wins and a warning
// says so. required lists are united; the first type, format, items,
// description and discriminator found are kept.
func (c *converter) mergeAllOf(s *openapi3.Schema, pointer string) *openapi3.Schema {
	if m, ok := c.merged[s]; ok {
		return m // also breaks allOf cycles: a member met again adds nothing
	}
	out := &openapi3.Schema{Properties: openapi3.Schemas{}}
	c.merged[s] = out
	for i, m := range s.AllOf {
		if m == nil || m.Value == nil {
			continue
		}
		v := m.Value
		if len(v.AllOf) > 0 {
			v = c.mergeAllOf(v, fmt.Sprintf("%s/allOf/%d", pointer, i))
		}
		c.mergeInto(out, v, fmt.Sprintf("%s/allOf/%d", pointer, i))
	}
	own := *s
	own.AllOf = nil
	c.mergeInto(out, &own, pointer)
	if s.Description != "" {
		out.Description = s.Description
	}
	out.Nullable = s.Nullable
	return out
}

// mergeInto adds the keywords of v to out.
func (c *converter) mergeInto(out, v *openapi3.Schema, pointer string) {
	names := make([]string, 0, len(v.Properties))
	for name := range v.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		prop := v.Properties[name]
		if prop == nil {
			continue
		}
		if old, ok := out.Properties[name]; ok && conflicting(old, prop) {
			c.warn(pointer+"/properties/"+escapePointer(name), fmt.Sprintf("allOf members define property %q with different types; the later definition wins", name))
		}
		out.Properties[name] = prop
	}
	out.Required = append(out.Required, v.Required...)
	if out.Type == nil {
		out.Type = v.Type
	}
	if out.Format == "" {
		out.Format = v.Format
	}
	if out.Items == nil {
		out.Items = v.Items
	}
	if out.Description == "" {
		out.Description = v.Description
	}
	if out.Discriminator == nil {
		out.Discriminator = v.Discriminator
	}
	if len(out.Enum) == 0 {
		out.Enum = v.Enum
	}
	if out.Const == nil {
		out.Const = v.Const
	}
	if len(out.OneOf) == 0 && len(out.AnyOf) == 0 {
		out.OneOf, out.AnyOf = v.OneOf, v.AnyOf
	}
	if out.AdditionalProperties.Has == nil && out.AdditionalProperties.Schema == nil {
		out.AdditionalProperties = v.AdditionalProperties
	}
	out.ReadOnly = out.ReadOnly || v.ReadOnly
	out.WriteOnly = out.WriteOnly || v.WriteOnly
}

// conflicting reports whether two definitions of one property disagree on
// their type (the same $ref, or the same types, do not).
func conflicting(a, b *openapi3.SchemaRef) bool {
	if a == nil || b == nil || a == b || a.Ref != "" && a.Ref == b.Ref || a.Value == b.Value {
		return false
	}
	if a.Value == nil || b.Value == nil {
		return false
	}
	return strings.Join(nonNullTypes(a.Value), ",") != strings.Join(nonNullTypes(b.Value), ",")
}
