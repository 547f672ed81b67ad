package openapi

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// kin-openapi decodes every object twice per level (once into its struct,
// once into a map for extensions) and its children again inside that, and
// re-encodes paths and responses through maps: on large specs decoding
// dominates conversion. decodeDocument builds the same openapi3 values in
// one pass over the compact JSON, and path items and component schemas
// on all cores. Whatever it does not handle (boolean schemas, $ref
// siblings, keys encoding/json would match case-insensitively, malformed
// values) it hands to kin-openapi, node by node, so the result is always
// kin-openapi's own; TestDecodeDocumentMatchesKin checks this on the corpus.

// decodeDocument decodes a compact JSON OpenAPI 3 document. It fails for
// input kin-openapi rejects, and for a few shapes it leaves to
// kin-openapi entirely; the caller then decodes with kin-openapi.
func decodeDocument(data []byte) (*openapi3.T, error) {
	doc := &openapi3.T{}
	it := newObjectIter(data)
	for it.next() {
		var err error
		switch string(it.key) {
		case "openapi":
			err = setString(&doc.OpenAPI, it.val)
		case "components":
			if !jsonscan.IsNull(it.val) {
				doc.Components, err = fastOrKin(it.val, decodeComponents)
			} else {
				doc.Components = nil
			}
		case "paths":
			if !jsonscan.IsNull(it.val) {
				doc.Paths, err = decodePaths(it.val)
			} else {
				doc.Paths = nil
			}
		case "info":
			err = setValue(&doc.Info, it.val)
		case "security":
			err = setValue(&doc.Security, it.val)
		case "servers":
			err = setValue(&doc.Servers, it.val)
		case "tags":
			err = setValue(&doc.Tags, it.val)
		case "externalDocs":
			err = setValue(&doc.ExternalDocs, it.val)
		case "webhooks":
			err = setValue(&doc.Webhooks, it.val)
		case "jsonSchemaDialect":
			err = setString(&doc.JSONSchemaDialect, it.val)
		default:
			err = setExtension(&doc.Extensions, it.key, it.val, documentFields)
		}
		if err != nil {
			return nil, err
		}
	}
	return doc, it.err
}

var documentFields = []string{"openapi", "components", "info", "paths", "security", "servers", "tags", "externalDocs", "webhooks", "jsonSchemaDialect"}

// named is one member of a map from names to objects, decoded later.
type named struct {
	name string
	raw  []byte
}

// namedMembers lists the members of a map from names to objects, with
// the x- extensions apart when extensions is not nil.
func namedMembers(data []byte, extensions map[string]any) ([]named, error) {
	var out []named
	it := newObjectIter(data)
	for it.next() {
		name, err := it.name()
		if err != nil {
			return nil, err
		}
		if extensions != nil && len(name) >= 2 && name[:2] == "x-" {
			var v any
			if err := setValue(&v, it.val); err != nil {
				return nil, err
			}
			extensions[name] = v
			continue
		}
		out = append(out, named{name, it.val})
	}
	return out, it.err
}

// lastOfEach drops every member whose name comes again later: kin-openapi
// reads paths and responses through a map, so a repeated name keeps only
// its last value, and an earlier, malformed one is never decoded.
func lastOfEach(members []named) []named {
	if len(members) <= 16 && !repeatsName(members) {
		return members
	}
	last := make(map[string]int, len(members))
	for i, m := range members {
		last[m.name] = i
	}
	if len(last) == len(members) {
		return members
	}
	out := make([]named, 0, len(last))
	for i, m := range members {
		if last[m.name] == i {
			out = append(out, m)
		}
	}
	return out
}

// repeatsName reports whether two members share a name, without a map:
// an operation has a handful of responses.
func repeatsName(members []named) bool {
	for i := range members {
		for j := i + 1; j < len(members); j++ {
			if members[i].name == members[j].name {
				return true
			}
		}
	}
	return false
}

