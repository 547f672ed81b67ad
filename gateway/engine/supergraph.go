package engine

import (
	"bytes"
	"fmt"
	"strings"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
)

// graphInfo is one subgraph as the supergraph's join__Graph enum names it.
type graphInfo struct {
	enum string // join__Graph enum value, e.g. ACCOUNTS
	name string // subgraph name, e.g. accounts
	url  string
}

// subgraphView is what the planner needs of one subgraph: its SDL (rebuilt
// from the join directives) and its datasource metadata.
type subgraphView struct {
	graph    graphInfo
	sdl      string
	metadata plan.DataSourceMetadata
}

// supergraph is a parsed Apollo join-spec supergraph.
type supergraph struct {
	graphs    []graphInfo
	views     map[string]*subgraphView // by subgraph name
	clientSDL string
	// planSDL is the whole schema, @inaccessible parts included: the
	// planner needs them (a @requires may select an inaccessible field),
	// while clients' operations are validated against clientSDL.
	planSDL string
	// inaccessible names the object types hidden from clients.
	inaccessible map[string]bool
	// argFields lists every field with arguments: the planner drops an
	// argument silently unless its field is configured.
	argFields plan.FieldConfigurations
	roots     map[string]string // operation → root type name
	// costs are the @cost/@listSize directives, by coordinate; nil when
	// the supergraph has none.
	costs *plan.DataSourceCostConfig
}

// typeJoin is one @join__type on a definition.
type typeJoin struct {
	graph             string
	key               string
	resolvable        bool
	extension         bool
	isInterfaceObject bool
}

// fieldJoin is one @join__field on a field.
type fieldJoin struct {
	graph          string
	external       bool
	requires       string
	provides       string
	typ            string
	usedOverridden bool
}

// parseSupergraph reads a supergraph SDL in the Apollo join spec (v0.2–v0.5).
func parseSupergraph(sdl string) (*supergraph, error) {
	doc, err := parser.ParseSchema(&gqlast.Source{Name: "supergraph", Input: sdl})
	if err != nil {
		return nil, fmt.Errorf("supergraph SDL does not parse: %w", err)
	}
	sg := &supergraph{views: map[string]*subgraphView{}, roots: map[string]string{
		"query": "Query", "mutation": "Mutation", "subscription": "Subscription",
	}}
	for _, list := range [][]*gqlast.SchemaDefinition{doc.Schema, doc.SchemaExtension} {
		for _, s := range list {
			for _, ot := range s.OperationTypes {
				sg.roots[string(ot.Operation)] = ot.Type
			}
		}
	}
	defs := mergeExtensions(doc)
	byName := map[string]*gqlast.Definition{}
	for _, d := range defs {
		byName[d.Name] = d
	}
	graphEnum := byName["join__Graph"]
	if graphEnum == nil {
		return nil, fmt.Errorf("supergraph SDL has no join__Graph enum: it is not a federation supergraph (compose it with `gateway compose`, rover or wgc)")
	}
	enumToName := map[string]string{}
	for _, v := range graphEnum.EnumValues {
		d := v.Directives.ForName("join__graph")
		if d == nil {
			return nil, fmt.Errorf("supergraph: join__Graph value %s has no @join__graph(name:, url:)", v.Name)
		}
		g := graphInfo{enum: v.Name, name: argString(d, "name"), url: argString(d, "url")}
		if g.name == "" {
			g.name = strings.ToLower(v.Name)
		}
		sg.graphs = append(sg.graphs, g)
		enumToName[v.Name] = g.name
	}
	if len(sg.graphs) == 0 {
		return nil, fmt.Errorf("supergraph: join__Graph lists no subgraphs")
	}

	implementers := map[string][]string{} // interface → object types (supergraph-wide)
	for _, d := range defs {
		if d.Kind == gqlast.Object {
			for _, i := range d.Interfaces {
				implementers[i] = append(implementers[i], d.Name)
			}
		}
	}

	provided := providedFields(defs, byName, enumToName, implementers)
	builders := map[string]*subgraphBuilder{}
	for _, g := range sg.graphs {
		builders[g.name] = newSubgraphBuilder(g)
	}
	var client, whole []*gqlast.Definition
	sg.inaccessible = map[string]bool{}
	hidden := map[string]bool{}
	for _, d := range defs {
		if isInaccessible(d.Directives) {
			hidden[d.Name] = true
		}
	}
	for _, d := range defs {
		if isSpecType(d.Name) {
			continue
		}
		joins := typeJoins(d, enumToName)
		joins = append(joins, implicitKeys(d, joins, byName, enumToName, provided)...)
		graphsOfType := map[string]bool{}
		for _, j := range joins {
			graphsOfType[j.graph] = true
		}
		if len(joins) == 0 { // no join info: every subgraph has it
			for _, g := range sg.graphs {
				graphsOfType[g.name] = true
			}
		}
		for _, g := range sg.graphs {
			if !graphsOfType[g.name] {
				continue
			}
			var mine []typeJoin
			for _, j := range joins {
				if j.graph == g.name {
					mine = append(mine, j)
				}
			}
			builders[g.name].addType(d, mine, enumToName, sg.roots, implementers)
		}
		if c := clientDefinition(d, hidden); c != nil {
			client = append(client, c)
		} else if d.Kind == gqlast.Object {
			sg.inaccessible[d.Name] = true
		}
		whole = append(whole, planDefinition(d))
	}
	for _, d := range whole {
		if d.Kind != gqlast.Object && d.Kind != gqlast.Interface {
			continue
		}
		for _, f := range d.Fields {
			if len(f.Arguments) == 0 {
				continue
			}
			fc := plan.FieldConfiguration{TypeName: d.Name, FieldName: f.Name}
			for _, a := range f.Arguments {
				fc.Arguments = append(fc.Arguments, plan.ArgumentConfiguration{
					Name: a.Name, SourceType: plan.FieldArgumentSource,
					RenderConfig: plan.RenderArgumentAsJSONValue,
				})
			}
			sg.argFields = append(sg.argFields, fc)
		}
	}
	sg.clientSDL = printSchema(client, sg.roots)
	sg.planSDL = printSchema(whole, sg.roots) + inaccessibleDirectiveSDL
	sg.costs = readCosts(defs)
	for _, g := range sg.graphs {
		v, err := builders[g.name].build(sg.roots)
		if err != nil {
			return nil, err
		}
		sg.views[g.name] = v
	}
	return sg, nil
}

