package sql

import (
	"context"
	dbsql "database/sql"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// source resolves the fields and entities of one SQL subgraph.
type source struct {
	// name is the subgraph's name, the prefix of every error message.
	name    string
	m       *model
	d       dialect
	db      *dbsql.DB
	timeout time.Duration
	session *session
}

// statementCounters, keyed by subgraph name, count the statements each
// subgraph runs; only tests register one (see export_test.go), to prove
// batching. An empty sync.Map costs one load per statement.
var statementCounters sync.Map

// queryer is a pool or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*dbsql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (dbsql.Result, error)
}

// objectMember returns a member reader of a JSON object (a parent, a
// representation) that reads only the members asked for, or false when
// raw is not an object.
func objectMember(raw json.RawMessage) (func(field string) json.RawMessage, bool) {
	if i := jsonscan.SkipSpace(raw, 0); i >= len(raw) || raw[i] != '{' {
		return nil, false
	}
	return func(field string) json.RawMessage {
		v, _ := jsonscan.MemberValue(raw, field)
		return v
	}, true
}

// countStatement records one statement for tests that count them.
func (s *source) countStatement() {
	if c, ok := statementCounters.Load(s.name); ok {
		c.(*atomic.Int64).Add(1)
	}
}

// ResolveField resolves a generated root field.
func (s *source) ResolveField(ctx context.Context, call tributary.FieldCall) (json.RawMessage, error) {
	root, ok := s.m.roots[call.TypeName+"."+call.FieldName]
	if !ok {
		return nil, s.errorf(codeInternal, "no resolver for field %s.%s", call.TypeName, call.FieldName)
	}
	args, err := s.arguments(call.FieldName, call.Arguments)
	if err != nil {
		return nil, err
	}
	var out json.RawMessage
	err = s.run(ctx, call.Header, call.Caller, root.writes(), func(ctx context.Context, q queryer) error {
		var err error
		switch root.kind {
		case rootByKey:
			out, err = s.byKey(ctx, q, root.table, args, call.Selection)
		case rootList:
			out, err = s.list(ctx, q, root.table, args, call.Selection)
		case rootConnection:
			out, err = s.connection(ctx, q, root.table, args, call.Selection)
		case rootCreate:
			out, err = s.create(ctx, q, root.table, args, call.Selection)
		case rootUpdate:
			out, err = s.update(ctx, q, root.table, args, call.Selection)
		case rootDelete:
			out, err = s.delete(ctx, q, root.table, args, call.Selection)
		case rootNamed:
			out, err = s.runNamed(ctx, q, root.named, args, nil)
		}
		return err
	})
	return out, err
}

// arguments decodes a field's arguments.
func (s *source) arguments(field string, raw json.RawMessage) (map[string]json.RawMessage, error) {
	var args map[string]json.RawMessage
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &args); err != nil {
			return nil, s.badInput("the arguments of %s are not a JSON object", field)
		}
	}
	return args, nil
}

// keyTuple reads the values of cols from JSON fields by GraphQL name
// (arguments, a representation); nil when one is null or absent.
func (s *source) keyTuple(cols []*column, fields map[string]json.RawMessage) ([]any, error) {
	return s.keyTupleOf(cols, func(field string) json.RawMessage { return fields[field] })
}

// keyTupleOf reads the values of cols through member, which returns a
// field's raw JSON by GraphQL name.
func (s *source) keyTupleOf(cols []*column, member func(field string) json.RawMessage) ([]any, error) {
	out := make([]any, len(cols))
	for i, c := range cols {
		v, err := bindValue(s.d, c, member(c.field))
		if err != nil {
			return nil, s.badInput("%s: %v", c.field, err)
		}
		if v == nil {
			return nil, nil
		}
		out[i] = v
	}
	return out, nil
}

// byKey reads one row by primary key; null when there is none.
func (s *source) byKey(ctx context.Context, q queryer, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	key, err := s.keyTuple(t.primaryKey, args)
	if err != nil || key == nil {
		return nil, err
	}
	rs := readsFor(t, sel)
	st := &stmt{d: s.d}
	st.selectFrom(rs)
	st.keyEquals(t.primaryKey, key)
	return s.queryRow(ctx, q, st, rs)
}

