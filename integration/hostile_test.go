package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// The hostile-input suite: what an attacker, a broken upstream or a
// mistaken config can send the gateway must end in a clear error, never a
// hang, a panic or memory without bound. Other hostile cases live next to
// the code they exercise; this file holds the ones that need a whole
// gateway.

// Files the config names are read only when they are regular files of a
// bounded size: /dev/zero, /dev/urandom or a FIFO as data, SDL or
// supergraph is an error naming the key, at once.
func TestHostileConfigFiles(t *testing.T) {
	dir := t.TempDir()
	sdl := filepath.Join(dir, "prices.graphql")
	if err := os.WriteFile(sdl, []byte(`type Query { price: Int }`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"static data from /dev/zero", "subgraphs:\n  - name: prices\n    static:\n      sdl: " + sdl + "\n      data: /dev/zero\n",
			`gateway.yaml:5: subgraph "prices" (static): data: cannot read /dev/zero`},
		{"static SDL from /dev/urandom", "subgraphs:\n  - name: prices\n    static:\n      sdl: /dev/urandom\n      data: " + sdl + "\n",
			`gateway.yaml:4: subgraph "prices" (static): sdl: cannot read /dev/urandom`},
		{"graphql sdlFile from /dev/zero", "subgraphs:\n  - name: accounts\n    graphql:\n      url: http://127.0.0.1:1/graphql\n      sdlFile: /dev/zero\n",
			`gateway.yaml:5: subgraph "accounts" (graphql): sdlFile: cannot read /dev/zero`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "gateway.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = gateway.Build(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "not a regular file") {
				t.Fatalf("error %v\nwant %q … not a regular file", err, tt.want)
			}
		})
	}
	t.Run("supergraph from /dev/zero", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "gateway.yaml")
		if err := os.WriteFile(path, []byte("supergraph: /dev/zero\nsubgraphs: []\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := config.Load(path)
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("error %v", err)
		}
	})
}

// liarSDL is the schema the lying subgraph claims.
const liarSDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { count: Int  name: String }
`

// A subgraph that lies — garbage, wrong types, an endless body, a reset
// connection, a redirect to another host — costs the client an error,
// never a hang, invalid JSON, memory without bound or a credential sent
// elsewhere. A string that is not UTF-8 is an error at its path.
func TestHostileUpstreams(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":{"count":42,"name":"from elsewhere"}}`)
	}))
	t.Cleanup(other.Close)
	behaviours := map[string]http.HandlerFunc{
		"garbage": func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "\x00\x01 not json {{{") },
		"wrong types": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"data":{"count":1.5,"name":"x"}}`)
		},
		"too large an Int": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"data":{"count":1099511627776,"name":"x"}}`)
		},
		"invalid UTF-8": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, "{\"data\":{\"count\":1,\"name\":\"\xff\xfe\"}}")
		},
		"endless body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"data":{"name":"`)
			chunk := []byte(strings.Repeat("a", 64<<10))
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		},
		"reset": func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				if tcp, ok := conn.(*net.TCPConn); ok {
					_ = tcp.SetLinger(0)
				}
				conn.Close()
			}
		},
		"redirect elsewhere": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/graphql", http.StatusTemporaryRedirect)
		},
	}
	for name, behave := range behaviours {
		t.Run(name, func(t *testing.T) {
			liar := httptest.NewServer(behave)
			t.Cleanup(liar.Close)
			_, endpoint := startGateway(t, `subgraphs:
  - name: liar
    graphql:
      url: `+liar.URL+`/graphql
      sdlFile: liar.graphql
      headers: {Authorization: "Bearer do-not-leak"}
