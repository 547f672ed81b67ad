package engine

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/limits"
)

func execute(t *testing.T, e *Engine, req *tributary.Request) (*tributary.Response, map[string]any) {
	t.Helper()
	resp := e.Execute(context.Background(), req)
	var body map[string]any
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		t.Fatalf("body is not JSON: %s", resp.Body)
	}
	return resp, body
}

func errorCode(body map[string]any) string {
	errs, _ := body["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	code, _ := ext["code"].(string)
	return code
}

func TestRequestRejections(t *testing.T) {
	e, ps, _ := newSourceEngine(t)
	cases := []struct {
		name    string
		req     tributary.Request
		outcome tributary.Outcome
		code    string
	}{
		{"empty", tributary.Request{Query: "  "}, tributary.RequestInvalid, "BAD_REQUEST"},
		{"syntax", tributary.Request{Query: "{ topProducts { upc "}, tributary.RequestInvalid, "GRAPHQL_PARSE_FAILED"},
		{"unknown field", tributary.Request{Query: "{ nope }"}, tributary.RequestInvalid, "GRAPHQL_VALIDATION_FAILED"},
		{"two operations, no name", tributary.Request{Query: "query A { __typename } query B { __typename }"}, tributary.RequestInvalid, "BAD_REQUEST"},
		{"unknown operation name", tributary.Request{Query: "query A { __typename }", OperationName: "B"}, tributary.RequestInvalid, "BAD_REQUEST"},
		{"variables not an object", tributary.Request{Query: "{ __typename }", Variables: json.RawMessage(`[1]`)}, tributary.RequestInvalid, "BAD_REQUEST"},
		{"variable of wrong type", tributary.Request{Query: "query($n: Int) { topProducts(first: $n) { upc } }", Variables: json.RawMessage(`{"n":"x"}`)}, tributary.RequestInvalid, "BAD_USER_INPUT"},
		{"required variable missing", tributary.Request{Query: "query($u: String!) { product(upc: $u) { upc } }"}, tributary.RequestInvalid, "BAD_USER_INPUT"},
		{"mutation over GET", tributary.Request{Query: `mutation { rename(upc: "1", name: "x") { upc } }`, QueryOnly: true}, tributary.MethodNotAllowed, "METHOD_NOT_ALLOWED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := execute(t, e, &c.req)
			if resp.Outcome != c.outcome || errorCode(body) != c.code {
				t.Fatalf("outcome %v, body %s", resp.Outcome, resp.Body)
			}
			if _, has := body["data"]; has {
				t.Fatalf("a rejected request has data: %s", resp.Body)
			}
		})
	}
	if n := ps.calls.Load(); n != 0 {
		t.Fatalf("rejected requests reached the subgraph %d times", n)
	}
}

func TestNamedOperationIsSelected(t *testing.T) {
	e, _, _ := newSourceEngine(t)
	resp, _ := execute(t, e, &tributary.Request{
		Query:         `query A { product(upc: "1") { name } } query B { product(upc: "3") { name } }`,
		OperationName: "B",
	})
	if string(resp.Body) != `{"data":{"product":{"name":"Chair"}}}` {
		t.Fatalf("body %s", resp.Body)
	}
}

func TestMutationsRunInOrder(t *testing.T) {
	e, ps, _ := newSourceEngine(t)
	resp, _ := execute(t, e, &tributary.Request{Query: `mutation {
	  a: rename(upc: "1", name: "first") { name }
	  b: rename(upc: "2", name: "second") { name }
	  c: rename(upc: "3", name: "third") { name }
	}`})
	if string(resp.Body) != `{"data":{"a":{"name":"first"},"b":{"name":"second"},"c":{"name":"third"}}}` {
		t.Fatalf("body %s", resp.Body)
	}
	if strings.Join(ps.renames, ",") != "first,second,third" {
		t.Fatalf("order %v", ps.renames)
	}
}

func TestPlanCacheKeys(t *testing.T) {
	e, _, _ := newSourceEngine(t)
	q := `query($n: Int) { topProducts(first: $n) { upc } }`
	for _, vars := range []string{`{"n":1}`, `{"n":2}`, `{"n":3}`} {
		resp, _ := execute(t, e, &tributary.Request{Query: q, Variables: json.RawMessage(vars)})
		if resp.Outcome != tributary.Executed {
			t.Fatal(string(resp.Body))
		}
	}
	if n := e.cache.len(); n != 1 {
		t.Fatalf("three requests differing only in values made %d cache entries, want 1", n)
	}
	// Leaving the variable out changes which defaults apply: a new entry.
	resp, _ := execute(t, e, &tributary.Request{Query: q})
	if !strings.Contains(string(resp.Body), `"upc":"3"`) {
		t.Fatalf("body %s", resp.Body)
	}
	if n := e.cache.len(); n != 2 {
		t.Fatalf("cache entries %d, want 2", n)
	}
	// A client variable the operation does not declare is ignored, and can
	// not replace a literal the normalizer extracted.
	resp, _ = execute(t, e, &tributary.Request{Query: `{ product(upc: "1") { name } }`, Variables: json.RawMessage(`{"a":"3"}`)})
	if string(resp.Body) != `{"data":{"product":{"name":"Table"}}}` {
		t.Fatalf("body %s", resp.Body)
	}
}

