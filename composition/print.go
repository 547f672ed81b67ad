package composition

import (
	"sort"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Spec URLs of the supergraph.
const (
	linkSpecURL         = "https://specs.apollo.dev/link/v1.0"
	joinSpecURL         = "https://specs.apollo.dev/join/v0.3"
	tagSpecURL          = "https://specs.apollo.dev/tag/v0.3"
	costSpecURL         = "https://specs.apollo.dev/cost/v0.1"
	inaccessibleSpecURL = "https://specs.apollo.dev/inaccessible/v0.2"
)

// specDirectives are the definitions every supergraph carries, by name.
var specDirectives = map[string]string{
	"join__enumValue":   "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE",
	"join__field":       "directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION",
	"join__graph":       "directive @join__graph(name: String!, url: String!) on ENUM_VALUE",
	"join__implements":  "directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE",
	"join__type":        "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR",
	"join__unionMember": "directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION",
	"link":              "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA",
}

const (
	inaccessibleDefinition = "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
	costDefinition         = "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR"
	listSizeDefinition     = "directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION"
	tagDefinition          = "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA"
)

// printer writes the supergraph SDL in the layout rover uses: schema,
// directive definitions sorted by name, then types sorted by name.
type printer struct {
	b                  strings.Builder
	m                  *merger
	inaccessible, tags bool
	cost               bool
}

func printSupergraph(m *merger) string {
	p := &printer{m: m}
	p.scanSpecUsage()
	p.schema()
	p.directiveDefinitions()
	p.types()
	return strings.TrimRight(p.b.String(), "\n") + "\n"
}

// scanSpecUsage finds whether @inaccessible and @tag are used, which decides
// whether their specs are linked.
func (p *printer) scanSpecUsage() {
	see := func(a applied) {
		p.inaccessible = p.inaccessible || a.inaccessible
		p.tags = p.tags || len(a.tags) > 0
		p.cost = p.cost || a.cost != nil || a.listSize != nil
	}
	for _, t := range p.m.types {
		see(t.applied)
		for _, f := range t.fields {
			see(f.applied)
			for _, a := range f.args {
				see(a.applied)
			}
		}
		for _, v := range t.values {
			see(v.applied)
		}
	}
}

func (p *printer) schema() {
	p.b.WriteString("schema\n")
	p.b.WriteString("  @link(url: \"" + linkSpecURL + "\")\n")
	p.b.WriteString("  @link(url: \"" + joinSpecURL + "\", for: EXECUTION)\n")
	if p.tags {
		p.b.WriteString("  @link(url: \"" + tagSpecURL + "\")\n")
	}
	if p.inaccessible {
		p.b.WriteString("  @link(url: \"" + inaccessibleSpecURL + "\", for: SECURITY)\n")
	}
	if p.cost {
		p.b.WriteString("  @link(url: \"" + costSpecURL + "\", import: [\"@cost\", \"@listSize\"])\n")
	}
	p.b.WriteString("{\n")
	for _, root := range rootOperations {
		if t := p.m.types[root.name]; t != nil && t.kind == ast.Object {
			p.b.WriteString("  " + string(root.op) + ": " + root.name + "\n")
		}
	}
	p.b.WriteString("}\n\n")
}

func (p *printer) directiveDefinitions() {
	defs := map[string]string{}
	for name, def := range specDirectives {
		defs[name] = def
	}
	if p.inaccessible {
		defs["inaccessible"] = inaccessibleDefinition
	}
	if p.tags {
		defs["tag"] = tagDefinition
	}
	if p.cost {
		defs["cost"] = costDefinition
		defs["listSize"] = listSizeDefinition
	}
	for _, d := range p.m.directives {
		var b strings.Builder
		writeDescription(&b, d.description, "")
		b.WriteString("directive @" + d.name)
		writeArgs(&b, d.args, "")
		if d.repeatable {
			b.WriteString(" repeatable")
		}
		locs := make([]string, len(d.locations))
		for i, l := range d.locations {
			locs[i] = string(l)
		}
		b.WriteString(" on " + strings.Join(locs, " | "))
		defs[d.name] = b.String()
	}
	names := make([]string, 0, len(defs))
	for name := range defs {
		names = append(names, name)
	}
	sortTypeNames(names)
	for _, name := range names {
		p.b.WriteString(strings.TrimRight(defs[name], "\n") + "\n\n")
	}
}

func sortTypeNames(names []string) {
	sort.Slice(names, func(a, b int) bool { return typeNameLess(names[a], names[b]) })
}

func (p *printer) types() {
	names := append([]string(nil), p.m.names...)
	names = append(names, "join__FieldSet", "join__Graph", "link__Import", "link__Purpose")
	sortTypeNames(names)
	for _, name := range names {
		switch name {
		case "join__FieldSet", "link__Import":
			p.b.WriteString("scalar " + name + "\n\n")
		case "join__Graph":
			p.b.WriteString("enum join__Graph {\n")
			for _, sg := range p.m.subgraphs {
				p.b.WriteString("  " + sg.graph + " @join__graph(name: " + quoteString(sg.name) + ", url: " + quoteString(sg.url) + ")\n")
			}
			p.b.WriteString("}\n\n")
		case "link__Purpose":
			p.b.WriteString("enum link__Purpose {\n" +
				"  \"\"\"\n  `SECURITY` features provide metadata necessary to securely resolve fields.\n  \"\"\"\n  SECURITY\n\n" +
				"  \"\"\"\n  `EXECUTION` features provide metadata necessary for operation execution.\n  \"\"\"\n  EXECUTION\n}\n\n")
		default:
			p.typ(p.m.types[name])
		}
	}
}

var kindKeyword = map[ast.DefinitionKind]string{
	ast.Object: "type", ast.Interface: "interface", ast.Union: "union",
	ast.Enum: "enum", ast.InputObject: "input", ast.Scalar: "scalar",
}

func (p *printer) typ(t *superType) {
	writeDescription(&p.b, t.description, "")
	p.b.WriteString(kindKeyword[t.kind] + " " + t.name)
	if len(t.implements) > 0 {
		p.b.WriteString(" implements " + strings.Join(t.implements, " & "))
	}
	directives := typeDirectives(t)
	for _, d := range directives {
		p.b.WriteString("\n  " + d)
	}
	switch t.kind {
	case ast.Scalar:
		p.b.WriteString("\n\n")
		return
	case ast.Union:
		if len(t.members) > 0 {
			if len(directives) > 0 {
				p.b.WriteString("\n")
			}
			p.b.WriteString(" = " + strings.Join(t.members, " | "))
		}
		p.b.WriteString("\n\n")
		return
	}
	if len(t.fields) == 0 && len(t.values) == 0 {
		// Composition rejects empty types; print defensively all the same.
		p.b.WriteString("\n\n")
		return
	}
	if len(directives) > 0 {
		p.b.WriteString("\n{\n")
	} else {
		p.b.WriteString(" {\n")
	}
	if t.kind == ast.Enum {
		for i, v := range t.values {
			p.blockItemDescription(v.description, i)
			p.b.WriteString("  " + v.name)
			for _, g := range v.graphs {
				p.b.WriteString(" @join__enumValue(graph: " + g + ")")
			}
			p.b.WriteString(appliedDirectives(v.applied) + "\n")
		}
	} else {
		for i, f := range t.fields {
			p.blockItemDescription(f.description, i)
			p.field(f)
		}
	}
	p.b.WriteString("}\n\n")
}

// blockItemDescription separates described items with a blank line, as
// graphql-js does.
func (p *printer) blockItemDescription(desc string, index int) {
	if desc == "" {
		return
	}
	if index > 0 {
		p.b.WriteString("\n")
	}
	writeDescription(&p.b, desc, "  ")
}

func (p *printer) field(f *superField) {
	p.b.WriteString("  " + f.name)
	writeArgs(&p.b, f.args, "  ")
	p.b.WriteString(": " + f.typ.String())
	if f.defaultValue != nil {
		p.b.WriteString(" = " + printValue(f.defaultValue))
	}
	for _, jf := range f.joinFields {
		p.b.WriteString(" " + jf.String())
	}
	p.b.WriteString(appliedDirectives(f.applied) + "\n")
}

func writeArgs(b *strings.Builder, args []*superArg, indent string) {
	if len(args) == 0 {
		return
	}
	multiline := false
	for _, a := range args {
		multiline = multiline || a.description != ""
	}
	b.WriteByte('(')
	for i, a := range args {
		if multiline {
			b.WriteString("\n")
			writeDescription(b, a.description, indent+"  ")
			b.WriteString(indent + "  ")
		} else if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.name + ": " + a.typ.String())
		if a.defaultValue != nil {
			b.WriteString(" = " + printValue(a.defaultValue))
		}
		b.WriteString(appliedDirectives(a.applied))
	}
	if multiline {
		b.WriteString("\n" + indent)
	}
	b.WriteByte(')')
}

