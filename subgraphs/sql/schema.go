package sql

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// newModel turns reflected tables into the served schema: the tables the
// section selects, their type and field names, enums and relations.
// Problems that only lose a part (a name clash, an enum label that is not
// a GraphQL name) become warnings; the part is renamed or left out.
func newModel(tables []*table, c *Config, d dialect) *model {
	m := &model{byType: map[string]*table{}, roots: map[string]rootField{}, enums: map[string][]string{}}
	byName := map[string]*table{}
	used := map[string]string{}       // root field → the table that has it
	candidates := map[string]string{} // type name → the first table that wants it
	for _, t := range tables {
		t.typeName = typeNameOf(t.name)
		if override, ok := c.Types[t.name]; ok {
			t.typeName = override
		}
		if _, ok := candidates[t.typeName]; !ok && selected(t.name, c.Tables) {
			candidates[t.typeName] = t.name
		}
	}
	for _, t := range tables {
		if !selected(t.name, c.Tables) {
			continue
		}
		if !isGraphQLName(t.typeName) {
			m.warnf("table %q: no GraphQL type name can be made of it; name one in types (e.g. {%q: MyType}); the table is not served", t.name, t.name)
			continue
		}
		if clash := m.typeClash(t.typeName, candidates); clash != "" {
			m.warnf("table %q: type %s %s; name another in types (e.g. {%q: My%s}); the table is not served", t.name, t.typeName, clash, t.name, t.typeName)
			continue
		}
		t.single = lowerFirst(t.typeName)
		t.plural = lowerFirst(plural(t.typeName))
		if t.plural == t.single {
			t.plural += "List"
		}
		m.addColumns(t, d.name() == "sqlite")
		m.tables = append(m.tables, t)
		m.byType[t.typeName] = t
		byName[t.name] = t
		for _, root := range m.rootNames(t) {
			if other, dup := used[root.name]; dup {
				m.warnf("table %q: field %s is also %s; it is left out (rename the type with types)", t.name, root.name, other)
				continue
			}
			used[root.name] = "table " + t.name + "'s"
			m.roots[root.name] = rootField{kind: root.kind, table: t}
		}
	}
	for _, t := range m.tables {
		for _, fk := range primaryFirst(t, byName) {
			m.addRelations(t, fk, byName)
		}
	}
	return m
}

// reservedTypes are type names the generated schema declares itself.
var reservedTypes = append([]string{"Query", "Mutation", "Subscription", "PageInfo", "OrderDirection",
	"Int", "Float", "String", "Boolean", "ID"}, customScalars...)

// generatedSuffixes name the types generated with a table's type T:
// TWhere, TOrderBy…
var generatedSuffixes = []string{"Where", "OrderBy", "Input", "Patch", "Connection", "Edge"}

// typeClash says why a table's type name cannot be used, "" when it can:
// the generated schema declares it, another table has it, or it is a type
// generated for another table (author_wheres → AuthorWhere, which authors
// needs; that table keeps it).
func (m *model) typeClash(typeName string, candidates map[string]string) string {
	if slices.Contains(reservedTypes, typeName) {
		return "is declared by the generated schema"
	}
	if strings.HasSuffix(typeName, "Filter") {
		return "ends in Filter, as the filter inputs do"
	}
	if other := m.byType[typeName]; other != nil {
		return fmt.Sprintf("is table %q's type too", other.name)
	}
	for _, suffix := range generatedSuffixes {
		if base, ok := strings.CutSuffix(typeName, suffix); ok && candidates[base] != "" {
			return fmt.Sprintf("is generated for table %q's type %s", candidates[base], base)
		}
	}
	return ""
}

// selected reports whether the include and exclude globs serve name.
func selected(name string, f TableFilter) bool {
	match := func(globs []string) bool {
		return slices.ContainsFunc(globs, func(g string) bool {
			ok, _ := path.Match(g, name)
			return ok
		})
	}
	return (len(f.Include) == 0 || match(f.Include)) && !match(f.Exclude)
}

// warnf records a start-up warning.
func (m *model) warnf(format string, args ...any) {
	m.warnings = append(m.warnings, fmt.Sprintf(format, args...))
}

// addColumns names t's columns and maps their types (SQLite's declared
// types by its affinity rules).
func (m *model) addColumns(t *table, sqliteTypes bool) {
	t.byField = map[string]*column{}
	t.relations = map[string]*relation{}
	for _, c := range t.columns {
		c.field = fieldNameOf(c.name)
		for n := 2; t.byField[c.field] != nil || reservedField(c.field); n++ {
			c.field = fmt.Sprintf("%s_%d", fieldNameOf(c.name), n)
		}
		if c.field != c.name {
			m.warnf("table %q: column %q is not a GraphQL name; it is served as %s", t.name, c.name, c.field)
		}
		t.byField[c.field] = c
		if sqliteTypes {
			c.scalar, c.kind = sqliteScalarOf(c.dbType)
		} else {
			c.scalar, c.kind = scalarOf(c.dbType)
		}
		if c.enumName != "" {
			m.addEnum(t, c)
		}
	}
}

