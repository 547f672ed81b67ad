package dynamodb

import (
	"context"
	"encoding/json"
	"fmt"

	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tributary-gw/tributary"
)

// source resolves the fields and entities of one DynamoDB subgraph.
type source struct {
	// name is the subgraph's name, the prefix of every error message.
	name        string
	m           *model
	db          *ddb.Client
	tokens      tokenSigner
	retry       retryPolicy
	concurrency int
}

// ResolveField resolves a generated root field.
func (s *source) ResolveField(ctx context.Context, call tributary.FieldCall) (json.RawMessage, error) {
	root, ok := s.m.roots[call.TypeName+"."+call.FieldName]
	if !ok {
		return nil, s.errorf(codeInternal, "no resolver for field %s.%s", call.TypeName, call.FieldName)
	}
	var args map[string]json.RawMessage
	if len(call.Arguments) > 0 {
		if err := json.Unmarshal(call.Arguments, &args); err != nil {
			return nil, s.badInput("the arguments of %s are not a JSON object", call.FieldName)
		}
	}
	t := root.table
	switch root.kind {
	case rootGet:
		return s.get(ctx, t, args, call.Selection)
	case rootQuery:
		return s.queryField(ctx, t, root.index, args, call.Selection)
	case rootScan:
		return s.scan(ctx, t, args, call.Selection)
	case rootPut:
		return s.put(ctx, t, args, call.Selection)
	case rootUpdate:
		return s.update(ctx, t, args, call.Selection)
	case rootDelete:
		return s.delete(ctx, t, args, call.Selection)
	}
	return nil, s.errorf(codeInternal, "unknown root field kind %d", root.kind)
}

// itemKey reads a primary key from JSON fields by GraphQL name (arguments,
// a representation, a parent object).
func (s *source) itemKey(t *table, fields map[string]json.RawMessage) (item, error) {
	key := make(item, 2)
	for _, a := range t.key.attrs() {
		raw, ok := fields[a.field]
		if !ok || string(raw) == "null" {
			return nil, fmt.Errorf("%s is required", a.field)
		}
		av, err := encodeAttr(a, raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.field, err)
		}
		key[a.name] = av
	}
	return key, nil
}

// keyString writes an item's primary key for messages: {handle: "alice"}.
func keyString(t *table, it item) string {
	b := []byte{'{'}
	for i, a := range t.key.attrs() {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, a.name...)
		b = append(b, ": "...)
		b, _ = appendScalar(b, "ID", it[a.name])
	}
	return string(append(b, '}'))
}

// itemIdentity is the comparable text of an item's primary key.
func itemIdentity(t *table, it item) (string, bool) {
	var out string
	for _, a := range t.key.attrs() {
		text, ok := keyText(it[a.name])
		if !ok {
			return "", false
		}
		out += text + "\x00"
	}
	return out, true
}
