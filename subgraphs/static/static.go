// Package static is the subgraph kind that serves entities and root query
// fields from a JSON file: mocks, fixtures and reference data.
//
// It is also the smallest in-process datasource: the engine hands it whole
// batches of entity representations through tributary.Source, exactly as it
// would a REST or database kind.
//
// The data file holds two top-level keys:
//
//	{
//	  "Query":    {"topProducts": [{"upc": "1"}]},
//	  "entities": {"Product": [{"upc": "1", "currency": "EUR", "list": 12}]}
//	}
//
// "Query" maps root fields to the JSON value they return; arguments are
// ignored. "entities" lists the objects of each @key type; a representation
// finds its object when the values of one of the type's keys are equal as
// JSON values.
package static

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tributary-gw/tributary"
)

// KindName is the key of this kind's section in gateway.yaml.
const KindName = "static"

func init() {
	tributary.RegisterKind(tributary.Kind{
		Name:      KindName,
		Doc:       "Entities and root query fields served from a JSON file (mocks, reference data).",
		NewConfig: func() tributary.SubgraphConfig { return &Config{} },
	})
}

// Config is the `static:` section of a subgraph in gateway.yaml.
type Config struct {
	// SDL is the path of the subgraph's federation SDL file.
	SDL string `yaml:"sdl,omitempty" doc:"Path of the subgraph's federation SDL file (with @key on entity types); relative paths start at gateway.yaml's directory." required:"true"`
	// Data is the path of the JSON data file.
	Data string `yaml:"data,omitempty" doc:"Path of the JSON data file with \"Query\" root field values and \"entities\" by type; relative paths start at gateway.yaml's directory." required:"true"`
}

// Validate checks the section. Paths in the returned FieldErrors are relative
// to the section.
func (c *Config) Validate() error {
	var errs tributary.FieldErrors
	if strings.TrimSpace(c.SDL) == "" {
		errs = append(errs, &tributary.FieldError{Path: "sdl", Message: `is required: the path of the subgraph's SDL file (e.g. "./prices.graphql")`})
	}
	if strings.TrimSpace(c.Data) == "" {
		errs = append(errs, &tributary.FieldError{Path: "data", Message: `is required: the path of the JSON data file (e.g. "./prices.json")`})
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Build reads the SDL and the data file, checks one against the other and
// indexes the entities by key. Its errors name no subgraph: the gateway
// says which one, and at which line from the FieldError's path.
func (c *Config) Build(ctx context.Context, name string, bc tributary.BuildContext) (*tributary.Subgraph, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	sdlPath, dataPath := resolvePath(bc.Dir, c.SDL), resolvePath(bc.Dir, c.Data)

	sdl, err := readFile(ctx, bc, c.SDL, sdlPath)
	if err != nil {
		return nil, keyError("sdl", err)
	}
	schema, err := parseSchema(sdlPath, string(sdl))
	if err != nil {
		return nil, keyError("sdl", err)
	}
	data, err := readFile(ctx, bc, c.Data, dataPath)
	if err != nil {
		return nil, keyError("data", err)
	}
	st, err := loadData(dataPath, data, schema)
	if err != nil {
		return nil, keyError("data", err)
	}
	st.name = name
	return &tributary.Subgraph{Name: name, SDL: string(sdl), Source: st}, nil
}

// keyError reports err, a problem with the file the section's key at path
// names, at that key.
func keyError(path string, err error) *tributary.FieldError {
	return &tributary.FieldError{Path: path, Message: err.Error(), Err: err}
}

// resolvePath makes path absolute against dir, the directory of gateway.yaml.
func resolvePath(dir, path string) string {
	if filepath.IsAbs(path) || dir == "" {
		return filepath.Clean(path)
	}
	return filepath.Join(dir, path)
}

// readFile reads a file through the BuildContext, by its name as
// configured (so that a start-up artifact can serve it); resolved names it
// in messages.
func readFile(ctx context.Context, bc tributary.BuildContext, configured, resolved string) ([]byte, error) {
	data, err := bc.Read(ctx, configured)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s (resolved to %s): %w; paths are relative to gateway.yaml's directory", configured, resolved, err)
	}
	if strings.TrimSpace(string(data)) == "" {
		return nil, fmt.Errorf("%s is empty", resolved)
	}
	return data, nil
}
