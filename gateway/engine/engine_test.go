package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tributary-gw/tributary"
)

// productSource serves Query.topProducts/product from memory.
type productSource struct {
	noFieldBatches
	calls      atomic.Int64
	selections [][]*tributary.Selection
	mu         sync.Mutex
	renames    []string
}

var products = []map[string]any{
	{"upc": "1", "name": "Table", "price": 899},
	{"upc": "2", "name": "Couch", "price": 1299},
	{"upc": "3", "name": "Chair", "price": 54},
}

func (s *productSource) ResolveField(_ context.Context, c tributary.FieldCall) (json.RawMessage, error) {
	s.calls.Add(1)
	s.mu.Lock()
	s.selections = append(s.selections, c.Selection)
	s.mu.Unlock()
	var args struct {
		First *int    `json:"first"`
		UPC   *string `json:"upc"`
	}
	if err := json.Unmarshal(c.Arguments, &args); err != nil {
		return nil, err
	}
	switch c.FieldName {
	case "topProducts":
		n := len(products)
		if args.First != nil && *args.First < n {
			n = *args.First
		}
		return json.Marshal(products[:n])
	case "rename":
		var a struct{ UPC, Name string }
		if err := json.Unmarshal(c.Arguments, &a); err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.renames = append(s.renames, a.Name)
		s.mu.Unlock()
		return json.Marshal(map[string]any{"upc": a.UPC, "name": a.Name, "price": 1})
	case "product":
		if args.UPC != nil && *args.UPC == "9" {
			return json.RawMessage(`{"upc":"9","name":"Lamp","description":null,"price":1}`), &tributary.PartialError{
				Errors: []*tributary.Error{{Message: "description unavailable", Path: []any{"description"}}},
			}
		}
		for _, p := range products {
			if args.UPC != nil && p["upc"] == *args.UPC {
				return json.Marshal(p)
			}
		}
		return json.RawMessage("null"), nil
	}
	return nil, fmt.Errorf("unknown field %s", c.FieldName)
}

func (s *productSource) ResolveEntities(context.Context, tributary.EntityBatch) ([]tributary.Result, error) {
	return nil, fmt.Errorf("products resolves no entities here")
}

// inventorySource resolves Product entities in batches.
type inventorySource struct {
	noFieldBatches
	mu         sync.Mutex
	batches    [][]json.RawMessage
	selections [][]*tributary.Selection
}

func (s *inventorySource) ResolveField(context.Context, tributary.FieldCall) (json.RawMessage, error) {
	return nil, fmt.Errorf("no root fields")
}

func (s *inventorySource) ResolveEntities(_ context.Context, b tributary.EntityBatch) ([]tributary.Result, error) {
	s.mu.Lock()
	s.batches = append(s.batches, b.Representations)
	s.selections = append(s.selections, b.Selection)
	s.mu.Unlock()
	out := make([]tributary.Result, len(b.Representations))
	for i, r := range b.Representations {
		var rep struct {
			Typename string   `json:"__typename"`
			UPC      string   `json:"upc"`
			Price    *float64 `json:"price"`
		}
		if err := json.Unmarshal(r, &rep); err != nil {
			return nil, err
		}
		if rep.UPC == "3" {
			out[i] = tributary.Result{Err: &tributary.Error{Message: "inventory unavailable", Extensions: map[string]any{"code": "UNAVAILABLE"}}}
			continue
		}
		ship := 0
		if rep.Price != nil && *rep.Price < 1000 {
			ship = 5
		}
		out[i].Data, _ = json.Marshal(map[string]any{"__typename": "Product", "upc": rep.UPC, "inStock": rep.UPC != "2", "shipping": ship})
	}
	return out, nil
}

