package openapi

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"

	oas "github.com/tributary-gw/tributary/openapi"
	"github.com/tributary-gw/tributary/openapi/wire"
)

// Link fields (openapi.Field.Link) are batch fields: the engine resolves
// them with ResolveFieldBatch, once per field and argument values for all
// the parents of a plan level. A link's values come from its parent's wire
// JSON and from the request that produced the parent ($request.…), which
// the GraphQL value alone does not hold. So when a selection reaches link
// fields, each object that has them carries the key linkKey with both
// (linkContext); clients never see it, and the engine hands it back with
// the parent. Each parent's link request is built from it and the field's
// arguments; identical requests are sent once.

// linkConcurrency bounds the link requests one batch runs at once.
const linkConcurrency = 8

// linkKey is the key of an object's linkContext (the carrier struct in
// linkParent names it too). Names starting with "__"
// are reserved in GraphQL, so no generated field can take it.
const linkKey = "__link"

// maxSelectionDepth bounds the walk of a selection over recursive types.
const maxSelectionDepth = 32

// linkIndex holds, per target operation, a copy whose parameters and body
// are untyped, so that wire values pass to the request unchanged. It is
// built on first use.
type linkIndex struct {
	once    sync.Once
	targets map[string]*linkTarget
	// any is set when some type has a link field.
	any bool
	// fields are the link fields as "Type.field", for Subgraph.BatchFields.
	fields []string
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
			if t.Kind != oas.KindObject {
				continue
			}
			for _, f := range t.Fields {
				if f.Link != nil {
					s.links.any = true
					s.links.fields = append(s.links.fields, t.Name+"."+f.Name)
				}
			}
		}
		slices.Sort(s.links.fields)
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

// linkFields lists the link fields as "Type.field".
func (s *source) linkFields() []string {
	s.indexLinks()
	return s.links.fields
}

// linkOrigin is the request a value came from, for $request expressions:
// parameter values by "in.name" (headers lower case), and the body, all in
// wire form.
type linkOrigin struct {
	Params  map[string]any `json:"params,omitempty"`
	Body    any            `json:"body,omitempty"`
	HasBody bool           `json:"hasBody,omitempty"`
}

// linkContext is what an object with link fields carries under linkKey:
// its wire JSON and the request it came from.
type linkContext struct {
	Wire   map[string]any `json:"wire"`
	Origin *linkOrigin    `json:"origin,omitempty"`
}

// originOf is the origin of a call of op with GraphQL arguments args: its
// parameters and body in wire form, as link expressions see them.
func (s *source) originOf(op *oas.Operation, args json.RawMessage) *linkOrigin {
	var values map[string]json.RawMessage
	if decodeJSON(args, &values) != nil {
		return &linkOrigin{}
	}
	o := &linkOrigin{Params: map[string]any{}}
	for _, p := range op.Params {
		if v, ok := s.wireArgument(p.Type, values[p.Arg]); ok {
			o.Params[originKey(p.In, p.Name)] = v
		}
	}
	if op.Body != nil {
		o.Body, o.HasBody = s.wireArgument(op.Body.Type, values[op.Body.Arg])
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
