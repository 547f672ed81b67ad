package openapi

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// polymorphism is what the converter knows of allOf inheritance: which
// component schemas extend which, and the interfaces made from it.
//
// A component schema with a discriminator (and no oneOf/anyOf of its own)
// that other components extend (allOf: [{$ref: base}, …]) is a base. Where
// an output is typed with a base, it becomes an interface named for the
// base, implemented by the object types of every schema that extends it,
// directly or through another, and by "<Base>Base", the base's own object
// type, when a discriminator value can select the base itself.
type polymorphism struct {
	ready bool
	// schemas maps a component's $ref to its schema (aliases left out).
	schemas map[string]*openapi3.Schema
	// children maps a component's $ref to the components whose allOf
	// names it, sorted; parents is the other way round.
	children map[string][]string
	parents  map[string][]string
	// interfaces are the interfaces made, with the base's pointer.
	interfaces []polyInterface
	// concrete maps an interface's name to its base's own object type.
	concrete map[string]string
}

type polyInterface struct {
	t       *Type
	pointer string
}

// inheritance returns the allOf inheritance of the spec's components,
// finding it on first use.
func (c *converter) inheritance() *polymorphism {
	pm := &c.poly
	if pm.ready {
		return pm
	}
	pm.ready = true
	pm.schemas = map[string]*openapi3.Schema{}
	pm.children = map[string][]string{}
	pm.parents = map[string][]string{}
	pm.concrete = map[string]string{}
	if c.doc.Components == nil {
		return pm
	}
	for name, sr := range c.doc.Components.Schemas {
		if sr != nil && sr.Value != nil && sr.Ref == "" {
			pm.schemas["#/components/schemas/"+escapePointer(name)] = sr.Value
		}
	}
	for ref, s := range pm.schemas {
		for _, m := range s.AllOf {
			if m == nil || m.Ref == ref || pm.schemas[m.Ref] == nil || slices.Contains(pm.parents[ref], m.Ref) {
				continue
			}
			pm.parents[ref] = append(pm.parents[ref], m.Ref)
			pm.children[m.Ref] = append(pm.children[m.Ref], ref)
		}
	}
	for _, refs := range pm.children {
		sort.Strings(refs)
	}
	return pm
}

// isBase reports whether the component ref is a discriminated base that
// other components extend.
func (c *converter) isBase(ref string) bool {
	if ref == "" {
		return false
	}
	pm := c.inheritance()
	s := pm.schemas[ref]
	if s == nil || s.Discriminator == nil || s.Discriminator.PropertyName == "" || len(pm.children[ref]) == 0 {
		return false
	}
	alts, _ := alternatives(s)
	return len(alts) == 0
}

// extendsBase reports whether the component ref extends a base, directly
// or through other components.
func (c *converter) extendsBase(ref string) bool {
	return len(c.baseAncestors(ref)) > 0
}

// baseAncestors returns the bases that the component ref extends,
// nearest first.
func (c *converter) baseAncestors(ref string) []string {
	if ref == "" {
		return nil
	}
	pm := c.inheritance()
	var out []string
	seen := map[string]bool{ref: true}
	for queue := pm.parents[ref]; len(queue) > 0; queue = queue[1:] {
		parent := queue[0]
		if seen[parent] {
			continue
		}
		seen[parent] = true
		if c.isBase(parent) {
			out = append(out, parent)
		}
		queue = append(slices.Clip(queue), pm.parents[parent]...)
	}
	return out
}

// buildBases converts the bases that the component ref extends, before
// ref itself, so that the property types they share are named for the
// base whichever schema an operation meets first.
func (c *converter) buildBases(ref string) {
	pm := c.inheritance()
	for _, base := range c.baseAncestors(ref) {
		c.typeOf(&openapi3.SchemaRef{Ref: base, Value: pm.schemas[base]}, place{mode: modeOutput})
	}
}

// descendants returns the components that extend ref, directly or through
// others, sorted.
func (pm *polymorphism) descendants(ref string) []string {
	seen := map[string]bool{ref: true}
	var out []string
	for queue := []string{ref}; len(queue) > 0; queue = queue[1:] {
		for _, child := range pm.children[queue[0]] {
			if !seen[child] {
				seen[child] = true
				out = append(out, child)
				queue = append(queue, child)
			}
		}
	}
	sort.Strings(out)
	return out
}

