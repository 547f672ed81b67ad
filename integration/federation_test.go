package integration

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// The end-to-end tests drive the gateway over HTTP in front of four real
// federation subgraphs (accounts, products, inventory, reviews) and assert
// both the merged data and how often each subgraph was called.

func TestQueryAcrossFourSubgraphsBatchesPerLevel(t *testing.T) {
	s := newStack(t)
	r := post(t, s.endpoint, `query Top($n: Int) {
	  topProducts(first: $n) {
	    upc name price inStock shippingEstimate
	    reviews { body author { username name } }
	  }
	}`, map[string]any{"n": 3})
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("status %d, body %s", r.Status, r.raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"topProducts":[
	  {"upc":"1","name":"Table","price":899,"inStock":true,"shippingEstimate":50,"reviews":[
	    {"body":"Sturdy and seats six.","author":{"username":"ada","name":"Ada Lovelace"}},
	    {"body":"Wobbles on tile floors.","author":{"username":"grace","name":"Grace Hopper"}},
	    {"body":"Our favourite purchase this year.","author":{"username":"alan","name":"Alan Turing"}}]},
	  {"upc":"2","name":"Couch","price":1299,"inStock":false,"shippingEstimate":0,"reviews":[
	    {"body":"Too expensive for what it is.","author":{"username":"alan","name":"Alan Turing"}},
	    {"body":"Very comfortable, but huge.","author":{"username":"ada","name":"Ada Lovelace"}}]},
	  {"upc":"3","name":"Chair","price":54,"inStock":true,"shippingEstimate":25,"reviews":[
	    {"body":"Could be taller.","author":{"username":"grace","name":"Grace Hopper"}},
	    {"body":"Bought four for the patio.","author":{"username":"edsger","name":"Edsger Dijkstra"}}]}]}`)
	// products, then inventory ∥ reviews for three products, then accounts
	// for the seven authors: one call per subgraph per plan level.
	assertCalls(t, s.calls(), map[string]int64{"products": 1, "inventory": 1, "reviews": 1, "accounts": 1})

	// The accounts call carried the de-duplicated authors in one batch.
	reqs := s.services["accounts"].Requests()
	if len(reqs) != 1 || !strings.Contains(reqs[0].Query, "_entities") {
		t.Fatalf("accounts requests: %+v", reqs)
	}
	if n := strings.Count(string(reqs[0].Variables), `"__typename"`); n != 4 {
		t.Fatalf("accounts got %d representations, want the 4 distinct authors: %s", n, reqs[0].Variables)
	}
	// inventory received the @requires fields it needs.
	inv := s.services["inventory"].Requests()
	if len(inv) != 1 || !strings.Contains(string(inv[0].Variables), `"weight"`) || !strings.Contains(string(inv[0].Variables), `"price"`) {
		t.Fatalf("inventory requests: %+v", inv)
	}
}

func TestProvidesAvoidsAFetch(t *testing.T) {
	s := newStack(t)
	r := post(t, s.endpoint, `{ latestReviews(first: 2) { body author { username } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.raw)
	}
	if !strings.Contains(string(r.Data), `"username"`) {
		t.Fatalf("data %s", r.Data)
	}
	// reviews @provides username: accounts is not called.
	assertCalls(t, s.calls(), map[string]int64{"reviews": 1, "accounts": 0})
}

func TestUnionAcrossSubgraphs(t *testing.T) {
	s := newStack(t)
	r := post(t, s.endpoint, `{ search(text: "ch") {
	  __typename
	  ... on Product { upc name inStock }
	  ... on Category { id name }
	} }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.raw)
	}
	body := string(r.Data)
	if !strings.Contains(body, `"__typename":"Product"`) || !strings.Contains(body, `"inStock"`) {
		t.Fatalf("data %s", body)
	}
	assertCalls(t, s.calls(), map[string]int64{"products": 1, "inventory": 1})
}

func TestInterfaceAcrossSubgraphs(t *testing.T) {
	s := newStack(t)
	r := post(t, s.endpoint, `{ accounts {
	  id username
	  ... on User { name reviews { body } }
	  ... on Admin { permissions }
	} }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.raw)
	}
	body := string(r.Data)
	for _, want := range []string{`"permissions":["orders:refund","products:write"]`, `"body":"Sturdy and seats six."`, `"name":"Ada Lovelace"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("data lacks %s: %s", want, body)
		}
	}
	// User.reviews comes from reviews in one batch for all users.
	assertCalls(t, s.calls(), map[string]int64{"accounts": 1, "reviews": 1})
}

func TestSubgraphFailureGivesPartialDataWithPath(t *testing.T) {
	s := newStack(t)
	s.services["inventory"].FailNext(1, http.StatusInternalServerError)
	r := post(t, s.endpoint, `{ product(upc: "1") { name } p2: product(upc: "2") { name inStock } }`, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.raw)
	}
	// product is nullable: the failed inStock nulls p2 only, and the error
	// says where.
	gatewaytest.AssertJSON(t, r.Data, `{"product":{"name":"Table"},"p2":null}`)
	if len(r.Errors) == 0 {
		t.Fatalf("no errors: %s", r.raw)
	}
	if !strings.Contains(string(r.raw), `"p2"`) {
		t.Fatalf("errors do not name the path p2: %s", r.raw)
	}
}

func TestArgumentsAliasesVariablesAndDirectives(t *testing.T) {
	s := newStack(t)
	r := post(t, s.endpoint, `query($withPrice: Boolean!) {
	  a: product(upc: "4") { n: name p: price @include(if: $withPrice) }
	  b: product(upc: "5") { n: name p: price @skip(if: $withPrice) }
	}`, map[string]any{"withPrice": true})
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"a":{"n":"Kettle","p":39},"b":{"n":"Chef's Knife"}}`)
	r = post(t, s.endpoint, `query($withPrice: Boolean!) {
	  a: product(upc: "4") { n: name p: price @include(if: $withPrice) }
	  b: product(upc: "5") { n: name p: price @skip(if: $withPrice) }
	}`, map[string]any{"withPrice": false})
	gatewaytest.AssertJSON(t, r.Data, `{"a":{"n":"Kettle"},"b":{"n":"Chef's Knife","p":120}}`)
}

