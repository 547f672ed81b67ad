// Package gatewaytest builds a whole gateway from a gateway.yaml in tests
// and executes requests against it, for the kinds' end-to-end tests: the
// same Build and Execute that `gateway serve` uses, without HTTP.
package gatewaytest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway"
	_ "github.com/tributary-gw/tributary/subgraphs/builtin" // every kind
)

// Build writes yaml as gateway.yaml, and files beside it, to a temporary
// directory, and builds the gateway, closed when the test ends. It does not
// check readiness.
func Build(t testing.TB, yaml string, files map[string]string) *gateway.Gateway {
	t.Helper()
	dir := t.TempDir()
	files = maps.Clone(files)
	if files == nil {
		files = map[string]string{}
	}
	files["gateway.yaml"] = yaml
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Load(filepath.Join(dir, "gateway.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.Build(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gw.Close(context.Background()) })
	return gw
}

// Start is Build, then a check that the gateway is ready.
func Start(t testing.TB, yaml string, files map[string]string) *gateway.Gateway {
	t.Helper()
	gw := Build(t, yaml, files)
	if err := gw.Ready(context.Background()); err != nil {
		t.Fatalf("gateway not ready: %v", err)
	}
	return gw
}

// Error is one error of a response.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Response is a decoded GraphQL response; Raw is its body as sent.
type Response struct {
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
	Raw    string          `json:"-"`
}

// Execute runs query with vars (and header, which may be nil) through gw.
func Execute(t testing.TB, gw *gateway.Gateway, query string, vars map[string]any, header http.Header) Response {
	t.Helper()
	varJSON, _ := json.Marshal(vars)
	return ExecuteRequest(t, gw, &tributary.Request{Query: query, Variables: varJSON, Header: header})
}

// MustData fails on errors and decodes the data into v.
func (r Response) MustData(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.Raw)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("data %s: %v", r.Data, err)
	}
}

// AssertData fails on errors and compares the data with want semantically.
func (r Response) AssertData(t testing.TB, want string) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.Raw)
	}
	AssertJSON(t, r.Data, want)
}

// FirstError returns the response's first error (the engine may add
// others as a null bubbles up), failing when there is none.
func (r Response) FirstError(t testing.TB) Error {
	t.Helper()
	if len(r.Errors) == 0 {
		t.Fatalf("want an error, got %s", r.Raw)
	}
	return r.Errors[0]
}

// AssertJSON compares two JSON documents semantically.
func AssertJSON(t testing.TB, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got invalid JSON %s", got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want invalid JSON %s", want)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Fatalf("data mismatch\n got %s\nwant %s", gb, wb)
	}
}

// OnlyError returns the response's single error, failing otherwise.
func (r Response) OnlyError(t testing.TB) Error {
	t.Helper()
	if len(r.Errors) != 1 {
		t.Fatalf("want one error, got %s", r.Raw)
	}
	return r.Errors[0]
}

// ExecuteRequest runs req through gw.
func ExecuteRequest(t testing.TB, gw *gateway.Gateway, req *tributary.Request) Response {
	t.Helper()
	res := gw.Execute(context.Background(), req)
	var r Response
	if err := json.Unmarshal(res.Body, &r); err != nil {
		t.Fatalf("response is not JSON: %s", res.Body)
	}
	r.Raw = string(res.Body)
	return r
}
