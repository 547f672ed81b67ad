package openapi

import (
	"context"
	"encoding/json"
	"net/http"

	oas "github.com/tributary-gw/tributary/openapi"
)

// specConverter converts an OpenAPI document to a subgraph (package
// openapi). It is an interface so that the kind's runtime can be tested on
// its own. The document itself is read through the BuildContext, so that a
// start-up artifact can record and serve it.
type specConverter interface {
	// Convert converts the document with the section's options; specDir is
	// where relative external $refs are read from ("" to not follow them).
	Convert(spec []byte, c *Config, specDir string) (*oas.Document, error)
}

// wireMapping turns GraphQL arguments into HTTP requests and HTTP bodies
// into GraphQL values (package openapi/wire).
type wireMapping interface {
	// Request builds op's request; args is a JSON object keyed by GraphQL
	// argument names.
	Request(ctx context.Context, baseURL string, op *oas.Operation, types map[string]*oas.Type, args json.RawMessage) (*http.Request, error)
	// Result turns a 2xx response body into the field's GraphQL value.
	Result(op *oas.Operation, types map[string]*oas.Type, contentType string, body []byte) (json.RawMessage, error)
	// Value turns one wire JSON value of type t into its GraphQL form.
	Value(t *oas.TypeRef, types map[string]*oas.Type, wire json.RawMessage) (json.RawMessage, error)
}

// toolset is what Build uses; wiring.go fills builtinTools from packages
// openapi and openapi/wire.
type toolset struct {
	converter specConverter
	wire      wireMapping
}

// builtinTools is replaced in init by wiring.go.
var builtinTools toolset
