package integration

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/examples/federation"
	"github.com/tributary-gw/tributary/examples/shipping"
	"github.com/tributary-gw/tributary/gateway"
	"github.com/tributary-gw/tributary/gateway/httpserver"
)

// countingListener accepts connections on loopback, counts them and hangs
// up: an upstream that proves whether anyone called.
func countingListener(t *testing.T) (addr string, accepted *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted = &atomic.Int64{}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			conn.Close()
		}
	}()
	return ln.Addr().String(), accepted
}

// A gateway started from an artifact reads only the artifact: with the
// subgraph and the spec server gone and every upstream pointed at a
// listener that counts connections, it builds and answers, and nothing
// connected until a query needed an upstream.
func TestStartFromArtifactWithoutTheNetwork(t *testing.T) {
	var products *federation.Service
	for _, s := range federation.All() {
		if s.Name == "products" {
			products = s
		}
	}
	productsURL, stopProducts, err := federation.Start(products)
	if err != nil {
		t.Fatal(err)
	}
	defer stopProducts()
	specServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(shipping.Spec)
	}))
	defer specServer.Close()
	specURL := specServer.URL + "/specs/shipping.yaml"

	dir := t.TempDir()
	path := filepath.Join(dir, "gateway.yaml")
	yaml := `subgraphs:
  - name: products
    graphql:
      url: ${PRODUCTS_URL}
  - name: shipping
    openapi:
      spec: ` + specURL + `
      baseURL: ${SHIPPING_URL}
      entities:
        - {type: Product, key: upc, operation: listShipments, argument: upc}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PRODUCTS_URL", productsURL)
	t.Setenv("SHIPPING_URL", "http://127.0.0.1:1/v1")
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	artifactDir := filepath.Join(dir, "artifact")
	manifest, err := gateway.WriteArtifact(context.Background(), cfg, artifactDir, logger)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := manifest.Resources[specURL]; !ok || len(manifest.Resources) != 1 {
		t.Fatalf("the artifact's resources are %v, want the spec fetched by URL", manifest.Resources)
	}
	if copied, _ := os.ReadFile(filepath.Join(artifactDir, "gateway.yaml")); string(copied) != yaml {
		t.Fatalf("the artifact's gateway.yaml is not the file as written:\n%s", copied)
	}

	stopProducts()
	specServer.Close()
	upstream, accepted := countingListener(t)
	t.Setenv("PRODUCTS_URL", "http://"+upstream+"/graphql")
	t.Setenv("SHIPPING_URL", "http://"+upstream+"/v1")

	gw, err := gateway.BuildFromArtifact(context.Background(), artifactDir, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer gw.Close(context.Background())
	srv := httptest.NewServer(httpserver.NewHandler(httpserver.Options{Executor: gw}))
	defer srv.Close()
	r := post(t, srv.URL+"/graphql", `{ __typename }`, nil)
	if len(r.Errors) > 0 || string(r.Data) != `{"__typename":"Query"}` {
		t.Fatalf("{ __typename }: %d %s", r.Status, r.raw)
	}
	if n := accepted.Load(); n != 0 {
		t.Fatalf("starting from the artifact made %d upstream connection(s)", n)
	}

	// The upstreams are the environment's now, not the artifact's: a query
	// that needs the subgraph reaches the counting listener.
	r = post(t, srv.URL+"/graphql", `{ topProducts(first: 1) { name } }`, nil)
	if len(r.Errors) == 0 || accepted.Load() == 0 {
		t.Fatalf("a query needing products did not reach %s: %s", upstream, r.raw)
	}
	if !strings.Contains(string(r.raw), "products") {
		t.Fatalf("the error does not name the subgraph: %s", r.raw)
	}
}
