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
		errs = append(errs, &tributary.FieldError{Path: "sdl", Message: `sdl is required: the path of the subgraph's SDL file (e.g. "./prices.graphql")`})
	}
	if strings.TrimSpace(c.Data) == "" {
		errs = append(errs, &tributary.FieldError{Path: "data", Message: `data is required: the path of the JSON data file (e.g. "./prices.json")`})
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Build reads the SDL and the data file, checks one against the other and
// indexes the entities by key.
func (c *Config) Build(ctx context.Context, name string, bc tributary.BuildContext) (*tributary.Subgraph, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("subgraph %q: static: %w", name, err)
	}
	sdlPath, dataPath := resolvePath(bc.Dir, c.SDL), resolvePath(bc.Dir, c.Data)

	sdl, err := readFile(ctx, bc, "static.sdl", c.SDL, sdlPath)
	if err != nil {
		return nil, fmt.Errorf("subgraph %q: %w", name, err)
	}
	schema, err := parseSchema(sdlPath, string(sdl))
	if err != nil {
		return nil, fmt.Errorf("subgraph %q: static.sdl: %w", name, err)
	}
	data, err := readFile(ctx, bc, "static.data", c.Data, dataPath)
	if err != nil {
		return nil, fmt.Errorf("subgraph %q: %w", name, err)
	}
	st, err := loadData(dataPath, data, schema)
	if err != nil {
		return nil, fmt.Errorf("subgraph %q: static.data: %w", name, err)
	}
	st.name = name
	return &tributary.Subgraph{Name: name, SDL: string(sdl), Source: st}, nil
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
func readFile(ctx context.Context, bc tributary.BuildContext, key, configured, resolved string) ([]byte, error) {
	data, err := bc.Read(ctx, configured)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read %s (resolved to %s): %w; paths are relative to gateway.yaml's directory", key, configured, resolved, err)
	}
	if strings.TrimSpace(string(data)) == "" {
		return nil, fmt.Errorf("%s: %s is empty", key, resolved)
	}
	return data, nil
}
