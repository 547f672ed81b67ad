package integration

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway"
	"github.com/tributary-gw/tributary/gateway/httpserver"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// The gateway.yaml that `make run` serves builds and answers a query that
// crosses all six of its subgraphs. The example services' URLs come from
// the ${…_URL} variables the file reads.
func TestBundledGatewayYAMLServes(t *testing.T) {
	services, urls := startSubgraphs(t)
	for name, url := range urls {
		t.Setenv(strings.ToUpper(name)+"_URL", url)
	}
	rest, restURL := startShipping(t)
	t.Setenv("SHIPPING_URL", restURL)
	cfg, err := config.Load("../gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.Build(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpserver.NewHandler(httpserver.Options{Executor: gw}))
	defer srv.Close()
	for _, s := range services {
		s.Reset()
	}
	r := post(t, srv.URL+"/graphql", `{ topProducts(first: 2) { name currency carrier inStock reviews { author { name } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors %s", r.raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"topProducts":[
	  {"name":"Table","currency":"USD","carrier":"Parcelways","inStock":true,"reviews":[{"author":{"name":"Ada Lovelace"}},{"author":{"name":"Grace Hopper"}},{"author":{"name":"Alan Turing"}}]},
	  {"name":"Couch","currency":"USD","carrier":"FreightCo","inStock":false,"reviews":[{"author":{"name":"Alan Turing"}},{"author":{"name":"Ada Lovelace"}}]}]}`)
	assertCalls(t, map[string]int64{"accounts": services["accounts"].Calls(), "products": services["products"].Calls()},
		map[string]int64{"accounts": 1, "products": 1})
	if n := rest.Calls("GET /v1/shipments"); n != 1 {
		t.Fatalf("shipping called %d times", n)
	}
}
