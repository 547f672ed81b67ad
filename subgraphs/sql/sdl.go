package sql

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// listArgs are the arguments of a list field (root or relation).
func listArgs(t *table) string {
	return fmt.Sprintf("where: %sWhere, orderBy: [%sOrderBy!], limit: Int, offset: Int", t.typeName, t.typeName)
}

// connectionArgs are the arguments of a Relay connection field.
func connectionArgs(t *table) string {
	return fmt.Sprintf("where: %sWhere, orderBy: [%sOrderBy!], first: Int, after: String, last: Int, before: String", t.typeName, t.typeName)
}

// keyArgs writes the arguments of a lookup by primary key.
func keyArgs(t *table) string {
	args := make([]string, len(t.primaryKey))
	for i, c := range t.primaryKey {
		args[i] = c.field + ": " + c.scalar + "!"
	}
	return strings.Join(args, ", ")
}

// sdl writes the subgraph's federation SDL.
func (m *model) sdl() string {
	var b strings.Builder
	b.WriteString("extend schema\n  @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\", \"@shareable\"])\n")
	scalars, filters := m.scalarsUsed()
	for _, s := range customScalars {
		if scalars[s] {
			fmt.Fprintf(&b, "\nscalar %s\n", s)
		}
	}
	b.WriteString("\ntype Query {\n")
	for _, t := range m.tables {
		if m.roots["Query."+t.single].table == t {
			fmt.Fprintf(&b, "  %s(%s): %s\n", t.single, keyArgs(t), t.typeName)
		}
		if m.roots["Query."+t.plural].table == t {
			fmt.Fprintf(&b, "  %s(%s): [%s!]!\n", t.plural, listArgs(t), t.typeName)
		}
		if m.roots["Query."+t.plural+"Connection"].table == t {
			fmt.Fprintf(&b, "  %sConnection(%s): %sConnection!\n", t.plural, connectionArgs(t), t.typeName)
		}
	}
	for _, q := range m.named {
		if q.typeName == "Query" {
			b.WriteString(q.fieldSDL())
		}
	}
	b.WriteString("}\n")
	var mutations strings.Builder
	for _, t := range m.tables {
		if m.roots["Mutation.create"+t.typeName].table == t {
			fmt.Fprintf(&mutations, "  create%s(input: %sInput!): %s!\n", t.typeName, t.typeName, t.typeName)
		}
		if m.roots["Mutation.update"+t.typeName].table == t {
			fmt.Fprintf(&mutations, "  update%s(%s, patch: %sPatch!): %s\n", t.typeName, keyArgs(t), t.typeName, t.typeName)
		}
		if m.roots["Mutation.delete"+t.typeName].table == t {
			fmt.Fprintf(&mutations, "  delete%s(%s): %s\n", t.typeName, keyArgs(t), t.typeName)
		}
	}
	for _, q := range m.named {
		if q.typeName == "Mutation" {
			mutations.WriteString(q.fieldSDL())
		}
	}
	if mutations.Len() > 0 {
		b.WriteString("\ntype Mutation {\n" + mutations.String() + "}\n")
	}
	for _, t := range m.tables {
		m.writeTable(&b, t)
	}
	b.WriteString("\nenum OrderDirection {\n  ASC\n  DESC\n}\n")
	// Other subgraphs (another sql section) may declare PageInfo too.
	b.WriteString("\ntype PageInfo @shareable {\n  hasNextPage: Boolean!\n  hasPreviousPage: Boolean!\n  startCursor: String\n  endCursor: String\n}\n")
	for _, name := range slices.Sorted(maps.Keys(m.enums)) {
		fmt.Fprintf(&b, "\nenum %s {\n", name)
		for _, v := range m.enums[name] {
			fmt.Fprintf(&b, "  %s\n", v)
		}
		b.WriteString("}\n")
	}
	for _, s := range slices.Sorted(maps.Keys(filters)) {
		writeFilter(&b, s, filters[s])
	}
	return b.String()
}

// scalarsUsed returns the scalars the columns use, and the filter input
// types where needs, by scalar, with the scalar's kind.
func (m *model) scalarsUsed() (map[string]bool, map[string]valueKind) {
	scalars, filters := map[string]bool{}, map[string]valueKind{}
	for _, t := range m.tables {
		for _, c := range t.columns {
			scalars[c.scalar] = true
			if c.filterable() {
				filters[c.scalar] = c.kind
			}
		}
	}
	return scalars, filters
}

