package engine

import (
	"strconv"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
)

// subgraphBuilder collects one subgraph's share of the supergraph: the types
// and fields it resolves, as SDL with federation directives and as planner
// metadata.
type subgraphBuilder struct {
	graph    graphInfo
	defs     []*gqlast.Definition
	metadata plan.DataSourceMetadata
	enums    map[string]string
}

func newSubgraphBuilder(g graphInfo) *subgraphBuilder {
	return &subgraphBuilder{graph: g}
}

func (b *subgraphBuilder) addType(d *gqlast.Definition, joins []typeJoin, enumToName map[string]string,
	roots map[string]string, implementers map[string][]string) {
	g := b.graph.name
	switch d.Kind {
	case gqlast.Object, gqlast.Interface:
		b.addComposite(d, joins, enumToName, roots, implementers)
	case gqlast.Union:
		members := d.Types
		if dirs := d.Directives.ForNames("join__unionMember"); len(dirs) > 0 {
			members = nil
			for _, dir := range dirs {
				if enumToName[argRaw(dir, "graph")] == g {
					members = append(members, argRaw(dir, "member"))
				}
			}
		}
		if len(members) > 0 {
			b.defs = append(b.defs, &gqlast.Definition{Kind: d.Kind, Name: d.Name, Types: members})
		}
	case gqlast.Enum:
		out := &gqlast.Definition{Kind: d.Kind, Name: d.Name}
		for _, v := range d.EnumValues {
			dirs := v.Directives.ForNames("join__enumValue")
			mine := len(dirs) == 0
			for _, dir := range dirs {
				mine = mine || enumToName[argRaw(dir, "graph")] == g
			}
			if mine {
				out.EnumValues = append(out.EnumValues, &gqlast.EnumValueDefinition{Name: v.Name})
			}
		}
		if len(out.EnumValues) > 0 {
			b.defs = append(b.defs, out)
		}
	case gqlast.InputObject:
		out := &gqlast.Definition{Kind: d.Kind, Name: d.Name}
		for _, f := range d.Fields {
			fj, hasAny := fieldJoins(f, enumToName)
			if hasAny && !hasGraph(fj, g) {
				continue
			}
			out.Fields = append(out.Fields, &gqlast.FieldDefinition{Name: f.Name, Type: f.Type, DefaultValue: f.DefaultValue})
		}
		if len(out.Fields) > 0 {
			b.defs = append(b.defs, out)
		}
	case gqlast.Scalar:
		b.defs = append(b.defs, &gqlast.Definition{Kind: d.Kind, Name: d.Name})
	}
}

func hasGraph(joins []fieldJoin, g string) bool {
	for _, j := range joins {
		if j.graph == g {
			return true
		}
	}
	return false
}

