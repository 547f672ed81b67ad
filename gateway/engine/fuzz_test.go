package engine

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
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

// cannedSource answers every call with the same bytes, whatever they are.
type cannedSource struct{ value []byte }

func (s cannedSource) ResolveField(context.Context, tributary.FieldCall) (json.RawMessage, error) {
	return s.value, nil
}

func (s cannedSource) ResolveEntities(_ context.Context, b tributary.EntityBatch) ([]tributary.Result, error) {
	out := make([]tributary.Result, len(b.Representations))
	for i := range out {
		out[i].Data = s.value
	}
	return out, nil
}

func (s cannedSource) ResolveFieldBatch(_ context.Context, b tributary.FieldBatch) ([]tributary.Result, error) {
	out := make([]tributary.Result, len(b.Parents))
	for i := range out {
		out[i].Data = s.value
	}
	return out, nil
}

// FuzzSourceValues has a Source answer root fields, batch fields and
// entities with arbitrary bytes: the engine must answer with valid JSON
// (data and errors), never panic or hang.
func FuzzSourceValues(f *testing.F) {
	for _, seed := range []string{`{"id":"1","name":"n","posts":[{"id":"p"}]}`, `[{"id":"1"}]`, `null`, `{"__typename":"User","id":1.5}`,
		`{"id":"1","friends":[{"id":"2","friends":null}]}`, "\xff", `{"posts":{"a":1}}`, `[[[[]]]]`} {
		f.Add([]byte(seed))
	}
	res, err := composition.Compose([]composition.Subgraph{{Name: "library", SDL: librarySDL}, {Name: "reviews", SDL: reviewsSDL}})
	if err != nil {
		f.Fatal(err)
	}
	queries := []string{
		`{ users { id name posts(first: 2) { id comments(first: 1) { id } } friends { id } } }`,
		`{ user(id: "1") { a: posts(first: 1) { id title } b: posts(first: 3) { likes } } }`,
		`{ reviews { body author { name posts(first: 1) { title } } } }`,
	}
	f.Fuzz(func(t *testing.T, value []byte) {
		if len(value) > 16<<10 {
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		src := cannedSource{value: value}
		e, err := New(ctx, Options{Supergraph: res.SDL, Subgraphs: map[string]*tributary.Subgraph{
			"library": {Name: "library", Source: src, BatchFields: []string{"User.friends"}},
			"reviews": {Name: "reviews", Source: src},
		}})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range queries {
			resp := e.Execute(ctx, &tributary.Request{Query: q})
			if !json.Valid(resp.Body) {
				t.Fatalf("query %s: invalid JSON response %q", q, resp.Body)
			}
		}
	})
}
