package engine

import (
	"strconv"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	"github.com/wundergraph/astjson"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/resolve"
)

// Cost analysis follows the IBM cost spec as Apollo and graphql-go-tools
// implement it: the supergraph's @cost(weight:) on types, fields and
// arguments and @listSize on list fields become the planner's cost
// configuration; the planner builds a cost tree with each plan, and a
// request's estimate multiplies it out with the request's variables.

// readCosts collects @cost and @listSize from the supergraph's definitions.
func readCosts(defs []*gqlast.Definition) *plan.DataSourceCostConfig {
	cfg := plan.NewDataSourceCostConfig()
	found := false
	for _, d := range defs {
		if w, ok := costWeight(d.Directives); ok {
			cfg.Types[d.Name], found = w, true
		}
		for _, f := range d.Fields {
			coord := plan.FieldCoordinate{TypeName: d.Name, FieldName: f.Name}
			fc := &plan.FieldCost{}
			if w, ok := costWeight(f.Directives); ok {
				fc.Weight, fc.HasWeight = w, true
			}
			for _, a := range f.Arguments {
				if w, ok := costWeight(a.Directives); ok {
					if fc.ArgumentWeights == nil {
						fc.ArgumentWeights = map[string]int{}
					}
					fc.ArgumentWeights[a.Name] = w
				}
			}
			if fc.HasWeight || fc.ArgumentWeights != nil {
				cfg.Weights[coord], found = fc, true
			}
			if ls := f.Directives.ForName("listSize"); ls != nil {
				cfg.ListSizes[coord], found = readListSize(ls), true
			}
		}
	}
	if !found {
		return nil
	}
	return cfg
}

func costWeight(dirs gqlast.DirectiveList) (int, bool) {
	d := dirs.ForName("cost")
	if d == nil {
		return 0, false
	}
	if a := d.Arguments.ForName("weight"); a != nil && a.Value != nil {
		if n, err := strconv.Atoi(a.Value.Raw); err == nil {
			return n, true
		}
	}
	return 0, false
}

func readListSize(d *gqlast.Directive) *plan.FieldListSize {
	ls := &plan.FieldListSize{RequireOneSlicingArgument: true}
	for _, a := range d.Arguments {
		if a.Value == nil {
			continue
		}
		switch a.Name {
		case "assumedSize":
			ls.AssumedSize, _ = strconv.Atoi(a.Value.Raw)
		case "slicingArguments":
			ls.SlicingArguments = stringList(a.Value)
		case "sizedFields":
			ls.SizedFields = stringList(a.Value)
		case "requireOneSlicingArgument":
			ls.RequireOneSlicingArgument = a.Value.Raw == "true"
		}
	}
	return ls
}

func stringList(v *gqlast.Value) []string {
	if v.Kind == gqlast.StringValue {
		return []string{v.Raw}
	}
	var out []string
	for _, c := range v.Children {
		if c.Value != nil {
			out = append(out, c.Value.Raw)
		}
	}
	return out
}

// copyCosts gives each datasource its own copy: the planner fills in
// slicing-argument defaults per datasource.
func copyCosts(c *plan.DataSourceCostConfig) *plan.DataSourceCostConfig {
	if c == nil {
		return nil
	}
	out := plan.NewDataSourceCostConfig()
	for k, v := range c.Types {
		out.Types[k] = v
	}
	for k, v := range c.Weights {
		out.Weights[k] = v
	}
	for k, v := range c.ListSizes {
		cp := *v
		out.ListSizes[k] = &cp
	}
	return out
}

// estimateCost is the planned operation's estimated cost with the
// request's variables, or -1 when the plan has no cost tree.
func estimateCost(p plan.Plan, variables *astjson.Value) int {
	calc := p.GetCostCalculator()
	if calc == nil {
		return -1
	}
	return calc.EstimateCost(resolve.NewVariablesView(variables, nil))
}
