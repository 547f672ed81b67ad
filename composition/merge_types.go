package composition

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// mergeTypeRefs merges the types one element has in each subgraph (types
// is indexed by subgraph; nil entries are skipped). Outputs take the most
// general type (String over String!), inputs the most restrictive. It
// reports whether all types were equal, and ok=false (after reporting) when
// two types are incompatible.
func (m *merger) mergeTypeRefs(coordinate, element string, types []*ast.Type, input bool) (merged *ast.Type, allEqual, ok bool) {
	allEqual, ok = true, true
	for _, t := range types {
		switch {
		case t == nil:
		case merged == nil || sameType(merged, t):
			if merged == nil {
				merged = t
			}
		case m.isSubtype(merged, t): // t is more specific
			allEqual = false
			if input {
				merged = t
			}
		case m.isSubtype(t, merged): // t is more general
			allEqual = false
			if !input {
				merged = t
			}
		default:
			ok = false
		}
	}
	if !ok {
		m.reportTypeMismatch(coordinate, element, types)
	}
	return merged, allEqual, ok
}

func sameType(a, b *ast.Type) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.NonNull == b.NonNull && a.NamedType == b.NamedType && sameType(a.Elem, b.Elem)
}

// reportTypeMismatch reports incompatible types, grouping the subgraphs
// that agree.
func (m *merger) reportTypeMismatch(coordinate, element string, types []*ast.Type) {
	var groups, order, names []string
	bySig := map[string][]string{}
	for i, t := range types {
		if t == nil {
			continue
		}
		sig, sg := t.String(), m.subgraphs[i].name
		if bySig[sig] == nil {
			order = append(order, sig)
		}
		bySig[sig] = append(bySig[sig], sg)
		names = append(names, sg)
	}
	for _, sig := range order {
		groups = append(groups, "type \""+sig+"\" in "+quoteList(bySig[sig]))
	}
	code := CodeFieldTypeMismatch
	if element == "argument" {
		code = CodeArgumentTypeMismatch
	}
	m.report.errorf(code, coordinate, names,
		"type of %s %q is incompatible across subgraphs: it has %s. Use the same type in every subgraph (only nullability, or an interface/union versus one of its members, may differ)",
		element, coordinate, strings.Join(groups, " but "))
}

// isSubtype reports whether sub can stand where super is expected in an
// output position: equal, non-null for nullable, a list of subtypes, or an
// implementation/member of an interface/union.
func (m *merger) isSubtype(super, sub *ast.Type) bool {
	if super == nil || sub == nil {
		return false
	}
	if sub.NonNull && !super.NonNull {
		return m.isSubtype(super, &ast.Type{NamedType: sub.NamedType, Elem: sub.Elem})
	}
	if sub.NonNull != super.NonNull {
		return false
	}
	if (super.Elem == nil) != (sub.Elem == nil) {
		return false
	}
	if super.Elem != nil {
		return m.isSubtype(super.Elem, sub.Elem)
	}
	if super.NamedType == sub.NamedType {
		return true
	}
	st := m.types[super.NamedType]
	if st == nil {
		return false
	}
	switch st.kind {
	case ast.Union:
		return contains(st.members, sub.NamedType)
	case ast.Interface:
		if impl := m.types[sub.NamedType]; impl != nil {
			return contains(impl.implements, super.NamedType)
		}
	}
	return false
}

// recordEnumUsage notes that an enum appears in an input or output position.
func (m *merger) recordEnumUsage(t *ast.Type, coordinate string, input bool) {
	name := baseName(t)
	if st := m.types[name]; st == nil || st.kind != ast.Enum {
		return
	}
	u := m.enumUsage[name]
	if u == nil {
		u = &enumUsage{}
		m.enumUsage[name] = u
	}
	if input && u.input == "" {
		u.input = coordinate
	}
	if !input && u.output == "" {
		u.output = coordinate
	}
}

// mergeArguments merges the arguments of one field (sources are the
// subgraphs' non-external copies). An argument must be in every subgraph:
// a missing optional one is dropped, a missing required one is an error.
func (m *merger) mergeArguments(coordinate string, sources fieldSources) []*superArg {
	lists := make([][]*sgArg, len(sources))
	present := make([]bool, len(sources))
	for i, f := range sources {
		if f != nil {
			lists[i], present[i] = f.args, true
		}
	}
	return m.mergeArgumentLists(coordinate, present, lists)
}