// queryRow runs st and returns its row as an object of rs; nil when it
// returns none.
func (s *source) queryRow(ctx context.Context, q queryer, st *stmt, rs readSet) (json.RawMessage, error) {
	var out json.RawMessage
	err := s.query(ctx, q, st, len(rs.cols), func(values []any) error {
		var err error
		out, err = rs.appendObject(nil, values)
		return err
	})
	return out, err
}

// keyEquals writes `a = ? AND b = ?`.
func (q *stmt) keyEquals(cols []*column, key []any) {
	for i, c := range cols {
		if i > 0 {
			q.sql(" AND ")
		}
		q.ident(c.name)
		q.sql(" = ")
		q.bind(key[i])
	}
}

// list reads rows of t as where, orderBy, limit and offset say.
func (s *source) list(ctx context.Context, q queryer, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	p, err := parseList(t, args)
	if err != nil {
		return nil, s.badInput("%v", err)
	}
	rs := readsFor(t, sel)
	st := &stmt{d: s.d}
	st.selectFrom(rs)
	if err := st.where(t, p.where); err != nil {
		return nil, s.badInput("%v", err)
	}
	if len(p.order) > 0 {
		st.sql(" ORDER BY ")
		st.orderBy("", p.order)
	}
	st.limitOffset(p)
	out := []byte{'['}
	err = s.query(ctx, q, st, len(rs.cols), func(values []any) error {
		if len(out) > 1 {
			out = append(out, ',')
		}
		var err error
		out, err = rs.appendObject(out, values)
		return err
	})
	return append(out, ']'), err
}

// timeoutGrace is how much longer than the statement timeout the kind
// waits before cancelling from the client side: on PostgreSQL and MySQL
// the server cancels first, keeping the connection.
const timeoutGrace = 500 * time.Millisecond

// query runs a statement with the statement timeout and calls each with
// every row's first n values (all of them when n < 0).
func (s *source) query(ctx context.Context, q queryer, st *stmt, n int, each func(values []any) error) error {
	s.countStatement()
	ctx, cancel := s.statementContext(ctx)
	defer cancel()
	rows, err := q.QueryContext(ctx, st.b.String(), st.args...)
	if err != nil {
		return s.dbError(ctx, err)
	}
	defer rows.Close()
	width := n
	if cols, err := rows.Columns(); err == nil {
		width, st.columns = len(cols), cols
	}
	if n < 0 {
		n = width // every column (named queries)
	}
	values := make([]any, width)
	ptrs := make([]any, width)
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return s.dbError(ctx, err)
		}
		if err := each(values[:n]); err != nil {
			return s.errorf(codeInternal, "%v", err)
		}
	}
	if err := rows.Err(); err != nil {
		return s.dbError(ctx, err)
	}
	return nil
}

// exec runs a statement that returns no rows.
func (s *source) exec(ctx context.Context, q queryer, st *stmt) (dbsql.Result, error) {
	s.countStatement()
	ctx, cancel := s.statementContext(ctx)
	defer cancel()
	res, err := q.ExecContext(ctx, st.b.String(), st.args...)
	if err != nil {
		return nil, s.dbError(ctx, err)
	}
	return res, nil
}

// statementContext bounds one statement: the statement timeout, and on
// PostgreSQL and MySQL (whose servers enforce it themselves) a grace
// period more.
func (s *source) statementContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.d.name() != "sqlite" {
		return context.WithTimeout(ctx, s.timeout+timeoutGrace)
	}
	return context.WithTimeout(ctx, s.timeout)
}

// writes reports whether the root field writes: it then runs in a
// transaction.
func (r rootField) writes() bool {
	switch r.kind {
	case rootCreate, rootUpdate, rootDelete:
		return true
	case rootNamed:
		return r.named.typeName == "Mutation"
	}
	return false
}