// decodeAll decodes the values of members with decode and returns them in
// order; when parallel is set and there are many, on all cores.
func decodeAll[T any](members []named, decode func([]byte) (*T, error), parallel bool) ([]*T, error) {
	out := make([]*T, len(members))
	workers := min(runtime.GOMAXPROCS(0), len(members)/64+1)
	if !parallel || workers <= 1 {
		for i, m := range members {
			v, err := decode(m.raw)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for range workers {
		wg.Go(func() {
			// A panic here would not reach load's recover, which runs on
			// the caller's goroutine: it becomes the decoding error.
			defer func() {
				if r := recover(); r != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("openapi: the OpenAPI parser failed: %v", r) })
				}
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(members) {
					return
				}
				v, err := decode(members[i].raw)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				out[i] = v
			}
		})
	}
	wg.Wait()
	return out, firstErr
}

// decodePaths decodes the paths object. Like kin-openapi, a null path
// item is an empty one.
func decodePaths(data []byte) (*openapi3.Paths, error) {
	extensions := map[string]any{}
	members, err := namedMembers(data, extensions)
	if err != nil {
		return nil, err
	}
	members = lastOfEach(members)
	items, err := decodeAll(members, func(raw []byte) (*openapi3.PathItem, error) {
		return fastOrKin(raw, decodePathItem)
	}, true)
	if err != nil {
		return nil, err
	}
	paths := openapi3.NewPathsWithCapacity(len(members))
	paths.Extensions = extensions
	for i, m := range members {
		paths.Set(m.name, items[i])
	}
	return paths, nil
}

var pathItemFields = []string{"$ref", "summary", "description", "connect", "delete", "get", "head", "options", "patch", "post", "put", "trace", "query", "servers", "parameters", "additionalOperations"}

func decodePathItem(data []byte) (*openapi3.PathItem, error) {
	item := &openapi3.PathItem{}
	it := newObjectIter(data)
	for it.next() {
		var err error
		switch string(it.key) {
		case "$ref":
			err = setString(&item.Ref, it.val)
		case "summary":
			err = setString(&item.Summary, it.val)
		case "description":
			err = setString(&item.Description, it.val)
		case "connect":
			item.Connect, err = decodeOperationOrNull(it.val)
		case "delete":
			item.Delete, err = decodeOperationOrNull(it.val)
		case "get":
			item.Get, err = decodeOperationOrNull(it.val)
		case "head":
			item.Head, err = decodeOperationOrNull(it.val)
		case "options":
			item.Options, err = decodeOperationOrNull(it.val)
		case "patch":
			item.Patch, err = decodeOperationOrNull(it.val)
		case "post":
			item.Post, err = decodeOperationOrNull(it.val)
		case "put":
			item.Put, err = decodeOperationOrNull(it.val)
		case "trace":
			item.Trace, err = decodeOperationOrNull(it.val)
		case "query":
			item.Query, err = decodeOperationOrNull(it.val)
		case "parameters":
			item.Parameters, err = decodeParameters(it.val)
		case "servers":
			err = setValue(&item.Servers, it.val)
		case "additionalOperations":
			err = setValue(&item.AdditionalOperations, it.val)
		default:
			err = setExtension(&item.Extensions, it.key, it.val, pathItemFields)
		}
		if err != nil {
			return nil, err
		}
	}
	return item, it.err
}

func decodeOperationOrNull(data []byte) (*openapi3.Operation, error) {
	if jsonscan.IsNull(data) {
		return nil, nil
	}
	return fastOrKin(data, decodeOperation)
}

var operationFields = []string{"tags", "summary", "description", "operationId", "parameters", "requestBody", "responses", "callbacks", "deprecated", "security", "servers", "externalDocs"}