// addEnum makes c's enum a GraphQL enum, or serves c as String when a
// label is not a GraphQL enum value.
func (m *model) addEnum(t *table, c *column) {
	name := pascal(words(c.enumName))
	for _, v := range c.enumValues {
		if !isGraphQLName(v) || v == "true" || v == "false" || v == "null" {
			m.warnf("table %q: column %q: enum label %q is not a GraphQL enum value; the column is served as String", t.name, c.name, v)
			return
		}
	}
	if !isGraphQLName(name) {
		return
	}
	if prev, ok := m.enums[name]; ok && !slices.Equal(prev, c.enumValues) {
		m.warnf("table %q: column %q: enum %s differs from another of that GraphQL name; the column is served as String", t.name, c.name, name)
		return
	}
	m.enums[name] = c.enumValues
	c.scalar, c.kind = name, kindEnum
}

// reservedField reports names a type's fields cannot take.
func reservedField(name string) bool {
	return strings.HasPrefix(name, "__")
}

// rootName is one root field a table gets.
type rootName struct {
	name string
	kind rootKind
}

// rootNames lists t's root fields: the list; for tables with a primary
// key the lookup and the connection; and mutations for tables (not views)
// with a primary key.
func (m *model) rootNames(t *table) []rootName {
	out := []rootName{{t.plural, rootList}}
	if len(t.primaryKey) > 0 {
		out = append(out, rootName{t.single, rootByKey}, rootName{t.plural + "Connection", rootConnection})
		if !t.view {
			out = append(out, rootName{"Mutation.create" + t.typeName, rootCreate},
				rootName{"Mutation.update" + t.typeName, rootUpdate}, rootName{"Mutation.delete" + t.typeName, rootDelete})
		}
	}
	for i := range out {
		if !strings.HasPrefix(out[i].name, "Mutation.") {
			out[i].name = "Query." + out[i].name
		}
	}
	return out
}

// addRelations adds the two fields of a foreign key of t: the forward one
// on t (Book.author) and the reverse list on the referenced table
// (Author.books, or booksByCoAuthorId when books has another key to
// authors).
func (m *model) addRelations(t *table, fk *foreignKey, byName map[string]*table) {
	ref := byName[fk.refTable]
	if ref == nil {
		return // the referenced table is not served
	}
	var fromCols, toCols []*column
	for i, name := range fk.columns {
		c, rc := t.byName[name], ref.byName[fk.refColumns[i]]
		if c == nil || rc == nil {
			m.warnf("foreign key %s of table %q: column %q or %q.%q is unknown; no relation", fk.name, t.name, name, ref.name, fk.refColumns[i])
			return
		}
		fromCols, toCols = append(fromCols, c), append(toCols, rc)
	}
	forward := lowerFirst(ref.typeName)
	if len(fromCols) == 1 {
		forward = relationName(fromCols[0].field, ref.typeName)
	}
	m.addRelation(&relation{field: forward, from: t, to: ref, fromCols: fromCols, toCols: toCols}, fk)
	reverse := t.plural
	if ref.relations[reverse] != nil || ref.byField[reverse] != nil {
		var names []string
		for _, c := range fromCols {
			names = append(names, words(c.name)...)
		}
		reverse += "By" + pascal(names)
	}
	m.addRelation(&relation{field: reverse, from: ref, to: t, fromCols: toCols, toCols: fromCols, many: true}, fk)
	if len(t.primaryKey) > 0 {
		m.addRelation(&relation{field: reverse + "Connection", from: ref, to: t, fromCols: toCols, toCols: fromCols, many: true, connection: true}, fk)
	}
}

// addRelation adds r to its table unless the name is taken.
func (m *model) addRelation(r *relation, fk *foreignKey) {
	if r.from.byField[r.field] != nil || r.from.relations[r.field] != nil || reservedField(r.field) {
		m.warnf("foreign key %s: field %s.%s is taken; no relation field is served for it", fk.name, r.from.typeName, r.field)
		return
	}
	r.from.relations[r.field] = r
	r.from.relationOrder = append(r.from.relationOrder, r.field)
}

// primaryFirst orders t's foreign keys so that the one that takes the
// plain reverse name (Author.books) is the same on every database: first
// a key whose column names its target (author_id → authors), then by the
// position of the key's first column in the table.
func primaryFirst(t *table, byName map[string]*table) []*foreignKey {
	rank := func(fk *foreignKey) (bool, int) {
		named := false
		if ref := byName[fk.refTable]; ref != nil && len(fk.columns) == 1 {
			named = relationName(fk.columns[0], ref.typeName) == lowerFirst(ref.typeName)
		}
		return !named, slices.IndexFunc(t.columns, func(c *column) bool { return c.name == fk.columns[0] })
	}
	fks := slices.Clone(t.foreignKeys)
	slices.SortStableFunc(fks, func(a, b *foreignKey) int {
		an, ap := rank(a)
		bn, bp := rank(b)
		if an != bn {
			if an {
				return 1
			}
			return -1
		}
		return ap - bp
	})
	return fks
}