func typeDirectives(t *superType) []string {
	var out []string
	for _, ji := range t.joinImplements {
		out = append(out, "@join__implements(graph: "+ji.graph+", interface: "+quoteString(ji.iface)+")")
	}
	for _, jt := range t.joinTypes {
		s := "@join__type(graph: " + jt.graph
		if jt.key != nil {
			s += ", key: " + quoteString(*jt.key)
		}
		if jt.extension {
			s += ", extension: true"
		}
		if jt.unresolvable {
			s += ", resolvable: false"
		}
		if jt.interfaceObject {
			s += ", isInterfaceObject: true"
		}
		out = append(out, s+")")
	}
	for _, jm := range t.joinMembers {
		out = append(out, "@join__unionMember(graph: "+jm.graph+", member: "+quoteString(jm.member)+")")
	}
	return append(out, splitDirectives(t.applied)...)
}

// String prints the @join__field application.
func (jf joinField) String() string {
	if jf.graph == "" {
		return "@join__field"
	}
	s := "@join__field(graph: " + jf.graph
	if jf.requires != nil {
		s += ", requires: " + quoteString(*jf.requires)
	}
	if jf.provides != nil {
		s += ", provides: " + quoteString(*jf.provides)
	}
	if jf.override != nil {
		s += ", override: " + quoteString(*jf.override)
	}
	if jf.typ != nil {
		s += ", type: " + quoteString(*jf.typ)
	}
	if jf.external {
		s += ", external: true"
	}
	if jf.usedOverridden {
		s += ", usedOverridden: true"
	}
	return s + ")"
}

