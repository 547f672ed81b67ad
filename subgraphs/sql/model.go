package sql

// table is one reflected table or view and what the schema makes of it.
type table struct {
	// name is the table's name in the database; schema its PostgreSQL
	// schema (empty elsewhere).
	name, schema string
	comment      string
	view         bool
	columns      []*column
	// primaryKey lists the key columns in key order; nil without a key.
	primaryKey []*column
	// foreignKeys are the table's references to other tables.
	foreignKeys []*foreignKey

	// typeName is the GraphQL type (BookLoan); single and plural name the
	// root fields (bookLoan, bookLoans).
	typeName, single, plural string
	byName                   map[string]*column
	byField                  map[string]*column
	// relations are the relation fields of the type, by field name.
	relations     map[string]*relation
	relationOrder []string
	// named are the named queries served as fields of the type.
	named map[string]*namedQuery
}

// column is one column of a table.
type column struct {
	// name is the column's name in the database, field its GraphQL name
	// (the same unless the name is not a GraphQL name).
	name, field string
	// dbType is the column's type as the catalog writes it, lower case.
	dbType     string
	nullable   bool
	hasDefault bool
	comment    string
	// array is set for PostgreSQL arrays; dbType is then the element's.
	array bool
	// enumName and enumValues describe an enum column.
	enumName   string
	enumValues []string

	// scalar is the GraphQL named type (Int, String, an enum's type).
	scalar string
	kind   valueKind
}

// foreignKey is one reflected foreign key, before it becomes relations.
type foreignKey struct {
	name       string
	columns    []string
	refTable   string
	refColumns []string
}

// relation is a field one foreign key adds to a type: the forward one on
// the referencing table (Book.author, one object) or the reverse one on
// the referenced table (Author.books, a list).
type relation struct {
	field string
	// from is the table the field is on, to the table it reads.
	from, to *table
	// fromCols are the parent's columns whose values select rows of to by
	// toCols, pairwise.
	fromCols, toCols []*column
	// many is set for the reverse (list) side; connection for its Relay
	// connection (Author.booksConnection).
	many, connection bool
}

// valueKind is how a column's values travel between JSON and SQL.
type valueKind int

const (
	kindString valueKind = iota
	kindInt
	kindBigInt
	kindFloat
	kindDecimal
	kindBool
	kindDateTime
	kindDate
	kindJSON
	kindEnum
)

// graphQLType writes the column's GraphQL output type.
func (c *column) graphQLType() string {
	t := c.scalar
	if c.array {
		t = "[" + t + "]"
	}
	if !c.nullable {
		t += "!"
	}
	return t
}

// filterable reports whether the column gets a filter in where and an
// entry in orderBy.
func (c *column) filterable() bool {
	return !c.array && c.kind != kindJSON
}

// keyFields writes the primary key's GraphQL names, space separated.
func (t *table) keyFields() string {
	s := ""
	for i, c := range t.primaryKey {
		if i > 0 {
			s += " "
		}
		s += c.field
	}
	return s
}

// model is the whole reflected schema.
type model struct {
	tables []*table
	byType map[string]*table
	// roots maps "Query.author" and "Mutation.createAuthor" to what they do.
	roots map[string]rootField
	// enums are the enum types, by GraphQL name, with their values.
	enums map[string][]string
	// warnings are renames and skips reported at start-up.
	warnings []string
	// named are the named queries, in section order.
	named []*namedQuery
}

// rootKind says what a generated root field does.
type rootKind int

const (
	rootByKey rootKind = iota
	rootList
	rootConnection
	rootCreate
	rootUpdate
	rootDelete
	rootNamed
)

// rootField is one generated root field.
type rootField struct {
	kind  rootKind
	table *table
	// named is set for rootNamed.
	named *namedQuery
}