// mergeExtensions folds `extend type` definitions into their base types.
func mergeExtensions(doc *gqlast.SchemaDocument) []*gqlast.Definition {
	out := append([]*gqlast.Definition(nil), doc.Definitions...)
	index := map[string]*gqlast.Definition{}
	for _, d := range out {
		index[d.Name] = d
	}
	for _, e := range doc.Extensions {
		base := index[e.Name]
		if base == nil {
			c := *e
			out = append(out, &c)
			index[e.Name] = &c
			continue
		}
		base.Directives = append(base.Directives, e.Directives...)
		base.Interfaces = append(base.Interfaces, e.Interfaces...)
		base.Fields = append(base.Fields, e.Fields...)
		base.Types = append(base.Types, e.Types...)
		base.EnumValues = append(base.EnumValues, e.EnumValues...)
	}
	return out
}

// isSpecType reports the supergraph's own machinery, never shown to clients.
func isSpecType(name string) bool {
	return strings.HasPrefix(name, "join__") || strings.HasPrefix(name, "link__") ||
		strings.HasPrefix(name, "__") || name == "_Any" || name == "_Entity" ||
		name == "_Service" || name == "_FieldSet" || name == "FieldSet"
}

func typeJoins(d *gqlast.Definition, enumToName map[string]string) []typeJoin {
	var out []typeJoin
	for _, dir := range d.Directives.ForNames("join__type") {
		j := typeJoin{graph: enumToName[argRaw(dir, "graph")], key: argString(dir, "key"), resolvable: true}
		if v := argRaw(dir, "resolvable"); v == "false" {
			j.resolvable = false
		}
		j.extension = argRaw(dir, "extension") == "true"
		j.isInterfaceObject = argRaw(dir, "isInterfaceObject") == "true"
		if j.graph != "" {
			out = append(out, j)
		}
	}
	return out
}

func fieldJoins(f *gqlast.FieldDefinition, enumToName map[string]string) (joins []fieldJoin, hasAny bool) {
	for _, dir := range f.Directives.ForNames("join__field") {
		hasAny = true
		g := enumToName[argRaw(dir, "graph")]
		if g == "" {
			continue
		}
		joins = append(joins, fieldJoin{
			graph:          g,
			external:       argRaw(dir, "external") == "true",
			requires:       argString(dir, "requires"),
			provides:       argString(dir, "provides"),
			typ:            argString(dir, "type"),
			usedOverridden: argRaw(dir, "usedOverridden") == "true",
		})
	}
	return joins, hasAny
}

