// Package openapi converts an OpenAPI 2.0, 3.0 or 3.1 description of a REST
// service into a GraphQL federation subgraph: the SDL the gateway composes,
// and the operation model the runtime (openapi/wire, subgraphs/openapi)
// uses to turn GraphQL fields into HTTP requests and HTTP responses back
// into GraphQL values.
//
// The model below is the contract between the converter and the runtime:
// everything the runtime needs about names, parameters, bodies, enums,
// unions and results is decided once, at conversion.
package openapi

// Document is a converted OpenAPI description.
type Document struct {
	// Title is info.title.
	Title string
	// Servers are the spec's server URLs, variables substituted with their
	// defaults (for 2.0: scheme://host/basePath).
	Servers []string
	// SDL is the subgraph schema: Federation v2, self-contained (every
	// directive and scalar it uses is defined or imported with @link).
	SDL string
	// Operations are the spec's operations that became fields, in a stable
	// order (by root type, then field name).
	Operations []*Operation
	// Types are the GraphQL types the operations use, by GraphQL name.
	Types map[string]*Type
	// Warnings say what was skipped or degraded, each with a JSON pointer.
	Warnings []Warning
}

// Warning reports a skipped or degraded part of the spec.
type Warning struct {
	// Pointer is a JSON pointer into the spec, e.g. "#/paths/~1pets/get".
	Pointer string
	// Message says what happened and why.
	Message string
}

// Operation is one OpenAPI operation exposed as a root field.
type Operation struct {
	// ID is the operationId, or the one generated from method and path.
	ID string
	// Pointer is the operation's JSON pointer in the spec.
	Pointer string
	// Method is the HTTP method, upper case.
	Method string
	// Path is the path template, e.g. "/users/{id}".
	Path string
	// RootType is "Query" or "Mutation".
	RootType string
	// FieldName is the GraphQL field name.
	FieldName string
	// Description is the operation's summary and description.
	Description string
	// Params are the path, query, header and cookie parameters.
	Params []*Param
	// Body is the request body, or nil.
	Body *Body
	// Result says how a successful response becomes the field's value.
	Result Result
	// Errors maps declared non-2xx status codes ("404", "4XX", "default")
	// to the GraphQL type of their body, kept for error extensions.
	Errors map[string]*TypeRef
}

// Param is one parameter and the GraphQL argument that feeds it.
type Param struct {
	// Name is the wire name.
	Name string
	// In is "path", "query", "header" or "cookie".
	In string
	// Arg is the GraphQL argument name.
	Arg string
	// Style is the serialization style, defaulted per the spec for In:
	// form, simple, label, matrix, deepObject, spaceDelimited,
	// pipeDelimited.
	Style string
	// Explode is the effective explode flag (defaulted per the spec).
	Explode bool
	// AllowReserved leaves RFC 3986 reserved characters unencoded (query).
	AllowReserved bool
	// Required mirrors the spec (path parameters are always required).
	Required bool
	// ContentType is set when the parameter uses `content` instead of
	// `schema` (e.g. "application/json": the value is sent as JSON text).
	ContentType string
	// Type is the argument's GraphQL type.
	Type *TypeRef
	// Description is the parameter's description.
	Description string
	// Default is the schema's default as a GraphQL literal ("10",
	// "\"asc\"", "DESC"), or "" when it has none or the default does not
	// fit the argument's type.
	Default string
}

// Body is a request body and the GraphQL argument that feeds it.
type Body struct {
	// Arg is the GraphQL argument name (usually "input" or the schema's
	// name).
	Arg string
	// Required mirrors requestBody.required.
	Required bool
	// ContentType is the media type chosen: application/json (or +json),
	// application/x-www-form-urlencoded, multipart/form-data, or another
	// type sent as the argument's raw string.
	ContentType string
	// Type is the argument's GraphQL type.
	Type *TypeRef
	// Encoding holds per-property encodings of form and multipart bodies,
	// by wire property name.
	Encoding map[string]Encoding
}

// Encoding is an OpenAPI encoding object for one body property.
type Encoding struct {
	ContentType string
	Style       string
	Explode     bool
}

// ResultKind says how a response body becomes a GraphQL value.
type ResultKind int