func newSourceEngine(t testing.TB) (*Engine, *productSource, *inventorySource) {
	t.Helper()
	sdl, err := os.ReadFile("testdata/sources.graphql")
	if err != nil {
		t.Fatal(err)
	}
	ps, is := &productSource{}, &inventorySource{}
	e, err := New(context.Background(), Options{
		Supergraph:    string(sdl),
		Introspection: true,
		Subgraphs: map[string]*tributary.Subgraph{
			"products":  {Name: "products", Source: ps},
			"inventory": {Name: "inventory", Source: is},
			"pricing":   {Name: "pricing", Source: pricingSource{}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e, ps, is
}

func TestSourceSubgraphsBatchEntities(t *testing.T) {
	e, ps, is := newSourceEngine(t)
	resp := e.Execute(context.Background(), &tributary.Request{
		Query:     `query Q($n: Int) { top: topProducts(first: $n) { upc title: name inStock shipping } }`,
		Variables: json.RawMessage(`{"n": 2}`),
	})
	want := `{"data":{"top":[{"upc":"1","title":"Table","inStock":true,"shipping":5},{"upc":"2","title":"Couch","inStock":false,"shipping":0}]}}`
	if string(resp.Body) != want {
		t.Fatalf("body\n got %s\nwant %s", resp.Body, want)
	}
	if ps.calls.Load() != 1 || len(is.batches) != 1 || len(is.batches[0]) != 2 {
		t.Fatalf("calls: products %d, inventory batches %v", ps.calls.Load(), is.batches)
	}
	var rep map[string]any
	_ = json.Unmarshal(is.batches[0][0], &rep)
	if rep["__typename"] != "Product" || rep["upc"] != "1" || rep["price"] != float64(899) {
		t.Fatalf("representation %s", is.batches[0][0])
	}
}

func TestSourceEntityErrorHasPath(t *testing.T) {
	e, _, _ := newSourceEngine(t)
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ topProducts { upc inStock } }`})
	body := string(resp.Body)
	if !strings.Contains(body, `"inventory unavailable"`) || !strings.Contains(body, `"path":["topProducts",2`) {
		t.Fatalf("body %s", body)
	}
}

func TestDefaultArgumentAndLiteral(t *testing.T) {
	e, _, _ := newSourceEngine(t)
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ product(upc: "2") { name } topProducts { upc } }`})
	want := `{"data":{"product":{"name":"Couch"},"topProducts":[{"upc":"1"},{"upc":"2"},{"upc":"3"}]}}`
	if string(resp.Body) != want {
		t.Fatalf("body\n got %s\nwant %s", resp.Body, want)
	}
}

// pricingSource answers Product.currency for any representation.
type pricingSource struct{ noFieldBatches }

func (pricingSource) ResolveField(context.Context, tributary.FieldCall) (json.RawMessage, error) {
	return nil, fmt.Errorf("no root fields")
}

func (pricingSource) ResolveEntities(_ context.Context, b tributary.EntityBatch) ([]tributary.Result, error) {
	out := make([]tributary.Result, len(b.Representations))
	for i := range out {
		out[i].Data = json.RawMessage(`{"__typename":"Product","currency":"EUR"}`)
	}
	return out, nil
}

// Two in-process subgraphs joined at the same level get the same
// representations; each must still be called (the postprocessor merges
// fetches with equal inputs).
func TestTwoSourcesAtOneLevelAreBothCalled(t *testing.T) {
	e, _, is := newSourceEngine(t)
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ topProducts(first: 2) { upc inStock currency } }`})
	want := `{"data":{"topProducts":[{"upc":"1","inStock":true,"currency":"EUR"},{"upc":"2","inStock":false,"currency":"EUR"}]}}`
	if string(resp.Body) != want {
		t.Fatalf("body\n got %s\nwant %s", resp.Body, want)
	}
	if len(is.batches) != 1 {
		t.Fatalf("inventory batches %d", len(is.batches))
	}
}

// A Source sees what the client selected, by field name, aliases merged.
func TestSourceSeesTheSelection(t *testing.T) {
	e, ps, is := newSourceEngine(t)
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ topProducts(first: 1) { a: name b: name upc inStock } }`})
	if resp.Outcome != tributary.Executed {
		t.Fatal(string(resp.Body))
	}
	var names []string
	for _, s := range ps.selections[0] {
		names = append(names, s.Name)
	}
	// name once (two aliases), upc, the __typename the planner adds for
	// the entity jump, and not inventory's inStock.
	if got := strings.Join(names, ","); got != "name,upc,__typename" {
		t.Fatalf("products saw %s", got)
	}
	if sel := is.selections; len(sel) != 1 || len(sel[0]) != 1 || sel[0][0].Name != "inStock" {
		t.Fatalf("inventory saw %+v", sel)
	}
}

// A Source's partial errors keep its value and land at the client's
// response keys, one per alias.
func TestPartialErrorsFromASource(t *testing.T) {
	e, _, _ := newSourceEngine(t)
	resp := e.Execute(context.Background(), &tributary.Request{Query: `{ p: product(upc: "9") { name d1: description d2: description } }`})
	ext := `"extensions":{"code":"DOWNSTREAM_SERVICE_ERROR","serviceName":"products"}`
	want := `{"errors":[{"message":"description unavailable","path":["p","d1"],` + ext + `},{"message":"description unavailable","path":["p","d2"],` + ext + `}],"data":{"p":{"name":"Lamp","d1":null,"d2":null}}}`
	if string(resp.Body) != want {
		t.Fatalf("body\n got %s\nwant %s", resp.Body, want)
	}
}
