package openapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/tributary-gw/tributary"
	oas "github.com/tributary-gw/tributary/openapi"
	"github.com/tributary-gw/tributary/openapi/wire"
)

// Link fields (openapi.Field.Link) are resolved after the value that holds
// them is decoded: the selection is walked against the GraphQL value and
// the wire value side by side, each selected link becomes a request built
// from the parent object's wire JSON and the original request, identical
// requests are sent once, and their results are put into the value. Link
// results are walked again for the links inside them, level by level.

const (
	// linkConcurrency bounds the link requests one call runs at once.
	linkConcurrency = 8
	// maxLinkDepth bounds how many links deep a selection may follow
	// (user → orders → product is 2); deeper link fields are null.
	maxLinkDepth = 4
)

// linkIndex holds, per target operation, a copy whose parameters and body
// are untyped, so that wire values pass to the request unchanged. It is
// built on first use.
type linkIndex struct {
	once    sync.Once
	targets map[string]*linkTarget
	// any is set when some type has a link field.
	any bool
}

// linkTarget is an operation links call.
type linkTarget struct {
	op *oas.Operation
	// wireOp is op with untyped arguments keyed by GraphQL argument name.
	wireOp *oas.Operation
}

func (s *source) linkTarget(id string) *linkTarget {
	s.indexLinks()
	return s.links.targets[id]
}

func (s *source) indexLinks() {
	s.links.once.Do(func() {
		for _, t := range s.types {
			for _, f := range t.Fields {
				s.links.any = s.links.any || f.Link != nil
			}
		}
		s.links.targets = map[string]*linkTarget{}
		for _, op := range s.fields {
			wireOp := *op
			wireOp.Params = make([]*oas.Param, len(op.Params))
			for i, p := range op.Params {
				cp := *p
				cp.Type = nil
				wireOp.Params[i] = &cp
			}
			if op.Body != nil {
				body := *op.Body
				body.Type = nil
				wireOp.Body = &body
			}
			s.links.targets[op.ID] = &linkTarget{op: op, wireOp: &wireOp}
		}
	})
}

// linkOrigin is the request a value came from, for $request expressions:
// parameter values by "in.name" (headers lower case), and the body, all in
// wire form.
type linkOrigin struct {
	params  map[string]any
	body    any
	hasBody bool
}

// originOf is the origin of a call of op with GraphQL arguments args: its
// parameters and body in wire form, as link expressions see them.
func (s *source) originOf(op *oas.Operation, args json.RawMessage) *linkOrigin {
	var values map[string]json.RawMessage
	if decodeJSON(args, &values) != nil {
		return &linkOrigin{}
	}
	o := &linkOrigin{params: map[string]any{}}
	for _, p := range op.Params {
		if v, ok := s.wireArgument(p.Type, values[p.Arg]); ok {
			o.params[originKey(p.In, p.Name)] = v
		}
	}
	if op.Body != nil {
		o.body, o.hasBody = s.wireArgument(op.Body.Type, values[op.Body.Arg])
	}
	return o
}

// wireArgument converts one GraphQL argument to its decoded wire value, as
// the request carried it; absent and null arguments are not there.
func (s *source) wireArgument(t *oas.TypeRef, graphql json.RawMessage) (any, bool) {
	if len(graphql) == 0 || string(graphql) == "null" {
		return nil, false
	}
	raw, err := wire.Input(t, s.types, graphql)
	if err != nil {
		return nil, false
	}
	var v any
	if decodeJSON(raw, &v) != nil {
		return nil, false
	}
	return v, true
}

func originKey(in, name string) string {
	if in == "header" {
		name = strings.ToLower(name)
	}
	return in + "." + name
}

// linkSink is one place a link's result goes.
type linkSink struct {
	obj   map[string]any
	field *oas.Field
	sel   []*tributary.Selection
	depth int
	// path leads from the resolved value to obj (field names, indexes).
	path []any
}

// linkCall is one distinct link request.
type linkCall struct {
	target *linkTarget
	args   json.RawMessage
	origin *linkOrigin
	sinks  []linkSink
	done   bool
	// delivered counts the sinks that have the result.
	delivered int
	value     json.RawMessage
	wire      any
	err       error
}

// linkWalk resolves the links of one field or entity batch.
type linkWalk struct {
	s      *source
	header http.Header
	// calls are every request of the walk by key; pending are the ones
	// of the level being collected.
	calls   map[string]*linkCall
	pending []*linkCall
	// failure is the first failure of a non-null link field.
	failure error
	// errors are failures of nullable link fields, at their paths.
	errors []*tributary.Error
}