const (
	// ResultJSON decodes a JSON body into Result.Type.
	ResultJSON ResultKind = iota
	// ResultText returns a non-JSON body as a String.
	ResultText
	// ResultNoContent returns true for a 2xx without a body (204).
	ResultNoContent
)

// Result describes the successful response.
type Result struct {
	Kind ResultKind
	// Type is the field's GraphQL type.
	Type *TypeRef
	// ContentType is the success response's media type (application/json,
	// application/vnd.github+json, text/csv…), sent as Accept; empty means
	// application/json for ResultJSON and any type for ResultText.
	ContentType string
}

// TypeRef is a GraphQL type reference: a named type, or a list of Elem.
type TypeRef struct {
	// Named is the type name (Int, String, JSON, User…); empty for lists.
	Named string
	// Elem is the list's item type; nil for named types.
	Elem *TypeRef
	// NonNull marks a non-null type.
	NonNull bool
}

// String writes the reference in GraphQL syntax: "[String!]!".
func (t *TypeRef) String() string {
	if t == nil {
		return "<none>"
	}
	s := t.Named
	if t.Elem != nil {
		s = "[" + t.Elem.String() + "]"
	}
	if t.NonNull {
		s += "!"
	}
	return s
}

// TypeKind is the kind of a GraphQL type.
type TypeKind int

// The kinds of type a spec converts to.
const (
	KindObject TypeKind = iota
	KindInputObject
	KindEnum
	KindUnion
	KindScalar
	// KindInterface is a schema with a discriminator that other component
	// schemas extend through allOf; Implementations are those schemas'
	// object types.
	KindInterface
)

// Type is a GraphQL type generated from a schema, with what the runtime
// needs to map values between GraphQL and the wire.
type Type struct {
	Name string
	Kind TypeKind
	// Description is the schema's description.
	Description string
	// Keys are the @key field sets of an entity object (Options.Entities).
	Keys []string
	// Fields of objects and input objects.
	Fields []*Field
	// EnumValues of enums.
	EnumValues []*EnumValue
	// Members of unions (object type names).
	Members []string
	// Implementations of an interface (object type names): the base
	// schema's own object type first when it has one, then the object
	// types of the schemas that extend it through allOf.
	Implementations []string
	// Discriminator of a union from oneOf/anyOf or of an interface, or nil
	// (then members are told apart by shape: the first member whose
	// required properties are all present and whose property set fits).
	Discriminator *Discriminator
	// OneOf marks an input object generated from oneOf (@oneOf): exactly
	// one field is set, and its value is sent as the whole body/value.
	OneOf bool
	// Wrapped marks an object generated for a union member that is not an
	// object schema (a scalar or array): its single field "value" holds it.
	Wrapped bool
}

// Field is a property of an object or input object.
type Field struct {
	// Name is the GraphQL field name.
	Name string
	// JSON is the property name on the wire.
	JSON string
	// Type is the field's GraphQL type.
	Type *TypeRef
	// Description is the property's description.
	Description string
	// Link is set on a field generated from an OpenAPI response link: the
	// field is not on the wire (JSON is ""), and its value is the result
	// of another operation, called with values taken from the object.
	Link *Link
	// Args are a link field's arguments: the target operation's parameters
	// the link does not fill, as the target declares them.
	Args []*Param
}

// Link is an OpenAPI link from a response to the operation that resolves a
// field of its object type. Values of Params and Body are runtime
// expressions as ParseLinkValue reads them: "$response.body#/id",
// "$request.path.id", a template such as "users/{$response.body#/id}",
// or a literal string.
type Link struct {
	// Operation is the target operation's ID (Operation.ID).
	Operation string
	// Params maps a target parameter, qualified by its location
	// ("path.id", "query.limit", "header.X-Trace"), to its value
	// expression. Target parameters not listed are not sent.
	Params map[string]string
	// Body is the target's request body expression, or "" for none.
	Body string
}

// EnumValue maps a GraphQL enum value to its wire value.
type EnumValue struct {
	// Name is the GraphQL name (sanitized).
	Name string
	// Wire is the JSON value on the wire: a string, float64 or bool.
	Wire any
}

// Discriminator tells union members (or interface implementations) apart
// by a property's value.
type Discriminator struct {
	// Property is the wire property name.
	Property string
	// Mapping maps wire values to member type names.
	Mapping map[string]string
}
