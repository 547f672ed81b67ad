package sql

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/tributary-gw/tributary"
)

// keyGroup is one distinct key value of a batch, with the batch items
// (parents, representations) that asked for it.
type keyGroup struct {
	tuple []any
	items []int
	// rows are the objects read for it, in statement order, and for a
	// connection each row's cursor and the key's total count.
	rows    [][]byte
	cursors []string
	total   int64
}

// keyGroups collects distinct key tuples in first-seen order.
type keyGroups struct {
	order []*keyGroup
	byKey map[string]*keyGroup
}

// add records that item asks for tuple.
func (g *keyGroups) add(tuple []any, item int) {
	id := tupleID(tuple)
	if g.byKey == nil {
		g.byKey = map[string]*keyGroup{}
	}
	k := g.byKey[id]
	if k == nil {
		k = &keyGroup{tuple: tuple}
		g.byKey[id] = k
		g.order = append(g.order, k)
	}
	k.items = append(k.items, item)
}

// tuples lists the distinct key tuples.
func (g *keyGroups) tuples() [][]any {
	out := make([][]any, len(g.order))
	for i, k := range g.order {
		out[i] = k.tuple
	}
	return out
}

// tupleID is the comparable text of a key tuple; bindValue and the
// scanned values normalize to the same Go types (int64, string…) once
// both are passed through keyText.
func tupleID(tuple []any) string {
	var b strings.Builder
	for _, v := range tuple {
		b.WriteString(text(normalizeKey(v)))
		b.WriteByte(0)
	}
	return b.String()
}

// normalizeKey makes a scanned key value comparable with a bound one:
// MySQL returns text as []byte, SQLite and PostgreSQL integers as int64.
func normalizeKey(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}

// ResolveFieldBatch resolves a relation field on every parent of a plan
// level with one statement, and returns each parent's rows (or row) in
// parent order.
func (s *source) ResolveFieldBatch(ctx context.Context, batch tributary.FieldBatch) ([]tributary.Result, error) {
	t := s.m.byType[batch.TypeName]
	var r *relation
	var nq *namedQuery
	if t != nil {
		r, nq = t.relations[batch.FieldName], t.named[batch.FieldName]
	}
	if r == nil && nq == nil {
		return nil, s.errorf(codeInternal, "%s.%s is not a relation of this subgraph", batch.TypeName, batch.FieldName)
	}
	args, err := s.arguments(batch.FieldName, batch.Arguments)
	if err != nil {
		return nil, err
	}
	if nq != nil {
		return s.resolveNamedBatch(ctx, batch, nq, args)
	}
	results := make([]tributary.Result, len(batch.Parents))
	var groups keyGroups
	for i, raw := range batch.Parents {
		member, ok := objectMember(raw)
		if !ok {
			results[i].Err = s.errorf(codeInternal, "parent %d of %s.%s is not a JSON object", i, batch.TypeName, batch.FieldName)
			continue
		}
		tuple, err := s.keyTupleOf(r.fromCols, member)
		if err != nil {
			results[i].Err = err
			continue
		}
		if tuple == nil {
			switch {
			case r.connection:
				results[i].Data = emptyConnection
			case r.many:
				results[i].Data = json.RawMessage(`[]`)
			}
			continue // a null reference: null, or no rows
		}
		groups.add(tuple, i)
	}
	if len(groups.order) == 0 {
		return results, nil
	}
	if r.connection {
		return s.relatedConnections(ctx, batch, r, args, &groups, results)
	}
	err = s.run(ctx, batch.Header, batch.Caller, false, func(ctx context.Context, q queryer) error {
		return s.readRelated(ctx, q, r, args, batch.Selection, &groups)
	})
	if err != nil {
		return nil, err
	}
	for _, g := range groups.order {
		var data json.RawMessage
		switch {
		case r.many:
			data = append(append([]byte{'['}, joinRows(g.rows)...), ']')
		case len(g.rows) > 0:
			data = g.rows[0]
		}
		for _, i := range g.items {
			results[i].Data = data
		}
	}
	return results, nil
}

