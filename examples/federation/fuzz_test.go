package federation

import (
	"encoding/json"
	"net/http"
	"testing"
)

// checkAnswer posts body to s and fails unless the answer is a GraphQL
// response with an expected status.
func checkAnswer(t *testing.T, s *Service, request string) {
	t.Helper()
	status, body := post(t, s, request)
	switch status {
	case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
	default:
		t.Fatalf("unexpected HTTP %d: %s", status, body)
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, body)
	}
	if _, hasData := resp["data"]; !hasData && resp["errors"] == nil {
		t.Fatalf("answer has neither data nor errors: %s", body)
	}
}

func FuzzHandler(f *testing.F) {
	for _, seed := range []string{
		`{"query": "{ me { id name } accounts { ... on Admin { permissions } } }"}`,
		`{"query": "query($id: ID!) { user(id: $id) { username } }", "variables": {"id": "2"}}`,
		`{"query": "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }", "variables": {"r": [{"__typename": "User", "id": "1"}]}}`,
		`{"query": "{ _entities(representations: [{__typename: \"Admin\", id: \"a1\"}]) { __typename } }"}`,
		`{"query": "{ __schema { types { name } } }"}`,
		`{"query": "fragment F on User { id } { me { ...F } }", "operationName": null}`,
		`{"query": "\"\"\" doc \"\"\" { me { id } }"}`,
		`{"query": "{"}`,
	} {
		f.Add([]byte(seed))
	}
	s := Accounts()
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAnswer(t, s, string(body))
	})
}

func FuzzRepresentations(f *testing.F) {
	for _, seed := range []string{
		`[{"__typename": "Product", "upc": "1", "price": 899, "weight": 100}]`,
		`[{"__typename": "Product", "upc": "2"}, {"__typename": "Product", "upc": "2", "price": 1e3, "weight": -4}]`,
		`[{"__typename": "Product", "upc": "3", "price": 1.5, "weight": null}]`,
		`[{"__typename": "User", "id": "1"}]`,
		`[null]`,
		`{}`,
	} {
		f.Add(seed)
	}
	s := Inventory()
	f.Fuzz(func(t *testing.T, representations string) {
		if !json.Valid([]byte(representations)) {
			t.Skip()
		}
		body := `{"query": "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { upc inStock price weight shippingEstimate } } }", "variables": {"r": ` + representations + `}}`
		checkAnswer(t, s, body)
	})
}
