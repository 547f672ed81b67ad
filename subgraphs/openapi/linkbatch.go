package openapi

import (
	"context"
	"encoding/json"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/bounded"
	oas "github.com/tributary-gw/tributary/openapi"
)

// withLinkContexts returns value (of type t, decoded from the wire JSON
// body) with a linkContext on every object whose link fields sel selects;
// without such fields, value as is. origin is called only then.
func (s *source) withLinkContexts(t *oas.TypeRef, value json.RawMessage, body []byte, sel []*tributary.Selection, origin func() *linkOrigin) json.RawMessage {
	if !s.selectsLinks(t, sel, 0) {
		return value
	}
	var v, w any
	if decodeJSON(value, &v) != nil {
		return value // not JSON: no objects to link from
	}
	if decodeJSON(body, &w) != nil {
		w = nil
	}
	s.markLinks(v, w, t, sel, origin(), 0)
	out, err := json.Marshal(v)
	if err != nil {
		return value
	}
	return out
}

// selectsLinks reports whether sel selects a link field anywhere in a
// value of type t.
func (s *source) selectsLinks(t *oas.TypeRef, sel []*tributary.Selection, depth int) bool {
	if depth == 0 {
		if s.indexLinks(); !s.links.any {
			return false
		}
	}
	if len(sel) == 0 || t == nil || depth > maxSelectionDepth {
		return false
	}
	for t.Elem != nil {
		t = t.Elem
	}
	typ := s.types[t.Named]
	if typ == nil {
		return false
	}
	if members := abstractMembers(typ); members != nil {
		for _, m := range members {
			if s.selectsLinks(&oas.TypeRef{Named: m}, sel, depth+1) {
				return true
			}
		}
		return false
	}
	for _, sl := range sel {
		if sl.OnType != "" && sl.OnType != typ.Name {
			continue
		}
		f := fieldNamed(typ, sl.Name)
		if f != nil && (f.Link != nil || s.selectsLinks(f.Type, sl.Children, depth+1)) {
			return true
		}
	}
	return false
}