// splitDirectives prints the kept type-system directives, one per entry.
func splitDirectives(a applied) []string {
	var out []string
	if a.inaccessible {
		out = append(out, "@inaccessible")
	}
	for _, t := range a.tags {
		out = append(out, "@tag(name: "+quoteString(t)+")")
	}
	if a.deprecated {
		if a.deprecationReason != nil {
			out = append(out, "@deprecated(reason: "+quoteString(*a.deprecationReason)+")")
		} else {
			out = append(out, "@deprecated")
		}
	}
	if a.specifiedBy != nil {
		out = append(out, "@specifiedBy(url: "+quoteString(*a.specifiedBy)+")")
	}
	if a.cost != nil {
		out = append(out, "@cost(weight: "+strconv.Itoa(*a.cost)+")")
	}
	if ls := a.listSize; ls != nil {
		var args []string
		if ls.assumedSize != nil {
			args = append(args, "assumedSize: "+strconv.Itoa(*ls.assumedSize))
		}
		if len(ls.slicingArguments) > 0 {
			args = append(args, "slicingArguments: "+stringListLiteral(ls.slicingArguments))
		}
		if len(ls.sizedFields) > 0 {
			args = append(args, "sizedFields: "+stringListLiteral(ls.sizedFields))
		}
		if ls.requireOneSlicingArgument != nil {
			args = append(args, "requireOneSlicingArgument: "+strconv.FormatBool(*ls.requireOneSlicingArgument))
		}
		if len(args) == 0 {
			out = append(out, "@listSize")
		} else {
			out = append(out, "@listSize("+strings.Join(args, ", ")+")")
		}
	}
	return out
}

// stringListLiteral writes items as a GraphQL list of strings.
func stringListLiteral(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = quoteString(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// appliedDirectives prints the kept directives inline, with a leading space.
func appliedDirectives(a applied) string {
	parts := splitDirectives(a)
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, " ")
}
