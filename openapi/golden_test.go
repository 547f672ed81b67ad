package openapi

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/composition"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// federationPrelude defines the federation directives the SDL imports, so
// that plain gqlparser can validate it.
const federationPrelude = `directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
directive @shareable repeatable on OBJECT | FIELD_DEFINITION
`

// checkSDL asserts that sdl is a valid GraphQL schema once federation's
// directives are defined, and that it composes as a subgraph on its own.
func checkSDL(t testing.TB, sdl string) {
	t.Helper()
	plain := strings.Replace(sdl, federationLink+"\n", "", 1)
	// gqlparser's prelude defines @oneOf already.
	plain = strings.Replace(plain, "\"Exactly one field of the input object must be set.\"\ndirective @oneOf on INPUT_OBJECT\n", "", 1)
	if _, err := gqlparser.LoadSchema(&ast.Source{Name: "subgraph.graphql", Input: federationPrelude + plain}); err != nil {
		t.Fatalf("the SDL is not valid GraphQL: %v", err)
	}
	if _, err := composition.Compose([]composition.Subgraph{{Name: "rest", URL: "http://rest", SDL: sdl}}); err != nil {
		t.Fatalf("the SDL does not compose: %v", err)
	}
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output (run go test -update and review the diff)", path)
	}
}

// warningsText lists warnings one a line.
func warningsText(d *Document) string {
	var b strings.Builder
	for _, w := range d.Warnings {
		b.WriteString(w.Pointer + ": " + w.Message + "\n")
	}
	return b.String()
}

// TestGolden converts each testdata/<case>/spec.yaml and compares the SDL
// and warnings with schema.graphql and warnings.txt beside it.
func TestGolden(t *testing.T) {
	specs, err := filepath.Glob("testdata/*/spec.yaml")
	if err != nil || len(specs) == 0 {
		t.Fatalf("no golden cases found: %v", err)
	}
	for _, spec := range specs {
		dir := filepath.Dir(spec)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(spec)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Convert(data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkSDL(t, doc.SDL)
			golden(t, filepath.Join(dir, "schema.graphql"), doc.SDL)
			golden(t, filepath.Join(dir, "warnings.txt"), warningsText(doc))
		})
	}
}

// TestCorpus converts every spec in testdata/corpus (real public specs),
// writes testdata/corpus-golden/<name>.graphql, and asserts that each is
// valid and composes.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/corpus/*")
	var specs []string
	for _, f := range files {
		switch strings.ToLower(filepath.Ext(f)) {
		case ".json", ".yaml", ".yml":
			specs = append(specs, f)
		}
	}
	if len(specs) == 0 {
		t.Skip("testdata/corpus holds no specs yet")
	}
	for _, spec := range specs {
		name := strings.TrimSuffix(filepath.Base(spec), filepath.Ext(spec))
		t.Run(name, func(t *testing.T) {
			if testing.Short() && fileSize(spec) > 1<<20 {
				t.Skip("large spec skipped in -short mode")
			}
			data, err := os.ReadFile(spec)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Convert(data, Options{TypePrefix: ""})
			if err != nil {
				t.Fatal(err)
			}
			checkSDL(t, doc.SDL)
			golden(t, filepath.Join("testdata", "corpus-golden", name+".graphql"), doc.SDL)
		})
	}
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
