package artifact

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
)

const gatewayYAML = `listen: ${LISTEN:-:4000}
subgraphs:
  - name: pricing
    static:
      sdl: ./pricing.graphql
      data: ${PRICING_DATA:-./pricing.json}
`

// fakeSource serves resources from memory and counts the reads.
type fakeSource map[string]string

func (f fakeSource) read(_ context.Context, location string) ([]byte, error) {
	if s, ok := f[location]; ok {
		return []byte(s), nil
	}
	return nil, errors.New("no such resource: " + location)
}

func writeTestArtifact(t *testing.T, dir string) {
	t.Helper()
	rec := NewRecorder(fakeSource{
		"./pricing.graphql":                   "type Query { currency: String }",
		"./pricing.json":                      `{"Query": {"currency": "EUR"}}`,
		"https://specs.example.com/v1/o.json": `{"openapi": "3.0.0"}`,
	}.read)
	for _, location := range []string{"./pricing.json", "./pricing.graphql", "https://specs.example.com/v1/o.json", "./pricing.json"} {
		if _, err := rec.Read(context.Background(), location); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := rec.Read(context.Background(), "./absent.json"); err == nil {
		t.Fatal("reading an absent resource succeeded")
	}
	if err := Write(dir, []byte(gatewayYAML), "schema { query: Query }", rec); err != nil {
		t.Fatal(err)
	}
}

func TestWriteThenOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "artifact")
	writeTestArtifact(t, dir)
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := Manifest{Format: 1, Config: "gateway.yaml", Supergraph: "supergraph.graphql", Resources: map[string]string{
		"./pricing.graphql":                   "resources/01-pricing.graphql",
		"./pricing.json":                      "resources/02-pricing.json",
		"https://specs.example.com/v1/o.json": "resources/03-o.json",
	}}
	if !reflect.DeepEqual(a.Manifest, want) {
		t.Fatalf("manifest %+v\nwant %+v", a.Manifest, want)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "gateway.yaml")); string(got) != gatewayYAML {
		t.Fatalf("gateway.yaml is not a verbatim copy:\n%s", got)
	}
	got, err := a.Read(context.Background(), "https://specs.example.com/v1/o.json")
	if err != nil || string(got) != `{"openapi": "3.0.0"}` {
		t.Fatalf("Read = %q, %v", got, err)
	}
	_, err = a.Read(context.Background(), "./other.json")
	if err == nil || !strings.Contains(err.Error(), `has no copy of "./other.json"`) {
		t.Fatalf("reading a location not in the manifest: %v", err)
	}
}

// The config is interpolated when the artifact is loaded, from the
// environment of that moment, and points at the artifact's files.
func TestLoadInterpolatesNowAndReadsOnlyTheArtifact(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "artifact")
	writeTestArtifact(t, dir)
	t.Setenv("LISTEN", "127.0.0.1:9999")
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:9999" || cfg.Dir != dir || cfg.Supergraph != filepath.Join(dir, "supergraph.graphql") {
		t.Fatalf("listen %q, dir %q, supergraph %q", cfg.Listen, cfg.Dir, cfg.Supergraph)
	}
	if data, err := cfg.ReadResource(context.Background(), "./pricing.json"); err != nil || string(data) != `{"Query": {"currency": "EUR"}}` {
		t.Fatalf("ReadResource = %q, %v", data, err)
	}

	// A location that takes another value now is not in the artifact.
	t.Setenv("PRICING_DATA", "./pricing-eu.json")
	cfg, err = Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.ReadResource(context.Background(), "./pricing-eu.json"); err == nil || !strings.Contains(err.Error(), "./pricing-eu.json") {
		t.Fatalf("error %v", err)
	}
}

func TestWriteReplacesOnlyAnArtifact(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "artifact")
	writeTestArtifact(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "resources", "stale.json"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	writeTestArtifact(t, dir) // replaces the previous artifact whole
	if _, err := os.Stat(filepath.Join(dir, "resources", "stale.json")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file of the previous artifact survived: %v", err)
	}

	mine := filepath.Join(root, "mine")
	if err := os.MkdirAll(mine, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(mine, []byte(gatewayYAML), "", NewRecorder(fakeSource{}.read))
	if err == nil || !strings.Contains(err.Error(), "is not a start-up artifact") {
		t.Fatalf("Write into a directory of other files: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(mine, "notes.txt")); string(got) != "keep" {
		t.Fatal("Write touched a directory that is not an artifact")
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 {
		t.Fatalf("temporary directories left behind: %v", entries)
	}
}

func TestOpenRejectsBadManifests(t *testing.T) {
	tests := []struct{ name, manifest, want string }{
		{"absent", "", "is not a start-up artifact"},
		{"not JSON", "{", "is not valid JSON"},
		{"newer format", `{"format": 2}`, "manifest format 2"},
		{"file outside", `{"format": 1, "config": "gateway.yaml", "supergraph": "s.graphql", "resources": {"x": "../../etc/passwd"}}`, `names "../../etc/passwd"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.manifest != "" {
				if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte(tt.manifest), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	for location, want := range map[string]string{
		"./specs/billing.yaml":                        "billing.yaml",
		"https://api.example.com/v2/openapi.json?x=1": "openapi.json",
		"https://api.example.com/":                    "resource",
		"/etc/gateway/my spec (v2).yaml":              "my_spec__v2_.yaml",
	} {
		if got := fileName(location); got != want {
			t.Errorf("fileName(%q) = %q, want %q", location, got, want)
		}
	}
}
