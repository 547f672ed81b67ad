package dynamodb

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/bounded"
)

// maxBatchGetKeys is DynamoDB's limit of keys in one BatchGetItem call.
const maxBatchGetKeys = 100

// entityKey is one distinct item an entity batch reads.
type entityKey struct {
	t   *table
	key item
	id  string
	// indices lists the representations that asked for it.
	indices []int
}

// ResolveEntities resolves representations of the tables' types with
// BatchGetItem: duplicates removed, at most 100 keys a call, unprocessed
// keys retried with backoff, results in representation order. Types of
// other subgraphs that relations extend, and table types of which only
// the key and relations are selected, are answered from the
// representation without a read.
func (s *source) ResolveEntities(ctx context.Context, batch tributary.EntityBatch) ([]tributary.Result, error) {
	results := make([]tributary.Result, len(batch.Representations))
	reads := map[*table]readSet{}
	var keys []*entityKey
	seen := map[string]*entityKey{}
	for i, raw := range batch.Representations {
		typeName, fields, ok := tributary.ParseRepresentation(raw)
		if !ok {
			results[i].Err = s.errorf(codeInternal, "entity representation %d is not a JSON object", i)
			continue
		}
		t := s.m.byType[typeName]
		if t == nil {
			if s.m.relationsOf[typeName] != nil {
				results[i].Data = raw // a stub: its key is all relations need
			} else {
				results[i].Err = s.errorf(codeInternal, "%q is not an entity type of this subgraph", typeName)
			}
			continue
		}
		key, err := s.itemKey(t, fields)
		if err != nil {
			results[i].Err = s.errorf(codeInternal, "the %s representation: %v", typeName, err)
			continue
		}
		rs, ok := reads[t]
		if !ok {
			rs = s.readsFor(t, batch.Selection)
			reads[t] = rs
		}
		if rs.keyOnly() {
			obj, _ := s.appendObject(nil, rs, key, nil)
			results[i].Data = obj
			continue
		}
		id, _ := itemIdentity(t, key)
		id = t.name + "\x00" + id
		if k := seen[id]; k != nil {
			k.indices = append(k.indices, i)
			continue
		}
		k := &entityKey{t: t, key: key, id: id, indices: []int{i}}
		seen[id] = k
		keys = append(keys, k)
	}
	var chunks [][]*entityKey
	for start := 0; start < len(keys); start += maxBatchGetKeys {
		chunks = append(chunks, keys[start:min(start+maxBatchGetKeys, len(keys))])
	}
	bounded.ForEach(len(chunks), s.concurrency, func(c int) {
		s.batchGet(ctx, chunks[c], reads, results)
	})
	return results, nil
}

// batchGet reads one chunk of keys and fills the results of their
// representations: the object, null for a miss, or the call's error.
func (s *source) batchGet(ctx context.Context, chunk []*entityKey, reads map[*table]readSet, results []tributary.Result) {
	byID := make(map[string]*entityKey, len(chunk))
	request := map[string]types.KeysAndAttributes{}
	for _, k := range chunk {
		byID[k.id] = k
		ka, ok := request[k.t.name]
		if !ok {
			var e expr
			ka = types.KeysAndAttributes{
				ProjectionExpression:     aws.String(e.projection(reads[k.t].attrs)),
				ExpressionAttributeNames: e.attributeNames(),
			}
		}
		ka.Keys = append(ka.Keys, k.key)
		request[k.t.name] = ka
	}
	var mu sync.Mutex
	found := map[string]bool{}
	err := s.batchGetAll(ctx, request, func(tableName string, it item) {
		t := s.m.byName[tableName]
		if t == nil {
			return
		}
		id, ok := itemIdentity(t, it)
		k := byID[tableName+"\x00"+id]
		if !ok || k == nil {
			return
		}
		obj, errs := s.appendObject(nil, reads[t], it, nil)
		mu.Lock()
		defer mu.Unlock()
		found[k.id] = true
		for _, i := range k.indices {
			results[i] = tributary.Result{Data: obj, Err: partial(errs)}
		}
	})
	for _, k := range chunk {
		if found[k.id] || err == nil {
			continue // a key neither found nor failed is a miss: null
		}
		for _, i := range k.indices {
			results[i].Err = err
		}
	}
}

// batchGetAll calls BatchGetItem until every key was processed, waiting
// with jittered backoff before each retry of UnprocessedKeys, for at most
// the retry policy's attempts and never past ctx's deadline.
func (s *source) batchGetAll(ctx context.Context, request map[string]types.KeysAndAttributes, each func(table string, it item)) error {
	for attempt := 0; ; attempt++ {
		out, err := s.db.BatchGetItem(ctx, &ddb.BatchGetItemInput{RequestItems: request})
		if err != nil {
			return s.callError(ctx, "BatchGetItem", firstTable(request), err)
		}
		for tableName, items := range out.Responses {
			for _, it := range items {
				each(tableName, it)
			}
		}
		if len(out.UnprocessedKeys) == 0 {
			return nil
		}
		request = out.UnprocessedKeys
		if attempt+1 >= s.retry.attempts {
			return s.errorf("ProvisionedThroughputExceededException", "BatchGetItem on table %s: keys still unprocessed after %d attempts", firstTable(request), attempt+1)
		}
		if err := s.retry.sleep(ctx, attempt); err != nil {
			return s.callError(ctx, "BatchGetItem", firstTable(request), err)
		}
	}
}

// firstTable names a table of a request, for messages.
func firstTable(request map[string]types.KeysAndAttributes) string {
	for name := range request {
		return name
	}
	return ""
}
