package sql

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
)

// listParams are a list field's parsed arguments.
type listParams struct {
	where  json.RawMessage
	order  []orderTerm
	limit  *int64
	offset int64
}

// orderTerm is one column of an ORDER BY.
type orderTerm struct {
	c    *column
	desc bool
}

// maxFilterDepth bounds the nesting of and/or/not in a where argument.
const maxFilterDepth = 32

// parseList reads where, orderBy, limit and offset for a list of t's rows.
// The order always ends with the primary key, so that pages are stable.
func parseList(t *table, args map[string]json.RawMessage) (listParams, error) {
	var p listParams
	if w := args["where"]; len(w) > 0 && string(w) != "null" {
		p.where = w
	}
	if o := args["orderBy"]; len(o) > 0 && string(o) != "null" {
		var items []map[string]json.RawMessage
		if err := json.Unmarshal(o, &items); err != nil {
			return p, fmt.Errorf("orderBy: want a list of {column: ASC|DESC} objects")
		}
		for i, item := range items {
			if len(item) != 1 {
				return p, fmt.Errorf("orderBy[%d]: name exactly one column per item (e.g. [{published: DESC}, {id: ASC}])", i)
			}
			for field, dir := range item {
				c := t.byField[field]
				if c == nil || !c.filterable() {
					return p, fmt.Errorf("orderBy[%d]: %s cannot be ordered by", i, field)
				}
				var d string
				if err := json.Unmarshal(dir, &d); err != nil || (d != "ASC" && d != "DESC") {
					return p, fmt.Errorf("orderBy[%d].%s: want ASC or DESC", i, field)
				}
				p.order = append(p.order, orderTerm{c: c, desc: d == "DESC"})
			}
		}
	}
	for _, c := range t.primaryKey {
		if !ordered(p.order, c) {
			p.order = append(p.order, orderTerm{c: c})
		}
	}
	var err error
	if p.limit, err = intArg(args, "limit"); err != nil {
		return p, err
	}
	offset, err := intArg(args, "offset")
	if err != nil {
		return p, err
	}
	if offset != nil {
		p.offset = *offset
	}
	return p, nil
}

func ordered(terms []orderTerm, c *column) bool {
	for _, o := range terms {
		if o.c == c {
			return true
		}
	}
	return false
}

// intArg reads a non-negative Int argument; nil when absent or null.
func intArg(args map[string]json.RawMessage, name string) (*int64, error) {
	raw := args[name]
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil || n < 0 {
		return nil, fmt.Errorf("%s: want an integer of at least 0", name)
	}
	return &n, nil
}

// orderBy writes the ORDER BY terms (without the keywords), columns
// prefixed with prefix.
func (q *stmt) orderBy(prefix string, terms []orderTerm) {
	for i, o := range terms {
		if i > 0 {
			q.sql(", ")
		}
		q.sql(prefix)
		q.ident(o.c.name)
		if o.desc {
			q.sql(" DESC")
		}
	}
}

// limitOffset writes LIMIT and OFFSET, bound; an offset without a limit
// gets the largest limit, which all three databases accept.
func (q *stmt) limitOffset(p listParams) {
	if p.limit == nil && p.offset == 0 {
		return
	}
	limit := int64(math.MaxInt64)
	if p.limit != nil {
		limit = *p.limit
	}
	q.sql(" LIMIT ")
	q.bind(limit)
	if p.offset > 0 {
		q.sql(" OFFSET ")
		q.bind(p.offset)
	}
}

// where writes the condition of a where argument of t (a TWhere object),
// values bound; an absent where is always true.
func (q *stmt) where(t *table, raw json.RawMessage) error {
	if raw == nil {
		q.sql("1=1")
		return nil
	}
	return q.whereObject(t, raw, "where", 0)
}

