package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
)

// Two subgraphs that share Product as a value type but no key: a field
// only one of them has cannot be reached from the other's root field.
const (
	shelfSDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])
type Query { hello: String  topProducts: [Product]  top: Product! }
type Product @shareable { upc: String! }
`
	booksSDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])
type Query { shelf: [Product] }
type Product @shareable { upc: String!  books: [String] }
`
)

func unplannableEngine(t *testing.T, logs *bytes.Buffer) *Engine {
	t.Helper()
	return newCannedEngine(t, Options{Logger: slog.New(slog.NewTextHandler(logs, nil))},
		cannedSubgraph{name: "shelf", sdl: shelfSDL, answer: func(r upstreamRequest) string {
			return `{"data":{"hello":"hi","topProducts":[{"upc":"1"}]}}`
		}},
		cannedSubgraph{name: "books", sdl: booksSDL, answer: func(r upstreamRequest) string {
			return `{"data":{"shelf":[{"upc":"1","books":["b"]}]}}`
		}},
	)
}

// An operation with a root field that cannot be planned is answered with
// data null (as Apollo Router and Hive Router do) and an error at that
// field's path saying why; the failure is logged once, with the
// operation's hash.
func TestUnplannableOperationIsAGraphQLAnswer(t *testing.T) {
	var logs bytes.Buffer
	e := unplannableEngine(t, &logs)
	for i := 0; i < 2; i++ { // the second time from the plan cache
		resp := runResponse(t, e, `{ hello topProducts { books } }`)
		var got struct {
			Data   json.RawMessage
			Errors []struct {
				Message    string
				Path       []any
				Extensions map[string]any
			}
		}
		if err := json.Unmarshal(resp.Body, &got); err != nil {
			t.Fatalf("%v: %s", err, resp.Body)
		}
		if resp.Outcome != tributary.Executed || string(got.Data) != `null` {
			t.Fatalf("outcome %v, body %s", resp.Outcome, resp.Body)
		}
		if len(got.Errors) != 1 || got.Errors[0].Extensions["code"] != codePlanFailed ||
			len(got.Errors[0].Path) != 1 || got.Errors[0].Path[0] != "topProducts" ||
			!strings.Contains(got.Errors[0].Message, `"topProducts" could not be planned: no subgraph can resolve topProducts.books`) {
			t.Fatalf("errors: %s", resp.Body)
		}
	}
	if n := strings.Count(logs.String(), "operation could not be planned"); n != 1 || !strings.Contains(logs.String(), "operationHash=") || !strings.Contains(logs.String(), "field=topProducts") {
		t.Fatalf("want one log record with the hash and field, got:\n%s", logs.String())
	}
	// The fields that plan still do, alone.
	if body := run(t, e, `{ hello topProducts { upc } }`, ""); body != `{"data":{"hello":"hi","topProducts":[{"upc":"1"}]}}` {
		t.Fatalf("plannable: %s", body)
	}
}

// The planner rewrites the document it plans; the prepared operation keeps
// the normalized one, against which each request's variables are checked
// (a @requires adding a fragment on an @inaccessible type made every
// request fail with "Unknown type").
func TestVariablesAreCheckedAgainstTheClientOperation(t *testing.T) {
	e := newCannedEngine(t, Options{},
		cannedSubgraph{name: "a", sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])
type Query @shareable { a(id: ID): Entity }
type Entity @key(fields: "id") { id: ID!  data: Foo }
interface Foo { foo: String! }
type Baz implements Foo @shareable { foo: String!  baz: String! }
type Qux implements Foo @shareable { foo: String!  qux: String! }
`, answer: func(r upstreamRequest) string {
			return `{"data":{"a":{"__typename":"Entity","id":"e1","data":{"__typename":"Qux","foo":"q","qux":"x"}}}}`
		}},
		cannedSubgraph{name: "b", sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable", "@inaccessible", "@external", "@requires"])
type Entity @key(fields: "id") { id: ID!  data: Foo @external  requirer: String! @requires(fields: "data { foo ... on Baz { baz } ... on Qux { qux } }") }
interface Foo { foo: String! }
type Baz implements Foo @shareable @inaccessible { foo: String!  baz: String! }
type Qux implements Foo @shareable { foo: String!  qux: String! }
`, answer: func(r upstreamRequest) string {
			return `{"data":{"_entities":[{"__typename":"Entity","requirer":"q_requirer"}]}}`
		}},
	)
	for i := 0; i < 2; i++ {
		if body := run(t, e, `query($id: ID) { a(id: $id) { requirer } }`, `{"id":"e1"}`); body != `{"data":{"a":{"requirer":"q_requirer"}}}` {
			t.Fatalf("got %s", body)
		}
	}
}

func runResponse(t *testing.T, e *Engine, query string) *tributary.Response {
	t.Helper()
	return e.Execute(context.Background(), &tributary.Request{Query: query})
}
