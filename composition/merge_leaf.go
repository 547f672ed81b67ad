package composition

import (
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// mergeInputObject merges input objects by intersection: a field missing in
// some subgraph is dropped if optional (an error if required), because a
// subgraph would reject a value it does not know.
func (m *merger) mergeInputObject(t *superType) {
	for _, i := range t.sources {
		for _, f := range m.sgType(i, t).fields {
			t.addField(f.name)
		}
	}
	for _, sf := range append([]*superField(nil), t.fields...) {
		coordinate := t.name + "." + sf.name
		sources := make(fieldSources, len(m.subgraphs))
		var have, missing, required []string
		for _, i := range t.sources {
			f := m.sgType(i, t).field(sf.name)
			sources[i] = f
			name := m.subgraphs[i].name
			switch {
			case f == nil:
				missing = append(missing, name)
				continue
			case f.typ.NonNull && f.defaultValue == nil:
				required = append(required, name)
			}
			have = append(have, name)
			if sf.description == "" {
				sf.description = f.description
			}
			sf.applied.mergeFrom(f.applied)
		}
		typ, allEqual, ok := m.mergeTypeRefs(coordinate, "input field", sources.types(), true)
		if !ok {
			continue
		}
		sf.typ = typ
		m.recordEnumUsage(typ, coordinate, true)
		var defaults []*ast.Value
		for _, f := range sources {
			if f != nil {
				defaults = append(defaults, f.defaultValue)
			}
		}
		sf.defaultValue = m.mergeDefaults(coordinate, "input field", defaults, have)
		if len(missing) > 0 && !sf.applied.inaccessible {
			if len(required) > 0 {
				m.report.errorf(CodeRequiredInputFieldMissing, coordinate, append(required, missing...),
					"input field %q is required in %s but does not appear in %s; add it to those subgraphs or make it optional everywhere",
					coordinate, quoteList(required), quoteList(missing))
			} else {
				m.report.warnf("input field %q is left out of the supergraph: it is defined in %s but not in %s", coordinate, quoteList(have), quoteList(missing))
			}
			t.removeField(sf.name)
			continue
		}
		if !allEqual || len(missing) > 0 {
			for i, f := range sources {
				if f == nil {
					continue
				}
				jf := joinField{graph: m.subgraphs[i].graph}
				if !allEqual {
					s := f.typ.String()
					jf.typ = &s
				}
				sf.joinFields = append(sf.joinFields, jf)
			}
		}
	}
	if len(t.fields) == 0 {
		m.report.errorf(CodeEmptyMergedInputType, t.name, m.sourceNames(t),
			"input object %q has no field that every subgraph defining it (%s) has; as input objects are merged by intersection it would be empty. Give the subgraphs at least one common field",
			t.name, quoteList(m.sourceNames(t)))
	}
}

func (m *merger) sourceNames(t *superType) []string {
	out := make([]string, len(t.sources))
	for j, i := range t.sources {
		out[j] = m.subgraphs[i].name
	}
	return out
}

// mergeEnum merges an enum by its usage: output-only enums take every value
// (a union), input-only enums the values all subgraphs share (an
// intersection), and enums used both ways must be identical everywhere.
func (m *merger) mergeEnum(t *superType) {
	usage := m.enumUsage[t.name]
	if usage == nil {
		usage = &enumUsage{}
	}
	byName := make([]map[string]*sgEnumValue, len(m.subgraphs))
	seen := map[string]bool{}
	for _, i := range t.sources {
		byName[i] = map[string]*sgEnumValue{}
		for _, v := range m.sgType(i, t).values {
			byName[i][v.name] = v
			if !seen[v.name] {
				seen[v.name] = true
				t.values = append(t.values, &superEnumValue{name: v.name})
			}
		}
	}
	var kept []*superEnumValue
	for _, sv := range t.values {
		var have, missing []string
		for _, i := range t.sources {
			v := byName[i][sv.name]
			if v == nil {
				missing = append(missing, m.subgraphs[i].name)
				continue
			}
			have = append(have, m.subgraphs[i].name)
			sv.graphs = append(sv.graphs, m.subgraphs[i].graph)
			if sv.description == "" {
				sv.description = v.description
			}
			sv.applied.mergeFrom(v.applied)
		}
		if len(missing) > 0 && usage.input != "" && !sv.applied.inaccessible {
			if usage.output != "" {
				m.report.errorf(CodeEnumValueMismatch, t.name, append(have, missing...),
					"enum %q is used as both input (e.g. %q) and output (e.g. %q), so its values must be the same in every subgraph, but value %q is defined in %s and not in %s. Add the value to those subgraphs, or mark it @inaccessible",
					t.name, usage.input, usage.output, sv.name, quoteList(have), quoteList(missing))
			} else {
				m.report.warnf("value %q of input enum %q is left out of the supergraph: it is defined in %s but not in %s", sv.name, t.name, quoteList(have), quoteList(missing))
				continue
			}
		}
		kept = append(kept, sv)
	}
	t.values = kept
	if len(t.values) == 0 {
		m.report.errorf(CodeEmptyMergedEnumType, t.name, m.sourceNames(t),
			"enum %q is used as an input, so only the values every subgraph defines are kept, and there are none; give the subgraphs (%s) at least one common value",
			t.name, quoteList(m.sourceNames(t)))
	}
}

// mergeDirectiveDefinitions keeps the custom executable directives every
// subgraph defines: an operation may send them to any subgraph. Locations
// and arguments are intersected; repeatable only if repeatable everywhere.
func (m *merger) mergeDirectiveDefinitions() {
	if len(m.subgraphs) == 0 {
		return
	}
	var names []string
	for name := range m.subgraphs[0].execDirectives {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d := &superDirective{name: name, repeatable: true}
		lists := make([][]*sgArg, len(m.subgraphs))
		present := make([]bool, len(m.subgraphs))
		everywhere := true
		for i, sg := range m.subgraphs {
			def := sg.execDirectives[name]
			if def == nil {
				everywhere = false
				break
			}
			locs := executableLocations(def.Locations)
			if i == 0 {
				d.locations = locs
			} else {
				d.locations = intersectLocations(d.locations, locs)
			}
			d.repeatable = d.repeatable && def.IsRepeatable
			if d.description == "" {
				d.description = def.Description
			}
			present[i] = true
			for _, a := range def.Arguments {
				lists[i] = append(lists[i], &sgArg{name: a.Name, description: a.Description, typ: sg.typeRef(a.Type), defaultValue: a.DefaultValue})
			}
		}
		if !everywhere {
			m.report.warnf("executable directive @%s is left out of the supergraph: not every subgraph defines it", name)
			continue
		}
		if len(d.locations) == 0 {
			m.report.warnf("executable directive @%s is left out of the supergraph: its subgraphs share no location", name)
			continue
		}
		d.args = m.mergeArgumentLists("@"+name, present, lists)
		m.directives = append(m.directives, d)
	}
}

func intersectLocations(a, b []ast.DirectiveLocation) []ast.DirectiveLocation {
	var out []ast.DirectiveLocation
	for _, l := range a {
		for _, k := range b {
			if l == k {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// addInterfaceObjectFields gives an implementation the fields that only an
// @interfaceObject provides, with a bare @join__field: no subgraph defines
// them on the implementation itself.
func (m *merger) addInterfaceObjectFields() {
	for _, name := range m.names {
		t := m.types[name]
		if t.kind != ast.Object {
			continue
		}
		for _, itfName := range t.implements {
			itf := m.types[itfName]
			if itf == nil {
				continue
			}
			for _, itfField := range itf.fields {
				if t.fieldIndex[itfField.name] != nil || !m.providedByInterfaceObject(itf, itfField.name) {
					continue
				}
				f := t.addField(itfField.name)
				f.description, f.typ, f.args, f.applied = itfField.description, itfField.typ, itfField.args, itfField.applied
				f.joinFields = []joinField{{}}
			}
		}
	}
}

func (m *merger) providedByInterfaceObject(itf *superType, field string) bool {
	for _, i := range itf.sources {
		st := m.sgType(i, itf)
		if f := st.field(field); st.interfaceObject && f != nil && !f.external {
			return true
		}
	}
	return false
}

// checkInterfaceImplementations: every type implementing an interface must
// have all of its fields once merged.
func (m *merger) checkInterfaceImplementations() {
	for _, name := range m.names {
		t := m.types[name]
		if t.kind != ast.Object && t.kind != ast.Interface {
			continue
		}
		for _, itfName := range t.implements {
			itf := m.types[itfName]
			if itf == nil {
				continue
			}
			for _, itfField := range itf.fields {
				if t.fieldIndex[itfField.name] != nil {
					continue
				}
				var declaring, implementing []string
				for _, i := range itf.sources {
					if m.sgType(i, itf).field(itfField.name) != nil {
						declaring = append(declaring, m.subgraphs[i].name)
					}
				}
				for _, ji := range t.joinImplements {
					if ji.iface == itfName {
						implementing = append(implementing, m.graphSubgraph(ji.graph))
					}
				}
				m.report.errorf(CodeInterfaceFieldNoImpl, itfName+"."+itfField.name, append(declaring, implementing...),
					"interface field %q is declared in %s, but type %q, which implements %q in %s, has no field %q; add the field to %q in %s",
					itfName+"."+itfField.name, quoteList(declaring), name, itfName, quoteList(implementing), itfField.name, name, strings.Join(quoted(implementing), ", "))
			}
		}
	}
}

func (m *merger) graphSubgraph(graph string) string {
	for _, sg := range m.subgraphs {
		if sg.graph == graph {
			return sg.name
		}
	}
	return graph
}
