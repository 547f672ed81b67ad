package composition

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// overrideState says how @override affects one subgraph's copy of a field.
type overrideState int

const (
	notOverridden overrideState = iota
	// usedOverridden: another subgraph took the field over, but this one
	// still needs it for a @key, @requires or @provides.
	usedOverridden
	// unusedOverridden: another subgraph took the field over and this copy
	// is dropped.
	unusedOverridden
)

// fieldSources is one field's definition in each subgraph (nil where absent).
type fieldSources []*sgField

// mergeFields merges the fields of an object type or interface.
func (m *merger) mergeFields(t *superType) {
	for _, i := range t.sources {
		for _, f := range m.sgType(i, t).fields {
			t.addField(f.name)
		}
	}
	for _, sf := range t.fields {
		sources := make(fieldSources, len(m.subgraphs))
		for _, i := range t.sources {
			sources[i] = m.sgType(i, t).field(sf.name)
		}
		m.mergeOutputField(t, sf, sources)
	}
}

func (m *merger) mergeOutputField(t *superType, sf *superField, sources fieldSources) {
	coordinate := t.name + "." + sf.name
	states, unknownTarget := m.overrides(t, coordinate, sources)
	live := make(fieldSources, len(sources)) // non-external sources
	anyLive, anyExternal := false, false
	var definers []string
	for i, f := range sources {
		if f == nil {
			continue
		}
		definers = append(definers, m.subgraphs[i].name)
		if f.external {
			anyExternal = true
			continue
		}
		live[i], anyLive = f, true
	}
	if !anyLive {
		sf.typ = firstType(sources)
		m.report.errorf(CodeExternalMissingOnBase, coordinate, definers,
			"field %q is marked @external in every subgraph that defines it (%s); some subgraph must resolve it: remove @external there or define the field in the subgraph that owns %q",
			coordinate, quoteList(definers), t.name)
		return
	}
	for _, f := range live {
		if f == nil {
			continue
		}
		if sf.description == "" {
			sf.description = f.description
		}
		sf.applied.mergeFrom(f.applied)
	}
	sf.args = m.mergeArguments(coordinate, live)
	typ, allEqual, ok := m.mergeTypeRefs(coordinate, "field", live.types(), false)
	sf.typ = typ
	if !ok {
		return
	}
	m.recordEnumUsage(typ, coordinate, false)
	if anyExternal {
		m.checkExternalTypes(coordinate, sf.typ, sources, allEqual)
	}
	if m.needsJoinField(t.name, sources, states, allEqual) {
		for i, f := range sources {
			if f == nil || states[i] == unusedOverridden {
				continue
			}
			jf := joinField{
				graph:    m.subgraphs[i].graph,
				requires: f.requires, provides: f.provides,
				external:       f.external,
				override:       f.override,
				usedOverridden: states[i] == usedOverridden,
			}
			if !allEqual {
				s := f.typ.String()
				jf.typ = &s
			}
			sf.joinFields = append(sf.joinFields, jf)
		}
	}
	if t.kind == ast.Object {
		m.checkSharing(t, coordinate, sources, states, unknownTarget)
	}
}

func firstType(sources fieldSources) *ast.Type {
	for _, f := range sources {
		if f != nil {
			return f.typ
		}
	}
	return &ast.Type{NamedType: "String"}
}

// needsJoinField: @join__field can be left out when every subgraph with the
// parent type resolves the field plainly, with the same type.
func (m *merger) needsJoinField(parent string, sources fieldSources, states []overrideState, allEqual bool) bool {
	if !allEqual {
		return true
	}
	for i, f := range sources {
		if states[i] == usedOverridden {
			return true
		}
		if f != nil && states[i] == notOverridden {
			if f.external || f.requires != nil || f.provides != nil {
				return true
			}
		} else if m.hasType(i, parent) {
			return true
		}
	}
	return false
}

// overrides applies the @override directives on one field. It returns the
// state of each subgraph's copy and the subgraphs whose @override names an
// unknown subgraph (a likely typo, mentioned in sharing errors).
func (m *merger) overrides(t *superType, coordinate string, sources fieldSources) ([]overrideState, map[int]string) {
	states := make([]overrideState, len(sources))
	var unknown map[int]string
	for i, f := range sources {
		if f == nil || f.override == nil {
			continue
		}
		sg := m.subgraphs[i].name
		from := *f.override
		fromIdx, known := m.byName[from]
		switch {
		case t.kind == ast.Interface:
			m.report.errorf(CodeOverrideOnInterface, coordinate, []string{sg},
				"[%s] @override on interface field %q is not supported; move it to the implementing object types' fields", sg, coordinate)
		case !known:
			if unknown == nil {
				unknown = map[int]string{}
			}
			unknown[i] = from
			m.report.warnf("[%s] @override(from: %q) on %q names no subgraph of this supergraph; it has no effect", sg, from, coordinate)
		case fromIdx == i:
			m.report.errorf(CodeOverrideFromSelf, coordinate, []string{sg},
				"[%s] @override(from: %q) on %q names its own subgraph; name the subgraph the field moves away from", sg, from, coordinate)
		case sources[fromIdx] == nil:
			m.report.warnf("[%s] field %q no longer exists in subgraph %q: the @override(from: %q) can be removed", sg, coordinate, from, from)
		case sources[fromIdx].override != nil:
			m.report.errorf(CodeOverrideSourceHasOverride, coordinate, []string{sg, from},
				"field %q has @override in both subgraph %q and subgraph %q; only one subgraph may override a field, remove one of them", coordinate, sg, from)
		default:
			m.applyOverride(coordinate, sources, states, i, fromIdx)
		}
	}
	return states, unknown
}