// resolveLinks fills the link fields selected in value (of type t, decoded
// from body, the wire JSON of a call of op with args) and returns the new
// value. Without selected link fields, value is returned as is.
func (s *source) resolveLinks(ctx context.Context, op *oas.Operation, args json.RawMessage, t *oas.TypeRef, value json.RawMessage, body []byte, sel []*tributary.Selection, header http.Header) (json.RawMessage, error) {
	if !s.selectsLinks(t, sel, 0) {
		return value, nil
	}
	var v, w any
	if decodeJSON(value, &v) != nil || decodeJSON(body, &w) != nil {
		return value, nil // not JSON: no objects to link from
	}
	walk := &linkWalk{s: s, header: header, calls: map[string]*linkCall{}}
	walk.value(v, w, t, sel, s.originOf(op, args), 0, nil)
	walk.run(ctx)
	if walk.failure != nil {
		return nil, walk.failure
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, s.opError(op, codeInternal, "encoding the value with its links: %v", err)
	}
	if len(walk.errors) > 0 {
		return out, &tributary.PartialError{Errors: walk.errors}
	}
	return out, nil
}

// selectsLinks reports whether sel selects a link field anywhere in a
// value of type t.
func (s *source) selectsLinks(t *oas.TypeRef, sel []*tributary.Selection, depth int) bool {
	if depth == 0 {
		if s.indexLinks(); !s.links.any {
			return false
		}
	}
	if len(sel) == 0 || t == nil || depth > maxLinkDepth+8 {
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

// value walks the GraphQL value v and its wire form w (nil when unknown)
// of type t, and queues the selected link fields.
func (lw *linkWalk) value(v, w any, t *oas.TypeRef, sel []*tributary.Selection, origin *linkOrigin, depth int, path []any) {
	if v == nil || t == nil || len(sel) == 0 {
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
			lw.value(item, wi, t.Elem, sel, origin, depth, appendPath(path, i))
		}
		return
	}
	obj, ok := v.(map[string]any)
	typ := lw.s.types[t.Named]
	if !ok || typ == nil {
		return
	}
	if typ.Kind == oas.KindUnion || typ.Kind == oas.KindInterface {
		name, _ := obj["__typename"].(string)
		if typ = lw.s.types[name]; typ == nil {
			return
		}
	}
	if typ.Kind != oas.KindObject || typ.Wrapped {
		return
	}
	wobj, _ := w.(map[string]any)
	for _, sl := range sel {
		if sl.OnType != "" && sl.OnType != typ.Name {
			continue
		}
		f := fieldNamed(typ, sl.Name)
		switch {
		case f == nil:
		case f.Link != nil:
			if wobj == nil {
				wobj = wireObject(lw.s.types, typ, obj)
			}
			lw.queue(linkSink{obj: obj, field: f, sel: sl.Children, depth: depth, path: path}, wobj, origin)
		case f.JSON != "" && len(sl.Children) > 0:
			var wv any
			if wobj != nil {
				wv = wobj[f.JSON]
			}
			lw.value(obj[f.Name], wv, f.Type, sl.Children, origin, depth, appendPath(path, f.Name))
		}
	}
}

// queue builds the request of one link field and adds the sink to the
// call with the same request, or to a new one.
func (lw *linkWalk) queue(sink linkSink, parent map[string]any, origin *linkOrigin) {
	link := sink.field.Link
	sink.obj[sink.field.Name] = nil
	target := lw.s.linkTarget(link.Operation)
	if target == nil || sink.depth >= maxLinkDepth {
		return
	}
	args := map[string]any{}
	next := &linkOrigin{params: map[string]any{}}
	for _, p := range target.op.Params {
		expr, ok := link.Params[p.In+"."+p.Name]
		if !ok {
			continue
		}
		if v, ok := evalLinkValue(expr, parent, origin); ok {
			args[p.Arg] = v
			next.params[originKey(p.In, p.Name)] = v
		}
	}
	if link.Body != "" && target.op.Body != nil {
		if v, ok := evalLinkValue(link.Body, parent, origin); ok {
			args[target.op.Body.Arg] = v
			next.body, next.hasBody = v, true
		}
	}
	raw, err := json.Marshal(args) // map keys sorted: equal requests, equal text
	if err != nil {
		return
	}
	key := link.Operation + "\x00" + string(raw)
	call := lw.calls[key]
	if call == nil {
		call = &linkCall{target: target, args: raw, origin: next}
		lw.calls[key] = call
	}
	if !call.done && len(call.sinks) == 0 {
		lw.pending = append(lw.pending, call)
	}
	call.sinks = append(call.sinks, sink)
	if call.done {
		lw.deliverAll(call)
	}
}

// run sends the pending calls level by level until no link is left.
func (lw *linkWalk) run(ctx context.Context) {
	for len(lw.pending) > 0 {
		level := lw.pending
		lw.pending = nil
		forEachBounded(len(level), linkConcurrency, func(i int) { lw.send(ctx, level[i]) })
		for _, call := range level {
			call.done = true
		}
		for _, call := range level {
			lw.deliverAll(call)
		}
	}
}

// deliverAll delivers the result to the sinks that lack it. Delivering
// may queue more sinks on a done call (a link back to the same request);
// queue delivers those at once, and the count keeps each sink to one
// delivery.
func (lw *linkWalk) deliverAll(call *linkCall) {
	for call.delivered < len(call.sinks) {
		i := call.delivered
		call.delivered++
		lw.deliver(call, i)
	}
}

// send makes one link request and keeps its GraphQL value and wire JSON.
func (lw *linkWalk) send(ctx context.Context, call *linkCall) {
	s, op := lw.s, call.target.op
	resp, err := s.send(ctx, call.target.wireOp, call.args, lw.header)
	if err != nil {
		call.err = err
		return
	}
	if resp.status/100 != 2 {
		call.err = s.httpError(op, resp)
		return
	}
	value, err := s.wire.Result(op, s.types, resp.header.Get("Content-Type"), resp.body)
	if err != nil {
		call.err = s.opError(op, codeInvalidResponse, "the response does not match the spec: %v", err)
		return
	}
	call.value = value
	if op.Result.Kind == oas.ResultJSON {
		_ = decodeJSON(resp.body, &call.wire)
	}
}

// deliver puts a call's result into its i-th sink (a fresh copy per sink,
// as each walks its own selection) and queues the links inside it.
func (lw *linkWalk) deliver(call *linkCall, i int) {
	sink := call.sinks[i]
	if call.err != nil {
		if sink.field.Type != nil && sink.field.Type.NonNull {
			if lw.failure == nil {
				lw.failure = call.err
			}
			return
		}
		// A nullable link field fails alone, and says so at its path.
		e := &tributary.Error{Message: call.err.Error(), Path: appendPath(sink.path, sink.field.Name)}
		var te *tributary.Error
		if errors.As(call.err, &te) {
			e.Message, e.Extensions = te.Message, te.Extensions
		}
		lw.errors = append(lw.errors, e)
		return
	}
	var v any
	if decodeJSON(call.value, &v) != nil {
		return
	}
	sink.obj[sink.field.Name] = v
	lw.value(v, call.wire, call.target.op.Result.Type, sink.sel, call.origin, sink.depth+1, appendPath(sink.path, sink.field.Name))
}

// resolveEntityLinks fills the link fields selected in the entities of a
// batch. Their wire JSON is rebuilt from the GraphQL objects, and the
// request behind each is the single-key operation's call for its key.
func (s *source) resolveEntityLinks(ctx context.Context, batch tributary.EntityBatch, results []tributary.Result) {
	walk := &linkWalk{s: s, header: batch.Header, calls: map[string]*linkCall{}}
	values := make([]any, len(results))
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
		values[i] = obj
		var origin *linkOrigin
		if er := s.entities[typeName]; er != nil && !er.list && i < len(batch.Representations) {
			origin = s.entityOrigin(er, batch.Representations[i])
		}
		// The entity's index heads its paths, to hand errors back per entity.
		walk.value(obj, nil, t, batch.Selection, origin, 0, []any{i})
	}
	walk.run(ctx)
	perEntity := map[int][]*tributary.Error{}
	for _, e := range walk.errors {
		if i, ok := e.Path[0].(int); ok {
			e.Path = e.Path[1:]
			perEntity[i] = append(perEntity[i], e)
		}
	}
	for i, v := range values {
		if v == nil {
			continue
		}
		if walk.failure != nil {
			results[i] = tributary.Result{Err: walk.failure}
			continue
		}
		if out, err := json.Marshal(v); err == nil {
			results[i].Data = out
			if errs := perEntity[i]; len(errs) > 0 {
				results[i].Err = &tributary.PartialError{Errors: errs}
			}
		}
	}
}

// appendPath returns path with step added, never sharing path's array.
func appendPath(path []any, step any) []any {
	out := make([]any, len(path), len(path)+1)
	copy(out, path)
	return append(out, step)
}

// entityOrigin is the request a single-key resolver made for a
// representation.
func (s *source) entityOrigin(r *entityResolver, representation json.RawMessage) *linkOrigin {
	var fields map[string]json.RawMessage
	if json.Unmarshal(representation, &fields) != nil {
		return nil
	}
	_, values, ok := r.keyOf(fields)
	if !ok {
		return nil
	}
	args := make(map[string]json.RawMessage, len(values))
	if r.argument != "" {
		args[r.argument] = values[0]
	} else {
		for i, f := range r.keyFields {
			args[f] = values[i]
		}
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return nil
	}
	return s.originOf(r.op, raw)
}

// abstractMembers returns the object types a union or interface value can
// be, or nil for other kinds.
func abstractMembers(typ *oas.Type) []string {
	switch typ.Kind {
	case oas.KindUnion:
		return typ.Members
	case oas.KindInterface:
		return typ.Implementations
	}
	return nil
}
