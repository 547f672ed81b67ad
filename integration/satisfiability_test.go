package integration

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/gateway"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// librarySpec is a REST service that adds books to the store's products,
// and defines Product itself: without an entities: join, nothing says how
// to get a product's books from it.
const librarySpec = `openapi: 3.0.3
info: {title: Library, version: "1"}
paths:
  /products:
    get:
      operationId: productsByUpc
      parameters:
        - {name: upc, in: query, required: true, style: form, explode: false, schema: {type: array, items: {type: string}}}
      responses:
        "200":
          description: The books of each product.
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Product"}}
components:
  schemas:
    Product:
      type: object
      required: [upc]
      properties:
        upc: {type: string}
        books: {type: array, items: {$ref: "#/components/schemas/Book"}}
    Book:
      type: object
      required: [title]
      properties:
        title: {type: string}
`

// startLibrary serves librarySpec: every product has one book.
func startLibrary(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var out []map[string]any
		for _, upc := range strings.Split(r.URL.Query().Get("upc"), ",") {
			out = append(out, map[string]any{"upc": upc, "books": []map[string]string{{"title": "Book of " + upc}}})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Issue 8: the example subgraphs plus a REST service that defines Product
// without a key compose, and a query for a product's books fails at run
// time. CheckSatisfiable (gateway validate) finds it before serving, and
// with the entities: join it names, the query works.
func TestUnreachableFieldsAreFoundBeforeServing(t *testing.T) {
	_, urls := startSubgraphs(t)
	libraryURL := startLibrary(t)
	library := "  - name: library\n    openapi:\n      spec: library.yaml\n      baseURL: " + libraryURL + "\n"
	files := map[string]string{"library.yaml": librarySpec}

	gw, endpoint := startGateway(t, subgraphsYAML(urls)+library, files)
	_, err := gw.CheckSatisfiable(context.Background())
	var report *gateway.SatisfiabilityError
	if !errors.As(err, &report) {
		t.Fatalf("want a SatisfiabilityError, got %v", err)
	}
	for _, want := range []string{
		"1 field cannot be resolved",
		"Product.books\n", "topProducts.books", `"library" (openapi)`, `"products" (graphql)`,
		"does not resolve Product by a key",
		"- type: Product\n", "key: upc\n", "operation: productsByUpc", "argument: upc",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("report lacks %q:\n%s", want, err)
		}
	}
	if r := post(t, endpoint, `{ topProducts(first: 2) { books { title } } }`, nil); len(r.Errors) == 0 {
		t.Errorf("the query validate warns about answered without errors: %s", r.raw)
	}
	// Served anyway, the query is refused at planning, with the reason,
	// not sent to a subgraph that cannot answer it.
	if r := post(t, endpoint, `{ topProducts(first: 2) { books { title } } }`, nil); !strings.Contains(string(r.raw), `"code":"QUERY_PLAN_FAILED"`) || string(r.Data) != "null" {
		t.Errorf("want data null and QUERY_PLAN_FAILED, got %s", r.raw)
	}

	library += "      entities:\n        - {type: Product, key: upc, operation: productsByUpc, argument: upc}\n"
	gw, endpoint = startGateway(t, subgraphsYAML(urls)+library, files)
	res, err := gw.CheckSatisfiable(context.Background())
	if err != nil || res.Fields == 0 {
		t.Fatalf("with the join: %v", err)
	}
	r := post(t, endpoint, `{ topProducts(first: 2) { name books { title } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors %s", r.raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"topProducts":[{"name":"Table","books":[{"title":"Book of 1"}]},{"name":"Couch","books":[{"title":"Book of 2"}]}]}`)
}
