package composition

import (
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// merger composes normalised subgraphs into the supergraph model.
type merger struct {
	subgraphs []*subgraph
	byName    map[string]int
	report    *report
	types     map[string]*superType
	// names is every supergraph type name in print order.
	names      []string
	enumUsage  map[string]*enumUsage
	directives []*superDirective
}

// enumUsage records where an enum is used, with one example coordinate per
// position for error messages.
type enumUsage struct {
	input, output string
}

func newMerger(subgraphs []*subgraph, r *report) *merger {
	m := &merger{
		subgraphs: subgraphs,
		byName:    map[string]int{},
		report:    r,
		types:     map[string]*superType{},
		enumUsage: map[string]*enumUsage{},
	}
	for i, sg := range subgraphs {
		m.byName[sg.name] = i
	}
	return m
}

// merge runs the phases in dependency order: kinds and type shells first,
// then implements/union members (which subtyping needs), then the types
// themselves, and enums last because their rule depends on their usage.
func (m *merger) merge() {
	m.collectTypes()
	for _, name := range m.names {
		t := m.types[name]
		switch t.kind {
		case ast.Object, ast.Interface:
			m.mergeImplements(t)
		case ast.Union:
			m.mergeUnion(t)
		}
	}
	for _, kind := range []ast.DefinitionKind{ast.Scalar, ast.InputObject, ast.Interface, ast.Object, ast.Union, ast.Enum} {
		if kind == ast.Enum {
			m.mergeDirectiveDefinitions()
		}
		for _, name := range m.names {
			if t := m.types[name]; t.kind == kind {
				m.mergeType(t)
			}
		}
	}
	if q := m.types["Query"]; q == nil || len(q.fields) == 0 {
		var names []string
		for _, sg := range m.subgraphs {
			names = append(names, sg.name)
		}
		m.report.errorf(CodeNoQueries, "Query", names,
			"none of the subgraphs (%s) defines a query: a supergraph needs at least one field on the Query root type; add one to a subgraph",
			strings.Join(quoted(names), ", "))
	}
	m.addInterfaceObjectFields()
	if len(m.report.errors) == 0 {
		m.checkInterfaceImplementations()
	}
}

// hasType reports whether subgraph i defines the type. Every subgraph has a
// Query type, if only for _entities and _service.
func (m *merger) hasType(i int, name string) bool {
	return name == "Query" || m.subgraphs[i].types[name] != nil
}

// sgType returns subgraph i's definition of the type, when its kind matches
// the supergraph's.
func (m *merger) sgType(i int, t *superType) *sgType {
	st := m.subgraphs[i].types[t.name]
	if st == nil || st.mergedKind() != t.kind {
		return nil
	}
	return st
}

// collectTypes creates one supergraph type per name and reports names whose
// kind differs between subgraphs.
func (m *merger) collectTypes() {
	mismatched := map[string]bool{}
	for i, sg := range m.subgraphs {
		for _, name := range sg.order {
			st := sg.types[name]
			t := m.types[name]
			if t == nil {
				t = &superType{name: name, kind: st.mergedKind(), fieldIndex: map[string]*superField{}}
				m.types[name] = t
				m.names = append(m.names, name)
			}
			if st.mergedKind() != t.kind {
				mismatched[name] = true
				continue
			}
			t.sources = append(t.sources, i)
		}
	}
	sort.Slice(m.names, func(a, b int) bool { return typeNameLess(m.names[a], m.names[b]) })
	for _, name := range m.names {
		if mismatched[name] {
			m.reportKindMismatch(name)
		}
	}
}

// typeNameLess orders types as Apollo's printer does: case-insensitively.
func typeNameLess(a, b string) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}

func (m *merger) reportKindMismatch(name string) {
	var parts, names []string
	byKind := map[string][]string{}
	var kinds []string
	for _, sg := range m.subgraphs {
		st := sg.types[name]
		if st == nil {
			continue
		}
		k := kindName(st.kind)
		if st.interfaceObject {
			k = "an @interfaceObject type"
		}
		if byKind[k] == nil {
			kinds = append(kinds, k)
		}
		byKind[k] = append(byKind[k], sg.name)
		names = append(names, sg.name)
	}
	for _, k := range kinds {
		parts = append(parts, k+" in "+quoteList(byKind[k]))
	}
	m.report.errorf(CodeTypeKindMismatch, name, names,
		"type %q has mismatched kinds: it is defined as %s. Define it with the same kind everywhere, or rename it in some subgraphs",
		name, strings.Join(parts, " but as "))
}

func (m *merger) mergeImplements(t *superType) {
	for _, i := range t.sources {
		for _, itf := range m.sgType(i, t).interfaces {
			t.implements = appendUnique(t.implements, itf)
			t.joinImplements = append(t.joinImplements, joinImplements{graph: m.subgraphs[i].graph, iface: itf})
		}
	}
}

