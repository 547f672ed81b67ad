package engine

import (
	"slices"

	gqlast "github.com/vektah/gqlparser/v2/ast"
)

// implicitKeys returns the keys a subgraph can provide for an entity
// without declaring them.
//
// An entity's keys are how the planner moves between subgraphs: from a
// subgraph that holds the key's fields to one that resolves the entity by
// it. Composition records only the keys each subgraph declares, so a
// subgraph that resolves User.email but declares @key(fields: "id") — or no
// key at all — could not lead to a subgraph keyed by email, and a query
// needing that jump would not plan. Apollo's query planner derives such
// jumps from the fields themselves; here each one becomes a
// non-resolvable key (@join__type(graph:, key:, resolvable: false)) of the
// subgraph that holds every field of another subgraph's key and does not
// declare it.
//
// A key field the subgraph marks @external counts when one of its
// @provides selects it: the subgraph can send it where it is provided, and
// the planner uses the key only where its fields are available.
func implicitKeys(d *gqlast.Definition, joins []typeJoin, byName map[string]*gqlast.Definition, enumToName map[string]string, provided map[string]map[string]bool) []typeJoin {
	if d.Kind != gqlast.Object && d.Kind != gqlast.Interface {
		return nil
	}
	var keys []string
	declared := map[string]map[string]bool{} // graph → keys it declares
	for _, j := range joins {
		if declared[j.graph] == nil {
			declared[j.graph] = map[string]bool{}
		}
		if j.key == "" {
			continue
		}
		if !declared[j.graph][j.key] {
			declared[j.graph][j.key] = true
		}
		if !slices.Contains(keys, j.key) {
			keys = append(keys, j.key)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var out []typeJoin
	for _, j := range joins {
		g := j.graph
		if j.isInterfaceObject || declared[g] == nil {
			continue
		}
		for _, k := range keys {
			if declared[g][k] {
				continue
			}
			set, err := parseFieldSet(k)
			if err != nil || !holdsFieldSet(g, d, set, byName, enumToName, provided[g]) {
				continue
			}
			declared[g][k] = true
			out = append(out, typeJoin{graph: g, key: k, resolvable: false})
		}
	}
	return out
}

// holdsFieldSet reports whether graph g resolves every field of set on d
// itself (not as @external unless provided), nested selections included.
func holdsFieldSet(g string, d *gqlast.Definition, set []*fieldSetNode, byName map[string]*gqlast.Definition, enumToName map[string]string, provided map[string]bool) bool {
	for _, n := range set {
		f := d.Fields.ForName(n.name)
		if f == nil {
			return false
		}
		if joins, hasAny := fieldJoins(f, enumToName); hasAny {
			var mine *fieldJoin
			for i := range joins {
				if joins[i].graph == g {
					mine = &joins[i]
				}
			}
			if mine == nil || mine.usedOverridden || mine.external && !provided[d.Name+"."+n.name] {
				return false
			}
		}
		if len(n.children) == 0 {
			continue
		}
		inner := byName[f.Type.Name()]
		if inner == nil || !typeInGraph(inner, g, enumToName) || !holdsFieldSet(g, inner, n.children, byName, enumToName, provided) {
			return false
		}
	}
	return true
}

// typeInGraph reports whether graph g has type d.
func typeInGraph(d *gqlast.Definition, g string, enumToName map[string]string) bool {
	joins := typeJoins(d, enumToName)
	if len(joins) == 0 {
		return true
	}
	for _, j := range joins {
		if j.graph == g {
			return true
		}
	}
	return false
}

// providedFields lists, per graph, the coordinates (Type.field) its
// @provides select. A selection on an interface or union counts for each
// of its object types (a fragment's type condition is not kept, so a
// fragment's fields count for all of them).
func providedFields(defs []*gqlast.Definition, byName map[string]*gqlast.Definition, enumToName map[string]string, implementers map[string][]string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	var mark func(g, typeName string, set []*fieldSetNode)
	mark = func(g, typeName string, set []*fieldSetNode) {
		d := byName[typeName]
		if d == nil {
			return
		}
		types := []string{typeName}
		types = append(types, implementers[typeName]...)
		types = append(types, d.Types...)
		for _, n := range set {
			for _, t := range types {
				out[g][t+"."+n.name] = true
			}
			if len(n.children) == 0 {
				continue
			}
			for _, t := range types {
				if td := byName[t]; td != nil {
					if f := td.Fields.ForName(n.name); f != nil {
						mark(g, f.Type.Name(), n.children)
					}
				}
			}
		}
	}
	for _, d := range defs {
		for _, f := range d.Fields {
			joins, _ := fieldJoins(f, enumToName)
			for _, j := range joins {
				if j.provides == "" {
					continue
				}
				set, err := parseFieldSet(j.provides)
				if err != nil {
					continue
				}
				if out[j.graph] == nil {
					out[j.graph] = map[string]bool{}
				}
				mark(j.graph, f.Type.Name(), set)
			}
		}
	}
	return out
}
