package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/resolve"
)

// planProblem returns why a plan the planner returned without error would
// still fail at run time, or "": an object it marks Unresolvable
// (resolving it is always an error), a root field it fetches from no
// subgraph, a field it fetches from one that does not resolve it, or a field it fetches from a
// subgraph that cannot be entered at the parent object's type (no
// resolvable key there). The planner has been seen to do the last two
// when it finds no way to a field: for { topProducts { books { title } } },
// where the only subgraph with Product.books has no @key on Product, it
// returned a plan that sent topProducts to that subgraph, which failed
// when run.
func (g *subgraphFacts) planProblem(p plan.Plan) string {
	var data *resolve.Object
	switch p := p.(type) {
	case *plan.SynchronousResponsePlan:
		if p.Response != nil {
			data = p.Response.Data
		}
	case *plan.SubscriptionResponsePlan:
		if p.Response != nil && p.Response.Response != nil {
			data = p.Response.Response.Data
		}
	}
	if data == nil {
		return ""
	}
	return g.walkPlan(data, nil, nil)
}

// walkPlan checks the fields below n; producers are the datasources that
// return n's objects (none at the root).
func (g *subgraphFacts) walkPlan(n resolve.Node, path, producers []string) string {
	switch n := n.(type) {
	case *resolve.Object:
		if n == nil {
			return ""
		}
		if n.Unresolvable {
			return fmt.Sprintf("the plan marks %s unresolvable: no type that can be returned there provides the fields selected", strings.Join(path, "."))
		}
		for _, f := range n.Fields {
			fieldPath := append(slices.Clip(path), string(f.Name))
			info := f.Info
			if info != nil && len(path) == 0 && len(info.Source.IDs) == 0 && !strings.HasPrefix(info.Name, "__") {
				return fmt.Sprintf("the plan fetches %s.%s (at %s) from no subgraph", info.ExactParentTypeName, info.Name, strings.Join(fieldPath, "."))
			}
			// Below the root, a field without a datasource of its own (a
			// union selected for __typename alone, say) comes with its
			// parent's fetch.
			if info == nil || len(info.Source.IDs) == 0 || strings.HasPrefix(info.Name, "__") {
				if problem := g.walkPlan(f.Value, fieldPath, producers); problem != "" {
					return problem
				}
				continue
			}
			coordinate := info.ExactParentTypeName + "." + info.Name
			if !g.sourcesResolve(info) {
				return fmt.Sprintf("the plan sends %s (at %s) to %s, which %s not resolve it",
					coordinate, strings.Join(fieldPath, "."), quoteList(info.Source.Names), plural(len(info.Source.Names), "does", "do"))
			}
			if len(producers) > 0 && !intersects(producers, info.Source.IDs) && !g.canEnter(info) {
				return fmt.Sprintf("the plan fetches %s (at %s) from %s for an object from %s, but %s no key to be entered at %s",
					coordinate, strings.Join(fieldPath, "."), quoteList(info.Source.Names), quoteList(producers),
					plural(len(info.Source.Names), "it has", "they have"), info.ExactParentTypeName)
			}
			if problem := g.walkPlan(f.Value, fieldPath, info.Source.IDs); problem != "" {
				return problem
			}
		}
	case *resolve.Array:
		return g.walkPlan(n.Item, path, producers)
	}
	return ""
}

// canEnter reports whether one of the datasources of a field can be
// entered at the field's parent type: it resolves the type by a key, or
// sees it as an interface object or entity interface.
func (g *subgraphFacts) canEnter(info *resolve.FieldInfo) bool {
	for _, ds := range g.sources {
		if !slices.Contains(info.Source.IDs, ds.Id()) {
			continue
		}
		for _, t := range append([]string{info.ExactParentTypeName}, info.ParentTypeNames...) {
			if len(ds.RequiredFieldsByKey(t)) > 0 || ds.HasInterfaceObject(t) || ds.HasEntityInterface(t) {
				return true
			}
		}
	}
	return false
}

// sourcesResolve reports whether one of the datasources the planner
// fetches a field from resolves it: as its own field, as an external
// field it @provides, or through an interface object or entity interface
// (whose fields it holds on the interface).
func (g *subgraphFacts) sourcesResolve(info *resolve.FieldInfo) bool {
	for _, ds := range g.sources {
		if !slices.Contains(info.Source.IDs, ds.Id()) {
			continue
		}
		for _, t := range append([]string{info.ExactParentTypeName}, info.ParentTypeNames...) {
			if ds.HasRootNode(t, info.Name) || ds.HasChildNode(t, info.Name) ||
				ds.HasExternalRootNode(t, info.Name) || ds.HasExternalChildNode(t, info.Name) ||
				ds.HasInterfaceObject(t) || ds.HasEntityInterface(t) {
				return true
			}
		}
	}
	return false
}

func quoteList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(out, " and ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
