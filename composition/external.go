package composition

import "github.com/vektah/gqlparser/v2/ast"

// Which fields a subgraph does not resolve. @external on a field is the
// start; Apollo's composition (federation-internals' ExternalTester) extends
// it to the fields of an @external type and exempts the key fields of type
// extensions. The supergraph's @join__field(external:) must agree, since the
// planner takes no external field from a subgraph.

// resolveExternals applies both adjustments. Fake externals go first: they
// are decided by @external on the field alone, and stay resolvable even
// when their type is @external.
func (sg *subgraph) resolveExternals() {
	for _, name := range sg.order {
		sg.markFakeExternals(sg.types[name])
	}
	if !sg.fed2 {
		// Apollo's federation 1 upgrade drops @external on types.
		return
	}
	for _, name := range sg.order {
		if t := sg.types[name]; t.external && t.kind == ast.Object {
			for _, f := range t.fields {
				f.external = !f.fakeExternal
			}
		}
	}
}

// markFakeExternals: the key fields of a type extension (extend type, or
// @extends on any of the type's blocks) were marked @external in federation
// 1 although the extending subgraph resolves them — it receives them in the
// representation. Federation 2 keeps that reading in every subgraph: such a
// field is not external, down to the nested fields of the key.
func (sg *subgraph) markFakeExternals(t *sgType) {
	for _, key := range t.keys {
		if !key.extension && !t.extends {
			continue
		}
		set, err := parseFieldSet(key.fields)
		if err != nil {
			continue // reported by the @key check
		}
		sg.markFakeExternalSelections(set, t)
	}
}

func (sg *subgraph) markFakeExternalSelections(set ast.SelectionSet, parent *sgType) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			f := parent.field(s.Name)
			if f == nil {
				continue
			}
			if f.external {
				f.external, f.fakeExternal = false, true
			}
			if target := sg.types[baseName(f.typ)]; target != nil && len(s.SelectionSet) > 0 {
				sg.markFakeExternalSelections(s.SelectionSet, target)
			}
		case *ast.InlineFragment:
			target := parent
			if s.TypeCondition != "" {
				target = sg.types[sg.typeName(s.TypeCondition)]
			}
			if target != nil {
				sg.markFakeExternalSelections(s.SelectionSet, target)
			}
		}
	}
}

// implementationIsExternal reports whether some implementation of an
// interface field is external. A field set that goes through such a field
// is under an external field: interface fields cannot be @external, their
// implementations say it.
func (sg *subgraph) implementationIsExternal(itf *sgType, field string) bool {
	if itf.kind != ast.Interface {
		return false
	}
	for _, impl := range sg.implementations[itf.name] {
		if f := impl.field(field); f != nil && f.external {
			return true
		}
	}
	return false
}