func (m *merger) mergeArgumentLists(coordinate string, present []bool, lists [][]*sgArg) []*superArg {
	var names []string
	for _, list := range lists {
		for _, a := range list {
			names = appendUnique(names, a.name)
		}
	}
	var out []*superArg
	for _, name := range names {
		argCoordinate := coordinate + "(" + name + ":)"
		args := make([]*sgArg, len(lists))
		var have, missing, required []string
		for i, list := range lists {
			if !present[i] {
				continue
			}
			for _, a := range list {
				if a.name == name {
					args[i] = a
				}
			}
			sg := m.subgraphs[i].name
			switch {
			case args[i] == nil:
				missing = append(missing, sg)
			case args[i].typ.NonNull && args[i].defaultValue == nil:
				required = append(required, sg)
				have = append(have, sg)
			default:
				have = append(have, sg)
			}
		}
		if len(missing) > 0 {
			if len(required) > 0 {
				m.report.errorf(CodeRequiredArgumentMissing, argCoordinate, append(required, missing...),
					"argument %q is required in %s but does not appear in %s; add it to those subgraphs or make it optional everywhere",
					argCoordinate, quoteList(required), quoteList(missing))
			} else {
				m.report.warnf("optional argument %q is left out of the supergraph: it is defined in %s but not in %s", argCoordinate, quoteList(have), quoteList(missing))
			}
			continue
		}
		sa := &superArg{name: name}
		for _, a := range args {
			if a == nil {
				continue
			}
			if sa.description == "" {
				sa.description = a.description
			}
			sa.applied.mergeFrom(a.applied)
		}
		typ, _, ok := m.mergeTypeRefs(argCoordinate, "argument", argTypes(args), true)
		if !ok {
			continue
		}
		sa.typ = typ
		m.recordEnumUsage(typ, argCoordinate, true)
		defaults := make([]*ast.Value, 0, len(args))
		var subgraphs []string
		for i, a := range args {
			if a != nil {
				defaults = append(defaults, a.defaultValue)
				subgraphs = append(subgraphs, m.subgraphs[i].name)
			}
		}
		sa.defaultValue = m.mergeDefaults(argCoordinate, "argument", defaults, subgraphs)
		out = append(out, sa)
	}
	return out
}

// mergeDefaults merges the default value of an argument or input field.
// A default is kept only if every subgraph has it; two different defaults
// are an error.
func (m *merger) mergeDefaults(coordinate, element string, defaults []*ast.Value, subgraphs []string) *ast.Value {
	var merged *ast.Value
	seen, inconsistent, incompatible := false, false, false
	for _, d := range defaults {
		if merged == nil {
			merged = d
			if seen && d != nil {
				inconsistent = true
			}
		} else if !valueEqual(merged, d) {
			inconsistent = true
			if d != nil {
				incompatible = true
			}
		}
		seen = true
	}
	switch {
	case incompatible:
		var parts []string
		for i, d := range defaults {
			v := "no default"
			if d != nil {
				v = "default " + printValue(d)
			}
			parts = append(parts, v+" in subgraph \""+subgraphs[i]+"\"")
		}
		code := CodeArgumentDefaultMismatch
		if element == "input field" {
			code = CodeInputFieldDefaultMismatch
		}
		m.report.errorf(code, coordinate, subgraphs,
			"%s %q has incompatible default values across subgraphs: it has %s. Use the same default everywhere",
			element, coordinate, strings.Join(parts, ", "))
		return nil
	case inconsistent:
		m.report.warnf("%s %q has a default value in only some subgraphs (%s); the supergraph uses no default", element, coordinate, quoteList(subgraphs))
		return nil
	}
	return merged
}

func argTypes(args []*sgArg) []*ast.Type {
	out := make([]*ast.Type, len(args))
	for i, a := range args {
		if a != nil {
			out[i] = a.typ
		}
	}
	return out
}

func (s fieldSources) types() []*ast.Type {
	out := make([]*ast.Type, len(s))
	for i, f := range s {
		if f != nil {
			out[i] = f.typ
		}
	}
	return out
}
