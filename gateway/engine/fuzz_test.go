package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSupergraph feeds arbitrary SDL to the supergraph reader and engine
// construction: a bad supergraph must be an error, never a panic or a hang.
func FuzzSupergraph(f *testing.F) {
	paths, _ := filepath.Glob("../../composition/testdata/*/supergraph.graphql")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("enum join__Graph { A @join__graph(name: \"a\", url: \"\") }\ntype Query @join__type(graph: A) { a(x: [Int!] = [1]): Int }")
	f.Fuzz(func(t *testing.T, sdl string) {
		if len(sdl) > 64<<10 {
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel() // stops the resolver's goroutines
		_, _ = New(ctx, Options{Supergraph: sdl, Introspection: true})
	})
}
