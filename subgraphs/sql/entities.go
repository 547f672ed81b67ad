package sql

import (
	"context"
	"encoding/json"

	"github.com/tributary-gw/tributary"
)

// ResolveEntities resolves representations of the tables' types: one
// statement per type, matching the distinct keys with ANY or IN, results
// in representation order (null for a key with no row).
func (s *source) ResolveEntities(ctx context.Context, batch tributary.EntityBatch) ([]tributary.Result, error) {
	results := make([]tributary.Result, len(batch.Representations))
	byType := map[*table]*keyGroups{}
	var types []*table
	for i, raw := range batch.Representations {
		member, ok := objectMember(raw)
		if !ok {
			results[i].Err = s.errorf(codeInternal, "entity representation %d is not a JSON object", i)
			continue
		}
		var typeName string
		_ = json.Unmarshal(member("__typename"), &typeName)
		t := s.m.byType[typeName]
		if t == nil || len(t.primaryKey) == 0 {
			results[i].Err = s.errorf(codeInternal, "%q is not an entity type of this subgraph", typeName)
			continue
		}
		tuple, err := s.keyTupleOf(t.primaryKey, member)
		if err != nil || tuple == nil {
			results[i].Err = s.errorf(codeInternal, "the %s representation has no usable key", typeName)
			continue
		}
		g := byType[t]
		if g == nil {
			g = &keyGroups{}
			byType[t] = g
			types = append(types, t)
		}
		g.add(tuple, i)
	}
	if len(types) == 0 {
		return results, nil
	}
	err := s.run(ctx, batch.Header, batch.Caller, false, func(ctx context.Context, q queryer) error {
		for _, t := range types {
			if err := s.readKeys(ctx, q, t, batch.Selection, byType[t]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		for _, g := range byType[t].order {
			if len(g.rows) == 0 {
				continue
			}
			for _, i := range g.items {
				results[i].Data = g.rows[0]
			}
		}
	}
	return results, nil
}

// readKeys reads t's rows for every key of groups in one statement.
func (s *source) readKeys(ctx context.Context, q queryer, t *table, sel []*tributary.Selection, groups *keyGroups) error {
	rs := readsFor(t, sel)
	st := &stmt{d: s.d}
	st.selectFrom(rs)
	st.keyIn("", t.primaryKey, groups.tuples())
	tuple := make([]any, len(t.primaryKey))
	return s.query(ctx, q, st, len(rs.cols), func(values []any) error {
		copy(tuple, values[:len(t.primaryKey)]) // readsFor puts the key first
		g := groups.byKey[tupleID(tuple)]
		if g == nil {
			return nil
		}
		obj, err := rs.appendObject(nil, values)
		g.rows = append(g.rows, obj)
		return err
	})
}
