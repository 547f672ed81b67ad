package sql_test

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
	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
)

// startGateway writes yaml and files to a temp dir, builds the gateway
// and checks that it is ready.
func startGateway(t testing.TB, yaml string, files map[string]string) *gateway.Gateway {
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
	if err := gw.Ready(context.Background()); err != nil {
		t.Fatalf("gateway not ready: %v", err)
	}
	return gw
}

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// response is a decoded GraphQL response.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	raw    string
}

func execute(t testing.TB, gw *gateway.Gateway, query string, vars map[string]any) response {
	t.Helper()
	return executeWith(t, gw, query, vars, nil)
}

func executeWith(t testing.TB, gw *gateway.Gateway, query string, vars map[string]any, header http.Header) response {
	t.Helper()
	varJSON, _ := json.Marshal(vars)
	res := gw.Execute(context.Background(), &tributary.Request{Query: query, Variables: varJSON, Header: header})
	var r response
	if err := json.Unmarshal(res.Body, &r); err != nil {
		t.Fatalf("response is not JSON: %s", res.Body)
	}
	r.raw = string(res.Body)
	return r
}

// assertData fails on errors and compares the data with want
// semantically.
func (r response) assertData(t testing.TB, want string) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.raw)
	}
	assertJSON(t, r.Data, want)
}

// assertJSON compares JSON documents semantically.
func assertJSON(t testing.TB, got json.RawMessage, want string) {
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

// firstError returns the response's first error, failing when there is
// none.
func (r response) firstError(t testing.TB) gqlError {
	t.Helper()
	if len(r.Errors) == 0 {
		t.Fatalf("want an error, got %s", r.raw)
	}
	return r.Errors[0]
}

// executeAs runs a query with headers and a caller identity.
func executeAs(t testing.TB, gw *gateway.Gateway, query string, header http.Header, caller *tributary.Identity) response {
	t.Helper()
	res := gw.Execute(context.Background(), &tributary.Request{Query: query, Header: header, Caller: caller})
	var r response
	if err := json.Unmarshal(res.Body, &r); err != nil {
		t.Fatalf("response is not JSON: %s", res.Body)
	}
	r.raw = string(res.Body)
	return r
}
