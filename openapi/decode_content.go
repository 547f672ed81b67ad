package openapi

import (
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// decodeResponses decodes an operation's responses. Like kin-openapi, a
// null response is an empty reference.
func decodeResponses(data []byte) (*openapi3.Responses, error) {
	extensions := map[string]any{}
	members, err := namedMembers(data, extensions)
	if err != nil {
		return nil, err
	}
	members = lastOfEach(members)
	responses := openapi3.NewResponsesWithCapacity(len(members))
	responses.Extensions = extensions
	for _, m := range members {
		r, err := fastOrKin(m.raw, func(raw []byte) (*openapi3.ResponseRef, error) {
			if jsonscan.IsNull(raw) {
				return nil, errNotFast
			}
			return decodeResponseRef(raw)
		})
		if err != nil {
			return nil, err
		}
		responses.Set(m.name, r)
	}
	return responses, nil
}

func decodeResponseRef(data []byte) (*openapi3.ResponseRef, error) {
	return decodeRef(data, decodeResponse, func(ref string, v *openapi3.Response) *openapi3.ResponseRef {
		return &openapi3.ResponseRef{Ref: ref, Value: v}
	})
}

var responseFields = []string{"$ref", "description", "headers", "content", "links"}

func decodeResponse(data []byte) (*openapi3.Response, error) {
	r := &openapi3.Response{}
	it := newObjectIter(data)
	for it.next() {
		var err error
		switch string(it.key) {
		case "description":
			err = setValue(&r.Description, it.val)
		case "content":
			r.Content, err = decodeContent(it.val)
		case "headers":
			err = setValue(&r.Headers, it.val)
		case "links":
			err = setValue(&r.Links, it.val)
		default:
			err = setExtension(&r.Extensions, it.key, it.val, responseFields)
		}
		if err != nil {
			return nil, err
		}
	}
	return r, it.err
}

func decodeContent(data []byte) (openapi3.Content, error) {
	if jsonscan.IsNull(data) {
		return nil, nil
	}
	content := openapi3.Content{}
	it := newObjectIter(data)
	for it.next() {
		name, err := it.name()
		if err != nil {
			return nil, err
		}
		var m *openapi3.MediaType
		if !jsonscan.IsNull(it.val) {
			if m, err = fastOrKin(it.val, decodeMediaType); err != nil {
				return nil, err
			}
		}
		content[name] = m
	}
	return content, it.err
}

var mediaTypeFields = []string{"schema", "itemSchema", "example", "examples", "encoding"}

func decodeMediaType(data []byte) (*openapi3.MediaType, error) {
	m := &openapi3.MediaType{}
	it := newObjectIter(data)
	for it.next() {
		var err error
		switch string(it.key) {
		case "schema":
			m.Schema, err = decodeSchemaRef(it.val)
		case "itemSchema":
			m.ItemSchema, err = decodeSchemaRef(it.val)
		case "example":
			err = setValue(&m.Example, it.val)
		case "examples":
			err = setValue(&m.Examples, it.val)
		case "encoding":
			err = setValue(&m.Encoding, it.val)
		default:
			err = setExtension(&m.Extensions, it.key, it.val, mediaTypeFields)
		}
		if err != nil {
			return nil, err
		}
	}
	return m, it.err
}
