package openapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
	"github.com/tributary-gw/tributary/gateway/engine"
)

// The caller's claims reach the service on every kind of call the kind
// makes: root fields, link requests and entity fetches.
func TestClaimsToHeaders(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]string{} // path → "X-User-Id/X-Tenant"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path] = r.Header.Get("X-User-Id") + "/" + r.Header.Get("X-Tenant")
		mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/orders"):
			writeJSON(w, 200, `[{"order_no":1}]`)
		default:
			writeJSON(w, 200, `{"id":"1","full_name":"user 1"}`)
		}
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "users.yaml"), []byte(linkSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Spec: "users.yaml", BaseURL: srv.URL, Retry: &RetryConfig{Attempts: 1},
		Entities:        []EntityConfig{{Type: "User", Key: "id", Operation: "getUser"}},
		ClaimsToHeaders: map[string]string{"x-user-id": "sub", "X-Tenant": "org.tenant"}}
	sg, err := cfg.Build(context.Background(), "users", tributary.BuildContext{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	res, err := composition.Compose([]composition.Subgraph{{Name: "users", SDL: sg.SDL}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(context.Background(), engine.Options{Supergraph: res.SDL, Subgraphs: map[string]*tributary.Subgraph{"users": sg}})
	if err != nil {
		t.Fatal(err)
	}
	caller := &tributary.Identity{Subject: "alice", Claims: map[string]any{"org": map[string]any{"tenant": "t1"}}}
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ getUser(id: "1") { orders(limit: 1) { order_no } } }`, Caller: caller})
	if want := `{"data":{"getUser":{"orders":[{"order_no":1}]}}}`; string(resp.Body) != want {
		t.Fatalf("body %s, want %s", resp.Body, want)
	}
	// An entity fetch, through the Source seam.
	if _, err := sg.Source.ResolveEntities(context.Background(), tributary.EntityBatch{
		Representations: []json.RawMessage{json.RawMessage(`{"__typename":"User","id":"2"}`)}, Caller: caller,
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"/users/1": "alice/t1", "/users/1/orders": "alice/t1", "/users/2": "alice/t1"}
	mu.Lock()
	defer mu.Unlock()
	for path, headers := range want {
		if seen[path] != headers {
			t.Errorf("%s carried %q, want %q (all: %v)", path, seen[path], headers, seen)
		}
	}
	// An anonymous request sends no claim headers.
	delete(seen, "/users/1")
	mu.Unlock()
	e.Execute(context.Background(), &tributary.Request{Query: `{ getUser(id: "1") { full_name } }`})
	mu.Lock()
	if seen["/users/1"] != "/" {
		t.Errorf("an anonymous request carried %q", seen["/users/1"])
	}
}
