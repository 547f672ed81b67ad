package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/examples/federation"
	"github.com/tributary-gw/tributary/gateway"
	"github.com/tributary-gw/tributary/gateway/httpserver"
	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
)

// stack is the four example subgraphs on loopback and a gateway in front of
// them, reached over HTTP exactly as a client would.
type stack struct {
	t        testing.TB
	services map[string]*federation.Service
	urls     map[string]string
	gateway  *gateway.Gateway
	endpoint string
}

// startSubgraphs serves the example subgraphs on free loopback ports.
func startSubgraphs(t testing.TB) (map[string]*federation.Service, map[string]string) {
	t.Helper()
	services, urls := map[string]*federation.Service{}, map[string]string{}
	for _, s := range federation.All() {
		url, stop, err := federation.Start(s)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		services[s.Name], urls[s.Name] = s, url
	}
	return services, urls
}

// subgraphsYAML lists the example subgraphs as graphql kinds.
func subgraphsYAML(urls map[string]string) string {
	var b strings.Builder
	b.WriteString("subgraphs:\n")
	for _, name := range []string{"accounts", "products", "inventory", "reviews"} {
		fmt.Fprintf(&b, "  - name: %s\n    graphql:\n      url: %s\n", name, urls[name])
	}
	return b.String()
}

// startGateway writes yaml to a temp gateway.yaml, builds the gateway and
// serves it over HTTP.
func startGateway(t testing.TB, yaml string, files map[string]string) (*gateway.Gateway, string) {
	t.Helper()
	return startGatewayLogging(t, yaml, files, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// startGatewayLogging is startGateway with the gateway's logger.
func startGatewayLogging(t testing.TB, yaml string, files map[string]string, logger *slog.Logger) (*gateway.Gateway, string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "gateway.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	gw, err := gateway.Build(ctx, cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpserver.NewHandler(httpserver.Options{Executor: gw, GraphiQL: true}))
	t.Cleanup(srv.Close)
	return gw, srv.URL + "/graphql"
}

func newStack(t testing.TB) *stack {
	t.Helper()
	services, urls := startSubgraphs(t)
	gw, endpoint := startGateway(t, subgraphsYAML(urls), nil)
	s := &stack{t: t, services: services, urls: urls, gateway: gw, endpoint: endpoint}
	s.resetCounts()
	return s
}

func (s *stack) resetCounts() {
	for _, svc := range s.services {
		svc.Reset()
	}
}

// calls returns the upstream requests each subgraph received since the last
// reset.
func (s *stack) calls() map[string]int64 {
	out := map[string]int64{}
	for name, svc := range s.services {
		out[name] = svc.Calls()
	}
	return out
}

// response is a decoded GraphQL response plus its HTTP status.
type response struct {
	Status int
	Data   json.RawMessage  `json:"data"`
	Errors []map[string]any `json:"errors"`
	raw    []byte
}

func post(t testing.TB, endpoint, query string, variables map[string]any) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": variables})
	req, _ := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	return do(t, req)
}

func do(t testing.TB, req *http.Request) response {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("status %d, body is not JSON: %s", res.StatusCode, raw)
	}
	r.Status, r.raw = res.StatusCode, raw
	return r
}

func assertCalls(t testing.TB, got map[string]int64, want map[string]int64) {
	t.Helper()
	for name, n := range want {
		if got[name] != n {
			t.Fatalf("upstream calls: got %v, want %v", got, want)
		}
	}
}
