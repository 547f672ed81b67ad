package sql

import (
	"context"
	"encoding/json"

	"github.com/tributary-gw/tributary"
)

// columnValues reads an input or patch object into columns and bound
// values, in the object's order.
func (s *source) columnValues(t *table, raw json.RawMessage, arg string) ([]*column, []any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, s.badInput("%s is required", arg)
	}
	fields, err := objectFields(raw)
	if err != nil {
		return nil, nil, s.badInput("%s: want an input object", arg)
	}
	var cols []*column
	var values []any
	for _, f := range fields {
		c := t.byField[f.name]
		if c == nil {
			return nil, nil, s.badInput("%s.%s: %s has no such column", arg, f.name, t.typeName)
		}
		v, err := bindValue(s.d, c, f.value)
		if err != nil {
			return nil, nil, s.badInput("%s.%s: %v", arg, f.name, err)
		}
		cols, values = append(cols, c), append(values, v)
	}
	return cols, values, nil
}

// writeAndRead ends a write: with RETURNING where the database has
// it, the statement itself returns the row; otherwise (MySQL) the row is
// read by key after the write, in the same transaction.
func (s *source) writeAndRead(ctx context.Context, q queryer, t *table, st *stmt, rs readSet, key []any) (json.RawMessage, error) {
	if s.d.returning() {
		st.sql(" RETURNING ")
		st.columnList(rs.cols, false)
		return s.queryRow(ctx, q, st, rs)
	}
	res, err := s.exec(ctx, q, st)
	if err != nil {
		return nil, err
	}
	if key == nil {
		// The key was generated: MySQL reports an AUTO_INCREMENT id.
		id, err := res.LastInsertId()
		if err != nil || len(t.primaryKey) != 1 {
			return nil, s.errorf(codeInternal, "cannot tell which %s row was written", t.typeName)
		}
		key = []any{id}
	}
	sel := &stmt{d: s.d}
	sel.selectFrom(rs)
	sel.keyEquals(t.primaryKey, key)
	return s.queryRow(ctx, q, sel, rs)
}

// create inserts a row and returns it.
func (s *source) create(ctx context.Context, q queryer, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	cols, values, err := s.columnValues(t, args["input"], "input")
	if err != nil {
		return nil, err
	}
	st := &stmt{d: s.d}
	st.sql("INSERT INTO ")
	st.from(t)
	if len(cols) == 0 {
		st.sql(map[bool]string{true: " () VALUES ()", false: " DEFAULT VALUES"}[s.d.name() == "mysql"])
	} else {
		st.sql(" (")
		for i, c := range cols {
			if i > 0 {
				st.sql(", ")
			}
			st.ident(c.name)
		}
		st.sql(") VALUES (")
		for i, v := range values {
			if i > 0 {
				st.sql(", ")
			}
			st.bind(v)
		}
		st.sql(")")
	}
	var key []any
	for _, k := range t.primaryKey {
		for i, c := range cols {
			if c == k && values[i] != nil {
				key = append(key, values[i])
			}
		}
	}
	if len(key) != len(t.primaryKey) {
		key = nil
	}
	return s.writeAndRead(ctx, q, t, st, readsFor(t, sel), key)
}

// update sets the patch's columns of the row with the given key and
// returns it; null when there is no such row.
func (s *source) update(ctx context.Context, q queryer, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	key, err := s.keyTuple(t.primaryKey, args)
	if err != nil || key == nil {
		return nil, err
	}
	cols, values, err := s.columnValues(t, args["patch"], "patch")
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return s.byKey(ctx, q, t, args, sel)
	}
	st := &stmt{d: s.d}
	st.sql("UPDATE ")
	st.from(t)
	st.sql(" SET ")
	for i, c := range cols {
		if i > 0 {
			st.sql(", ")
		}
		st.ident(c.name)
		st.sql(" = ")
		st.bind(values[i])
	}
	st.sql(" WHERE ")
	st.keyEquals(t.primaryKey, key)
	// A patch may change the key: read the row back by its new key.
	newKey := append([]any(nil), key...)
	for i, k := range t.primaryKey {
		for j, c := range cols {
			if c == k {
				newKey[i] = values[j]
			}
		}
	}
	return s.writeAndRead(ctx, q, t, st, readsFor(t, sel), newKey)
}

// delete removes the row with the given key and returns it; null when
// there is no such row.
func (s *source) delete(ctx context.Context, q queryer, t *table, args map[string]json.RawMessage, sel []*tributary.Selection) (json.RawMessage, error) {
	key, err := s.keyTuple(t.primaryKey, args)
	if err != nil || key == nil {
		return nil, err
	}
	st := &stmt{d: s.d}
	st.sql("DELETE FROM ")
	st.from(t)
	st.sql(" WHERE ")
	st.keyEquals(t.primaryKey, key)
	rs := readsFor(t, sel)
	if s.d.returning() {
		st.sql(" RETURNING ")
		st.columnList(rs.cols, false)
		return s.queryRow(ctx, q, st, rs)
	}
	// MySQL has no RETURNING: read the row, then delete it, in the
	// mutation's transaction.
	row, err := s.byKey(ctx, q, t, args, sel)
	if err != nil || row == nil {
		return row, err
	}
	_, err = s.exec(ctx, q, st)
	return row, err
}
