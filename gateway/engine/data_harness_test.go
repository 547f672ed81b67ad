package engine

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
)

// upstreamRequest is what a canned remote subgraph receives.
type upstreamRequest struct {
	Query     string          `json:"query"`
	Variables json.RawMessage `json:"variables"`
}

// cannedSubgraph is a remote GraphQL subgraph on loopback that answers
// with whatever answer returns for the request it got.
type cannedSubgraph struct {
	name, sdl string
	answer    func(r upstreamRequest) string
	// down closes the server before the engine is built, so every call
	// fails to connect.
	down bool
	// serve, when set, answers instead of answer: any status, any body.
	serve http.HandlerFunc
	// timeout is the subgraph's timeout (graphql.timeout); 0 is the
	// default.
	timeout time.Duration
}

// newCannedEngine composes the subgraphs, serves each on loopback and
// builds an engine that reaches them over HTTP.
func newCannedEngine(t *testing.T, o Options, subgraphs ...cannedSubgraph) *Engine {
	t.Helper()
	var cs []composition.Subgraph
	o.Subgraphs = map[string]*tributary.Subgraph{}
	for _, s := range subgraphs {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if s.serve != nil {
				s.serve(w, r)
				return
			}
			body, _ := io.ReadAll(r.Body)
			var req upstreamRequest
			if err := json.Unmarshal(body, &req); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, s.answer(req))
		}))
		t.Cleanup(srv.Close)
		if s.down {
			srv.Close()
		}
		cs = append(cs, composition.Subgraph{Name: s.name, URL: srv.URL, SDL: s.sdl})
		o.Subgraphs[s.name] = &tributary.Subgraph{Name: s.name, SDL: s.sdl, Remote: &tributary.RemoteGraphQL{URL: srv.URL, Timeout: s.timeout}}
	}
	res, err := composition.Compose(cs)
	if err != nil {
		t.Fatal(err)
	}
	o.Supergraph = res.SDL
	e, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// run executes query and returns the raw body.
func run(t *testing.T, e *Engine, query, variables string) string {
	t.Helper()
	req := &tributary.Request{Query: query}
	if variables != "" {
		req.Variables = json.RawMessage(variables)
	}
	resp := e.Execute(context.Background(), req)
	return string(resp.Body)
}

// isQuery reports whether an upstream request asks for field.
func isQuery(r upstreamRequest, field string) bool { return strings.Contains(r.Query, field) }