func fieldNamed(typ *oas.Type, name string) *oas.Field {
	for _, f := range typ.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// markLinks walks the GraphQL value v and its wire form w (nil when
// unknown) of type t along sel, and gives each object with a selected link
// field its linkContext.
func (s *source) markLinks(v, w any, t *oas.TypeRef, sel []*tributary.Selection, origin *linkOrigin, depth int) {
	if v == nil || t == nil || len(sel) == 0 || depth > maxSelectionDepth {
		return
	}
	if t.Elem != nil {
		items, _ := v.([]any)
		wires, _ := w.([]any)
		for i, item := range items {
			var wi any
			if len(wires) == len(items) {
				wi = wires[i]
			}
			s.markLinks(item, wi, t.Elem, sel, origin, depth)
		}
		return
	}
	obj, ok := v.(map[string]any)
	typ := s.types[t.Named]
	if !ok || typ == nil {
		return
	}
	if typ.Kind == oas.KindUnion || typ.Kind == oas.KindInterface {
		name, _ := obj["__typename"].(string)
		if typ = s.types[name]; typ == nil {
			return
		}
	}
	if typ.Kind != oas.KindObject || typ.Wrapped {
		return
	}
	wobj, _ := w.(map[string]any)
	marked := false
	for _, sl := range sel {
		if sl.OnType != "" && sl.OnType != typ.Name {
			continue
		}
		f := fieldNamed(typ, sl.Name)
		switch {
		case f == nil:
		case f.Link != nil:
			if !marked {
				if wobj == nil {
					wobj = wireObject(s.types, typ, obj)
				}
				obj[linkKey] = &linkContext{Wire: wobj, Origin: origin}
				marked = true
			}
		case f.JSON != "" && len(sl.Children) > 0:
			var wv any
			if wobj != nil {
				wv = wobj[f.JSON]
			}
			s.markLinks(obj[f.Name], wv, f.Type, sl.Children, origin, depth+1)
		}
	}
}

// markEntityLinks gives the entities of a batch whose link fields are
// selected their linkContext: the wire JSON rebuilt from the GraphQL
// object, and as origin the single-key operation's call for its key.
func (s *source) markEntityLinks(batch tributary.EntityBatch, results []tributary.Result) {
	for i, r := range results {
		if r.Err != nil || len(r.Data) == 0 {
			continue
		}
		var obj map[string]any
		if decodeJSON(r.Data, &obj) != nil || obj == nil {
			continue
		}
		typeName, _ := obj["__typename"].(string)
		t := &oas.TypeRef{Named: typeName}
		if !s.selectsLinks(t, batch.Selection, 0) {
			continue
		}
		var origin *linkOrigin
		if er := s.entities[typeName]; er != nil && !er.list && i < len(batch.Representations) {
			origin = s.entityOrigin(er, batch.Representations[i])
		}
		s.markLinks(obj, nil, t, batch.Selection, origin, 0)
		if out, err := json.Marshal(obj); err == nil {
			results[i].Data = out
		}
	}
}

// linkRequest is one distinct request of a link batch.
type linkRequest struct {
	target *linkTarget
	args   json.RawMessage
	origin *linkOrigin
	value  json.RawMessage
	err    error
}

// ResolveFieldBatch resolves a link field on a level's parents: each
// parent's request takes the link's values from the parent and the
// field's arguments for the target's other parameters; identical requests
// are sent once, at most linkConcurrency at a time.
func (s *source) ResolveFieldBatch(ctx context.Context, batch tributary.FieldBatch) ([]tributary.Result, error) {
	var clientArgs map[string]json.RawMessage
	if len(batch.Arguments) > 0 {
		if err := json.Unmarshal(batch.Arguments, &clientArgs); err != nil {
			return nil, s.errorf(codeInternal, "%s.%s: the arguments are not a JSON object: %v", batch.TypeName, batch.FieldName, err)
		}
	}
	results := make([]tributary.Result, len(batch.Parents))
	requestOf := make([]*linkRequest, len(batch.Parents))
	byKey := map[string]*linkRequest{}
	var requests []*linkRequest
	for i, raw := range batch.Parents {
		field, typ, wobj, origin, err := s.linkParent(batch.TypeName, batch.FieldName, raw)
		if err != nil {
			results[i].Err = err
			continue
		}
		target := s.linkTarget(field.Link.Operation)
		if target == nil {
			results[i].Err = s.errorf(codeInternal, "%s.%s: no operation %s", typ.Name, field.Name, field.Link.Operation)
			continue
		}
		args, next := s.linkArguments(field.Link, target.op, wobj, origin, clientArgs)
		key, err := json.Marshal(args) // map keys sorted: equal requests, equal text
		if err != nil {
			results[i].Err = s.errorf(codeInternal, "%s.%s: %v", typ.Name, field.Name, err)
			continue
		}
		id := target.op.ID + "\x00" + string(key)
		req := byKey[id]
		if req == nil {
			req = &linkRequest{target: target, args: key, origin: next}
			byKey[id] = req
			requests = append(requests, req)
		}
		requestOf[i] = req
	}
	bounded.ForEach(len(requests), linkConcurrency, func(i int) {
		req := requests[i]
		req.value, req.err = s.resolveOperation(ctx, req.target.op, req.target.wireOp, req.args, requester{batch.Header, batch.Caller}, batch.Selection,
			func() *linkOrigin { return req.origin })
	})
	for i, req := range requestOf {
		if req != nil {
			results[i] = tributary.Result{Data: req.value, Err: req.err}
		}
	}
	return results, nil
}

// linkParent finds the link field a parent object asks for and the wire
// JSON and origin its linkContext carries (rebuilt from the object when it
// has none).
func (s *source) linkParent(typeName, fieldName string, raw json.RawMessage) (*oas.Field, *oas.Type, map[string]any, *linkOrigin, error) {
	var parent map[string]any
	if err := decodeJSON(raw, &parent); err != nil || parent == nil {
		return nil, nil, nil, nil, s.errorf(codeInternal, "%s.%s: the parent is not an object", typeName, fieldName)
	}
	if name, ok := parent["__typename"].(string); ok && s.types[name] != nil {
		typeName = name
	}
	typ := s.types[typeName]
	var field *oas.Field
	if typ != nil {
		field = fieldNamed(typ, fieldName)
	}
	if field == nil || field.Link == nil {
		return nil, nil, nil, nil, s.errorf(codeInternal, "%s.%s is not a link field of this subgraph", typeName, fieldName)
	}
	// The context is read from the parent's bytes again, into its own
	// type, rather than re-encoded from the decoded map.
	var carrier struct {
		Link linkContext `json:"__link"`
	}
	_ = decodeJSON(raw, &carrier)
	lc := carrier.Link
	if lc.Wire == nil {
		lc.Wire = wireObject(s.types, typ, parent)
	}
	return field, typ, lc.Wire, lc.Origin, nil
}

// linkArguments builds a link request's arguments in wire form: the
// link's values, then the client's arguments for the parameters the link
// leaves open. It also returns the request as an origin for the links of
// its result.
func (s *source) linkArguments(link *oas.Link, op *oas.Operation, parent map[string]any, origin *linkOrigin, client map[string]json.RawMessage) (map[string]any, *linkOrigin) {
	args := map[string]any{}
	next := &linkOrigin{Params: map[string]any{}}
	for _, p := range op.Params {
		var v any
		var ok bool
		if expr, linked := link.Params[p.In+"."+p.Name]; linked {
			v, ok = evalLinkValue(expr, parent, origin)
		} else {
			v, ok = s.wireArgument(p.Type, client[p.Arg])
		}
		if ok {
			args[p.Arg] = v
			next.Params[originKey(p.In, p.Name)] = v
		}
	}
	if link.Body != "" && op.Body != nil {
		if v, ok := evalLinkValue(link.Body, parent, origin); ok {
			args[op.Body.Arg] = v
			next.Body, next.HasBody = v, true
		}
	}
	return args, next
}
