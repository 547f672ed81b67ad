package sql

import (
	"strings"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// stmt builds one SQL statement: text with quoted identifiers, and the
// values bound to its placeholders.
type stmt struct {
	d    dialect
	b    strings.Builder
	args []any
	// columns are the result's column names, once it ran.
	columns []string
}

// bind appends a bound value and writes its placeholder.
func (q *stmt) bind(v any) {
	q.args = append(q.args, v)
	q.b.WriteString(q.d.placeholder(len(q.args)))
}

// ident writes a quoted identifier.
func (q *stmt) ident(name string) { q.b.WriteString(q.d.quote(name)) }

// sql writes SQL text the kind wrote itself (keywords, operators).
func (q *stmt) sql(s string) { q.b.WriteString(s) }

// from writes a table's quoted, schema-qualified name.
func (q *stmt) from(t *table) {
	if t.schema != "" {
		q.ident(t.schema)
		q.sql(".")
	}
	q.ident(t.name)
}

// columnList writes cols quoted and comma separated, each read as
// selectColumn says; with alias set, each is named after its column.
func (q *stmt) columnList(cols []*column, alias bool) {
	for i, c := range cols {
		if i > 0 {
			q.sql(", ")
		}
		expr := q.d.selectColumn(q.d.quote(c.name), c)
		q.sql(expr)
		if alias && expr != q.d.quote(c.name) {
			q.sql(" AS ")
			q.ident(c.name)
		}
	}
}

// selectFrom writes `SELECT <rs's columns> FROM <table> WHERE `.
func (q *stmt) selectFrom(rs readSet) {
	q.sql("SELECT ")
	q.columnList(rs.cols, false)
	q.sql(" FROM ")
	q.from(rs.t)
	q.sql(" WHERE ")
}

// columnNames writes cols quoted and comma separated.
func (q *stmt) columnNames(cols []*column) {
	for i, c := range cols {
		if i > 0 {
			q.sql(", ")
		}
		q.ident(c.name)
	}
}

// readSet is what one statement reads of a table's rows: the columns to
// select, which are also the fields of each object written.
type readSet struct {
	t    *table
	cols []*column
	// prefix is `{"__typename":"T"`, keys[i] is `,"field":` for cols[i].
	prefix []byte
	keys   [][]byte
}

// readsFor returns what sel (a selection of t's objects) needs: the
// selected columns, the primary key (entities, matching) and the columns
// selected relations read from, plus extra (a relation's match columns).
func readsFor(t *table, sel []*tributary.Selection, extra ...*column) readSet {
	var cols []*column
	add := func(cs ...*column) {
		for _, c := range cs {
			if c != nil && !containsColumn(cols, c) {
				cols = append(cols, c)
			}
		}
	}
	add(t.primaryKey...)
	add(extra...)
	for _, f := range sel {
		if f.OnType != "" && f.OnType != t.typeName {
			continue
		}
		add(t.byField[f.Name])
		if r := t.relations[f.Name]; r != nil {
			add(r.fromCols...)
		}
		if nq := t.named[f.Name]; nq != nil {
			for _, p := range nq.params {
				if p.fromParent {
					add(t.byName[p.name])
				}
			}
		}
	}
	if len(cols) == 0 && len(t.columns) > 0 {
		add(t.columns[0]) // a SELECT needs a column; __typename-only selections
	}
	rs := readSet{t: t, cols: cols, prefix: jsonscan.AppendString([]byte(`{"__typename":`), t.typeName)}
	for _, c := range cols {
		rs.keys = append(rs.keys, append(jsonscan.AppendString([]byte{','}, c.field), ':'))
	}
	return rs
}

func containsColumn(cols []*column, c *column) bool {
	for _, x := range cols {
		if x == c {
			return true
		}
	}
	return false
}

// appendObject writes one scanned row as a JSON object.
func (rs readSet) appendObject(dst []byte, values []any) ([]byte, error) {
	dst = append(dst, rs.prefix...)
	for i, c := range rs.cols {
		dst = append(dst, rs.keys[i]...)
		var err error
		if dst, err = appendValue(dst, c, values[i]); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// keyIn writes a condition matching rows whose cols equal one of tuples:
// `c = ANY($1)` with one array on PostgreSQL for a one-column integer or
// text key, otherwise `c IN (?, …)` or `(a, b) IN ((?, ?), …)`.
func (q *stmt) keyIn(prefix string, cols []*column, tuples [][]any) {
	if len(tuples) == 0 {
		q.sql("1=0")
		return
	}
	if len(cols) == 1 && q.d.anyArray() {
		if arr, ok := typedArray(cols[0], tuples); ok {
			q.sql(prefix)
			q.ident(cols[0].name)
			q.sql(" = ANY(")
			q.bind(arr)
			q.sql(")")
			return
		}
	}
	if len(cols) > 1 {
		q.sql("(")
	}
	for i, c := range cols {
		if i > 0 {
			q.sql(", ")
		}
		q.sql(prefix)
		q.ident(c.name)
	}
	if len(cols) > 1 {
		q.sql(")")
	}
	q.sql(" IN (")
	for i, tuple := range tuples {
		if i > 0 {
			q.sql(", ")
		}
		if len(tuple) > 1 {
			q.sql("(")
		}
		for j, v := range tuple {
			if j > 0 {
				q.sql(", ")
			}
			q.bind(v)
		}
		if len(tuple) > 1 {
			q.sql(")")
		}
	}
	q.sql(")")
}

// typedArray is the Go slice pgx encodes as the column's array type, for
// integer and text columns; other types are matched with IN.
func typedArray(c *column, tuples [][]any) (any, bool) {
	switch {
	case c.kind == kindInt || c.kind == kindBigInt:
		out := make([]int64, len(tuples))
		for i, t := range tuples {
			n, ok := t[0].(int64)
			if !ok {
				return nil, false
			}
			out[i] = n
		}
		return out, true
	case c.kind == kindString && (c.dbType == "text" || c.dbType == "varchar" || c.dbType == "bpchar"):
		out := make([]string, len(tuples))
		for i, t := range tuples {
			s, ok := t[0].(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}
