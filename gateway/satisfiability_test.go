package gateway

import (
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway/engine"
)

// The report groups the fields one cause makes unreachable and words each
// fix in the terms of the subgraph's kind.
func TestSatisfiabilityReport(t *testing.T) {
	cfg := &config.Config{Path: "gateway.yaml", Subgraphs: []config.SubgraphEntry{
		{Name: "products", Kind: "graphql", Line: 3},
		{Name: "reviews", Kind: "graphql", Line: 6},
		{Name: "prices", Kind: "static", Line: 9},
	}}
	noKey := func(field, path string, parents ...string) engine.Unsatisfiable {
		return engine.Unsatisfiable{Type: "Product", Field: field, Path: path, Operation: "query",
			Query:           "query { " + strings.ReplaceAll(path, ".", " { ") + " }" + strings.Repeat(" }", strings.Count(path, ".")),
			ParentSubgraphs: parents, FieldSubgraphs: []string{"prices"}, Reason: "missing paths: [query." + path + "]",
			Cause: engine.CauseNoEntity, SharedFields: []string{"upc", "name"}}
	}
	res := &engine.Satisfiability{Fields: 40, Plans: 12, Unsatisfiable: []engine.Unsatisfiable{
		noKey("currency", "topProducts.currency", "products"),
		noKey("currency", "latestReviews.product.currency", "reviews"),
		noKey("discount", "topProducts.discount", "products"),
		{Type: "User", Field: "age", Path: "me.age", Operation: "query", Query: "query { me { age } }",
			ParentSubgraphs: []string{"reviews"}, FieldSubgraphs: []string{"products"}, Reason: "could not select the datasource",
			Cause: engine.CauseKeyUnavailable, EntityKeys: map[string][]string{"products": {"id org { id }"}}, SharedFields: []string{"id"}},
		{Type: "Review", Field: "score", Path: "latestReviews.score", Operation: "query", Query: "query { latestReviews { score } }",
			ParentSubgraphs: []string{"reviews"}, FieldSubgraphs: []string{"reviews"}, Reason: "could not select the datasource to resolve Review.id",
			Cause: engine.CauseOther},
	}, Unchecked: []string{"Org.id", "Org.name"}}
	got := (&SatisfiabilityError{Config: cfg, Result: res}).Error()
	want := `gateway.yaml: 4 fields cannot be resolved where a query reaches them: serve would fail such a query (checked 40 fields with 12 query plans)

Product.currency, Product.discount
  path:      topProducts.currency, latestReviews.product.currency, topProducts.discount
  query:     query { topProducts { currency } }
  subgraphs: Product here comes from "products" (graphql) and "reviews" (graphql); Product.currency and the rest are resolved only by "prices" (static)
  planner:   missing paths: [query.topProducts.currency]
  cause:     "prices" (static) does not resolve Product by a key (@key), so the gateway cannot ask it for the fields of a Product that "products" (graphql) and "reviews" (graphql) returned
  fix:       add @key(fields: "upc") to type Product in the SDL of subgraph "prices" (gateway.yaml:9), and its Product objects under "entities" in its data file

User.age
  path:      me.age
  query:     query { me { age } }
  subgraphs: User here comes from "reviews" (graphql); User.age is resolved only by "products" (graphql)
  planner:   could not select the datasource
  cause:     "products" resolves User by "id org { id }", but the User of "reviews" (graphql) lacks those fields, so the gateway cannot send it there
  fix:       add the key's fields to User in "reviews" (graphql), or key User in "products" (graphql) by a field both already have: @key(fields: "id")

Review.score
  path:      latestReviews.score
  query:     query { latestReviews { score } }
  subgraphs: Review here comes from "reviews" (graphql); Review.score is resolved only by "reviews" (graphql)
  planner:   could not select the datasource to resolve Review.id
  cause:     the subgraphs' keys allow the jump, or none is needed; the planner's error above names what it could not find
  fix:       make the field resolvable where Review is: check the @requires, @provides and @external of Review.score in "reviews" (graphql)

Not checked, because every path to them goes through a field above: Org.id, Org.name`
	if got != want {
		t.Errorf("report:\n%s\n\nwant:\n%s", got, want)
	}

	// A remote GraphQL subgraph gets a @key, with its line.
	res.Unsatisfiable = res.Unsatisfiable[:1]
	res.Unsatisfiable[0].FieldSubgraphs = []string{"products"}
	res.Unchecked = nil
	got = (&SatisfiabilityError{Config: cfg, Result: res}).Error()
	if !strings.Contains(got, `fix:       add @key(fields: "upc") to type Product in subgraph "products" (graphql, gateway.yaml:3), and resolve it there`) {
		t.Errorf("graphql fix:\n%s", got)
	}
	// Without a config (a precomposed supergraph's subgraphs), the fix is
	// the @key alone.
	got = (&SatisfiabilityError{Result: res}).Error()
	if !strings.HasPrefix(got, "the supergraph: 1 field cannot") || !strings.Contains(got, `add @key(fields: "upc") to type Product in subgraph "products", and`) {
		t.Errorf("no config:\n%s", got)
	}
}
