package integration

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// A supergraph composed by another tool (here in Apollo's join v0.5 shape,
// with @inaccessible and @tag) serves exactly as one composed by the gateway.
func TestPrecomposedSupergraphServes(t *testing.T) {
	services, urls := startSubgraphs(t)
	sdl, err := os.ReadFile("testdata/supergraph-join-v0.5.graphql")
	if err != nil {
		t.Fatal(err)
	}
	_, endpoint := startGateway(t, "supergraph: supergraph.graphql\n"+subgraphsYAML(urls),
		map[string]string{"supergraph.graphql": string(sdl)})
	for _, s := range services {
		s.Reset()
	}
	r := post(t, endpoint, `{ topProducts(first: 1) { name inStock reviews { rating author { name } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"topProducts":[{"name":"Table","inStock":true,"reviews":[
	  {"rating":5,"author":{"name":"Ada Lovelace"}},
	  {"rating":2,"author":{"name":"Grace Hopper"}},
	  {"rating":5,"author":{"name":"Alan Turing"}}]}]}`)
	for name, n := range map[string]int64{"products": 1, "inventory": 1, "reviews": 1, "accounts": 1} {
		if got := services[name].Calls(); got != n {
			t.Fatalf("%s called %d times, want %d", name, got, n)
		}
	}

	// @inaccessible hides User.birthYear from clients: not queryable, not
	// in introspection.
	r = post(t, endpoint, `{ users { birthYear } }`, nil)
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.raw), "birthYear") {
		t.Fatalf("inaccessible field was accepted: %d %s", r.Status, r.raw)
	}
	r = post(t, endpoint, `{ __type(name: "User") { fields { name } } }`, nil)
	if strings.Contains(string(r.raw), "birthYear") || !strings.Contains(string(r.raw), `"username"`) {
		t.Fatalf("introspection: %s", r.raw)
	}
}

func TestSupergraphFileMissingIsAClearError(t *testing.T) {
	_, urls := startSubgraphs(t)
	dir := t.TempDir()
	path := dir + "/gateway.yaml"
	if err := os.WriteFile(path, []byte("supergraph: nope.graphql\n"+subgraphsYAML(urls)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.Load(path)
	if err == nil || !strings.Contains(err.Error(), "nope.graphql") || !strings.Contains(err.Error(), "gateway.yaml:1") {
		t.Fatalf("error %v", err)
	}
}