func TestListVariableCoercion(t *testing.T) {
	sdl, _ := os.ReadFile("testdata/sources.graphql")
	_ = sdl
	op := &preparedOperation{defined: map[string]bool{"ids": true, "n": true}, listVars: map[string]bool{"ids": true},
		baseVars: map[string][]byte{"a": []byte(`"lit"`), "n": []byte(`5`)}}
	got := string(op.variables(mustParse(t, `{"ids":"7","n":2,"undeclared":1}`)))
	var m map[string]any
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		t.Fatal(got)
	}
	if ids, _ := m["ids"].([]any); len(ids) != 1 || ids[0] != "7" || m["n"] != float64(2) || m["a"] != "lit" || m["undeclared"] != nil {
		t.Fatalf("variables %s", got)
	}
}

func TestIntrospectionCanBeSwitchedOff(t *testing.T) {
	sdl, _ := os.ReadFile("testdata/sources.graphql")
	e, err := New(context.Background(), Options{Supergraph: string(sdl), Introspection: false,
		Subgraphs: map[string]*tributary.Subgraph{"products": {Source: &productSource{}}, "inventory": {Source: &inventorySource{}}, "pricing": {Source: pricingSource{}}}})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := execute(t, e, &tributary.Request{Query: `{ __schema { types { name } } }`})
	if resp.Outcome != tributary.RequestInvalid || errorCode(body) != "INTROSPECTION_DISABLED" {
		t.Fatalf("%s", resp.Body)
	}
}

func TestLimitsRejectBeforePlanning(t *testing.T) {
	sdl, _ := os.ReadFile("testdata/sources.graphql")
	e, err := New(context.Background(), Options{Supergraph: string(sdl),
		Limits:    limits.Limits{MaxDepth: 2, MaxTokens: 50},
		Subgraphs: map[string]*tributary.Subgraph{"products": {Source: &productSource{}}, "inventory": {Source: &inventorySource{}}, "pricing": {Source: pricingSource{}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, body := execute(t, e, &tributary.Request{Query: `{ topProducts { upc } }`})
	if errorCode(body) != "" {
		t.Fatalf("depth 2 rejected: %v", body)
	}
	_, body = execute(t, e, &tributary.Request{Query: `{ a: __typename b: __typename c: __typename d: __typename e: __typename f: __typename g: __typename h: __typename i: __typename j: __typename k: __typename l: __typename m: __typename n: __typename o: __typename p: __typename q: __typename r: __typename s: __typename }`})
	if errorCode(body) != "TOKEN_LIMIT_EXCEEDED" {
		t.Fatalf("%v", body)
	}
	if e.cache.len() != 1 {
		t.Fatalf("rejected operation was cached")
	}
}

func TestConfiguredSubgraphMustExist(t *testing.T) {
	sdl, _ := os.ReadFile("testdata/sources.graphql")
	_, err := New(context.Background(), Options{Supergraph: string(sdl),
		Subgraphs: map[string]*tributary.Subgraph{"billing": {Source: &productSource{}}}})
	if err == nil || !strings.Contains(err.Error(), `"billing"`) || !strings.Contains(err.Error(), "inventory") {
		t.Fatalf("err %v", err)
	}
}

func mustParse(t *testing.T, s string) *astjsonValue {
	t.Helper()
	v, err := parseJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEquivalentRequestsShareAPlan(t *testing.T) {
	e, _, _ := newSourceEngine(t)
	for _, q := range []string{
		`{ product(upc: "1") { name } }`,
		`{ product(upc: "2") { name } }`,
		`query { product(upc: "3") { ...F } } fragment F on Product { name }`,
	} {
		resp, _ := execute(t, e, &tributary.Request{Query: q})
		if resp.Outcome != tributary.Executed || !strings.Contains(string(resp.Body), `"name"`) {
			t.Fatalf("%s: %s", q, resp.Body)
		}
	}
	if e.cache.len() != 3 || e.plans.len() != 1 {
		t.Fatalf("prepared %d, planned %d; want 3 prepared sharing 1 plan", e.cache.len(), e.plans.len())
	}
}

// The variables of requests that set none are checked once per prepared
// operation; the verdict holds for each such request, and a request that
// sets them is checked on its own.
func TestVariablesOfRequestsWithoutThemAreCheckedEachTime(t *testing.T) {
	e, ps, _ := newSourceEngine(t)
	q := "query($u: String!) { product(upc: $u) { upc } }"
	for i, vars := range []string{"", "{}", "", "null"} {
		resp, body := execute(t, e, &tributary.Request{Query: q, Variables: json.RawMessage(vars)})
		if resp.Outcome != tributary.RequestInvalid || errorCode(body) != "BAD_USER_INPUT" {
			t.Fatalf("request %d (variables %q): %v %s", i, vars, resp.Outcome, resp.Body)
		}
	}
	if resp, _ := execute(t, e, &tributary.Request{Query: q, Variables: json.RawMessage(`{"u":"1"}`)}); resp.Outcome != tributary.Executed {
		t.Fatalf("with the variable set: %s", resp.Body)
	}
	if n := ps.calls.Load(); n != 1 {
		t.Fatalf("the subgraph got %d calls, want 1", n)
	}
}
