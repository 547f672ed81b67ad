package dynamodb

import (
	"maps"
	"slices"
)

// attribute is one declared attribute of a table.
type attribute struct {
	// name is the DynamoDB attribute name, field its GraphQL field name.
	name, field string
	typ         attrType
}

// keyDef is a primary or index key: a partition attribute and an optional
// sort attribute.
type keyDef struct {
	partition, sort *attribute
}

// attrs lists the key's attributes, partition first.
func (k keyDef) attrs() []*attribute {
	if k.sort == nil {
		return []*attribute{k.partition}
	}
	return []*attribute{k.partition, k.sort}
}

// index is something a Query reads: a secondary index, or the table's own
// primary key (name "").
type index struct {
	name string
	key  keyDef
	// field is the root query field, "" when the index has none (a table
	// key without a sort key).
	field string
}

// table is one declared table, checked and with its names resolved.
type table struct {
	name, typeName string
	key            keyDef
	// attrs lists key attributes first, then the others by name.
	attrs   []*attribute
	byField map[string]*attribute
	byName  map[string]*attribute
	// primary is the table's own key as something to query.
	primary *index
	indexes []*index
	scan    bool
	// root field names.
	get, scanField, put, update, remove string
}

// indexNamed returns the table's index called name, or its primary key
// for "".
func (t *table) indexNamed(name string) *index {
	if name == "" {
		return t.primary
	}
	for _, ix := range t.indexes {
		if ix.name == name {
			return ix
		}
	}
	return nil
}

// relation is one relation field, resolved against the tables.
type relation struct {
	parentType, field string
	table             *table
	index             *index
	// parentField gives the value of index.key.partition.
	parentField string
	desc        bool
}

// stub is a type of another subgraph that relations extend: its key
// fields with their types, and the relation fields.
type stub struct {
	typeName string
	keys     []string
	types    map[string]attrType
}

// rootKind says what a root field does.
type rootKind int

const (
	rootGet rootKind = iota
	rootQuery
	rootScan
	rootPut
	rootUpdate
	rootDelete
)

// rootField is what a root field resolves to.
type rootField struct {
	kind  rootKind
	table *table
	index *index // for rootQuery
}

// model is the subgraph the section describes.
type model struct {
	tables    []*table
	byType    map[string]*table
	byName    map[string]*table
	relations []*relation
	// relationsOf lists the relations by parent type and field name.
	relationsOf map[string]map[string]*relation
	stubs       []*stub
	// roots maps "Query.user" and "Mutation.putUser" to their resolvers.
	roots map[string]rootField
}

// relationFields returns the relation fields of typeName.
func (m *model) relationFields(typeName string) map[string]*relation {
	return m.relationsOf[typeName]
}

// sortedAttrs orders attributes: key attributes first, then by name.
func sortedAttrs(byName map[string]*attribute, key keyDef) []*attribute {
	out := key.attrs()
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		if a := byName[name]; a != key.partition && a != key.sort {
			out = append(out, a)
		}
	}
	return out
}
