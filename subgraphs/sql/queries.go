package sql

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tributary-gw/tributary"
)

// namedQuery is one item of `queries`, checked.
type namedQuery struct {
	// typeName and field place it: Query, Mutation or a table's type.
	typeName, field string
	// text is the statement with the dialect's placeholders; params say
	// what each binds, in order.
	text   string
	params []queryParam
	// args are the field's arguments by name, in SDL order.
	args     []queryArg
	returns  typeRef
	returned *table // the table type returned, nil for a scalar
	parent   *table // for TYPE.FIELD
}

// queryParam is one placeholder of a named query: an argument, or with
// fromParent a column of the parent row.
type queryParam struct {
	name       string
	fromParent bool
}

// queryArg is one declared argument.
type queryArg struct {
	name string
	typ  typeRef
}

// typeRef is a GraphQL type written in the section: Int!, [Author!]!.
type typeRef struct {
	named         string
	list          bool
	nonNull       bool
	elemNonNull   bool
	source        string
	scalarKind    valueKind
	isBuiltinLeaf bool
}

// builtinLeaves maps the scalars a named query may take or return to how
// their values travel.
var builtinLeaves = map[string]valueKind{
	"Int": kindInt, "Float": kindFloat, "String": kindString, "Boolean": kindBool, "ID": kindString,
	"BigInt": kindBigInt, "Decimal": kindDecimal, "UUID": kindString, "DateTime": kindDateTime, "Date": kindDate, "JSON": kindJSON,
}

// parseTypeRef reads Int, Int!, [Int], [Int!]!.
func parseTypeRef(s string) (typeRef, bool) {
	t := typeRef{source: strings.TrimSpace(s)}
	rest := t.source
	if r, ok := strings.CutSuffix(rest, "!"); ok {
		t.nonNull, rest = true, r
	}
	if strings.HasPrefix(rest, "[") && strings.HasSuffix(rest, "]") {
		t.list, rest = true, strings.TrimSpace(rest[1:len(rest)-1])
		if r, ok := strings.CutSuffix(rest, "!"); ok {
			t.elemNonNull, rest = true, r
		}
	}
	if !isGraphQLName(rest) {
		return t, false
	}
	t.named = rest
	t.scalarKind, t.isBuiltinLeaf = builtinLeaves[rest]
	return t, true
}

// parseNamedSQL replaces :name and :parent.column with the dialect's
// placeholders, outside string literals, quoted identifiers and comments,
// and not in PostgreSQL's :: casts.
func parseNamedSQL(d dialect, sql string) (string, []queryParam) {
	var b strings.Builder
	var params []queryParam
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			end := i + 1
			for end < len(sql) && sql[end] != c {
				end++
			}
			b.WriteString(sql[i:min(end+1, len(sql))])
			i = end
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			end := strings.IndexByte(sql[i:], '\n')
			if end < 0 {
				end = len(sql) - i
			}
			b.WriteString(sql[i : i+end])
			i += end - 1
		case c == ':' && i+1 < len(sql) && sql[i+1] == ':':
			b.WriteString("::")
			i++
		case c == ':' && i+1 < len(sql) && isNameStart(sql[i+1]):
			end := i + 1
			for end < len(sql) && (isNameStart(sql[end]) || (sql[end] >= '0' && sql[end] <= '9') || (sql[end] == '.' && sql[i+1:end] == "parent")) {
				end++
			}
			name := sql[i+1 : end]
			p := queryParam{name: name}
			if col, ok := strings.CutPrefix(name, "parent."); ok {
				p = queryParam{name: col, fromParent: true}
			}
			params = append(params, p)
			b.WriteString(d.placeholder(len(params)))
			i = end - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), params
}

func isNameStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// checkQueries checks the section's queries as far as it can without the
// database: placement, SQL, parameters and types.
func (c *Config) checkQueries(d dialect, errs *tributary.FieldErrors) []*namedQuery {
	var out []*namedQuery
	seen := map[string]bool{}
	for i, qc := range c.Queries {
		path := fmt.Sprintf("queries[%d]", i)
		typeName, field, ok := strings.Cut(qc.Field, ".")
		if !ok || !isGraphQLName(typeName) || !isGraphQLName(field) {
			errs.Addf(path+".field", "%q is not TYPE.FIELD (e.g. Query.topAuthors)", qc.Field)
			continue
		}
		if seen[qc.Field] {
			errs.Addf(path+".field", "%s is already a named query; name each field once", qc.Field)
			continue
		}
		seen[qc.Field] = true
		if strings.TrimSpace(qc.SQL) == "" {
			errs.Addf(path+".sql", "is required: the statement, with :name parameters")
			continue
		}
		q := &namedQuery{typeName: typeName, field: field}
		if d != nil {
			q.text, q.params = parseNamedSQL(d, qc.SQL)
		}
		for _, name := range slices.Sorted(maps.Keys(qc.Arguments)) {
			t, ok := parseTypeRef(qc.Arguments[name])
			switch {
			case !isGraphQLName(name):
				errs.Addf(path+".arguments."+name, "%q is not a GraphQL argument name", name)
			case !ok || !t.isBuiltinLeaf || t.list:
				errs.Addf(path+".arguments."+name, "%q is not an argument type: use a scalar (Int, Float, String, Boolean, ID, BigInt, Decimal, UUID, DateTime, Date, JSON), ! for non-null", qc.Arguments[name])
			default:
				q.args = append(q.args, queryArg{name: name, typ: t})
			}
		}
		for _, p := range q.params {
			if !p.fromParent && qc.Arguments[p.name] == "" {
				errs.Addf(path+".sql", ":%s is not one of arguments; declare it there with its type (e.g. {%s: Int!})", p.name, p.name)
			}
			if p.fromParent && (typeName == "Query" || typeName == "Mutation") {
				errs.Addf(path+".sql", ":parent.%s is only for fields of a table's type (TYPE.FIELD)", p.name)
			}
		}
		if q.returns, ok = parseTypeRef(qc.Returns); !ok {
			errs.Addf(path+".returns", "%q is not a GraphQL type (e.g. \"[Author!]!\")", qc.Returns)
			continue
		}
		out = append(out, q)
	}
	return out
}

// resolveQueries places checked queries in the model: their types must
// be table types of the reflected schema.
func (m *model) resolveQueries(qs []*namedQuery, errs *tributary.FieldErrors) {
	for i, q := range qs {
		path := fmt.Sprintf("queries[%d]", i)
		if !q.returns.isBuiltinLeaf {
			if q.returned = m.byType[q.returns.named]; q.returned == nil {
				errs.Addf(path+".returns", "%s is neither a scalar nor a type of a served table (%s)", q.returns.named, strings.Join(m.typeNames(), ", "))
				continue
			}
		}
		switch q.typeName {
		case "Query", "Mutation":
			if _, taken := m.roots[q.typeName+"."+q.field]; taken {
				errs.Addf(path+".field", "%s.%s is a generated field; choose another name", q.typeName, q.field)
				continue
			}
			m.roots[q.typeName+"."+q.field] = rootField{kind: rootNamed, named: q}
		default:
			t := m.byType[q.typeName]
			if t == nil {
				errs.Addf(path+".field", "%s is not Query, Mutation or a type of a served table", q.typeName)
				continue
			}
			if t.byField[q.field] != nil || t.relations[q.field] != nil || t.named[q.field] != nil {
				errs.Addf(path+".field", "%s.%s is already a field; choose another name", q.typeName, q.field)
				continue
			}
			for _, p := range q.params {
				if p.fromParent && t.byName[p.name] == nil {
					errs.Addf(path+".sql", ":parent.%s is not a column of %s", p.name, t.name)
				}
			}
			q.parent = t
			if t.named == nil {
				t.named = map[string]*namedQuery{}
			}
			t.named[q.field] = q
		}
		m.named = append(m.named, q)
	}
}

// typeNames lists the served types, for messages.
func (m *model) typeNames() []string {
	out := make([]string, len(m.tables))
	for i, t := range m.tables {
		out[i] = t.typeName
	}
	return out
}

// fieldSDL writes the query's field definition.
func (q *namedQuery) fieldSDL() string {
	var args []string
	for _, a := range q.args {
		args = append(args, a.name+": "+a.typ.source)
	}
	if len(args) == 0 {
		return fmt.Sprintf("  %s: %s\n", q.field, q.returns.source)
	}
	return fmt.Sprintf("  %s(%s): %s\n", q.field, strings.Join(args, ", "), q.returns.source)
}
