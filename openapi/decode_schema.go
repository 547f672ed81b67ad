package openapi

import (
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/tributary-gw/tributary/internal/jsonscan"
)

var componentsFields = []string{"schemas", "parameters", "headers", "requestBodies", "responses", "securitySchemes", "examples", "links", "callbacks"}

func decodeComponents(data []byte) (*openapi3.Components, error) {
	c := &openapi3.Components{}
	it := newObjectIter(data)
	for it.next() {
		var err error
		switch string(it.key) {
		case "schemas":
			c.Schemas, err = decodeRefMap(it.val, decodeSchemaRef, true)
		case "parameters":
			c.Parameters, err = decodeRefMap(it.val, func(raw []byte) (*openapi3.ParameterRef, error) {
				return decodeRef(raw, decodeParameter, func(ref string, v *openapi3.Parameter) *openapi3.ParameterRef {
					return &openapi3.ParameterRef{Ref: ref, Value: v}
				})
			}, false)
		case "requestBodies":
			c.RequestBodies, err = decodeRefMap(it.val, func(raw []byte) (*openapi3.RequestBodyRef, error) {
				return decodeRef(raw, decodeRequestBody, func(ref string, v *openapi3.RequestBody) *openapi3.RequestBodyRef {
					return &openapi3.RequestBodyRef{Ref: ref, Value: v}
				})
			}, false)
		case "responses":
			c.Responses, err = decodeRefMap(it.val, decodeResponseRef, false)
		case "headers":
			err = setValue(&c.Headers, it.val)
		case "securitySchemes":
			err = setValue(&c.SecuritySchemes, it.val)
		case "examples":
			err = setValue(&c.Examples, it.val)
		case "links":
			err = setValue(&c.Links, it.val)
		case "callbacks":
			err = setValue(&c.Callbacks, it.val)
		default:
			err = setExtension(&c.Extensions, it.key, it.val, componentsFields)
		}
		if err != nil {
			return nil, err
		}
	}
	return c, it.err
}

// decodeRefMap decodes a map from names to references, as encoding/json
// would into a nil map: null stays nil, and so do null entries. Large
// top-level maps are decoded in parallel.
func decodeRefMap[R any](data []byte, decode func([]byte) (*R, error), parallel bool) (map[string]*R, error) {
	if jsonscan.IsNull(data) {
		return nil, nil
	}
	members, err := namedMembers(data, nil)
	if err != nil {
		return nil, err
	}
	values, err := decodeAll(members, decode, parallel)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*R, len(members))
	for i, m := range members {
		out[m.name] = values[i]
	}
	return out, nil
}

func decodeSchemas(data []byte) (openapi3.Schemas, error) {
	return decodeRefMap(data, decodeSchemaRef, false)
}

// decodeSchemaRef decodes a schema or a reference to one. Boolean schemas
// and $refs with siblings go to kin-openapi.
func decodeSchemaRef(data []byte) (*openapi3.SchemaRef, error) {
	return decodeRef(data, decodeSchema, func(ref string, v *openapi3.Schema) *openapi3.SchemaRef {
		return &openapi3.SchemaRef{Ref: ref, Value: v}
	})
}

func decodeSchemaRefs(data []byte) (openapi3.SchemaRefs, error) {
	if jsonscan.IsNull(data) {
		return nil, nil
	}
	out := openapi3.SchemaRefs{}
	err := eachElement(data, func(val []byte) error {
		s, err := decodeSchemaRef(val)
		out = append(out, s)
		return err
	})
	return out, err
}

// decodeBoolSchema decodes additionalProperties and its kin: a boolean or
// a schema.
func decodeBoolSchema(dst *openapi3.BoolSchema, data []byte) error {
	switch {
	case jsonscan.IsNull(data):
		return nil
	case data[0] == 't' || data[0] == 'f':
		var b bool
		if err := setBool(&b, data); err != nil {
			return err
		}
		dst.Has = &b
		return nil
	case string(data) == "{}":
		dst.Schema = &openapi3.SchemaRef{Value: &openapi3.Schema{}}
		return nil
	case data[0] == '{':
		s, err := decodeSchemaRef(data)
		dst.Schema = s
		return err
	}
	return errNotFast
}

// schemaFields are the members of a schema object, and $ref: a $ref with
// siblings goes to kin-openapi.
var schemaFields = []string{
	"$ref", "oneOf", "anyOf", "allOf", "not", "type", "title", "format", "description", "enum", "default", "example", "externalDocs",
	"uniqueItems", "exclusiveMinimum", "exclusiveMaximum", "nullable", "readOnly", "writeOnly", "allowEmptyValue", "deprecated", "xml",
	"minimum", "maximum", "multipleOf", "minLength", "maxLength", "pattern", "minItems", "maxItems", "items",
	"required", "properties", "minProperties", "maxProperties", "additionalProperties", "discriminator",
	"const", "examples", "prefixItems", "contains", "minContains", "maxContains", "patternProperties", "dependentSchemas",
	"propertyNames", "unevaluatedItems", "unevaluatedProperties", "if", "then", "else", "dependentRequired",
	"$defs", "$schema", "$comment", "$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "contentMediaType", "contentEncoding", "contentSchema",
}

