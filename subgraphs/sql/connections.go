package sql

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// emptyConnection is a connection with no edges.
var emptyConnection = json.RawMessage(`{"edges":[],"pageInfo":{"hasNextPage":false,"hasPreviousPage":false,"startCursor":null,"endCursor":null},"totalCount":0}`)

// connParams are a connection field's parsed arguments. Pagination is by
// keyset on the order (orderBy, then the primary key): a cursor holds the
// order's values of its row, and the next page starts after them.
type connParams struct {
	// p holds where and the order as read: reversed for last/before, with
	// a limit of one more than asked, to tell whether more rows follow.
	p        listParams
	n        *int64
	backward bool
	// cursor is the decoded after (or before) cursor's values, bound.
	cursor []any
	// order names the order, in cursors: a cursor of another order is
	// refused.
	order string
}

// cursorJSON is a cursor's content, before base64.
type cursorJSON struct {
	Order  string            `json:"o"`
	Values []json.RawMessage `json:"v"`
}

// parseConnection reads where, orderBy, first, after, last and before.
func parseConnection(d dialect, t *table, args map[string]json.RawMessage) (connParams, error) {
	var cp connParams
	p, err := parseList(t, map[string]json.RawMessage{"where": args["where"], "orderBy": args["orderBy"]})
	if err != nil {
		return cp, err
	}
	first, err := intArg(args, "first")
	if err != nil {
		return cp, err
	}
	last, err := intArg(args, "last")
	if err != nil {
		return cp, err
	}
	after, before := stringArg(args, "after"), stringArg(args, "before")
	switch {
	case first != nil && last != nil:
		return cp, fmt.Errorf("give first or last, not both")
	case after != "" && before != "":
		return cp, fmt.Errorf("give after or before, not both")
	case last != nil || before != "":
		if first != nil || after != "" {
			return cp, fmt.Errorf("page backward with last and before, forward with first and after")
		}
		cp.backward, cp.n = true, last
	default:
		cp.n = first
	}
	var names []string
	for _, o := range p.order {
		if o.c.nullable {
			return cp, fmt.Errorf("orderBy: %s may be null, and connections page by the order's values; order by columns that are not null", o.c.field)
		}
		names = append(names, o.c.field+map[bool]string{true: " DESC", false: ""}[o.desc])
	}
	cp.order = strings.Join(names, ",")
	if raw := after + before; raw != "" {
		if cp.cursor, err = decodeCursor(d, raw, cp.order, p.order); err != nil {
			return cp, err
		}
	}
	if cp.backward {
		for i := range p.order {
			p.order[i].desc = !p.order[i].desc
		}
	}
	if cp.n != nil {
		more := *cp.n + 1
		p.limit = &more
	}
	cp.p = p
	return cp, nil
}

// stringArg reads a String argument; "" when absent or null.
func stringArg(args map[string]json.RawMessage, name string) string {
	var s string
	_ = json.Unmarshal(args[name], &s)
	return s
}

// decodeCursor checks a cursor against the order and binds its values.
func decodeCursor(d dialect, raw, order string, terms []orderTerm) ([]any, error) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	var c cursorJSON
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Order != order || len(c.Values) != len(terms) {
		return nil, fmt.Errorf("the cursor is not one of this connection with this orderBy; start again without after/before")
	}
	values := make([]any, len(terms))
	for i, o := range terms {
		v, err := bindValue(d, o.c, c.Values[i])
		if err != nil || v == nil {
			return nil, fmt.Errorf("the cursor is damaged; start again without after/before")
		}
		values[i] = v
	}
	return values, nil
}

// keyset writes the condition of rows after values in terms' order:
// (a > ?) OR (a = ? AND b > ?) …, < for descending terms.
func (q *stmt) keyset(terms []orderTerm, values []any) {
	q.sql("(")
	for i := range terms {
		if i > 0 {
			q.sql(" OR ")
		}
		q.sql("(")
		for j := 0; j < i; j++ {
			q.ident(terms[j].c.name)
			q.sql(" = ")
			q.bind(values[j])
			q.sql(" AND ")
		}
		q.ident(terms[i].c.name)
		q.sql(map[bool]string{true: " < ", false: " > "}[terms[i].desc])
		q.bind(values[i])
		q.sql(")")
	}
	q.sql(")")
}

// cursorOf encodes the cursor of a row from its order columns' values.
func (cp *connParams) cursorOf(at []int, values []any) (string, error) {
	c := cursorJSON{Order: cp.order}
	for i, j := range at {
		v, err := appendValue(nil, cp.p.order[i].c, values[j])
		if err != nil {
			return "", err
		}
		c.Values = append(c.Values, v)
	}
	b, err := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b), err
}