func (q *stmt) whereObject(t *table, raw json.RawMessage, path string, depth int) error {
	if depth > maxFilterDepth {
		return fmt.Errorf("%s: nested deeper than %d", path, maxFilterDepth)
	}
	fields, err := objectFields(raw)
	if err != nil {
		return fmt.Errorf("%s: want an input object", path)
	}
	q.sql("(")
	n := 0
	and := func() {
		if n > 0 {
			q.sql(" AND ")
		}
		n++
	}
	for _, f := range fields {
		if string(f.value) == "null" {
			continue
		}
		fpath := path + "." + f.name
		switch f.name {
		case "and", "or":
			var items []json.RawMessage
			if err := json.Unmarshal(f.value, &items); err != nil {
				return fmt.Errorf("%s: want a list", fpath)
			}
			and()
			if len(items) == 0 {
				q.sql("1=1")
				continue
			}
			q.sql("(")
			for i, item := range items {
				if i > 0 {
					q.sql(map[string]string{"and": " AND ", "or": " OR "}[f.name])
				}
				if err := q.whereObject(t, item, fmt.Sprintf("%s[%d]", fpath, i), depth+1); err != nil {
					return err
				}
			}
			q.sql(")")
		case "not":
			and()
			q.sql("NOT ")
			if err := q.whereObject(t, f.value, fpath, depth+1); err != nil {
				return err
			}
		default:
			c := t.byField[f.name]
			if c == nil || !c.filterable() {
				return fmt.Errorf("%s: %s has no column %s to filter on", fpath, t.typeName, f.name)
			}
			and()
			if err := q.filter(c, f.value, fpath); err != nil {
				return err
			}
		}
	}
	if n == 0 {
		q.sql("1=1")
	}
	q.sql(")")
	return nil
}

// comparisons maps a filter's comparison operators to SQL.
var comparisons = map[string]string{"eq": " = ", "ne": " <> ", "lt": " < ", "lte": " <= ", "gt": " > ", "gte": " >= "}

// filter writes the condition of one column's filter object.
func (q *stmt) filter(c *column, raw json.RawMessage, path string) error {
	ops, err := objectFields(raw)
	if err != nil {
		return fmt.Errorf("%s: want an input object", path)
	}
	q.sql("(")
	n := 0
	for _, op := range ops {
		if string(op.value) == "null" {
			continue
		}
		if n > 0 {
			q.sql(" AND ")
		}
		n++
		opPath := path + "." + op.name
		switch op.name {
		case "eq", "ne", "lt", "lte", "gt", "gte", "like", "ilike":
			if (op.name == "like" || op.name == "ilike") && c.scalar != "String" {
				return fmt.Errorf("%s: only String columns take like and ilike", opPath)
			}
			v, err := bindValue(q.d, c, op.value)
			if err != nil {
				return fmt.Errorf("%s: %v", opPath, err)
			}
			switch op.name {
			case "like":
				q.ident(c.name)
				q.sql(" LIKE ")
				q.bind(v)
			case "ilike":
				mark := len(q.args)
				q.args = append(q.args, v)
				q.sql(q.d.ilike(q.d.quote(c.name), q.d.placeholder(mark+1)))
			default:
				q.ident(c.name)
				q.sql(comparisons[op.name])
				q.bind(v)
			}
		case "in", "nin":
			var items []json.RawMessage
			if err := json.Unmarshal(op.value, &items); err != nil {
				return fmt.Errorf("%s: want a list", opPath)
			}
			if len(items) == 0 {
				q.sql(map[string]string{"in": "1=0", "nin": "1=1"}[op.name])
				continue
			}
			q.ident(c.name)
			q.sql(map[string]string{"in": " IN (", "nin": " NOT IN ("}[op.name])
			for i, item := range items {
				v, err := bindValue(q.d, c, item)
				if err != nil || v == nil {
					return fmt.Errorf("%s[%d]: want a value of %s", opPath, i, c.scalar)
				}
				if i > 0 {
					q.sql(", ")
				}
				q.bind(v)
			}
			q.sql(")")
		case "isNull":
			var isNull bool
			if err := json.Unmarshal(op.value, &isNull); err != nil {
				return fmt.Errorf("%s: want true or false", opPath)
			}
			q.ident(c.name)
			q.sql(map[bool]string{true: " IS NULL", false: " IS NOT NULL"}[isNull])
		default:
			return fmt.Errorf("%s: unknown filter operator", opPath)
		}
	}
	if n == 0 {
		q.sql("1=1")
	}
	q.sql(")")
	return nil
}

// field is one member of a JSON object, in document order.
type field struct {
	name  string
	value json.RawMessage
}

// objectFields reads a JSON object's members in document order, so that
// the SQL written (and its placeholders) follows the argument.
func objectFields(raw json.RawMessage) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object")
	}
	var out []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, field{name, v})
	}
	return out, nil
}
