package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// syncBuffer is a log sink the server's goroutines may write to while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records decodes the JSON log records with message msg.
func (b *syncBuffer) records(t *testing.T, msg string) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(b.buf.Bytes()))
	for dec.More() {
		var rec map[string]any
		if err := dec.Decode(&rec); err != nil {
			t.Fatalf("log: %v", err)
		}
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// brokenService is how the accounts and inventory services fail.
type brokenService struct {
	name string
	// serve answers every request; nil means nothing listens.
	serve http.HandlerFunc
	// yaml is added to each broken subgraph's graphql section.
	yaml    string
	code    string
	status  float64
	details []string // beyond the service's host:port
}

// startBroken serves b on loopback, or returns the URL of a port nothing
// listens on. A request's context ends when its client leaves or when the
// test ends, whichever comes first.
func startBroken(t *testing.T, b brokenService) string {
	ended, end := context.WithCancel(context.Background())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // then the server notices a client that leaves
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		defer context.AfterFunc(ended, cancel)()
		b.serve(w, r.WithContext(ctx))
	}))
	if b.serve == nil {
		srv.Close()
		end()
		return srv.URL
	}
	t.Cleanup(srv.Close)
	t.Cleanup(end) // runs first: handlers end before the server waits for them
	return srv.URL
}

// A gateway whose accounts and inventory services fail answers what the
// others can, with an error at each field the failed ones were to fill:
// me (a root field of accounts) and the product whose non-null inStock
// (from inventory, through _entities) could not be had. Each error names
// the cause and the subgraph; the services' addresses and bodies reach the
// client only with errors.exposeSubgraphDetails, and every failure is
// logged with them.
func TestSubgraphFailuresOverHTTP(t *testing.T) {
	hangUntilGone := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	for _, b := range []brokenService{
		{name: "down", code: "SUBGRAPH_UNAVAILABLE", details: []string{"connection refused"}},
		{name: "hangs past graphql.timeout", serve: hangUntilGone, yaml: "      timeout: 200ms\n", code: "SUBGRAPH_TIMEOUT"},
		{name: "503 with HTML", code: "SUBGRAPH_HTTP_ERROR", status: 503, details: []string{"<title>503", "lb-3.internal:8443"},
			serve: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, "<html><head><title>503 Service Unavailable</title></head><body>no healthy upstream (lb-3.internal:8443)</body></html>")
			}},
		{name: "200 with garbage", code: "SUBGRAPH_INVALID_RESPONSE", status: 200, details: []string{"Traceback", "worker-9"},
			serve: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, "Traceback (most recent call last): worker-9 crashed")
			}},
	} {
		for _, expose := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, exposeSubgraphDetails %v", b.name, expose), func(t *testing.T) {
				services, urls := startSubgraphs(t)
				files := map[string]string{}
				var yaml strings.Builder
				if expose {
					yaml.WriteString("errors:\n  exposeSubgraphDetails: true\n")
				}
				yaml.WriteString("subgraphs:\n")
				broken := map[string]string{}
				for _, name := range []string{"accounts", "products", "inventory", "reviews"} {
					fmt.Fprintf(&yaml, "  - name: %s\n    graphql:\n", name)
					if name != "accounts" && name != "inventory" {
						fmt.Fprintf(&yaml, "      url: %s\n", urls[name])
						continue
					}
					url := startBroken(t, b)
					broken[name] = strings.TrimPrefix(url, "http://")
					files[name+".graphql"] = services[name].SDL
					fmt.Fprintf(&yaml, "      url: %s\n      sdlFile: %s.graphql\n%s", url, name, b.yaml)
				}
				logs := &syncBuffer{}
				_, endpoint := startGatewayLogging(t, yaml.String(), files, slog.New(slog.NewJSONHandler(logs, nil)))

				r := post(t, endpoint, `{ me { username } product(upc: "1") { upc name inStock } topProducts(first: 2) { name } }`, nil)
				gatewaytest.AssertJSON(t, r.Data, `{"me":null,"product":null,"topProducts":[{"name":"Table"},{"name":"Couch"}]}`)
				want := map[string]string{`["me"]`: "accounts", `["product"]`: "inventory"}
				for _, er := range r.Errors {
					if msg, _ := er["message"].(string); strings.HasPrefix(msg, "Cannot return null for non-nullable field") {
						continue // inStock's own, which nulls product
					}
					path, _ := json.Marshal(er["path"])
					ext, _ := er["extensions"].(map[string]any)
					service, ok := want[string(path)]
					var status any
					if b.status != 0 {
						status = b.status
					}
					if !ok || ext["code"] != b.code || ext["serviceName"] != service || ext["statusCode"] != status {
						t.Errorf("error %v; want %s with statusCode %v at one of %v", er, b.code, status, want)
					}
					delete(want, string(path))
				}
				if len(want) > 0 {
					t.Errorf("no error at %v: %s", want, r.raw)
				}
				for name, hostPort := range broken {
					for _, detail := range append([]string{hostPort}, b.details...) {
						if strings.Contains(string(r.raw), detail) != expose {
							t.Errorf("%s: %q reaches the client: %v, want %v: %s", name, detail, !expose, expose, r.raw)
						}
					}
				}

				logged := map[string]bool{}
				for _, rec := range logs.records(t, "subgraph request failed") {
					subgraph, _ := rec["subgraph"].(string)
					text := fmt.Sprint(rec["cause"], " ", rec["body"])
					if rec["code"] != b.code || !strings.Contains(text, broken[subgraph]) {
						t.Errorf("log record %v: want %s and %s", rec, b.code, broken[subgraph])
					}
					for _, detail := range b.details {
						if !strings.Contains(text, detail) {
							t.Errorf("log record %v lacks %q", rec, detail)
						}
					}
					logged[subgraph+" "+fmt.Sprint(rec["paths"])] = true
				}
				for _, want := range []string{`accounts [["me"]]`, `inventory [["product"]]`} {
					if !logged[want] {
						t.Errorf("no log record for %s: %v", want, logged)
					}
				}
			})
		}
	}
}
