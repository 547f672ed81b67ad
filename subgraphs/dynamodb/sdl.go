package dynamodb

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// sdl writes the subgraph's federation SDL.
func (m *model) sdl() string {
	var b strings.Builder
	b.WriteString("extend schema\n  @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"])\n\n")
	b.WriteString("type Query {\n")
	for _, t := range m.tables {
		fmt.Fprintf(&b, "  %s(%s): %s\n", t.get, keyArgs(t.key), t.typeName)
		for _, ix := range append([]*index{t.primary}, t.indexes...) {
			if ix.field != "" {
				fmt.Fprintf(&b, "  %s(%s: %s!%s, limit: Int, nextToken: String, order: SortOrder = ASC): %sPage!\n",
					ix.field, ix.key.partition.field, ix.key.partition.typ.nullable(), sortArg(ix), t.typeName)
			}
		}
		if t.scan {
			fmt.Fprintf(&b, "  %s(limit: Int, nextToken: String): %sPage!\n", t.scanField, t.typeName)
		}
	}
	b.WriteString("}\n\ntype Mutation {\n")
	for _, t := range m.tables {
		fmt.Fprintf(&b, "  %s(input: %sInput!, condition: %sCondition): %s\n", t.put, t.typeName, t.typeName, t.typeName)
		fmt.Fprintf(&b, "  %s(%s, set: %sPatch, remove: [%sAttribute!], condition: %sCondition): %s\n", t.update, keyArgs(t.key), t.typeName, t.typeName, t.typeName, t.typeName)
		fmt.Fprintf(&b, "  %s(%s, condition: %sCondition): %s\n", t.remove, keyArgs(t.key), t.typeName, t.typeName)
	}
	b.WriteString("}\n")
	conditions := map[string]bool{}
	for _, t := range m.tables {
		m.writeTable(&b, t)
		for _, ix := range append([]*index{t.primary}, t.indexes...) {
			if ix.key.sort != nil {
				conditions[ix.key.sort.typ.scalar] = true
			}
		}
	}
	for _, s := range m.stubs {
		fmt.Fprintf(&b, "\ntype %s @key(fields: %q) {\n", s.typeName, strings.Join(s.keys, " "))
		for _, k := range s.keys {
			fmt.Fprintf(&b, "  %s: %s\n", k, s.types[k])
		}
		m.writeRelations(&b, s.typeName)
		b.WriteString("}\n")
	}
	b.WriteString("\nenum SortOrder {\n  ASC\n  DESC\n}\n")
	for _, scalar := range []string{"ID", "String", "Int", "Float"} {
		if !conditions[scalar] {
			continue
		}
		fmt.Fprintf(&b, "\ninput %sKeyCondition {\n", scalar)
		for _, op := range []string{"eq", "lt", "lte", "gt", "gte"} {
			fmt.Fprintf(&b, "  %s: %s\n", op, scalar)
		}
		fmt.Fprintf(&b, "  between: [%s!]\n", scalar)
		if scalar == "ID" || scalar == "String" {
			fmt.Fprintf(&b, "  beginsWith: %s\n", scalar)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// writeTable writes a table's object, page, input and enum types.
func (m *model) writeTable(b *strings.Builder, t *table) {
	keys := make([]string, 0, 2)
	for _, a := range t.key.attrs() {
		keys = append(keys, a.field)
	}
	fmt.Fprintf(b, "\ntype %s @key(fields: %q) {\n", t.typeName, strings.Join(keys, " "))
	for _, a := range t.attrs {
		fmt.Fprintf(b, "  %s: %s\n", a.field, a.typ)
	}
	m.writeRelations(b, t.typeName)
	b.WriteString("}\n")
	fmt.Fprintf(b, "\ntype %sPage {\n  items: [%s!]!\n  nextToken: String\n}\n", t.typeName, t.typeName)
	fmt.Fprintf(b, "\ninput %sInput {\n", t.typeName)
	for _, a := range t.attrs {
		fmt.Fprintf(b, "  %s: %s\n", a.field, a.typ)
	}
	fmt.Fprintf(b, "}\n\ninput %sPatch {\n", t.typeName)
	for _, a := range t.attrs[len(t.key.attrs()):] {
		fmt.Fprintf(b, "  %s: %s\n", a.field, a.typ.nullable())
	}
	if len(t.attrs) == len(t.key.attrs()) {
		// An input type needs a field; a key-only table has nothing to set.
		b.WriteString("  _: Boolean\n")
	}
	fmt.Fprintf(b, "}\n\ninput %sCondition {\n  exists: [%sAttribute!]\n  notExists: [%sAttribute!]\n  equals: %sValues\n  notEquals: %sValues\n}\n",
		t.typeName, t.typeName, t.typeName, t.typeName, t.typeName)
	fmt.Fprintf(b, "\ninput %sValues {\n", t.typeName)
	for _, a := range t.attrs {
		fmt.Fprintf(b, "  %s: %s\n", a.field, a.typ.nullable())
	}
	fmt.Fprintf(b, "}\n\nenum %sAttribute {\n", t.typeName)
	for _, a := range t.attrs {
		fmt.Fprintf(b, "  %s\n", a.field)
	}
	b.WriteString("}\n")
}

// writeRelations writes the relation fields of typeName, by name.
func (m *model) writeRelations(b *strings.Builder, typeName string) {
	rels := m.relationFields(typeName)
	for _, name := range slices.Sorted(maps.Keys(rels)) {
		r := rels[name]
		order := "ASC"
		if r.desc {
			order = "DESC"
		}
		fmt.Fprintf(b, "  %s(limit: Int, nextToken: String%s, order: SortOrder = %s): %sPage!\n", name, sortArg(r.index), order, r.table.typeName)
	}
}

// keyArgs writes the arguments of a primary key.
func keyArgs(k keyDef) string {
	args := make([]string, 0, 2)
	for _, a := range k.attrs() {
		typ := a.typ
		typ.nonNull = true
		args = append(args, a.field+": "+typ.String())
	}
	return strings.Join(args, ", ")
}

// sortArg writes ", <sort>: <Scalar>KeyCondition" for an index with a sort
// key.
func sortArg(ix *index) string {
	if ix.key.sort == nil {
		return ""
	}
	return fmt.Sprintf(", %s: %sKeyCondition", ix.key.sort.field, ix.key.sort.typ.scalar)
}
