package sql

import (
	"context"
	"encoding/json"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// leafColumn is a stand-in column for a named query's scalar argument or
// result, so that values travel as a column's of that type would.
func leafColumn(name string, t typeRef) *column {
	return &column{name: name, field: name, scalar: t.named, kind: t.scalarKind, nullable: true}
}

// runNamed runs a named query with the arguments (and the parent's
// values for TYPE.FIELD) bound, and shapes its rows as the field's type.
func (s *source) runNamed(ctx context.Context, q queryer, nq *namedQuery, args, parent map[string]json.RawMessage) (json.RawMessage, error) {
	st := &stmt{d: s.d}
	st.sql(nq.text)
	for _, p := range nq.params {
		var c *column
		var raw json.RawMessage
		if p.fromParent {
			c = nq.parent.byName[p.name]
			raw = parent[c.field]
		} else {
			for _, a := range nq.args {
				if a.name == p.name {
					c = leafColumn(a.name, a.typ)
				}
			}
			raw = args[p.name]
		}
		v, err := bindValue(s.d, c, raw)
		if err != nil {
			return nil, s.badInput("%s: %v", p.name, err)
		}
		st.args = append(st.args, v)
	}
	var rows [][]byte
	var shape func(values []any) ([]byte, error)
	err := s.query(ctx, q, st, -1, func(values []any) error {
		if shape == nil {
			shape = s.rowShaper(nq, st.columns)
		}
		row, err := shape(values)
		rows = append(rows, row)
		return err
	})
	if err != nil {
		return nil, err
	}
	if nq.returns.list {
		out := []byte{'['}
		out = append(out, joinRows(rows)...)
		return append(out, ']'), nil
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return rows[0], nil
}

// rowShaper returns how a named query's row is written: an object of the
// returned table's type from the columns named like its columns (others
// are ignored), or the first column as a scalar.
func (s *source) rowShaper(nq *namedQuery, names []string) func(values []any) ([]byte, error) {
	if nq.returned == nil {
		c := leafColumn(nq.field, nq.returns)
		return func(values []any) ([]byte, error) {
			if len(values) == 0 {
				return []byte("null"), nil
			}
			return appendValue(nil, c, values[0])
		}
	}
	t := nq.returned
	rs := readSet{t: t, prefix: jsonscan.AppendString([]byte(`{"__typename":`), t.typeName)}
	var at []int
	for i, name := range names {
		if c := t.byName[name]; c != nil && !containsColumn(rs.cols, c) {
			rs.cols = append(rs.cols, c)
			rs.keys = append(rs.keys, append(jsonscan.AppendString([]byte{','}, c.field), ':'))
			at = append(at, i)
		}
	}
	picked := make([]any, len(at))
	return func(values []any) ([]byte, error) {
		for i, j := range at {
			picked[i] = values[j]
		}
		return rs.appendObject(nil, picked)
	}
}

// resolveNamedBatch resolves a named query on a table's type for every
// parent of a plan level: one statement per distinct parent value, as the
// SQL is the section's own and cannot be rewritten to take them all.
func (s *source) resolveNamedBatch(ctx context.Context, batch tributary.FieldBatch, nq *namedQuery, args map[string]json.RawMessage) ([]tributary.Result, error) {
	results := make([]tributary.Result, len(batch.Parents))
	err := s.run(ctx, batch.Header, batch.Caller, false, func(ctx context.Context, q queryer) error {
		done := map[string]json.RawMessage{}
		for i, raw := range batch.Parents {
			var parent map[string]json.RawMessage
			if err := json.Unmarshal(raw, &parent); err != nil {
				results[i].Err = s.errorf(codeInternal, "parent %d of %s.%s is not a JSON object", i, batch.TypeName, batch.FieldName)
				continue
			}
			id := ""
			for _, p := range nq.params {
				if p.fromParent {
					id += string(parent[nq.parent.byName[p.name].field]) + "\x00"
				}
			}
			if data, ok := done[id]; ok {
				results[i].Data = data
				continue
			}
			data, err := s.runNamed(ctx, q, nq, args, parent)
			if err != nil {
				return err
			}
			done[id], results[i].Data = data, data
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}
