package engine

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary"
)

// providedKeySupergraph: "shelf" returns boxes whose items (an interface)
// it provides with their external id and label; only "stock" has
// Pen.inkLevel, and keys Pen by id. shelf declares no key for Pen.
const providedKeySupergraph = `
schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) { query: Query }
enum join__Graph {
  SHELF @join__graph(name: "shelf", url: "URL_SHELF")
  STOCK @join__graph(name: "stock", url: "URL_STOCK")
}
type Query @join__type(graph: SHELF) @join__type(graph: STOCK) {
  box: Box @join__field(graph: SHELF, provides: "items { id label }")
}
type Box @join__type(graph: SHELF) { id: ID!  items: [Item] }
interface Item @join__type(graph: SHELF) @join__type(graph: STOCK) {
  id: ID!
  label: String
}
type Pen implements Item @join__implements(graph: SHELF, interface: "Item") @join__implements(graph: STOCK, interface: "Item")
  @join__type(graph: SHELF) @join__type(graph: STOCK, key: "id") {
  id: ID! @join__field(graph: SHELF, external: true) @join__field(graph: STOCK)
  label: String @join__field(graph: SHELF, external: true) @join__field(graph: STOCK)
  inkLevel: Int @join__field(graph: STOCK)
}
type Clip implements Item @join__implements(graph: SHELF, interface: "Item") @join__implements(graph: STOCK, interface: "Item")
  @join__type(graph: SHELF) @join__type(graph: STOCK, key: "id") {
  id: ID! @join__field(graph: SHELF, external: true) @join__field(graph: STOCK)
  label: String @join__field(graph: SHELF, external: true) @join__field(graph: STOCK)
}
`

// A subgraph may lead to another by a key whose fields it marks @external
// but provides: shelf sends Pen's provided id to stock for inkLevel.
func TestProvidedExternalFieldsServeAsAKey(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	start := func(name string, answer func(body string) string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			calls = append(calls, name+": "+string(b))
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, answer(string(b)))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	shelf := start("shelf", func(string) string {
		return `{"data":{"box":{"items":[{"__typename":"Clip","id":"c1","label":"clip"},{"__typename":"Pen","id":"p1","label":"pen"}]}}}`
	})
	stock := start("stock", func(body string) string {
		if !strings.Contains(body, `"id":"p1"`) {
			return `{"errors":[{"message":"no Pen representation"}]}`
		}
		return `{"data":{"_entities":[{"__typename":"Pen","inkLevel":7}]}}`
	})
	sdl := strings.NewReplacer("URL_SHELF", shelf, "URL_STOCK", stock).Replace(providedKeySupergraph)
	e, err := New(context.Background(), Options{Supergraph: sdl, Subgraphs: map[string]*tributary.Subgraph{}})
	if err != nil {
		t.Fatal(err)
	}
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ box { items { id label ... on Pen { inkLevel } } } }`})
	want := `{"data":{"box":{"items":[{"id":"c1","label":"clip"},{"id":"p1","label":"pen","inkLevel":7}]}}}`
	if string(resp.Body) != want {
		t.Fatalf("got  %s\nwant %s\ncalls %v", resp.Body, want, calls)
	}
	if len(calls) != 2 {
		t.Fatalf("want one call per subgraph, got %v", calls)
	}
}