func decodeOperation(data []byte) (*openapi3.Operation, error) {
	op := &openapi3.Operation{}
	it := newObjectIter(data)
	for it.next() {
		var err error
		switch string(it.key) {
		case "tags":
			err = setValue(&op.Tags, it.val)
		case "summary":
			err = setString(&op.Summary, it.val)
		case "description":
			err = setString(&op.Description, it.val)
		case "operationId":
			err = setString(&op.OperationID, it.val)
		case "parameters":
			op.Parameters, err = decodeParameters(it.val)
		case "requestBody":
			op.RequestBody, err = decodeRef(it.val, decodeRequestBody, func(ref string, v *openapi3.RequestBody) *openapi3.RequestBodyRef {
				return &openapi3.RequestBodyRef{Ref: ref, Value: v}
			})
		case "responses":
			if jsonscan.IsNull(it.val) {
				// kin-openapi marks an explicit null in an unexported field.
				return nil, errNotFast
			}
			op.Responses, err = decodeResponses(it.val)
		case "deprecated":
			err = setBool(&op.Deprecated, it.val)
		case "callbacks":
			err = setValue(&op.Callbacks, it.val)
		case "security":
			err = setValue(&op.Security, it.val)
		case "servers":
			err = setValue(&op.Servers, it.val)
		case "externalDocs":
			err = setValue(&op.ExternalDocs, it.val)
		default:
			err = setExtension(&op.Extensions, it.key, it.val, operationFields)
		}
		if err != nil {
			return nil, err
		}
	}
	return op, it.err
}

// decodeRef decodes one of kin-openapi's XRef types: a bare $ref, or a
// value decoded fast. Anything else (a $ref with siblings, which
// kin-openapi keeps in unexported fields) goes to R's own UnmarshalJSON.
func decodeRef[R, V any, P jsonUnmarshaler[R]](data []byte, decodeValue func([]byte) (*V, error), wrap func(ref string, value *V) *R) (*R, error) {
	if jsonscan.IsNull(data) {
		return nil, nil
	}
	return fastOrKin[R, P](data, func(data []byte) (*R, error) {
		if ref, ok := onlyRef(data); ok {
			return wrap(ref, nil), nil
		}
		v, err := decodeValue(data)
		if err != nil {
			return nil, err
		}
		return wrap("", v), nil
	})
}

func decodeParameters(data []byte) (openapi3.Parameters, error) {
	if jsonscan.IsNull(data) {
		return nil, nil
	}
	out := openapi3.Parameters{}
	err := eachElement(data, func(val []byte) error {
		p, err := decodeRef(val, decodeParameter, func(ref string, v *openapi3.Parameter) *openapi3.ParameterRef {
			return &openapi3.ParameterRef{Ref: ref, Value: v}
		})
		out = append(out, p)
		return err
	})
	return out, err
}

var parameterFields = []string{"$ref", "name", "in", "description", "style", "explode", "allowEmptyValue", "allowReserved", "deprecated", "required", "schema", "example", "examples", "content"}

func decodeParameter(data []byte) (*openapi3.Parameter, error) {
	p := &openapi3.Parameter{}
	it := newObjectIter(data)
	for it.next() {
		var err error
		switch string(it.key) {
		case "name":
			err = setString(&p.Name, it.val)
		case "in":
			err = setString(&p.In, it.val)
		case "description":
			err = setString(&p.Description, it.val)
		case "style":
			err = setString(&p.Style, it.val)
		case "explode":
			err = setValue(&p.Explode, it.val)
		case "allowEmptyValue":
			err = setBool(&p.AllowEmptyValue, it.val)
		case "allowReserved":
			err = setBool(&p.AllowReserved, it.val)
		case "deprecated":
			err = setBool(&p.Deprecated, it.val)
		case "required":
			err = setBool(&p.Required, it.val)
		case "schema":
			p.Schema, err = decodeSchemaRef(it.val)
		case "content":
			p.Content, err = decodeContent(it.val)
		case "example":
			err = setValue(&p.Example, it.val)
		case "examples":
			err = setValue(&p.Examples, it.val)
		default:
			err = setExtension(&p.Extensions, it.key, it.val, parameterFields)
		}
		if err != nil {
			return nil, err
		}
	}
	return p, it.err
}

var requestBodyFields = []string{"$ref", "description", "required", "content"}

func decodeRequestBody(data []byte) (*openapi3.RequestBody, error) {
	b := &openapi3.RequestBody{}
	it := newObjectIter(data)
	for it.next() {
		var err error
		switch string(it.key) {
		case "description":
			err = setString(&b.Description, it.val)
		case "required":
			err = setBool(&b.Required, it.val)
		case "content":
			b.Content, err = decodeContent(it.val)
		default:
			err = setExtension(&b.Extensions, it.key, it.val, requestBodyFields)
		}
		if err != nil {
			return nil, err
		}
	}
	return b, it.err
}