// writeFilter writes the filter input of a scalar: comparisons for
// ordered values, like and ilike for strings, equality only for Boolean.
func writeFilter(b *strings.Builder, scalar string, kind valueKind) {
	fmt.Fprintf(b, "\ninput %sFilter {\n  eq: %s\n  ne: %s\n", scalar, scalar, scalar)
	if kind != kindBool {
		fmt.Fprintf(b, "  in: [%s!]\n  nin: [%s!]\n", scalar, scalar)
	}
	if kind != kindBool && kind != kindEnum {
		for _, op := range []string{"lt", "lte", "gt", "gte"} {
			fmt.Fprintf(b, "  %s: %s\n", op, scalar)
		}
	}
	if scalar == "String" {
		b.WriteString("  like: String\n  ilike: String\n")
	}
	b.WriteString("  isNull: Boolean\n}\n")
}

// description writes a comment as a description before a definition: a
// JSON string, which is a GraphQL string whatever the comment holds.
func description(b *strings.Builder, indent, text string) {
	if text == "" {
		return
	}
	b.WriteString(indent)
	b.Write(jsonscan.AppendString(nil, text))
	b.WriteByte('\n')
}

// writeTable writes a table's object type and its where, orderBy, input
// and patch types.
func (m *model) writeTable(b *strings.Builder, t *table) {
	b.WriteString("\n")
	description(b, "", t.comment)
	fmt.Fprintf(b, "type %s", t.typeName)
	if len(t.primaryKey) > 0 {
		fmt.Fprintf(b, " @key(fields: %q)", t.keyFields())
	}
	b.WriteString(" {\n")
	for _, c := range t.columns {
		description(b, "  ", c.comment)
		fmt.Fprintf(b, "  %s: %s\n", c.field, c.graphQLType())
	}
	for _, name := range t.relationOrder {
		r := t.relations[name]
		switch {
		case r.connection:
			fmt.Fprintf(b, "  %s(%s): %sConnection!\n", r.field, connectionArgs(r.to), r.to.typeName)
		case r.many:
			fmt.Fprintf(b, "  %s(%s): [%s!]!\n", r.field, listArgs(r.to), r.to.typeName)
		default:
			fmt.Fprintf(b, "  %s: %s\n", r.field, r.to.typeName)
		}
	}
	for _, q := range m.named {
		if q.parent == t {
			b.WriteString(q.fieldSDL())
		}
	}
	b.WriteString("}\n")
	if len(t.primaryKey) > 0 {
		fmt.Fprintf(b, "\ntype %[1]sConnection {\n  edges: [%[1]sEdge!]!\n  pageInfo: PageInfo!\n  totalCount: Int!\n}\n", t.typeName)
		fmt.Fprintf(b, "\ntype %[1]sEdge {\n  cursor: String!\n  node: %[1]s!\n}\n", t.typeName)
	}
	fmt.Fprintf(b, "\ninput %sWhere {\n", t.typeName)
	for _, c := range t.columns {
		if c.filterable() {
			fmt.Fprintf(b, "  %s: %sFilter\n", c.field, c.scalar)
		}
	}
	fmt.Fprintf(b, "  and: [%s!]\n  or: [%s!]\n  not: %s\n}\n", t.typeName+"Where", t.typeName+"Where", t.typeName+"Where")
	fmt.Fprintf(b, "\ninput %sOrderBy {\n", t.typeName)
	n := 0
	for _, c := range t.columns {
		if c.filterable() {
			fmt.Fprintf(b, "  %s: OrderDirection\n", c.field)
			n++
		}
	}
	if n == 0 {
		b.WriteString("  _: OrderDirection\n") // an input type needs a field
	}
	b.WriteString("}\n")
	if m.roots["Mutation.create"+t.typeName].table != t {
		return
	}
	fmt.Fprintf(b, "\ninput %sInput {\n", t.typeName)
	for _, c := range t.columns {
		typ := c.graphQLType()
		if c.hasDefault {
			typ = strings.TrimSuffix(typ, "!")
		}
		fmt.Fprintf(b, "  %s: %s\n", c.field, typ)
	}
	fmt.Fprintf(b, "}\n\ninput %sPatch {\n", t.typeName)
	for _, c := range t.columns {
		fmt.Fprintf(b, "  %s: %s\n", c.field, strings.TrimSuffix(c.graphQLType(), "!"))
	}
	b.WriteString("}\n")
}