func (m *merger) mergeUnion(t *superType) {
	for _, i := range t.sources {
		for _, member := range m.sgType(i, t).members {
			t.members = appendUnique(t.members, member)
		}
	}
	for _, member := range t.members {
		for _, i := range t.sources {
			if contains(m.sgType(i, t).members, member) {
				t.joinMembers = append(t.joinMembers, joinUnionMember{graph: m.subgraphs[i].graph, member: member})
			}
		}
	}
}

// mergeType merges what every kind shares (description, @join__type,
// directives) and then the kind's own parts.
func (m *merger) mergeType(t *superType) {
	graphs := t.sources
	if t.name == "Query" {
		graphs = make([]int, len(m.subgraphs))
		for i := range graphs {
			graphs[i] = i
		}
	}
	for _, i := range graphs {
		st := m.sgType(i, t)
		graph := m.subgraphs[i].graph
		if st == nil {
			t.joinTypes = append(t.joinTypes, joinType{graph: graph})
			continue
		}
		if t.description == "" {
			t.description = st.description
		}
		t.applied.mergeFrom(st.applied)
		if len(st.keys) == 0 {
			t.joinTypes = append(t.joinTypes, joinType{graph: graph, interfaceObject: st.interfaceObject})
		}
		for _, k := range st.keys {
			key := k.fields
			t.joinTypes = append(t.joinTypes, joinType{
				graph: graph, key: &key, extension: k.extension || st.extends,
				unresolvable: !k.resolvable, interfaceObject: st.interfaceObject,
			})
		}
	}
	switch t.kind {
	case ast.Object:
		m.mergeFields(t)
	case ast.Interface:
		m.checkInterfaceKeys(t)
		m.checkInterfaceObjects(t)
		m.mergeFields(t)
	case ast.InputObject:
		m.mergeInputObject(t)
	case ast.Enum:
		m.mergeEnum(t)
	}
}

// possibleTypes returns the supergraph object types implementing an
// interface.
func (m *merger) possibleTypes(itf string) []string {
	var out []string
	for _, name := range m.names {
		if t := m.types[name]; t.kind == ast.Object && contains(t.implements, itf) {
			out = append(out, name)
		}
	}
	return out
}

// checkInterfaceKeys: a subgraph with a resolvable @key on an interface
// must define every implementation, or it could not resolve them.
func (m *merger) checkInterfaceKeys(t *superType) {
	impls := m.possibleTypes(t.name)
	for _, i := range t.sources {
		st := m.sgType(i, t)
		if st.kind != ast.Interface {
			continue
		}
		resolvable := false
		for _, k := range st.keys {
			resolvable = resolvable || k.resolvable
		}
		if !resolvable {
			continue
		}
		var missing []string
		for _, impl := range impls {
			if it := m.subgraphs[i].types[impl]; it == nil || !contains(it.interfaces, t.name) {
				missing = append(missing, impl)
			}
		}
		if len(missing) > 0 {
			sg := m.subgraphs[i].name
			m.report.errorf(CodeInterfaceKeyMissingImpl, t.name, []string{sg},
				"[%s] interface %q has a resolvable @key in subgraph %q, but that subgraph does not define its implementations %s; define them there (implementing %q) or make the key resolvable: false",
				sg, t.name, sg, strings.Join(quoted(missing), ", "), t.name)
		}
	}
}

// checkInterfaceObjects: an interface must be a real interface somewhere,
// and a subgraph using @interfaceObject must not define implementations.
func (m *merger) checkInterfaceObjects(t *superType) {
	real := false
	var objects []string
	for _, i := range t.sources {
		if m.sgType(i, t).interfaceObject {
			objects = append(objects, m.subgraphs[i].name)
		} else {
			real = true
		}
	}
	if !real {
		m.report.errorf(CodeInterfaceObjectUsage, t.name, objects,
			"type %q is declared with @interfaceObject in %s but is an interface in no subgraph; define it as an interface (with its implementations) in one subgraph",
			t.name, quoteList(objects))
		return
	}
	impls := m.possibleTypes(t.name)
	for _, i := range t.sources {
		if !m.sgType(i, t).interfaceObject {
			continue
		}
		var defined []string
		for _, impl := range impls {
			if m.subgraphs[i].types[impl] != nil {
				defined = append(defined, impl)
			}
		}
		if len(defined) > 0 {
			sg := m.subgraphs[i].name
			m.report.errorf(CodeInterfaceObjectUsage, t.name, []string{sg},
				"[%s] interface %q is an @interfaceObject in subgraph %q, so that subgraph must not define its implementations, but it defines %s; remove them or declare %q as an interface there",
				sg, t.name, sg, strings.Join(quoted(defined), ", "), t.name)
		}
	}
}

func quoted(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = `"` + n + `"`
	}
	return out
}
