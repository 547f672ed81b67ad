package composition

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astparser"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// loadCase reads testdata/<case>/*.graphql (all but supergraph.graphql) as
// subgraphs named after their files.
func loadCase(t testing.TB, dir string) []Subgraph {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	var out []Subgraph
	for _, f := range files {
		if filepath.Base(f) == "supergraph.graphql" {
			continue
		}
		sdl, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".graphql")
		out = append(out, Subgraph{Name: name, URL: "http://" + name + "/graphql", SDL: string(sdl)})
	}
	if len(out) == 0 {
		t.Fatalf("%s has no subgraph files", dir)
	}
	return out
}

func formatErrors(errs Errors) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Code)
		if e.Coordinate != "" {
			b.WriteString(" " + e.Coordinate)
		}
		if len(e.Subgraphs) > 0 {
			b.WriteString(" [" + strings.Join(e.Subgraphs, " ") + "]")
		}
		b.WriteString("\n  " + e.Message + "\n")
	}
	return b.String()
}

func formatWarnings(ws []string) string {
	if len(ws) == 0 {
		return ""
	}
	return strings.Join(ws, "\n") + "\n"
}

// checkGolden compares got with the golden file (absent means empty), or
// rewrites it under -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if got == "" {
			_ = os.Remove(path)
			return
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run go test ./composition -update to accept):\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// TestGolden composes every case in testdata. Cases named bad_* must fail
// with the errors in errors.txt; the others must produce supergraph.graphql.
func TestGolden(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "fuzz" {
			continue
		}
		dir := filepath.Join("testdata", d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			res, err := Compose(loadCase(t, dir))
			wantFailure := strings.HasPrefix(d.Name(), "bad_")
			if wantFailure {
				var errs Errors
				if !errors.As(err, &errs) {
					t.Fatalf("want composition errors, got %v", err)
				}
				checkGolden(t, filepath.Join(dir, "errors.txt"), formatErrors(errs))
				return
			}
			if err != nil {
				t.Fatalf("compose: %v", err)
			}
			checkGolden(t, filepath.Join(dir, "supergraph.graphql"), res.SDL)
			checkGolden(t, filepath.Join(dir, "warnings.txt"), formatWarnings(res.Warnings))
			assertValidSupergraph(t, res.SDL)
		})
	}
}

// assertValidSupergraph parses the supergraph with the engine's parser and
// validates it as a schema with gqlparser.
func assertValidSupergraph(t *testing.T, sdl string) {
	t.Helper()
	if _, report := astparser.ParseGraphqlDocumentString(sdl); report.HasErrors() {
		t.Fatalf("graphql-go-tools cannot parse the supergraph: %s", report.Error())
	}
	if _, err := gqlparser.LoadSchema(&ast.Source{Name: "supergraph", Input: sdl}); err != nil {
		t.Fatalf("gqlparser rejects the supergraph: %v", err)
	}
}

// TestGoldenOrderIndependent: the input order of subgraphs must not change
// the output.
func TestGoldenOrderIndependent(t *testing.T) {
	subgraphs := loadCase(t, filepath.Join("testdata", "classic"))
	first, err := Compose(subgraphs)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(subgraphs, func(i, j int) bool { return subgraphs[i].Name > subgraphs[j].Name })
	second, err := Compose(subgraphs)
	if err != nil {
		t.Fatal(err)
	}
	if first.SDL != second.SDL {
		t.Errorf("output depends on subgraph order:\n%s\n---\n%s", first.SDL, second.SDL)
	}
}
