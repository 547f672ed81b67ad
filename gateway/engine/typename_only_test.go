package engine

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
)

// petSource answers every root field with the same JSON and counts
// its calls.
type petSource struct {
	noFieldBatches
	answer string
	calls  atomic.Int64
}

func (s *petSource) ResolveField(context.Context, tributary.FieldCall) (json.RawMessage, error) {
	s.calls.Add(1)
	return json.RawMessage(s.answer), nil
}

func (s *petSource) ResolveEntities(context.Context, tributary.EntityBatch) ([]tributary.Result, error) {
	return nil, nil
}

// A root field selected only for __typename is still fetched: a mutation
// asked only for its result's type must run, and a union's members be told.
func TestTypenameOnlySelectionsAreFetched(t *testing.T) {
	const sdl = `type Query { thing: Thing  things: [Thing] }
type Mutation { make: Thing }
union Thing = Cat | Dog
type Cat { name: String }
type Dog { name: String }
`
	res, err := composition.Compose([]composition.Subgraph{{Name: "pets", SDL: sdl}})
	if err != nil {
		t.Fatal(err)
	}
	src := &petSource{answer: `{"__typename":"Dog","name":"rex"}`}
	e, err := New(context.Background(), Options{Supergraph: res.SDL,
		Subgraphs: map[string]*tributary.Subgraph{"pets": {Name: "pets", Source: src}}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ query, want string }{
		{`{ thing { __typename } }`, `{"data":{"thing":{"__typename":"Dog"}}}`},
		{`mutation { make { __typename } }`, `{"data":{"make":{"__typename":"Dog"}}}`},
		{`{ thing { ... on Dog { name } } }`, `{"data":{"thing":{"name":"rex"}}}`},
	}
	for _, c := range cases {
		before := src.calls.Load()
		if body := run(t, e, c.query, ""); body != c.want {
			t.Errorf("%s: got %s, want %s", c.query, body, c.want)
		}
		if n := src.calls.Load() - before; n != 1 {
			t.Errorf("%s: %d calls to the source, want 1", c.query, n)
		}
	}
}
