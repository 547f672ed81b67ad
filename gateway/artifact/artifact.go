// Package artifact reads and writes start-up artifacts: directories holding
// everything a gateway needs to start without the network: the composed
// supergraph, a verbatim copy of gateway.yaml (still with its ${VAR}
// references, so that no secret is baked in) and a copy of every file and
// URL a subgraph kind read while building (OpenAPI specs, static data),
// listed in manifest.json by the location gateway.yaml gives.
//
// `gateway compose -o DIR` records an artifact with a Recorder and Write;
// `gateway serve -artifact DIR` and the Lambda handler start from one with
// Load, whose config reads only the artifact's files: it fetches no SDL,
// composes nothing and connects to nothing. Both implement
// tributary.BuildContext.ReadResource, carried by config.Config.
package artifact

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tributary-gw/tributary/config"

	"github.com/tributary-gw/tributary/internal/files"
)

// The files of an artifact, relative to its directory.
const (
	// ManifestFile describes the artifact.
	ManifestFile = "manifest.json"
	// ConfigFile is the verbatim copy of gateway.yaml.
	ConfigFile = "gateway.yaml"
	// SupergraphFile is the composed supergraph SDL.
	SupergraphFile = "supergraph.graphql"
	// ResourcesDir holds the copies of the resources kinds read.
	ResourcesDir = "resources"
)

// Format is the manifest format this package writes and reads.
const Format = 1

// Manifest is the content of manifest.json.
type Manifest struct {
	// Format is the manifest's format version.
	Format int `json:"format"`
	// Config is the file holding the copy of gateway.yaml.
	Config string `json:"config"`
	// Supergraph is the file holding the supergraph SDL.
	Supergraph string `json:"supergraph"`
	// Resources maps each location a kind read, as gateway.yaml gives it
	// (a path relative to gateway.yaml, an absolute path or a URL), to the
	// file holding its copy.
	Resources map[string]string `json:"resources"`
}

// Artifact is an artifact opened for serving.
type Artifact struct {
	// Dir is the artifact's directory, absolute.
	Dir string
	// Manifest is its manifest.json.
	Manifest Manifest
}

// Open reads the manifest of the artifact in dir and checks that it names
// only files inside dir.
func Open(dir string) (*Artifact, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("start-up artifact %s: %w", dir, err)
	}
	data, err := files.Read(filepath.Join(abs, ManifestFile), files.MaxBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s is not a start-up artifact: it has no %s (write one with gateway compose -o %s)", dir, ManifestFile, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("start-up artifact %s: %w", dir, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("start-up artifact %s: %s is not valid JSON: %w", dir, ManifestFile, err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("start-up artifact %s: manifest format %d, but this gateway reads format %d; rebuild it with this gateway's compose -o", dir, m.Format, Format)
	}
	files := []string{m.Config, m.Supergraph}
	for _, f := range m.Resources {
		files = append(files, f)
	}
	for _, f := range files {
		if !filepath.IsLocal(filepath.FromSlash(f)) {
			return nil, fmt.Errorf("start-up artifact %s: %s names %q, which is not a file inside the artifact", dir, ManifestFile, f)
		}
	}
	return &Artifact{Dir: abs, Manifest: m}, nil
}

// Read returns the copy of the resource at location, which must be in the
// manifest exactly as gateway.yaml gave it when the artifact was written.
// It implements tributary.BuildContext.ReadResource, and never touches the
// network.
func (a *Artifact) Read(_ context.Context, location string) ([]byte, error) {
	file, ok := a.Manifest.Resources[location]
	if !ok {
		return nil, fmt.Errorf("the start-up artifact %s has no copy of %q, which was not read when it was written; write it again with gateway compose -o (a location built from ${VAR} must have the same value as then)", a.Dir, location)
	}
	data, err := files.Read(a.path(file), files.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("the start-up artifact's copy of %q: %w", location, err)
	}
	return data, nil
}

// Config loads the artifact's copy of gateway.yaml, interpolating ${VAR}
// from the environment now, and points it at the artifact: the supergraph
// is the artifact's (so no kind fetches an SDL and nothing is composed),
// and every resource is read from the artifact. Relative paths in the
// config resolve against the artifact's directory.
func (a *Artifact) Config() (*config.Config, error) {
	path := a.path(a.Manifest.Config)
	data, err := files.Read(path, files.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("start-up artifact %s: %w", a.Dir, err)
	}
	// Parse rather than Load: the file's own supergraph key, if any, names
	// a file of the machine that wrote the artifact.
	cfg, err := config.Parse(path, data, os.LookupEnv)
	if err != nil {
		return nil, err
	}
	cfg.Dir = a.Dir
	cfg.Supergraph = a.path(a.Manifest.Supergraph)
	cfg.ReadResource = a.Read
	return cfg, nil
}

// Load opens the artifact in dir and returns its Config: what `gateway
// serve -artifact` and the Lambda handler build the gateway from.
func Load(dir string) (*config.Config, error) {
	a, err := Open(dir)
	if err != nil {
		return nil, err
	}
	return a.Config()
}

func (a *Artifact) path(file string) string {
	return filepath.Join(a.Dir, filepath.FromSlash(file))
}
