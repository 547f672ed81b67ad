package openapi

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// union converts oneOf/anyOf alternatives of an output schema to a union.
// Object members are members as they are; nested unions are flattened;
// any other member (a scalar, list or enum) is wrapped in an object whose
// one field "value" holds it.
func (c *converter) union(s *openapi3.Schema, members openapi3.SchemaRefs, p place, key cacheKey) *TypeRef {
	t := &Type{Name: c.typeName(p, false), Kind: KindUnion, Description: s.Description}
	ref := &TypeRef{Named: t.Name}
	c.cache[key] = ref
	c.addType(t)
	seen := map[string]bool{}
	implicit := map[string]string{} // component name → member type
	for i, m := range members {
		mt, _ := c.typeOf(m, place{base: memberBase(p.base, m, i), pointer: fmt.Sprintf("%s/oneOf/%d", p.pointer, i), mode: modeOutput})
		names := c.unionMembers(mt)
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				t.Members = append(t.Members, n)
			}
		}
		if comp := componentSchemaName(m.Ref); comp != "" && len(names) == 1 {
			implicit[comp] = names[0]
		}
	}
	if d := s.Discriminator; d != nil && d.PropertyName != "" {
		t.Discriminator = c.discriminator(d, implicit, seen, p.pointer, "a member of the union")
	}
	return ref
}

// discriminator resolves a discriminator's mapping to member type names;
// what says what a target must be, for the warning when it is not.
// Explicit mapping entries come first; every component member not named by
// one is also matched by its component name (the implicit mapping).
func (c *converter) discriminator(d *openapi3.Discriminator, implicit map[string]string, members map[string]bool, pointer, what string) *Discriminator {
	out := &Discriminator{Property: d.PropertyName, Mapping: map[string]string{}}
	mapped := map[string]bool{}
	for _, wire := range slices.Sorted(maps.Keys(d.Mapping)) {
		name := ""
		if comp := componentSchemaName(mappingTarget(d, wire)); comp != "" {
			name = implicit[comp]
			mapped[comp] = true
		}
		if name == "" || !members[name] {
			c.warn(pointer+"/discriminator/mapping/"+escapePointer(wire), fmt.Sprintf("mapping %q → %s does not name %s; the entry is ignored", wire, d.Mapping[wire].Ref, what))
			continue
		}
		out.Mapping[wire] = name
	}
	for comp, name := range implicit {
		if _, taken := out.Mapping[comp]; !mapped[comp] && !taken {
			out.Mapping[comp] = name
		}
	}
	return out
}

// mappingTarget returns the $ref a discriminator mapping entry names; a
// bare schema name stands for the component of that name.
func mappingTarget(d *openapi3.Discriminator, wire string) string {
	target := d.Mapping[wire].Ref
	if !strings.Contains(target, "/") {
		target = "#/components/schemas/" + target
	}
	return target
}

// unionMembers returns the object types that stand for t in a union.
func (c *converter) unionMembers(t *TypeRef) []string {
	if t.Named != "" {
		if def := c.types[t.Named]; def != nil {
			switch def.Kind {
			case KindObject:
				return []string{t.Named}
			case KindUnion:
				if len(def.Members) > 0 {
					return def.Members
				}
			case KindInterface:
				if len(def.Implementations) > 0 {
					return def.Implementations
				}
			}
		}
	}
	return []string{c.wrapper(t)}
}

// wrapper returns the object type wrapping a non-object union member:
// StringValue, IntListValue, PetStatusValue… one per wrapped type.
func (c *converter) wrapper(t *TypeRef) string {
	id := t.String()
	if name, ok := c.wrappers[id]; ok {
		return name
	}
	name := c.names.unique(c.opts.TypePrefix + strings.TrimPrefix(pascalOr(typeWords(t), "JSON"), c.opts.TypePrefix) + "Value")
	c.wrappers[id] = name
	c.addType(&Type{
		Name:        name,
		Kind:        KindObject,
		Wrapped:     true,
		Description: "Wraps a " + id + " alternative of a union.",
		Fields:      []*Field{{Name: "value", JSON: "value", Type: nonNull(t, false)}},
	})
	return name
}

// oneOfInput converts oneOf/anyOf alternatives of an input schema to an
// input object with @oneOf: one field per alternative, exactly one set.
func (c *converter) oneOfInput(members openapi3.SchemaRefs, p place, key cacheKey) *TypeRef {
	t := &Type{Name: c.typeName(p, true), Kind: KindInputObject, OneOf: true}
	ref := &TypeRef{Named: t.Name}
	c.cache[key] = ref
	c.addType(t)
	types := make([]*TypeRef, len(members))
	wires := make([]string, len(members))
	for i, m := range members {
		types[i], _ = c.typeOf(m, place{base: memberBase(p.base, m, i), pointer: fmt.Sprintf("%s/oneOf/%d", p.pointer, i), mode: p.mode})
		wires[i] = alternativeName(m, types[i], c.opts.TypePrefix)
	}
	names := c.memberNames(wires, "option", p.pointer+"/oneOf")
	for i := range members {
		t.Fields = append(t.Fields, &Field{Name: names[i], JSON: names[i], Type: nonNull(types[i], false)})
	}
	return ref
}

// alternativeName names the @oneOf field of an alternative: the component
// or title it comes from, else its type ("string", "intList").
func alternativeName(m *openapi3.SchemaRef, t *TypeRef, prefix string) string {
	if comp := componentSchemaName(m.Ref); comp != "" {
		return camelCase(comp)
	}
	if m.Value.Title != "" && camelCase(m.Value.Title) != "" {
		return camelCase(m.Value.Title)
	}
	return camelCase(strings.TrimPrefix(typeWords(t), prefix))
}

// memberBase names an inline alternative: from its title, else by position.
func memberBase(base string, m *openapi3.SchemaRef, i int) string {
	if m.Value != nil && m.Value.Title != "" {
		if p := pascalCase(m.Value.Title); p != "" {
			return base + p
		}
	}
	return base + "Option" + strconv.Itoa(i+1)
}

// typeWords writes t as words for a name: [String] → "String List".
func typeWords(t *TypeRef) string {
	if t.Elem != nil {
		return typeWords(t.Elem) + " List"
	}
	return t.Named
}

// componentSchemaName returns the schema name a $ref points to when it is
// a component (#/components/schemas/X, or #/definitions/X and #/$defs/X in
// other files), or "".
func componentSchemaName(ref string) string {
	_, frag, ok := strings.Cut(ref, "#/")
	if !ok {
		return ""
	}
	parts := strings.Split(frag, "/")
	n := len(parts)
	if n < 2 || n > 3 {
		return ""
	}
	if n == 3 && parts[0] != "components" || parts[n-2] != "schemas" && parts[n-2] != "definitions" && parts[n-2] != "$defs" {
		return ""
	}
	return strings.ReplaceAll(strings.ReplaceAll(parts[n-1], "~1", "/"), "~0", "~")
}