func (m *merger) applyOverride(coordinate string, sources fieldSources, states []overrideState, i, fromIdx int) {
	sg, from := m.subgraphs[i].name, m.subgraphs[fromIdx].name
	fromField := sources[fromIdx]
	conflict := ""
	switch {
	case fromField.requires != nil:
		conflict = "@requires in subgraph \"" + from + "\""
	case fromField.provides != nil:
		conflict = "@provides in subgraph \"" + from + "\""
	case sources[i].external:
		conflict = "@external in subgraph \"" + sg + "\""
	}
	if conflict != "" {
		m.report.errorf(CodeOverrideCollision, coordinate, []string{sg, from},
			"[%s] @override(from: %q) on %q cannot be used because the field is marked %s; remove that directive or the @override", sg, from, coordinate, conflict)
		return
	}
	if fromField.external {
		m.report.warnf("[%s] field %q is @external in subgraph %q, which therefore no longer resolves it: the @override can be removed", sg, coordinate, from)
		return
	}
	if m.subgraphs[fromIdx].usedFields[coordinate] {
		states[fromIdx] = usedOverridden
		m.report.warnf("[%s] field %q is overridden by subgraph %q but still used by a @key, @requires, @provides or interface there; consider marking it @external in %q", from, coordinate, sg, from)
		return
	}
	states[fromIdx] = unusedOverridden
	m.report.warnf("[%s] field %q is overridden by subgraph %q; consider removing it from %q", from, coordinate, sg, from)
}

// checkSharing enforces federation 2's rule: a field resolved by more than
// one subgraph must be @shareable (or a key field) in all of them.
func (m *merger) checkSharing(t *superType, coordinate string, sources fieldSources, states []overrideState, unknownTarget map[int]string) {
	var resolving, nonShareable []string
	typo := ""
	for i, f := range sources {
		if f == nil || states[i] != notOverridden {
			continue
		}
		sg := m.subgraphs[i]
		if t.name == "Subscription" && f.shareable && sg.fed2 {
			m.report.errorf(CodeInvalidFieldSharing, coordinate, []string{sg.name},
				"[%s] subscription root field %q cannot be @shareable: each subscription must be served by one subgraph; remove @shareable", sg.name, coordinate)
		}
		provided := sg.providedFields[coordinate]
		if f.external && !provided {
			continue
		}
		resolving = append(resolving, sg.name)
		// Key fields and the @external fields a @provides reaches are
		// shareable in their subgraph without saying so.
		if !f.shareable && !sg.keyFields[coordinate] && !provided {
			nonShareable = append(nonShareable, sg.name)
			if from, ok := unknownTarget[i]; ok && typo == "" {
				typo = " (subgraph \"" + sg.name + "\" has @override(from: \"" + from + "\"), which names no subgraph: is it misspelled?)"
			}
		}
	}
	if len(nonShareable) == 0 || len(resolving) < 2 {
		return
	}
	which := "all of them"
	if len(nonShareable) < len(resolving) {
		which = quoteList(nonShareable)
	}
	m.report.errorf(CodeInvalidFieldSharing, coordinate, resolving,
		"non-shareable field %q is resolved from multiple subgraphs: it is resolved from %s and defined as non-shareable in %s%s. Mark it @shareable in every subgraph that resolves it, or keep it in one subgraph (use @external elsewhere, or @override to move it)",
		coordinate, quoteList(resolving), which, typo)
}

// checkExternalTypes: an @external declaration must have the merged type
// (or a subtype of it when the subgraphs disagree).
func (m *merger) checkExternalTypes(coordinate string, merged *ast.Type, sources fieldSources, allEqual bool) {
	var bad []string
	for i, f := range sources {
		if f == nil || !f.external {
			continue
		}
		if sameType(merged, f.typ) || (!allEqual && m.isSubtype(merged, f.typ)) {
			continue
		}
		bad = append(bad, m.subgraphs[i].name+" ("+f.typ.String()+")")
	}
	if len(bad) > 0 {
		m.report.errorf(CodeExternalTypeMismatch, coordinate, definersOf(m, sources),
			"field %q has type %q in the supergraph, but its @external declaration has an incompatible type in %s; declare it with type %q",
			coordinate, merged.String(), quoteList(bad), merged.String())
	}
}

func definersOf(m *merger, sources fieldSources) []string {
	var out []string
	for i, f := range sources {
		if f != nil {
			out = append(out, m.subgraphs[i].name)
		}
	}
	return out
}
