package httpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	tributary "github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
	"github.com/tributary-gw/tributary/gateway/engine"
)

// counterSDL is one in-process subgraph with a query and a mutation.
const counterSDL = `type Query { count: Int! }
type Mutation { increment: Int! }
`

// counterSource counts increments: a mutation that must never run over GET.
type counterSource struct{ count atomic.Int64 }

func (s *counterSource) ResolveField(_ context.Context, c tributary.FieldCall) (json.RawMessage, error) {
	switch c.FieldName {
	case "count":
		return json.RawMessage(fmt.Sprint(s.count.Load())), nil
	case "increment":
		return json.RawMessage(fmt.Sprint(s.count.Add(1))), nil
	}
	return nil, fmt.Errorf("unknown field %s", c.FieldName)
}

func (s *counterSource) ResolveEntities(context.Context, tributary.EntityBatch) ([]tributary.Result, error) {
	return nil, fmt.Errorf("the counter has no entities")
}

func (s *counterSource) ResolveFieldBatch(context.Context, tributary.FieldBatch) ([]tributary.Result, error) {
	return nil, fmt.Errorf("the counter has no fields below the root")
}

// TestGETRefusesASelectedMutation sends, over HTTP, a document whose first
// operation is a query and selects its mutation: the gateway answers 405
// and the mutation does not run. Selecting the query answers it.
func TestGETRefusesASelectedMutation(t *testing.T) {
	src := &counterSource{}
	composed, err := composition.Compose([]composition.Subgraph{{Name: "counter", SDL: counterSDL}})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(t.Context(), engine.Options{
		Supergraph: composed.SDL,
		Subgraphs:  map[string]*tributary.Subgraph{"counter": {Name: "counter", Source: src}},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(Options{Executor: eng}))
	t.Cleanup(srv.Close)

	get := func(operationName string) (int, string) {
		t.Helper()
		q := url.Values{"query": {"query Q { count } mutation M { increment }"}, "operationName": {operationName}}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/graphql?"+q.Encode(), nil)
		req.Header.Set("Accept", "application/graphql-response+json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}

	status, body := get("M")
	if status != http.StatusMethodNotAllowed {
		t.Fatalf("GET selecting the mutation: status %d, body %s", status, body)
	}
	if n := src.count.Load(); n != 0 {
		t.Fatalf("the mutation ran %d times over GET", n)
	}
	status, body = get("Q")
	if status != http.StatusOK || body != `{"data":{"count":0}}` {
		t.Fatalf("GET selecting the query: status %d, body %s", status, body)
	}
}
