package openapi

import (
	"context"
	"encoding/json"
	"net/http"

	oas "github.com/tributary-gw/tributary/openapi"
	"github.com/tributary-gw/tributary/openapi/wire"
)

func init() {
	builtinTools = toolset{converter: converter{}, wire: wireMapper{}}
}

// converter is specConverter over package openapi.
type converter struct{}

func (converter) Convert(spec []byte, c *Config, specDir string) (*oas.Document, error) {
	opts := oas.Options{
		Include:    c.Include,
		Exclude:    c.Exclude,
		Rename:     c.Rename,
		RootType:   c.RootType,
		TypePrefix: c.TypePrefix,
		BaseDir:    specDir,
	}
	for _, e := range c.Entities {
		opts.Entities = append(opts.Entities, oas.EntityKey{Type: e.Type, Key: e.Key})
	}
	return oas.Convert(spec, opts)
}

// wireMapper is wireMapping over package openapi/wire.
type wireMapper struct{}

func (wireMapper) Request(ctx context.Context, baseURL string, op *oas.Operation, types map[string]*oas.Type, args json.RawMessage) (*http.Request, error) {
	return wire.Request(ctx, baseURL, op, types, args)
}

func (wireMapper) Result(op *oas.Operation, types map[string]*oas.Type, contentType string, body []byte) (json.RawMessage, error) {
	return wire.Result(op, types, contentType, body)
}

func (wireMapper) Value(t *oas.TypeRef, types map[string]*oas.Type, value json.RawMessage) (json.RawMessage, error) {
	return wire.Value(t, types, value)
}