func argRaw(d *gqlast.Directive, name string) string {
	if a := d.Arguments.ForName(name); a != nil && a.Value != nil {
		return a.Value.Raw
	}
	return ""
}

func argString(d *gqlast.Directive, name string) string { return argRaw(d, name) }

// hiddenDirectives are stripped from the client schema.
func keepClientDirective(name string) bool {
	switch name {
	case "deprecated", "specifiedBy", "oneOf":
		return true
	}
	return false
}

func isInaccessible(dirs gqlast.DirectiveList) bool {
	return dirs.ForName("inaccessible") != nil
}

func clientDirectives(dirs gqlast.DirectiveList) gqlast.DirectiveList {
	var out gqlast.DirectiveList
	for _, d := range dirs {
		if keepClientDirective(d.Name) {
			out = append(out, d)
		}
	}
	return out
}

// clientDefinition is d as clients see it, or nil when it is hidden;
// hidden names the types that are.
func clientDefinition(d *gqlast.Definition, hidden map[string]bool) *gqlast.Definition {
	if hidden[d.Name] {
		return nil
	}
	c := schemaDefinition(d, true)
	visible := func(names []string) []string {
		var out []string
		for _, n := range names {
			if !hidden[n] {
				out = append(out, n)
			}
		}
		return out
	}
	c.Interfaces, c.Types = visible(d.Interfaces), visible(d.Types)
	return c
}

// planDefinition is d as the planner sees it: hidden parts included.
// Object types and enum values keep @inaccessible, by which
// graphql-go-tools answers a value of such a runtime type, or such an enum
// value from a subgraph, with null and an error that does not name it.
func planDefinition(d *gqlast.Definition) *gqlast.Definition {
	p := schemaDefinition(d, false)
	if d.Kind == gqlast.Object && isInaccessible(d.Directives) {
		p.Directives = append(p.Directives, &gqlast.Directive{Name: "inaccessible"})
	}
	for i, v := range d.EnumValues {
		if isInaccessible(v.Directives) {
			p.EnumValues[i].Directives = append(p.EnumValues[i].Directives, &gqlast.Directive{Name: "inaccessible"})
		}
	}
	return p
}

// inaccessibleDirectiveSDL declares the one supergraph directive the plan
// schema keeps.
const inaccessibleDirectiveSDL = "\ndirective @inaccessible on OBJECT | ENUM_VALUE\n"

// schemaDefinition copies d without the supergraph's directives, and
// without its @inaccessible parts when hide is set.
func schemaDefinition(d *gqlast.Definition, hide bool) *gqlast.Definition {
	c := &gqlast.Definition{Kind: d.Kind, Description: d.Description, Name: d.Name,
		Directives: clientDirectives(d.Directives), Interfaces: d.Interfaces, Types: d.Types}
	for _, f := range d.Fields {
		if hide && isInaccessible(f.Directives) {
			continue
		}
		cf := *f
		cf.Directives = clientDirectives(f.Directives)
		cf.Arguments = nil
		for _, a := range f.Arguments {
			if hide && isInaccessible(a.Directives) {
				continue
			}
			ca := *a
			ca.Directives = clientDirectives(a.Directives)
			cf.Arguments = append(cf.Arguments, &ca)
		}
		c.Fields = append(c.Fields, &cf)
	}
	for _, v := range d.EnumValues {
		if hide && isInaccessible(v.Directives) {
			continue
		}
		cv := *v
		cv.Directives = clientDirectives(v.Directives)
		c.EnumValues = append(c.EnumValues, &cv)
	}
	return c
}

// printSchema prints definitions as SDL, with a schema block when the root
// types are not the default names.
func printSchema(defs []*gqlast.Definition, roots map[string]string) string {
	doc := &gqlast.SchemaDocument{Definitions: defs}
	if roots["query"] != "Query" || roots["mutation"] != "Mutation" || roots["subscription"] != "Subscription" {
		sd := &gqlast.SchemaDefinition{}
		names := map[string]bool{}
		for _, d := range defs {
			names[d.Name] = true
		}
		for _, op := range []gqlast.Operation{gqlast.Query, gqlast.Mutation, gqlast.Subscription} {
			if t := roots[string(op)]; names[t] {
				sd.OperationTypes = append(sd.OperationTypes, &gqlast.OperationTypeDefinition{Operation: op, Type: t})
			}
		}
		doc.Schema = []*gqlast.SchemaDefinition{sd}
	}
	var buf bytes.Buffer
	formatter.NewFormatter(&buf, formatter.WithIndent("  ")).FormatSchemaDocument(doc)
	return buf.String()
}
