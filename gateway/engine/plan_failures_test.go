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

// A root field that cannot be planned is null with an error at its path
// saying why; the other root fields still answer, and the failure is
// logged with the operation's hash.
func TestUnplannableRootFieldIsAnErrorAtItsPath(t *testing.T) {
	var logs bytes.Buffer
	e := unplannableEngine(t, &logs)
	for i := 0; i < 2; i++ { // the second time from the plan cache
		body := run(t, e, `{ hello topProducts { books } }`, "")
		var got struct {
			Data   json.RawMessage
			Errors []struct {
				Message    string
				Path       []any
				Extensions map[string]any
			}
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		if string(got.Data) != `{"hello":"hi","topProducts":null}` {
			t.Fatalf("data %s (body %s)", got.Data, body)
		}
		if len(got.Errors) != 1 || got.Errors[0].Extensions["code"] != codePlanFailed ||
			len(got.Errors[0].Path) != 1 || got.Errors[0].Path[0] != "topProducts" ||
			!strings.Contains(got.Errors[0].Message, `"topProducts" could not be planned`) ||
			!strings.Contains(got.Errors[0].Message, "books") {
			t.Fatalf("errors: %s", body)
		}
	}
	if n := strings.Count(logs.String(), "operation could not be planned"); n != 1 || !strings.Contains(logs.String(), "operationHash=") || !strings.Contains(logs.String(), "field=topProducts") {
		t.Fatalf("want one log record with the hash and field, got:\n%s", logs.String())
	}
}

// A non-null root field that cannot be planned nulls data; an operation
// with nothing that plans is still a GraphQL response, never a bare error.
func TestUnplannableNonNullAndOnlyFields(t *testing.T) {
	var logs bytes.Buffer
	e := unplannableEngine(t, &logs)
	resp := runResponse(t, e, `{ hello top { books } }`)
	if body := string(resp.Body); !strings.HasSuffix(body, `"data":null}`) || !strings.Contains(body, codePlanFailed) || !json.Valid(resp.Body) {
		t.Fatalf("non-null: %s", body)
	}
	resp = runResponse(t, e, `{ topProducts { books } }`)
	body := string(resp.Body)
	if resp.Outcome != tributary.Executed ||
		!strings.HasPrefix(body, `{"errors":[{"message":"field \"topProducts\" could not be planned: `) ||
		!strings.HasSuffix(body, `"path":["topProducts"],"extensions":{"code":"QUERY_PLAN_FAILED"}}],"data":{"topProducts":null}}`) {
		t.Fatalf("only field: %s", body)
	}
}

func runResponse(t *testing.T, e *Engine, query string) *tributary.Response {
	t.Helper()
	return e.Execute(context.Background(), &tributary.Request{Query: query})
}
