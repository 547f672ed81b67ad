package integration

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// leakySubgraph answers every query with an error that carries a stack
// trace and an internal host:port.
func leakySubgraph(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":{"order":null},"errors":[{"message":"dial tcp 10.0.3.7:5432: connection refused","path":["order"],`+
			`"extensions":{"code":"DB_DOWN","stacktrace":["at db.query (pool.js:88)"]}}]}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func leakyGateway(t *testing.T, top string) string {
	url := leakySubgraph(t)
	yaml := fmt.Sprintf("%ssubgraphs:\n  - name: orders\n    graphql:\n      url: %s\n      sdlFile: orders.graphql\n", top, url)
	_, endpoint := startGateway(t, yaml, map[string]string{"orders.graphql": "type Query { order: String }\n"})
	return endpoint
}

// A gateway that hides its schema (introspection: false) masks upstream
// errors by default: the client sees a generic message, the code and an
// errorId, never the upstream's host or stack.
func TestErrorsAreMaskedWhenIntrospectionIsOff(t *testing.T) {
	r := post(t, leakyGateway(t, "introspection: false\n"), `{ order }`, nil)
	raw := string(r.raw)
	for _, leak := range []string{"10.0.3.7", "5432", "stacktrace", "pool.js", "dial"} {
		if strings.Contains(raw, leak) {
			t.Errorf("%q reached the client: %s", leak, raw)
		}
	}
	if len(r.Errors) != 1 || r.Errors[0]["message"] != "an upstream error occurred" {
		t.Fatalf("want one masked error: %s", raw)
	}
	ext, _ := r.Errors[0]["extensions"].(map[string]any)
	if ext["code"] != "DB_DOWN" || ext["errorId"] == nil {
		t.Errorf("want code and errorId: %s", raw)
	}
}

// With introspection on and no errors section, messages pass but stack
// traces do not; allowExtensions lets one through.
func TestDebugExtensionsAreDroppedUnlessAllowed(t *testing.T) {
	raw := string(post(t, leakyGateway(t, ""), `{ order }`, nil).raw)
	if !strings.Contains(raw, "10.0.3.7") || strings.Contains(raw, "stacktrace") {
		t.Errorf("want the message without the stack trace: %s", raw)
	}
	raw = string(post(t, leakyGateway(t, "errors:\n  allowExtensions: [stacktrace]\n"), `{ order }`, nil).raw)
	if !strings.Contains(raw, "pool.js") {
		t.Errorf("an allowed extension must pass: %s", raw)
	}
}
