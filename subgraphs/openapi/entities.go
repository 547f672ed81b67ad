package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/bounded"
	oas "github.com/tributary-gw/tributary/openapi"
)

// entityResolver fetches the entities of one type with one operation.
type entityResolver struct {
	typeName string
	// keyFields are the GraphQL names of the @key fields.
	keyFields []string
	op        *oas.Operation
	// argument receives the key value(s); empty means each key field feeds
	// the argument of the same name.
	argument string
	// list is set when argument takes a list of keys: one call per chunk.
	list bool
	// itemType is the GraphQL type of one entity object in the response.
	itemType              *oas.TypeRef
	maxBatch, concurrency int
}

// entityGroup is one type's representations, de-duplicated by key.
type entityGroup struct {
	// keys are the distinct keys in order of first appearance.
	keys []string
	// values holds each key's field values, in keyFields order.
	values map[string][]json.RawMessage
	// indices lists the representations with each key.
	indices map[string][]int
}

// ResolveEntities fetches representations grouped by type: one call per
// chunk of keys for list operations, bounded parallel calls otherwise.
// Results are matched to representations by key value.
func (s *source) ResolveEntities(ctx context.Context, batch tributary.EntityBatch) ([]tributary.Result, error) {
	results := make([]tributary.Result, len(batch.Representations))
	groups := map[*entityResolver]*entityGroup{}
	var order []*entityResolver
	for i, raw := range batch.Representations {
		typeName, fields, ok := tributary.ParseRepresentation(raw)
		if !ok {
			results[i].Err = s.errorf(codeInternal, "entity representation %d is not a JSON object", i)
			continue
		}
		r := s.entities[typeName]
		if r == nil {
			results[i].Err = s.errorf(codeInternal, "%q is not an entity type of this subgraph", typeName)
			continue
		}
		key, values, ok := r.keyOf(fields)
		if !ok {
			results[i].Err = s.errorf(codeInternal, "the %s representation lacks a key field (%s)", typeName, strings.Join(r.keyFields, " "))
			continue
		}
		g := groups[r]
		if g == nil {
			g = &entityGroup{values: map[string][]json.RawMessage{}, indices: map[string][]int{}}
			groups[r] = g
			order = append(order, r)
		}
		if _, seen := g.values[key]; !seen {
			g.keys = append(g.keys, key)
			g.values[key] = values
		}
		g.indices[key] = append(g.indices[key], i)
	}
	var wg sync.WaitGroup
	for _, r := range order {
		// Each goroutine writes the results of its own group's indices.
		wg.Go(func() { r.resolve(ctx, s, groups[r], requester{batch.Header, batch.Caller}, results) })
	}
	wg.Wait()
	s.markEntityLinks(batch, results)
	return results, nil
}

// resolve fills results for every representation of g.
func (r *entityResolver) resolve(ctx context.Context, s *source, g *entityGroup, from requester, results []tributary.Result) {
	set := func(key string, res tributary.Result) {
		for _, i := range g.indices[key] {
			results[i] = res
		}
	}
	if r.list {
		var chunks [][]string
		for start := 0; start < len(g.keys); start += r.maxBatch {
			chunks = append(chunks, g.keys[start:min(start+r.maxBatch, len(g.keys))])
		}
		bounded.ForEach(len(chunks), r.concurrency, func(i int) {
			found, err := r.fetchChunk(ctx, s, g, chunks[i], from)
			for _, key := range chunks[i] {
				if obj, ok := found[key]; ok {
					set(key, tributary.Result{Data: obj})
				} else {
					set(key, tributary.Result{Err: err})
				}
			}
		})
		return
	}
	bounded.ForEach(len(g.keys), r.concurrency, func(i int) {
		obj, err := r.fetchOne(ctx, s, g.values[g.keys[i]], from)
		set(g.keys[i], tributary.Result{Data: obj, Err: err})
	})
}

