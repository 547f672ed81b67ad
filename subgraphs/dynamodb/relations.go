package dynamodb

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/bounded"
)

// ResolveFieldBatch resolves a relation field on every parent of a plan
// level: one Query per distinct parent value, at most concurrency of them
// in flight, each result in its parent's place.
func (s *source) ResolveFieldBatch(ctx context.Context, batch tributary.FieldBatch) ([]tributary.Result, error) {
	r := s.m.relationsOf[batch.TypeName][batch.FieldName]
	if r == nil {
		return nil, s.errorf(codeInternal, "%s.%s is not a relation of this subgraph", batch.TypeName, batch.FieldName)
	}
	var args map[string]json.RawMessage
	if len(batch.Arguments) > 0 {
		if err := json.Unmarshal(batch.Arguments, &args); err != nil {
			return nil, s.badInput("the arguments of %s are not a JSON object", batch.FieldName)
		}
	}
	page, err := s.parsePageArgs(r.table, r.index, args, r.desc)
	if err != nil {
		return nil, err
	}
	rs := s.readsFor(r.table, itemsSelection(batch.Selection))
	pk := r.index.key.partition

	results := make([]tributary.Result, len(batch.Parents))
	type query struct {
		partition types.AttributeValue
		parents   []int
	}
	var queries []*query
	byValue := map[string]*query{}
	for i, raw := range batch.Parents {
		var parent map[string]json.RawMessage
		if err := json.Unmarshal(raw, &parent); err != nil {
			results[i].Err = s.errorf(codeInternal, "parent %d of %s.%s is not a JSON object", i, batch.TypeName, batch.FieldName)
			continue
		}
		partition, err := encodeAttr(pk, parent[r.parentField])
		switch {
		case err != nil:
			results[i].Err = s.errorf(codeInternal, "%s.%s: the parent's %s cannot be matched to %s of table %s: %v",
				batch.TypeName, batch.FieldName, r.parentField, pk.name, r.table.name, err)
			continue
		case partition == nil:
			// No value to match (a null field): no items.
			results[i].Data = json.RawMessage(`{"items":[],"nextToken":null}`)
			continue
		}
		text, _ := keyText(partition)
		q := byValue[text]
		if q == nil {
			q = &query{partition: partition}
			byValue[text] = q
			queries = append(queries, q)
		}
		q.parents = append(q.parents, i)
	}
	bounded.ForEach(len(queries), s.concurrency, func(i int) {
		q := queries[i]
		data, err := s.query(ctx, r.table, r.index, q.partition, page, rs)
		for _, p := range q.parents {
			results[p] = tributary.Result{Data: data, Err: err}
		}
	})
	return results, nil
}
