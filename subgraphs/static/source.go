package static

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// null is the value of a root field the data file does not list.
var null = json.RawMessage("null")

// ResolveField returns the data file's value for a Query field, or null when
// the file does not list the field. Arguments are ignored: every call of a
// field returns the same value.
func (s *store) ResolveField(ctx context.Context, call tributary.FieldCall) (json.RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if call.TypeName != queryKey && call.TypeName != s.queryType {
		return nil, &tributary.Error{Message: fmt.Sprintf(
			"static subgraph %q serves only Query fields, not %s.%s", s.name, call.TypeName, call.FieldName)}
	}
	if value, ok := s.query[call.FieldName]; ok {
		return value, nil
	}
	return null, nil
}

// ResolveEntities finds each representation's entity by key, in one map
// lookup per key the representation carries. The returned Data slices are
// shared between calls; callers must not modify them.
func (s *store) ResolveEntities(ctx context.Context, batch tributary.EntityBatch) ([]tributary.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	results := make([]tributary.Result, len(batch.Representations))
	var buf []byte // reused: key encodings are only map lookups
	for i, rep := range batch.Representations {
		results[i], buf = s.resolveEntity(rep, buf)
	}
	return results, nil
}

func (s *store) resolveEntity(rep json.RawMessage, buf []byte) (tributary.Result, []byte) {
	if !jsonObject(rep) {
		return s.entityError(`a representation is not a JSON object with "__typename"`), buf
	}
	typeName, ok := jsonscan.MemberValue(rep, "__typename")
	if !ok || len(typeName) < 2 || typeName[0] != '"' {
		return s.entityError(`a representation has no "__typename" string`), buf
	}
	entity, ok := s.entities[string(typeName[1:len(typeName)-1])]
	if !ok { // the name may be written with escapes
		var decoded string
		if json.Unmarshal(typeName, &decoded) == nil {
			entity, ok = s.entities[decoded]
		}
	}
	if !ok {
		return s.entityError(fmt.Sprintf("type %s is not an entity of this subgraph", typeName)), buf
	}
	applicable := false
	for _, idx := range entity.indexes {
		var complete bool
		buf, complete = appendKeyFields(buf[:0], rep, idx.key.selection)
		if !complete {
			continue
		}
		applicable = true
		if object, found := idx.byValue[string(buf)]; found {
			return tributary.Result{Data: object}, buf
		}
	}
	if !applicable {
		keys := make([]entityKey, len(entity.indexes))
		for i, idx := range entity.indexes {
			keys[i] = idx.key
		}
		return s.entityError(fmt.Sprintf("a representation of %s has no complete key (%s's keys are %s)",
			entity.name, entity.name, keyList(keys))), buf
	}
	return tributary.Result{}, buf
}

func (s *store) entityError(msg string) tributary.Result {
	return tributary.Result{Err: &tributary.Error{Message: fmt.Sprintf("static subgraph %q: %s", s.name, msg)}}
}

// ResolveFieldBatch answers a field below the root from each parent object
// the file holds: static data has one value per field, so arguments are
// ignored here as they are for root fields.
func (s *store) ResolveFieldBatch(ctx context.Context, batch tributary.FieldBatch) ([]tributary.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	results := make([]tributary.Result, len(batch.Parents))
	for i, parent := range batch.Parents {
		if value, ok := jsonscan.MemberValue(parent, batch.FieldName); ok {
			results[i].Data = value
		}
	}
	return results, nil
}
