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
func implicitKeys(d *gqlast.Definition, joins []typeJoin, byName map[string]*gqlast.Definition, enumToName map[string]string) []typeJoin {
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
			if err != nil || !holdsFieldSet(g, d, set, byName, enumToName) {
				continue
			}
			declared[g][k] = true
			out = append(out, typeJoin{graph: g, key: k, resolvable: false})
		}
	}
	return out
}

// holdsFieldSet reports whether graph g resolves every field of set on d
// itself (not as @external), nested selections included.
func holdsFieldSet(g string, d *gqlast.Definition, set []*fieldSetNode, byName map[string]*gqlast.Definition, enumToName map[string]string) bool {
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
			if mine == nil || mine.external || mine.usedOverridden {
				return false
			}
		}
		if len(n.children) == 0 {
			continue
		}
		inner := byName[f.Type.Name()]
		if inner == nil || !typeInGraph(inner, g, enumToName) || !holdsFieldSet(g, inner, n.children, byName, enumToName) {
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
