package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
	"github.com/tributary-gw/tributary/gateway/limits"
)

const costSDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
type Query {
  users(first: Int = 10): [User!]! @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)
  tags: [String!]!
}
type User @key(fields: "id") { id: ID!  name: String! @cost(weight: 3)  friends: [User!]! }
`

// countingSource answers users with `first` items and counts its calls.
type countingSource struct {
	noFieldBatches
	calls int
}

func (s *countingSource) ResolveField(_ context.Context, c tributary.FieldCall) (json.RawMessage, error) {
	s.calls++
	if c.FieldName == "tags" {
		return json.RawMessage(`["a"]`), nil
	}
	var args struct{ First int }
	_ = json.Unmarshal(c.Arguments, &args)
	var users []string
	for i := range args.First {
		users = append(users, fmt.Sprintf(`{"id":"%d","name":"u","friends":[]}`, i))
	}
	return json.RawMessage("[" + strings.Join(users, ",") + "]"), nil
}

func (s *countingSource) ResolveEntities(context.Context, tributary.EntityBatch) ([]tributary.Result, error) {
	return nil, fmt.Errorf("no entities")
}

func TestCostLimit(t *testing.T) {
	res, err := composition.Compose([]composition.Subgraph{{Name: "people", SDL: costSDL}})
	if err != nil {
		t.Fatal(err)
	}
	src := &countingSource{}
	e, err := New(context.Background(), Options{Supergraph: res.SDL,
		Subgraphs: map[string]*tributary.Subgraph{"people": {Name: "people", Source: src}},
		Limits:    limits.Limits{MaxCost: 100, DefaultListSize: 10}})
	if err != nil {
		t.Fatal(err)
	}
	query := `query Q($n: Int) { users(first: $n) { name } }`
	tests := []struct {
		name, query, variables string
		refused                bool
	}{
		// 5 users × (object 1 + name 3) = 20.
		{"a small page", query, `{"n": 5}`, false},
		// 50 × 4 = 200: the same plan, refused for its variables.
		{"a large page", query, `{"n": 50}`, true},
		// No @listSize on friends: 10 users × (1 + 3 + 10 friends × 1).
		{"default list size", `{ users { name friends { id } } }`, ``, true},
		{"leaves cost nothing", `{ tags }`, ``, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := src.calls
			resp := e.Execute(context.Background(), &tributary.Request{Query: tt.query, Variables: json.RawMessage(tt.variables)})
			refused := strings.Contains(string(resp.Body), `"code":"COST_LIMIT_EXCEEDED"`)
			if refused != tt.refused || refused && (resp.Outcome != tributary.RequestInvalid || src.calls != before) {
				t.Fatalf("refused %v (want %v), outcome %v, calls %d → %d: %s", refused, tt.refused, resp.Outcome, before, src.calls, resp.Body)
			}
		})
	}
	resp := e.Execute(context.Background(), &tributary.Request{Query: query, Variables: json.RawMessage(`{"n": 50}`)})
	if !strings.Contains(string(resp.Body), `the operation's estimated cost is 200, over the limit of 100`) {
		t.Errorf("message: %s", resp.Body)
	}
}
