package engine

import (
	"slices"
	"strings"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
)

// subgraphFacts answers, from the planner's own datasource metadata,
// which subgraphs resolve a field and by which keys they resolve a type,
// so that a report names what the planner saw.
type subgraphFacts struct {
	sources []plan.DataSource
}

func newSubgraphFacts(sources []plan.DataSource) *subgraphFacts {
	return &subgraphFacts{sources: sources}
}

// resolvers returns the subgraphs that resolve typeName.field themselves
// (not as @external), sorted.
func (g *subgraphFacts) resolvers(typeName, field string) []string {
	var out []string
	for _, ds := range g.sources {
		if ds.HasRootNode(typeName, field) || ds.HasChildNode(typeName, field) {
			out = append(out, ds.Name())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// keys returns the key field sets subgraph has for typeName: those it
// resolves the type by (entity lookups), or with all set, also those it
// only holds the fields of (implicit keys, resolvable: false).
func (g *subgraphFacts) keys(subgraph, typeName string, all bool) []string {
	var out []string
	for _, ds := range g.sources {
		if ds.Name() != subgraph {
			continue
		}
		for _, k := range ds.FederationConfiguration().Keys {
			if k.TypeName == typeName && k.FieldName == "" && (all || !k.DisableEntityResolver) {
				out = append(out, strings.Join(strings.Fields(k.SelectionSet), " "))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// probeSelection returns a selection for the value of parent.field other
// than __typename: the first field of its type that a subgraph resolving
// parent.field resolves too, inside an inline fragment on the first
// member that has one for a union; "" when there is none.
func (c *satisfiabilityChecker) probeSelection(parent, field string) string {
	d := c.schema.types[parent]
	if d == nil {
		return ""
	}
	f := d.Fields.ForName(field)
	if f == nil {
		return ""
	}
	owners := c.graphs.resolvers(parent, field)
	pick := func(typeName string) string {
		for _, g := range c.schema.fields(typeName) {
			if !intersects(c.graphs.resolvers(typeName, g.Name), owners) || hasRequiredArguments(g) {
				continue
			}
			if c.schema.isComposite(g.Type.Name()) {
				return g.Name + " { __typename }"
			}
			return g.Name
		}
		return ""
	}
	if sel := pick(f.Type.Name()); sel != "" {
		return sel
	}
	for _, member := range c.schema.possible[f.Type.Name()] {
		if sel := pick(member); sel != "" {
			return "... on " + member + " { " + sel + " }"
		}
	}
	return ""
}

func hasRequiredArguments(f *gqlast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

// describe turns a field that did not plan into its report entry: the
// subgraphs on both sides and, from their keys, what link is missing.
func (c *satisfiabilityChecker) describe(n *reachNode, field string, fail fieldPlanFailure) Unsatisfiable {
	u := Unsatisfiable{
		Type: n.typeName, Field: field, Path: n.fieldPath(field), Operation: n.operation,
		Query: fail.query, Reason: fail.reason,
		ParentSubgraphs: slices.Clone(n.via),
		FieldSubgraphs:  c.graphs.resolvers(n.typeName, field),
		EntityKeys:      map[string][]string{},
	}
	for _, s := range u.FieldSubgraphs {
		if keys := c.graphs.keys(s, n.typeName, false); len(keys) > 0 {
			u.EntityKeys[s] = keys
		}
	}
	u.SharedFields = c.sharedFields(n.typeName, u.ParentSubgraphs, u.FieldSubgraphs)
	u.Lookups = c.lookups(n.typeName, u.FieldSubgraphs)
	u.Cause = c.cause(u)
	return u
}

// cause classifies u by the keys of its subgraphs.
func (c *satisfiabilityChecker) cause(u Unsatisfiable) Cause {
	if len(u.ParentSubgraphs) == 0 || len(u.FieldSubgraphs) == 0 || intersects(u.ParentSubgraphs, u.FieldSubgraphs) {
		return CauseOther // no jump needed, or nothing to jump to
	}
	if len(u.EntityKeys) == 0 {
		return CauseNoEntity
	}
	for _, p := range u.ParentSubgraphs {
		held := c.graphs.keys(p, u.Type, true)
		for _, keys := range u.EntityKeys {
			if intersects(held, keys) {
				return CauseOther
			}
		}
	}
	return CauseKeyUnavailable
}

// sharedFields returns the leaf fields of typeName that one of parents and
// one of owners both resolve, the likeliest keys first: "id" and ID
// fields, then non-null ones.
func (c *satisfiabilityChecker) sharedFields(typeName string, parents, owners []string) []string {
	type candidate struct {
		name string
		rank int
	}
	var found []candidate
	for _, f := range c.schema.fields(typeName) {
		if c.schema.isComposite(f.Type.Name()) || f.Type.Elem != nil || len(f.Arguments) > 0 {
			continue
		}
		by := c.graphs.resolvers(typeName, f.Name)
		if !intersects(by, parents) || !intersects(by, owners) {
			continue
		}
		rank := 2
		switch {
		case f.Name == "id" || f.Type.Name() == "ID":
			rank = 0
		case f.Type.NonNull:
			rank = 1
		}
		found = append(found, candidate{f.Name, rank})
	}
	slices.SortStableFunc(found, func(a, b candidate) int { return a.rank - b.rank })
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.name
	}
	return out
}

// lookups returns the root query fields of owners that return typeName.
func (c *satisfiabilityChecker) lookups(typeName string, owners []string) []Lookup {
	var out []Lookup
	for _, r := range c.schema.roots {
		if r.operation != "query" {
			continue
		}
		for _, f := range c.schema.fields(r.typeName) {
			if f.Type.Name() != typeName {
				continue
			}
			for _, s := range c.graphs.resolvers(r.typeName, f.Name) {
				if slices.Contains(owners, s) {
					out = append(out, Lookup{Subgraph: s, Field: f.Name, Arguments: lookupArguments(f), List: isList(f.Type)})
				}
			}
		}
	}
	return out
}

func lookupArguments(f *gqlast.FieldDefinition) []LookupArgument {
	out := make([]LookupArgument, len(f.Arguments))
	for i, a := range f.Arguments {
		out[i] = LookupArgument{Name: a.Name, Type: a.Type.String()}
	}
	return out
}

func isList(t *gqlast.Type) bool { return t.Elem != nil }

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
