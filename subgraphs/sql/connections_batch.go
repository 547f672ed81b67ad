package sql

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/tributary-gw/tributary"
)

// relatedConnections resolves a relation's connection field
// (Author.booksConnection) on every parent of a plan level: one statement
// for the pages of all parents, and one more for their counts when
// totalCount is selected.
func (s *source) relatedConnections(ctx context.Context, batch tributary.FieldBatch, r *relation, args map[string]json.RawMessage, groups *keyGroups, results []tributary.Result) ([]tributary.Result, error) {
	cp, err := parseConnection(s.d, r.to, args)
	if err != nil {
		return nil, s.badInput("%v", err)
	}
	nodes, wantTotal := nodeSelection(batch.Selection)
	rs := readsFor(r.to, nodes, append(slices.Clone(r.toCols), cp.orderColumns()...)...)
	at := columnIndexes(rs.cols, cp.orderColumns())
	rr := relatedRead{r: r, rs: rs, p: cp.p}
	if cp.cursor != nil {
		rr.after = func(st *stmt) { st.keyset(cp.p.order, cp.cursor) }
	}
	err = s.run(ctx, batch.Header, batch.Caller, false, func(ctx context.Context, q queryer) error {
		err := s.readRelatedRows(ctx, q, rr, groups, func(g *keyGroup, values []any) error {
			obj, err := rs.appendObject(nil, values)
			if err != nil {
				return err
			}
			cursor, err := cp.cursorOf(at, values)
			g.rows, g.cursors = append(g.rows, obj), append(g.cursors, cursor)
			return err
		})
		if err != nil || !wantTotal {
			return err
		}
		return s.countRelated(ctx, q, r, cp.p.where, groups)
	})
	if err != nil {
		return nil, err
	}
	for _, g := range groups.order {
		data := json.RawMessage(cp.appendConnection(nil, g.rows, g.cursors, g.total))
		for _, i := range g.items {
			results[i].Data = data
		}
	}
	return results, nil
}

// countRelated counts each group's rows of r.to matching where, in one
// statement grouped by the key.
func (s *source) countRelated(ctx context.Context, q queryer, r *relation, where json.RawMessage, groups *keyGroups) error {
	st := &stmt{d: s.d}
	st.sql("SELECT ")
	st.columnNames(r.toCols)
	st.sql(", COUNT(*) FROM ")
	st.from(r.to)
	st.sql(" WHERE ")
	st.keyIn("", r.toCols, groups.tuples())
	st.sql(" AND ")
	if err := st.where(r.to, where); err != nil {
		return s.badInput("%v", err)
	}
	st.sql(" GROUP BY ")
	st.columnNames(r.toCols)
	n := len(r.toCols)
	return s.query(ctx, q, st, n+1, func(values []any) error {
		g := groups.byKey[tupleID(values[:n])]
		if g == nil {
			return nil
		}
		total, err := countOf(values[n])
		g.total = total
		return err
	})
}