// orderColumns lists the order's columns.
func (cp *connParams) orderColumns() []*column {
	out := make([]*column, len(cp.p.order))
	for i, o := range cp.p.order {
		out[i] = o.c
	}
	return out
}

// nodeSelection is the selection of a connection's edges' nodes, and
// whether totalCount is selected.
func nodeSelection(sel []*tributary.Selection) (nodes []*tributary.Selection, total bool) {
	for _, f := range sel {
		switch f.Name {
		case "edges":
			for _, e := range f.Children {
				if e.Name == "node" {
					nodes = append(nodes, e.Children...)
				}
			}
		case "totalCount":
			total = true
		}
	}
	return nodes, total
}

// appendConnection writes a connection from rows read in the (possibly
// reversed) order, with one row more than a page when more follow.
func (cp *connParams) appendConnection(dst []byte, rows [][]byte, cursors []string, total int64) []byte {
	more := cp.n != nil && int64(len(rows)) > *cp.n
	if more {
		rows, cursors = rows[:*cp.n], cursors[:*cp.n]
	}
	if cp.backward {
		rows, cursors = slices.Clone(rows), slices.Clone(cursors)
		slices.Reverse(rows)
		slices.Reverse(cursors)
	}
	dst = append(dst, `{"edges":[`...)
	for i, row := range rows {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"cursor":`...)
		dst = jsonscan.AppendString(dst, cursors[i])
		dst = append(dst, `,"node":`...)
		dst = append(dst, row...)
		dst = append(dst, '}')
	}
	next, previous := more, cp.cursor != nil
	if cp.backward {
		next, previous = previous, more
	}
	dst = append(dst, `],"pageInfo":{"hasNextPage":`...)
	dst = strconv.AppendBool(dst, next)
	dst = append(dst, `,"hasPreviousPage":`...)
	dst = strconv.AppendBool(dst, previous)
	for _, end := range []struct {
		key string
		at  int
	}{{`,"startCursor":`, 0}, {`,"endCursor":`, len(cursors) - 1}} {
		dst = append(dst, end.key...)
		if len(cursors) == 0 {
			dst = append(dst, "null"...)
		} else {
			dst = jsonscan.AppendString(dst, cursors[end.at])
		}
	}
	dst = append(dst, `},"totalCount":`...)
	dst = strconv.AppendInt(dst, total, 10)
	return append(dst, '}')
}

// connection reads one page of t's rows as a Relay connection: one
// statement, and one more to count the rows when totalCount is selected.
func (s *source) connection(ctx context.Context, q queryer, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	cp, err := parseConnection(s.d, t, args)
	if err != nil {
		return nil, s.badInput("%v", err)
	}
	nodes, wantTotal := nodeSelection(sel)
	rs := readsFor(t, nodes, cp.orderColumns()...)
	at := columnIndexes(rs.cols, cp.orderColumns())
	st := &stmt{d: s.d}
	st.selectFrom(rs)
	if err := st.where(t, cp.p.where); err != nil {
		return nil, s.badInput("%v", err)
	}
	if cp.cursor != nil {
		st.sql(" AND ")
		st.keyset(cp.p.order, cp.cursor)
	}
	st.sql(" ORDER BY ")
	st.orderBy("", cp.p.order)
	st.limitOffset(cp.p)
	var rows [][]byte
	var cursors []string
	err = s.query(ctx, q, st, len(rs.cols), func(values []any) error {
		obj, err := rs.appendObject(nil, values)
		if err != nil {
			return err
		}
		cursor, err := cp.cursorOf(at, values)
		rows, cursors = append(rows, obj), append(cursors, cursor)
		return err
	})
	if err != nil {
		return nil, err
	}
	var total int64
	if wantTotal {
		count := &stmt{d: s.d}
		count.sql("SELECT COUNT(*) FROM ")
		count.from(t)
		count.sql(" WHERE ")
		_ = count.where(t, cp.p.where) // checked above
		err = s.query(ctx, q, count, 1, func(values []any) error {
			total, err = countOf(values[0])
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return cp.appendConnection(nil, rows, cursors, total), nil
}

// countOf reads a COUNT(*) the driver returned.
func countOf(v any) (int64, error) {
	switch n := v.(type) {
	case int64:
		return n, nil
	case []byte, string:
		return strconv.ParseInt(text(n), 10, 64)
	}
	return 0, fmt.Errorf("COUNT(*) returned %T", v)
}