// polymorphic converts a base schema met in an output: an interface with
// the base's properties, implemented by its own object type (when a
// discriminator value selects it) and by its descendants' object types.
// A base without properties cannot be an interface; it is a union of its
// descendants instead.
func (c *converter) polymorphic(s *openapi3.Schema, p place, key cacheKey) *TypeRef {
	merged := s
	if len(s.AllOf) > 0 {
		merged = c.mergeAllOf(s, p.pointer)
	}
	wires := propertyNames(merged, modeOutput)
	t := &Type{Name: c.typeName(p, false), Kind: KindInterface, Description: merged.Description}
	ref := &TypeRef{Named: t.Name}
	c.cache[key] = ref
	c.addType(t)
	if len(wires) == 0 {
		t.Kind = KindUnion
	} else {
		// The interface's fields first: inline property schemas shared with
		// the descendants are named for the base.
		c.addFields(t, merged, wires, p)
	}
	d := s.Discriminator
	own := componentSchemaName(p.ref)
	implicit := map[string]string{}
	members := map[string]bool{}
	var names []string
	for _, dref := range c.poly.descendants(p.ref) {
		name := c.implementation(dref, t.Name)
		if name == "" || members[name] {
			continue
		}
		members[name] = true
		names = append(names, name)
		implicit[componentSchemaName(dref)] = name
	}
	sort.Strings(names)
	if t.Kind == KindUnion {
		if len(names) == 0 {
			delete(c.types, t.Name)
			c.cache[key] = c.scalar("JSON")
			c.warn(p.pointer, "the schema has a discriminator, but no properties and no object schema extending it; typed JSON")
			return c.cache[key]
		}
		c.warn(p.pointer, "the schema has a discriminator but no properties, so it cannot be an interface; it is a union of the schemas that extend it")
		t.Members = names
		t.Discriminator = c.discriminator(d, implicit, members, p.pointer, "a schema that extends "+own)
		return ref
	}
	if len(names) == 0 || selectsItself(merged, d, own) {
		concrete := &Type{
			Name:        c.names.unique(c.opts.TypePrefix + p.base + "Base"),
			Kind:        KindObject,
			Description: fmt.Sprintf("The %s schema itself: a value whose %s names %s, not one of the schemas that extend it.", own, d.PropertyName, own),
		}
		for _, f := range t.Fields {
			cp := *f
			concrete.Fields = append(concrete.Fields, &cp)
		}
		c.addType(concrete)
		c.poly.concrete[t.Name] = concrete.Name
		names = append([]string{concrete.Name}, names...)
		members[concrete.Name] = true
		implicit[own] = concrete.Name
	}
	t.Implementations = names
	t.Discriminator = c.discriminator(d, implicit, members, p.pointer, "a schema that extends "+own)
	c.poly.interfaces = append(c.poly.interfaces, polyInterface{t: t, pointer: p.pointer})
	return ref
}

// implementation returns the object type of the descendant ref of the
// base whose type is named base: its own object type, or for a descendant
// that is a base itself, that base's own object type ("" when it has
// none; its descendants implement the interface directly).
func (c *converter) implementation(ref, base string) string {
	t, _ := c.typeOf(&openapi3.SchemaRef{Ref: ref, Value: c.poly.schemas[ref]}, place{mode: modeOutput})
	def := c.types[t.Named]
	switch {
	case def != nil && def.Kind == KindObject && !def.Wrapped:
		return def.Name
	case def != nil && def.Kind == KindInterface:
		return c.poly.concrete[def.Name]
	}
	c.warn(ref, fmt.Sprintf("the schema extends %s through allOf but is not an object with properties (it is %s); it does not implement %s", base, t.String(), base))
	return ""
}

// selectsItself reports whether a discriminator value selects the base
// named own itself: a mapping entry naming it, or else its own name (when
// no entry takes that value). When the property is an enum, the value
// must be one of its values.
func selectsItself(merged *openapi3.Schema, d *openapi3.Discriminator, own string) bool {
	var values []string
	for _, wire := range slices.Sorted(maps.Keys(d.Mapping)) {
		if componentSchemaName(mappingTarget(d, wire)) == own {
			values = append(values, wire)
		}
	}
	if _, taken := d.Mapping[own]; len(values) == 0 && !taken {
		values = append(values, own)
	}
	prop := merged.Properties[d.PropertyName]
	if prop == nil || prop.Value == nil || len(prop.Value.Enum) == 0 {
		return len(values) > 0
	}
	for _, v := range prop.Value.Enum {
		if s, ok := v.(string); ok && slices.Contains(values, s) {
			return true
		}
	}
	return false
}

// finishInterfaces makes every implementation fit its interface, once all
// types are complete, as GraphQL requires: a field the object lacks is
// added, and a field whose type does not fit the interface's (a subtype
// that redefines a property) takes the interface's type. Both warn.
func (c *converter) finishInterfaces() {
	for _, pi := range c.poly.interfaces {
		for _, name := range pi.t.Implementations {
			obj := c.types[name]
			if obj == nil {
				continue
			}
			for _, f := range pi.t.Fields {
				i := slices.IndexFunc(obj.Fields, func(of *Field) bool { return of.Name == f.Name })
				if i < 0 {
					cp := *f
					obj.Fields = append(obj.Fields, &cp)
					c.warn(pi.pointer, fmt.Sprintf("%s has no field %s, which interface %s has; the field is added to it", name, f.Name, pi.t.Name))
					continue
				}
				if of := obj.Fields[i]; !c.fits(of.Type, f.Type) {
					c.warn(pi.pointer, fmt.Sprintf("field %s of %s is %s, which does not fit interface %s's %s; it is typed %s there too", f.Name, name, of.Type.String(), pi.t.Name, f.Type.String(), f.Type.String()))
					of.Type = f.Type
				}
			}
		}
	}
}

// fits reports whether an object field of type sub may implement an
// interface field of type super (GraphQL's covariance: as non-null or
// more, and an object type for an interface or union that has it).
func (c *converter) fits(sub, super *TypeRef) bool {
	if super.NonNull && !sub.NonNull {
		return false
	}
	if (sub.Elem == nil) != (super.Elem == nil) {
		return false
	}
	if sub.Elem != nil {
		return c.fits(sub.Elem, super.Elem)
	}
	if sub.Named == super.Named {
		return true
	}
	def := c.types[super.Named]
	if def == nil {
		return false
	}
	switch def.Kind {
	case KindInterface:
		return slices.Contains(def.Implementations, sub.Named)
	case KindUnion:
		return slices.Contains(def.Members, sub.Named)
	}
	return false
}
