package federation

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// response is a decoded GraphQL response body.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message string `json:"message"`
		Path    []any  `json:"path"`
	} `json:"errors"`
}

// wantError is an error a query case expects: a message fragment and, unless
// empty, the error's path as JSON.
type wantError struct {
	contains string
	path     string
}

// queryCase is one GraphQL request against a subgraph and what it must yield.
type queryCase struct {
	name      string
	query     string
	variables string // JSON object; empty for none
	wantData  string // JSON
	wantErrs  []wantError
}

// post sends body to s's handler and returns the HTTP status and raw body.
func post(t testing.TB, s *Service, body string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, Path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// execute runs a query with optional variables (a JSON object) against s.
func execute(t testing.TB, s *Service, query, variables string) response {
	t.Helper()
	body := map[string]any{"query": query}
	if variables != "" {
		body["variables"] = json.RawMessage(variables)
	}
	encoded, err := json.Marshal(body)
	if err != nil {
		t.Fatalf("encode request: %v", err)
	}
	status, raw := post(t, s, string(encoded))
	if status != http.StatusOK {
		t.Fatalf("%s answered HTTP %d: %s", s.Name, status, raw)
	}
	var resp response
	if err := json.Unmarshal(raw, &resp); err != nil {
		t.Fatalf("%s answered a body that is not a GraphQL response: %v\n%s", s.Name, err, raw)
	}
	return resp
}

// runQueryCases runs each case against s and checks data and errors.
func runQueryCases(t *testing.T, s *Service, cases []queryCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := execute(t, s, tc.query, tc.variables)
			assertJSONEqual(t, resp.Data, tc.wantData)
			if len(resp.Errors) != len(tc.wantErrs) {
				t.Fatalf("got %d errors %+v, want %d", len(resp.Errors), resp.Errors, len(tc.wantErrs))
			}
			for i, want := range tc.wantErrs {
				got := resp.Errors[i]
				if !strings.Contains(got.Message, want.contains) {
					t.Errorf("error %d is %q, want it to contain %q", i, got.Message, want.contains)
				}
				if want.path != "" {
					gotPath, _ := json.Marshal(got.Path)
					assertJSONEqual(t, gotPath, want.path)
				}
			}
		})
	}
}

// assertJSONEqual compares two JSON texts by value.
func assertJSONEqual(t testing.TB, got []byte, want string) {
	t.Helper()
	var gotValue, wantValue any
	if err := json.Unmarshal(got, &gotValue); err != nil {
		t.Fatalf("got invalid JSON %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &wantValue); err != nil {
		t.Fatalf("test bug: want is invalid JSON %q: %v", want, err)
	}
	if !reflect.DeepEqual(gotValue, wantValue) {
		var pretty bytes.Buffer
		_ = json.Indent(&pretty, got, "", "  ")
		t.Errorf("got %s\nwant %s", pretty.String(), want)
	}
}
