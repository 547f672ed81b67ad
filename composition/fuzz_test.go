package composition

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/astparser"
)

// FuzzCompose feeds arbitrary SDL as one subgraph beside a fixed one. It must
// never panic or hang, and any supergraph it produces must parse.
func FuzzCompose(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.graphql"))
	for _, file := range files {
		if sdl, err := os.ReadFile(file); err == nil {
			f.Add(sdl)
		}
	}
	fixed := Subgraph{Name: "fixed", URL: "http://fixed", SDL: fed2 + `type Query { fixed: T @shareable } type T @key(fields: "id") { id: ID! name: String @shareable }`}
	f.Fuzz(func(t *testing.T, sdl []byte) {
		res, err := Compose([]Subgraph{fixed, {Name: "fuzz", URL: "http://fuzz", SDL: string(sdl)}})
		if err != nil {
			if _, ok := err.(Errors); !ok {
				t.Fatalf("error is %T, want Errors", err)
			}
			return
		}
		if _, report := astparser.ParseGraphqlDocumentString(res.SDL); report.HasErrors() {
			t.Fatalf("supergraph does not parse: %s\n%s", report.Error(), res.SDL)
		}
	})
}
