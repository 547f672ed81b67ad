package graphql

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

const accountsSDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { me: User }
type User @key(fields: "id") { id: ID! name: String }
`

// sdlBody is a successful `_service` answer carrying sdl.
func sdlBody(sdl string) string {
	b, _ := json.Marshal(map[string]any{"data": map[string]any{"_service": map[string]any{"sdl": sdl}}})
	return string(b)
}

// testFetcher returns a fetcher for endpoint whose waits do not sleep: wait
// is called with the attempt number and may end the retries by returning an
// error.
func testFetcher(endpoint string, wait func(ctx context.Context, attempt int) error) *sdlFetcher {
	f := newSDLFetcher(&http.Client{}, endpoint, http.Header{"X-Gateway": {"tributary"}}, 2*time.Second, time.Minute, slog.New(slog.DiscardHandler))
	f.wait = wait
	return f
}

// giveUpAfter simulates a start-up budget that lasts for n attempts.
func giveUpAfter(n int) func(context.Context, int) error {
	return func(_ context.Context, attempt int) error {
		if attempt >= n {
			return context.DeadlineExceeded
		}
		return nil
	}
}

func TestFetchSendsServiceQueryWithStaticHeaders(t *testing.T) {
	var gotBody, gotGateway, gotContentType, gotMethod string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotMethod = string(b), r.Method
		gotGateway, gotContentType = r.Header.Get("X-Gateway"), r.Header.Get("Content-Type")
		io.WriteString(w, sdlBody(accountsSDL))
	}))
	defer srv.Close()

	sdl, err := testFetcher(srv.URL, giveUpAfter(1)).fetch(context.Background())
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	if sdl != accountsSDL {
		t.Errorf("sdl = %q, want %q", sdl, accountsSDL)
	}
	var req struct{ Query string }
	if err := json.Unmarshal([]byte(gotBody), &req); err != nil {
		t.Fatalf("request body %q is not JSON: %v", gotBody, err)
	}
	if !strings.Contains(req.Query, "_service") || !strings.Contains(req.Query, "sdl") {
		t.Errorf("query = %q, want the _service { sdl } query", req.Query)
	}
	if gotMethod != http.MethodPost || gotContentType != "application/json" || gotGateway != "tributary" {
		t.Errorf("method %q, Content-Type %q, X-Gateway %q; want POST, application/json, tributary", gotMethod, gotContentType, gotGateway)
	}
}

func TestFetchRetriesWhileSubgraphFails(t *testing.T) {
	for _, failures := range []int{0, 1, 4} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if int(calls.Add(1)) <= failures {
				http.Error(w, "starting up", http.StatusServiceUnavailable)
				return
			}
			io.WriteString(w, sdlBody(accountsSDL))
		}))
		var waits int
		f := testFetcher(srv.URL, func(context.Context, int) error { waits++; return nil })
		sdl, err := f.fetch(context.Background())
		srv.Close()
		if err != nil {
			t.Fatalf("%d failures: fetch: %v", failures, err)
		}
		if sdl != accountsSDL {
			t.Errorf("%d failures: wrong sdl %q", failures, sdl)
		}
		if int(calls.Load()) != failures+1 || waits != failures {
			t.Errorf("%d failures: %d calls and %d waits, want %d and %d", failures, calls.Load(), waits, failures+1, failures)
		}
	}
}

// TestFetchWaitsForSubgraphToListen starts the subgraph only after the
// gateway's first attempts were refused, as when both start together.
func TestFetchWaitsForSubgraphToListen(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: connections are refused

	var calls atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.WriteString(w, sdlBody(accountsSDL))
	}))
	defer srv.Close()

	var waits []int
	f := testFetcher("http://"+addr+"/graphql", func(_ context.Context, attempt int) error {
		waits = append(waits, attempt)
		if attempt == 2 {
			l, err := net.Listen("tcp", addr)
			if err != nil {
				t.Fatalf("port %s was taken by another process before the retry could listen on it: %v", addr, err)
			}
			srv.Listener = l
			srv.Start()
		}
		return nil
	})
	sdl, err := f.fetch(context.Background())
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	if sdl != accountsSDL || calls.Load() != 1 || len(waits) != 2 {
		t.Errorf("sdl %q, %d served calls, waits %v; want the SDL, 1 call, waits [1 2]", sdl, calls.Load(), waits)
	}
}

func TestFetchConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + ln.Addr().String() + "/graphql"
	ln.Close()

	_, err = testFetcher(endpoint, giveUpAfter(3)).fetch(context.Background())
	want := "cannot fetch SDL from " + endpoint + ": connection refused; is the service running? (or set graphql.sdlFile) (gave up after 3 attempts"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err = %v\nwant prefix %s", err, want)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("err does not wrap ECONNREFUSED: %#v", err)
	}
}

func TestFetchErrors(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantCalls   int32 // 3 when the failure is retried until giveUpAfter(3)
		want        []string
	}{
		{"server error is retried", 500, "text/plain", "boom: database down", 3,
			[]string{"HTTP status 500 Internal Server Error", `"boom: database down"`, "gave up after 3 attempts"}},
		{"not found is not retried", 404, "text/plain", "404 page not found", 1,
			[]string{"HTTP status 404 Not Found", "page not found", "check graphql.url"}},
		{"long body is cut", 502, "text/html", strings.Repeat("x", 5000), 3,
			[]string{"HTTP status 502", strings.Repeat("x", maxExcerptBytes) + "…\""}},
		{"GraphQL errors", 200, "application/json", `{"errors":[{"message":"not authorized"},{"message":"try again"}]}`, 1,
			[]string{"answered with GraphQL errors: not authorized; try again"}},
		{"GraphQL errors with a 400", 400, "application/graphql-response+json", `{"errors":[{"message":"bad token"}]}`, 1,
			[]string{"answered with GraphQL errors (HTTP 400 Bad Request): bad token"}},
		{"not a federation subgraph: unknown field", 400, "application/json",
			`{"errors":[{"message":"Cannot query field \"_service\" on type \"Query\"."}]}`, 1,
			[]string{"not an Apollo Federation subgraph", `Cannot query field "_service"`, "graphql.sdlFile"}},
		{"not a federation subgraph: no _service", 200, "application/json", `{"data":{}}`, 1,
			[]string{"no data._service", "not an Apollo Federation subgraph"}},
		{"null data", 200, "application/json", `{"data":null}`, 1,
			[]string{"not an Apollo Federation subgraph"}},
		{"empty SDL", 200, "application/json", `{"data":{"_service":{"sdl":"  \n"}}}`, 1,
			[]string{"_service.sdl is empty"}},
		{"null SDL", 200, "application/json", `{"data":{"_service":{"sdl":null}}}`, 1,
			[]string{"_service.sdl is empty"}},
		{"non-JSON", 200, "text/html", "<html><body>Welcome</body></html>", 1,
			[]string{"not a JSON GraphQL response", `Content-Type "text/html"`, "<html><body>Welcome"}},
		{"empty body", 200, "application/json", "", 1,
			[]string{"not a JSON GraphQL response", "(empty body)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()

			_, err := testFetcher(srv.URL, giveUpAfter(3)).fetch(context.Background())
			if err == nil {
				t.Fatal("fetch succeeded, want an error")
			}
			if !strings.HasPrefix(err.Error(), "cannot fetch SDL from "+srv.URL+": ") {
				t.Errorf("error does not say what failed where: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls.Load(), tt.wantCalls)
			}
		})
	}
}

func TestFetchBoundsResponseSize(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"data":{"_service":{"sdl":"`)
		chunk := strings.Repeat("a", 1<<20)
		for range 17 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		io.WriteString(w, `"}}}`)
	}))
	defer srv.Close()

	_, err := testFetcher(srv.URL, giveUpAfter(3)).fetch(context.Background())
	if err == nil || !strings.Contains(err.Error(), "larger than graphql.maxResponseBytes (16777216 bytes)") {
		t.Fatalf("err = %v, want the size bound", err)
	}
}