`, map[string]string{"liar.graphql": liarSDL})
			before := elsewhere.Load()
			r := post(t, endpoint, `{ count name }`, nil)
			if !json.Valid(r.raw) {
				t.Fatalf("invalid JSON: %q", r.raw)
			}
			if !utf8.Valid(r.raw) {
				t.Fatalf("the response is not UTF-8: %q", r.raw)
			}
			if name == "invalid UTF-8" && (len(r.Errors) != 1 || !strings.Contains(string(r.raw), `"path":["name"]`) || !strings.Contains(string(r.raw), `"count":1`)) {
				t.Fatalf("want count kept and an error at name: %q", r.raw)
			} else if len(r.Errors) == 0 {
				t.Fatalf("no error for a lying subgraph: %s", r.raw)
			}
			if strings.Contains(string(r.raw), "from elsewhere") || elsewhere.Load() != before {
				t.Fatalf("the redirect was followed to another host: %s", r.raw)
			}
		})
	}
}

// thingsSpec describes a REST service whose answers do not fit it.
const thingsSpec = `openapi: 3.0.3
info: {title: things, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  properties:
                    id: {type: integer}
                    name: {type: string}
                    count: {type: integer}
`

// A REST service that answers values its spec does not allow — a string
// that is not UTF-8, a fraction for an integer — costs the client those
// fields, each null with an error at its path, and nothing else.
func TestRESTValuesThatDoNotFitTheSpec(t *testing.T) {
	rest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "[{\"id\":1,\"name\":\"ok\",\"count\":1.5},{\"id\":2,\"name\":\"b\xffd\",\"count\":2}]")
	}))
	t.Cleanup(rest.Close)
	_, endpoint := startGateway(t, `subgraphs:
  - name: things
    openapi:
      spec: things.yaml
      baseURL: `+rest.URL+`
`, map[string]string{"things.yaml": thingsSpec})
	r := post(t, endpoint, `{ listThings { id name count } }`, nil)
	if !utf8.Valid(r.raw) || !json.Valid(r.raw) {
		t.Fatalf("not UTF-8 JSON: %q", r.raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"listThings":[{"id":1,"name":"ok","count":null},{"id":2,"name":null,"count":2}]}`)
	var paths []string
	for _, e := range r.Errors {
		p, _ := json.Marshal(e["path"])
		paths = append(paths, string(p))
	}
	if got := strings.Join(paths, " "); got != `["listThings",0,"count"] ["listThings",1,"name"]` {
		t.Fatalf("error paths %s: %s", got, r.raw)
	}
}

// Malformed and abusive HTTP requests get a 4xx with a GraphQL error body
// (or a plain refusal for what is not GraphQL at all), never a 5xx, a panic
// or a hang, and the gateway keeps serving.
func TestHostileRequests(t *testing.T) {
	s := newStack(t)
	bomb := `{ topProducts { ...F0 } }`
	for i := range 20 {
		bomb += fmt.Sprintf(" fragment F%d on Product { ...F%d ...F%d }", i, i+1, i+1)
	}
	bomb += " fragment F20 on Product { name upc }"
	deepVariables := strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000)
	tests := []struct {
		name        string
		method      string
		contentType string
		body        string
		query       string // for GET
		status      int
	}{
		{"not JSON", http.MethodPost, "application/json", `{"query": "{ __typename }"`, "", http.StatusBadRequest},
		{"a JSON array", http.MethodPost, "application/json", `[1,2,3]`, "", http.StatusBadRequest},
		{"no query", http.MethodPost, "application/json", `{"variables": {}}`, "", http.StatusBadRequest},
		{"a query that does not parse", http.MethodPost, "application/json", `{"query": "{ topProducts { "}`, "", http.StatusBadRequest},
		{"NUL bytes and invalid UTF-8", http.MethodPost, "application/json", "{\"query\": \"{ \u0000 \xff }\"}", "", http.StatusBadRequest},
		{"variables nested 10,000 deep", http.MethodPost, "application/json", `{"query": "{ __typename }", "variables": ` + deepVariables + `}`, "", http.StatusBadRequest},
		{"a body over maxBodyBytes", http.MethodPost, "application/json", `{"query": "` + strings.Repeat(" ", 2<<20) + `{ __typename }"}`, "", http.StatusRequestEntityTooLarge},
		{"an unsupported media type", http.MethodPost, "text/xml", `<query/>`, "", http.StatusUnsupportedMediaType},
		{"the fragment bomb", http.MethodPost, "application/json", mustJSON(t, map[string]any{"query": bomb}), "", http.StatusBadRequest},
		// This schema has no mutations; over one that has, the answer is
		// 405 and the mutation does not run (gateway/httpserver
		// TestGETRefusesASelectedMutation).
		{"a mutation over GET, selected by name", http.MethodGet, "", "", "query Q { __typename } mutation M { __typename }", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := s.endpoint
			if tt.query != "" {
				target += "?query=" + url.QueryEscape(tt.query) + "&operationName=M"
			}
			req, err := http.NewRequest(tt.method, target, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			req.Header.Set("Accept", "application/graphql-response+json")
			r := do(t, req)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.raw)
			}
		})
	}
	s.resetCounts()
	if r := post(t, s.endpoint, `{ topProducts(first: 1) { upc } }`, nil); r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("the gateway stopped serving: %d %s", r.Status, r.raw)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