func joinRows(rows [][]byte) []byte {
	var out []byte
	for i, row := range rows {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, row...)
	}
	return out
}

// readRelated reads the rows of r.to for every key of groups in one
// statement and hands each row to its key's group.
func (s *source) readRelated(ctx context.Context, q queryer, r *relation, args map[string]json.RawMessage, sel []*tributary.Selection, groups *keyGroups) error {
	var p listParams
	if r.many {
		var err error
		if p, err = parseList(r.to, args); err != nil {
			return s.badInput("%v", err)
		}
	}
	rs := readsFor(r.to, sel, r.toCols...)
	return s.readRelatedRows(ctx, q, relatedRead{r: r, rs: rs, p: p}, groups, func(g *keyGroup, values []any) error {
		obj, err := rs.appendObject(nil, values)
		g.rows = append(g.rows, obj)
		return err
	})
}

// relatedRead is one batched read of a relation's rows.
type relatedRead struct {
	r  *relation
	rs readSet
	p  listParams
	// after, if set, writes one more condition (a connection's cursor).
	after func(*stmt)
}

// readRelatedRows runs rr's statement and calls each with every row and
// the group of its key. With a limit or offset, ROW_NUMBER() OVER
// (PARTITION BY the key) pages each parent's rows on its own.
func (s *source) readRelatedRows(ctx context.Context, q queryer, rr relatedRead, groups *keyGroups, each func(g *keyGroup, values []any) error) error {
	r, rs, p := rr.r, rr.rs, rr.p
	st := &stmt{d: s.d}
	paged := p.limit != nil || p.offset > 0
	st.sql("SELECT ")
	if paged {
		// The inner select reads the rows and numbers them per parent key;
		// the outer one keeps each parent's page.
		for i, c := range rs.cols {
			if i > 0 {
				st.sql(", ")
			}
			st.ident(c.name)
		}
		st.sql(" FROM (SELECT ")
	}
	st.columnList(rs.cols, paged)
	if paged {
		st.sql(", ROW_NUMBER() OVER (PARTITION BY ")
		st.columnNames(r.toCols)
		if len(p.order) > 0 {
			st.sql(" ORDER BY ")
			st.orderBy("", p.order)
		}
		st.sql(") AS ")
		st.ident("__rn")
	}
	st.sql(" FROM ")
	st.from(r.to)
	st.sql(" WHERE ")
	st.keyIn("", r.toCols, groups.tuples())
	st.sql(" AND ")
	if err := st.where(r.to, p.where); err != nil {
		return s.badInput("%v", err)
	}
	if rr.after != nil {
		st.sql(" AND ")
		rr.after(st)
	}
	if paged {
		st.sql(") ")
		st.ident("__page")
		st.sql(" WHERE ")
		st.ident("__rn")
		st.sql(" > ")
		st.bind(p.offset)
		if p.limit != nil {
			st.sql(" AND ")
			st.ident("__rn")
			st.sql(" <= ")
			st.bind(p.offset + *p.limit)
		}
		st.sql(" ORDER BY ")
		st.ident("__rn")
	} else if len(p.order) > 0 {
		st.sql(" ORDER BY ")
		st.orderBy("", p.order)
	}
	keyAt := columnIndexes(rs.cols, r.toCols)
	tuple := make([]any, len(keyAt))
	return s.query(ctx, q, st, len(rs.cols), func(values []any) error {
		for i, j := range keyAt {
			tuple[i] = values[j]
		}
		if g := groups.byKey[tupleID(tuple)]; g != nil {
			return each(g, values)
		}
		return nil
	})
}

// columnIndexes returns where each of want is in cols (-1 when absent).
func columnIndexes(cols, want []*column) []int {
	out := make([]int, len(want))
	for i, c := range want {
		out[i] = -1
		for j, rc := range cols {
			if rc == c {
				out[i] = j
			}
		}
	}
	return out
}