func decodeSchema(data []byte) (*openapi3.Schema, error) {
	s := &openapi3.Schema{}
	it := newObjectIter(data)
	for it.next() {
		if err := decodeSchemaMember(s, it.key, it.val); err != nil {
			return nil, err
		}
	}
	return s, it.err
}

// decodeSchemaMember sets the schema field named key.
func decodeSchemaMember(s *openapi3.Schema, key, val []byte) (err error) {
	switch string(key) {
	case "type":
		if str, err := decodeString(val); err == nil && val[0] == '"' {
			s.Type = &openapi3.Types{str}
			return nil
		}
		return setValue(&s.Type, val)
	case "properties":
		s.Properties, err = decodeSchemas(val)
	case "items":
		s.Items, err = decodeSchemaRef(val)
	case "allOf":
		s.AllOf, err = decodeSchemaRefs(val)
	case "oneOf":
		s.OneOf, err = decodeSchemaRefs(val)
	case "anyOf":
		s.AnyOf, err = decodeSchemaRefs(val)
	case "not":
		s.Not, err = decodeSchemaRef(val)
	case "additionalProperties":
		err = decodeBoolSchema(&s.AdditionalProperties, val)
	case "description":
		err = setString(&s.Description, val)
	case "format":
		err = setString(&s.Format, val)
	case "title":
		err = setString(&s.Title, val)
	case "pattern":
		err = setString(&s.Pattern, val)
	case "nullable":
		err = setBool(&s.Nullable, val)
	case "readOnly":
		err = setBool(&s.ReadOnly, val)
	case "writeOnly":
		err = setBool(&s.WriteOnly, val)
	case "deprecated":
		err = setBool(&s.Deprecated, val)
	case "uniqueItems":
		err = setBool(&s.UniqueItems, val)
	case "allowEmptyValue":
		err = setBool(&s.AllowEmptyValue, val)
	case "required":
		err = setValue(&s.Required, val)
	case "enum":
		err = setValue(&s.Enum, val)
	case "default":
		err = setValue(&s.Default, val)
	case "discriminator":
		err = setValue(&s.Discriminator, val)
	default:
		return decodeRareSchemaMember(s, key, val)
	}
	return err
}

// decodeRareSchemaMember sets the less common schema fields.
func decodeRareSchemaMember(s *openapi3.Schema, key, val []byte) (err error) {
	switch string(key) {
	case "example":
		err = setValue(&s.Example, val)
	case "externalDocs":
		err = setValue(&s.ExternalDocs, val)
	case "exclusiveMinimum":
		err = setValue(&s.ExclusiveMin, val)
	case "exclusiveMaximum":
		err = setValue(&s.ExclusiveMax, val)
	case "xml":
		err = setValue(&s.XML, val)
	case "minimum":
		err = setValue(&s.Min, val)
	case "maximum":
		err = setValue(&s.Max, val)
	case "multipleOf":
		err = setValue(&s.MultipleOf, val)
	case "minLength":
		err = setValue(&s.MinLength, val)
	case "maxLength":
		err = setValue(&s.MaxLength, val)
	case "minItems":
		err = setValue(&s.MinItems, val)
	case "maxItems":
		err = setValue(&s.MaxItems, val)
	case "minProperties":
		err = setValue(&s.MinProps, val)
	case "maxProperties":
		err = setValue(&s.MaxProps, val)
	case "const":
		err = setValue(&s.Const, val)
	case "examples":
		err = setValue(&s.Examples, val)
	case "prefixItems":
		s.PrefixItems, err = decodeSchemaRefs(val)
	case "contains":
		s.Contains, err = decodeSchemaRef(val)
	case "minContains":
		err = setValue(&s.MinContains, val)
	case "maxContains":
		err = setValue(&s.MaxContains, val)
	case "patternProperties":
		s.PatternProperties, err = decodeSchemas(val)
	case "dependentSchemas":
		s.DependentSchemas, err = decodeSchemas(val)
	case "propertyNames":
		s.PropertyNames, err = decodeSchemaRef(val)
	case "unevaluatedItems":
		err = decodeBoolSchema(&s.UnevaluatedItems, val)
	case "unevaluatedProperties":
		err = decodeBoolSchema(&s.UnevaluatedProperties, val)
	case "if":
		s.If, err = decodeSchemaRef(val)
	case "then":
		s.Then, err = decodeSchemaRef(val)
	case "else":
		s.Else, err = decodeSchemaRef(val)
	case "dependentRequired":
		err = setValue(&s.DependentRequired, val)
	case "$defs":
		s.Defs, err = decodeSchemas(val)
	case "$schema":
		err = setString(&s.SchemaDialect, val)
	case "$comment":
		err = setString(&s.Comment, val)
	case "$id":
		err = setString(&s.SchemaID, val)
	case "$anchor":
		err = setString(&s.Anchor, val)
	case "$dynamicRef":
		err = setString(&s.DynamicRef, val)
	case "$dynamicAnchor":
		err = setString(&s.DynamicAnchor, val)
	case "contentMediaType":
		err = setString(&s.ContentMediaType, val)
	case "contentEncoding":
		err = setString(&s.ContentEncoding, val)
	case "contentSchema":
		s.ContentSchema, err = decodeSchemaRef(val)
	default:
		err = setExtension(&s.Extensions, key, val, schemaFields)
	}
	return err
}