func TestRequestErrorsAreSpecShaped(t *testing.T) {
	s := newStack(t)
	deep := strings.Repeat("{ topProducts ", 1) + strings.Repeat("{ reviews { product ", 50) + "{ upc }" + strings.Repeat(" } }", 50) + " }"
	cases := []struct {
		name, query string
		code        string
	}{
		{"syntax", `{ topProducts { upc `, "GRAPHQL_PARSE_FAILED"},
		{"unknown field", `{ topProducts { nope } }`, "GRAPHQL_VALIDATION_FAILED"},
		{"too deep", deep, "DEPTH_LIMIT_EXCEEDED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := post(t, s.endpoint, c.query, nil)
			if r.Status != http.StatusBadRequest || !strings.Contains(string(r.raw), c.code) || r.Data != nil {
				t.Fatalf("status %d body %s", r.Status, r.raw)
			}
		})
	}
	assertCalls(t, s.calls(), map[string]int64{"products": 0, "reviews": 0})
}

func TestGETQueryAndIntrospection(t *testing.T) {
	s := newStack(t)
	q := url.Values{"query": {`{ __schema { queryType { name } } __type(name: "Product") { fields { name } } }`}}
	req, _ := http.NewRequest(http.MethodGet, s.endpoint+"?"+q.Encode(), nil)
	req.Header.Set("Accept", "application/graphql-response+json")
	r := do(t, req)
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("status %d body %s", r.Status, r.raw)
	}
	body := string(r.Data)
	for _, want := range []string{`"name":"Query"`, `"name":"inStock"`, `"name":"reviews"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("introspection lacks %s: %s", want, body)
		}
	}
}

func TestPlanCacheServesRepeatsWithNewVariables(t *testing.T) {
	s := newStack(t)
	for i, upc := range []string{"1", "2", "3"} {
		r := post(t, s.endpoint, `query($u: String!) { product(upc: $u) { upc } }`, map[string]any{"u": upc})
		gatewaytest.AssertJSON(t, r.Data, `{"product":{"upc":"`+upc+`"}}`)
		if i == 0 {
			continue
		}
	}
	assertCalls(t, s.calls(), map[string]int64{"products": 3})
}

// Planning many different operations in a row exercises the planner's
// per-plan state: a planner reused across plans once panicked and sent
// empty subgraph requests.
func TestManyDifferentOperationsInSequence(t *testing.T) {
	s := newStack(t)
	s.services["inventory"].FailNext(1, http.StatusInternalServerError)
	queries := []string{
		`{ p2: product(upc: "2") { name inStock } }`,
		`{ topProducts(first: 2) { name shippingEstimate } }`,
		`{ latestReviews { body product { name inStock } } }`,
		`{ users { name reviews { rating } } }`,
		`{ me { username } search(text: "tent") { ... on Product { name } } }`,
	}
	for i, q := range queries {
		r := post(t, s.endpoint, q, nil)
		if r.Status != http.StatusOK || (i > 0 && len(r.Errors) > 0) {
			t.Fatalf("query %d: status %d body %s", i, r.Status, r.raw)
		}
	}
}

// An in-process subgraph (the static kind) joins the federation by @key:
// its fields arrive for every product of a list from one batch.
func TestStaticSubgraphJoinsByKey(t *testing.T) {
	services, urls := startSubgraphs(t)
	yaml := subgraphsYAML(urls) + `  - name: pricing
    static:
      sdl: pricing.graphql
      data: pricing.json
`
	pricingSDL, _ := os.ReadFile("../examples/pricing/pricing.graphql")
	pricingData, _ := os.ReadFile("../examples/pricing/pricing.json")
	_, endpoint := startGateway(t, yaml, map[string]string{"pricing.graphql": string(pricingSDL), "pricing.json": string(pricingData)})
	for _, s := range services {
		s.Reset()
	}
	r := post(t, endpoint, `{ currencies topProducts(first: 4) { name currency discountPercent inStock } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors %s", r.raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"currencies":["EUR","USD"],"topProducts":[
	  {"name":"Table","currency":"USD","discountPercent":10,"inStock":true},
	  {"name":"Couch","currency":"USD","discountPercent":null,"inStock":false},
	  {"name":"Chair","currency":"USD","discountPercent":25,"inStock":true},
	  {"name":"Kettle","currency":"EUR","discountPercent":null,"inStock":true}]}`)
	if services["products"].Calls() != 1 || services["inventory"].Calls() != 1 {
		t.Fatalf("calls products %d inventory %d", services["products"].Calls(), services["inventory"].Calls())
	}
}