// fetchChunk calls the list operation for keys and returns the entities
// found, by key. The error, if any, is for the keys not found.
func (r *entityResolver) fetchChunk(ctx context.Context, s *source, g *entityGroup, keys []string, from requester) (map[string]json.RawMessage, error) {
	values := make([]json.RawMessage, len(keys))
	for i, key := range keys {
		values[i] = g.values[key][0]
	}
	args, err := json.Marshal(map[string]any{r.argument: values})
	if err != nil {
		return nil, s.opError(r.op, codeInternal, "encoding the keys: %v", err)
	}
	resp, err := s.send(ctx, r.op, args, from)
	if err != nil {
		return nil, err
	}
	if resp.status == http.StatusNotFound {
		return nil, nil // none of the keys exist
	}
	if resp.status/100 != 2 {
		return nil, s.httpError(r.op, resp)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(resp.body, &items); err != nil {
		return nil, s.opError(r.op, codeInvalidResponse, "expected a JSON array of %s objects: %v", r.typeName, err)
	}
	found := make(map[string]json.RawMessage, len(items))
	var itemErr error
	for _, item := range items {
		obj, fields, err := r.entityObject(s, item)
		if err != nil {
			// Its key is unknown: the keys left unmatched get this error.
			itemErr = err
			continue
		}
		if obj == nil {
			continue
		}
		if key, _, ok := r.keyOf(fields); ok {
			found[key] = obj
		}
	}
	return found, itemErr
}

// fetchOne calls the single-key operation; a 404 or null is a miss.
func (r *entityResolver) fetchOne(ctx context.Context, s *source, values []json.RawMessage, from requester) (json.RawMessage, error) {
	argMap := make(map[string]json.RawMessage, len(values))
	if r.argument != "" {
		argMap[r.argument] = values[0]
	} else {
		for i, f := range r.keyFields {
			argMap[f] = values[i]
		}
	}
	args, err := json.Marshal(argMap)
	if err != nil {
		return nil, s.opError(r.op, codeInternal, "encoding the key: %v", err)
	}
	resp, err := s.send(ctx, r.op, args, from)
	if err != nil {
		return nil, err
	}
	if resp.status == http.StatusNotFound {
		return nil, nil
	}
	if resp.status/100 != 2 {
		return nil, s.httpError(r.op, resp)
	}
	obj, _, err := r.entityObject(s, resp.body)
	return obj, err
}

// entityObject converts one wire object to GraphQL form with "__typename",
// and returns its members. A null converts to nil, a miss.
func (r *entityResolver) entityObject(s *source, wire json.RawMessage) (json.RawMessage, map[string]json.RawMessage, error) {
	wire = bytes.TrimSpace(wire)
	if len(wire) == 0 || string(wire) == "null" {
		return nil, nil, nil
	}
	if !json.Valid(wire) {
		return nil, nil, s.opError(r.op, codeInvalidResponse, "the response is not JSON")
	}
	value, err := s.wire.Value(r.itemType, s.types, wire)
	if err != nil {
		return nil, nil, s.opError(r.op, codeInvalidResponse, "the %s object does not match the spec: %v", r.typeName, err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(value, &fields); err != nil || fields == nil {
		return nil, nil, s.opError(r.op, codeInvalidResponse, "expected a %s object, got %.40s", r.typeName, value)
	}
	fields["__typename"], _ = json.Marshal(r.typeName)
	obj, err := json.Marshal(fields)
	if err != nil {
		return nil, nil, s.opError(r.op, codeInternal, "encoding the %s object: %v", r.typeName, err)
	}
	return obj, fields, nil
}

// keyOf returns the key of an object in GraphQL form, and its key field
// values. Keys compare scalars by text, so that an ID sent as "7" finds
// the object whose id the service wrote as 7.
func (r *entityResolver) keyOf(fields map[string]json.RawMessage) (string, []json.RawMessage, bool) {
	var b strings.Builder
	values := make([]json.RawMessage, len(r.keyFields))
	for i, f := range r.keyFields {
		raw, ok := fields[f]
		if !ok {
			return "", nil, false
		}
		text, ok := keyText(raw)
		if !ok {
			return "", nil, false
		}
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(text)
		values[i] = raw
	}
	return b.String(), values, true
}

// keyText is the comparable text of one key value: a string's contents, a
// number in shortest form, or other JSON compacted.
func keyText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case c == '-' || '0' <= c && c <= '9':
		return numberText(string(raw)), true
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return "", false
	}
	return buf.String(), true
}

// numberText writes equal numbers alike: 7, 7.0 and 7e0 are "7".
func numberText(num string) string {
	if i, err := strconv.ParseInt(num, 10, 64); err == nil {
		return strconv.FormatInt(i, 10)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return num
	}
	if f == float64(int64(f)) && f < 1<<53 && f > -(1<<53) {
		return strconv.FormatInt(int64(f), 10)
	}
	if strings.ContainsAny(num, ".eE") {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return num // an integer beyond int64: keep every digit
}