func (b *subgraphBuilder) addComposite(d *gqlast.Definition, joins []typeJoin, enumToName map[string]string,
	roots map[string]string, implementers map[string][]string) {
	g := b.graph.name
	out := &gqlast.Definition{Kind: d.Kind, Name: d.Name}
	isEntity, isInterfaceObject := false, false
	for _, j := range joins {
		if j.isInterfaceObject {
			isInterfaceObject = true
			out.Kind = gqlast.Object
		}
	}
	for _, j := range joins {
		if j.key == "" {
			continue
		}
		isEntity = true
		if j.resolvable {
			out.Directives = append(out.Directives, directive("key", "fields", j.key))
		} else {
			out.Directives = append(out.Directives, &gqlast.Directive{Name: "key", Arguments: gqlast.ArgumentList{
				{Name: "fields", Value: &gqlast.Value{Kind: gqlast.StringValue, Raw: j.key}},
				{Name: "resolvable", Value: &gqlast.Value{Kind: gqlast.BooleanValue, Raw: "false"}},
			}})
		}
		b.metadata.Keys = append(b.metadata.Keys, plan.FederationFieldConfiguration{
			TypeName: d.Name, SelectionSet: j.key, DisableEntityResolver: !j.resolvable,
		})
		// An @interfaceObject stands for every type implementing the
		// interface: the planner needs the key of each, as if the subgraph
		// declared them (it cannot, not knowing the types).
		if isInterfaceObject {
			for _, c := range implementers[d.Name] {
				b.metadata.Keys = append(b.metadata.Keys, plan.FederationFieldConfiguration{
					TypeName: c, SelectionSet: j.key, DisableEntityResolver: !j.resolvable,
				})
			}
		}
	}
	if isInterfaceObject {
		out.Directives = append(out.Directives, &gqlast.Directive{Name: "interfaceObject"})
		b.metadata.InterfaceObjects = append(b.metadata.InterfaceObjects, plan.EntityInterfaceConfiguration{
			InterfaceTypeName: d.Name, ConcreteTypeNames: implementers[d.Name],
		})
	} else if d.Kind == gqlast.Interface && isEntity {
		b.metadata.EntityInterfaces = append(b.metadata.EntityInterfaces, plan.EntityInterfaceConfiguration{
			InterfaceTypeName: d.Name, ConcreteTypeNames: implementers[d.Name],
		})
	}
	if dirs := d.Directives.ForNames("join__implements"); len(dirs) > 0 {
		for _, dir := range dirs {
			if enumToName[argRaw(dir, "graph")] == g {
				out.Interfaces = append(out.Interfaces, argRaw(dir, "interface"))
			}
		}
	} else if !isInterfaceObject {
		out.Interfaces = d.Interfaces
	}

	tf := plan.TypeField{TypeName: d.Name}
	for _, f := range d.Fields {
		fj, hasAny := fieldJoins(f, enumToName)
		var mine *fieldJoin
		for i := range fj {
			if fj[i].graph == g {
				mine = &fj[i]
				break
			}
		}
		if hasAny && mine == nil {
			continue
		}
		sf := &gqlast.FieldDefinition{Name: f.Name, Type: f.Type, Arguments: subgraphArguments(f.Arguments)}
		external := false
		if mine != nil {
			if mine.typ != "" {
				if t, err := parseTypeRef(mine.typ); err == nil {
					sf.Type = t
				}
			}
			external = mine.external || mine.usedOverridden
			if mine.requires != "" {
				sf.Directives = append(sf.Directives, directive("requires", "fields", mine.requires))
				b.metadata.Requires = append(b.metadata.Requires, plan.FederationFieldConfiguration{
					TypeName: d.Name, FieldName: f.Name, SelectionSet: mine.requires,
				})
			}
			if mine.provides != "" {
				sf.Directives = append(sf.Directives, directive("provides", "fields", mine.provides))
				b.metadata.Provides = append(b.metadata.Provides, plan.FederationFieldConfiguration{
					TypeName: d.Name, FieldName: f.Name, SelectionSet: mine.provides,
				})
			}
		}
		if external {
			sf.Directives = append(sf.Directives, &gqlast.Directive{Name: "external"})
			tf.ExternalFieldNames = append(tf.ExternalFieldNames, f.Name)
		} else {
			tf.FieldNames = append(tf.FieldNames, f.Name)
		}
		out.Fields = append(out.Fields, sf)
	}
	if len(out.Fields) == 0 {
		return
	}
	b.defs = append(b.defs, out)
	isRoot := d.Name == roots["query"] || d.Name == roots["mutation"] || d.Name == roots["subscription"]
	if isRoot || isEntity || isInterfaceObject {
		b.metadata.RootNodes = append(b.metadata.RootNodes, tf)
		if isInterfaceObject {
			for _, c := range implementers[d.Name] {
				b.metadata.RootNodes = append(b.metadata.RootNodes, plan.TypeField{
					TypeName: c, FieldNames: tf.FieldNames, ExternalFieldNames: tf.ExternalFieldNames,
				})
			}
		}
	} else {
		b.metadata.ChildNodes = append(b.metadata.ChildNodes, tf)
	}
}

// subgraphArguments copies argument definitions without supergraph
// directives.
func subgraphArguments(args gqlast.ArgumentDefinitionList) gqlast.ArgumentDefinitionList {
	if len(args) == 0 {
		return nil
	}
	out := make(gqlast.ArgumentDefinitionList, 0, len(args))
	for _, a := range args {
		out = append(out, &gqlast.ArgumentDefinition{Name: a.Name, Type: a.Type, DefaultValue: a.DefaultValue})
	}
	return out
}

func directive(name, arg, value string) *gqlast.Directive {
	return &gqlast.Directive{Name: name, Arguments: gqlast.ArgumentList{{
		Name: arg, Value: &gqlast.Value{Kind: gqlast.StringValue, Raw: value},
	}}}
}

// parseTypeRef parses a type reference such as "[String!]!".
func parseTypeRef(s string) (*gqlast.Type, error) {
	var t *gqlast.Type
	switch {
	case len(s) > 0 && s[len(s)-1] == '!':
		inner, err := parseTypeRef(s[:len(s)-1])
		if err != nil {
			return nil, err
		}
		inner.NonNull = true
		return inner, nil
	case len(s) > 1 && s[0] == '[' && s[len(s)-1] == ']':
		elem, err := parseTypeRef(s[1 : len(s)-1])
		if err != nil {
			return nil, err
		}
		t = &gqlast.Type{Elem: elem}
	case s != "":
		t = &gqlast.Type{NamedType: s}
	default:
		return nil, strconv.ErrSyntax
	}
	return t, nil
}

func (b *subgraphBuilder) build(roots map[string]string) (*subgraphView, error) {
	return &subgraphView{graph: b.graph, sdl: printSchema(b.defs, roots), metadata: b.metadata}, nil
}