func TestFetchAttemptTimeout(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.Copy(io.Discard, r.Body)
		select { // never answers while the gateway waits
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)

	f := testFetcher(srv.URL, giveUpAfter(2))
	f.attemptTimeout = 20 * time.Millisecond
	_, err := f.fetch(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no response within 20ms (graphql.timeout)") {
		t.Fatalf("err = %v, want the per-request timeout", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d calls, want 2: timeouts are retried", calls.Load())
	}
}

func TestFetchStopsWhenStartUpIsCancelled(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := testFetcher(srv.URL, func(ctx context.Context, attempt int) error {
		if attempt == 2 {
			cancel()
			return ctx.Err()
		}
		return nil
	})
	_, err := f.fetch(ctx)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "start-up was cancelled") {
		t.Fatalf("err = %v, want cancellation", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d calls, want 2", calls.Load())
	}
}

func TestExponentialBackoffRespectsDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	// The fifth wait is 1.6s: longer than the budget left, so it ends at once.
	if err := exponentialBackoff(ctx, 5); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
	cancelled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if err := exponentialBackoff(cancelled, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want Canceled", err)
	}
	if err := exponentialBackoff(context.Background(), 1); err != nil {
		t.Errorf("a 100ms wait without deadline failed: %v", err)
	}
}

// FuzzDecodeSDL feeds arbitrary response bodies to the SDL decoder: it must
// return an SDL or an error naming the endpoint, never panic.
func FuzzDecodeSDL(f *testing.F) {
	for _, seed := range []string{sdlBody(accountsSDL), `{"data":{}}`, `{"errors":[{"message":"x"}]}`,
		`{"data":{"_service":{"sdl":7}}}`, `{"errors":"oops"}`, `<html>`, ``, `null`} {
		f.Add([]byte(seed))
	}
	fetcher := testFetcher("http://subgraph.test/graphql", giveUpAfter(1))
	resp := &http.Response{Header: http.Header{"Content-Type": {"application/json"}}}
	f.Fuzz(func(t *testing.T, body []byte) {
		sdl, err := fetcher.decodeSDL(resp, body)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "cannot fetch SDL from http://subgraph.test/graphql: ") {
				t.Fatalf("error does not name the endpoint: %v", err)
			}
			return
		}
		if strings.TrimSpace(sdl) == "" {
			t.Fatal("empty SDL accepted")
		}
	})
}
