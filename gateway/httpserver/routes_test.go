package httpserver

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func TestGraphiQL(t *testing.T) {
	tests := []struct {
		name      string
		enabled   bool
		target    string
		accept    string
		wantPage  bool
		wantCode  int
		wantCalls int
	}{
		{"browser, enabled", true, "/graphql", browserAccept, true, 200, 0},
		{"browser, disabled", false, "/graphql", browserAccept, false, 400, 0},
		{"browser with a query runs it", true, "/graphql?query=%7Ba%7D", browserAccept, false, 200, 1},
		{"script without query", true, "/graphql", "*/*", false, 400, 0},
		{"html at q=0", true, "/graphql", "text/html;q=0, application/json", false, 400, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &fakeExecutor{}
			h := newTestHandler(t, exec, func(o *Options) { o.GraphiQL = tt.enabled })
			r := httptest.NewRequest(http.MethodGet, tt.target, nil)
			r.Header.Set("Accept", tt.accept)
			w := serve(h, r)
			if w.Code != tt.wantCode {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.wantCode, w.Body)
			}
			isPage := strings.HasPrefix(w.Header().Get("Content-Type"), "text/html")
			if isPage != tt.wantPage {
				t.Fatalf("served GraphiQL = %v, want %v (Content-Type %q)", isPage, tt.wantPage, w.Header().Get("Content-Type"))
			}
			if isPage {
				body := w.Body.String()
				for _, want := range []string{"graphiql.min.js", "integrity=", "subscriptionUrl", "window.location.pathname"} {
					if !strings.Contains(body, want) {
						t.Errorf("the page lacks %q", want)
					}
				}
				if w.Header().Get("Vary") != "Accept" {
					t.Errorf("Vary = %q, want Accept", w.Header().Get("Vary"))
				}
			}
			if exec.calls() != tt.wantCalls {
				t.Errorf("executor calls = %d, want %d", exec.calls(), tt.wantCalls)
			}
		})
	}
}

func TestCustomPathAndNotFound(t *testing.T) {
	exec := &fakeExecutor{}
	h := newTestHandler(t, exec, func(o *Options) { o.Path = "api/gql" })
	if w := serve(h, getQuery(url.Values{"query": {"{a}"}}, "")); w.Code != http.StatusNotFound {
		t.Errorf("/graphql with a custom path: status = %d, want 404", w.Code)
	}
	r := httptest.NewRequest(http.MethodGet, "/api/gql?query=%7Ba%7D", nil)
	if w := serve(h, r); w.Code != 200 {
		t.Errorf("/api/gql: status = %d, want 200: %s", w.Code, w.Body)
	}
	if exec.calls() != 1 {
		t.Errorf("executor calls = %d, want 1", exec.calls())
	}
}

func TestOptionsWithoutCORS(t *testing.T) {
	w := serve(newTestHandler(t, &fakeExecutor{}, nil), httptest.NewRequest(http.MethodOptions, "/graphql", nil))
	if w.Code != http.StatusNoContent || w.Header().Get("Allow") != allowedMethods {
		t.Errorf("OPTIONS: status %d, Allow %q; want 204 and %q", w.Code, w.Header().Get("Allow"), allowedMethods)
	}
}

func TestHealthProbes(t *testing.T) {
	notReady := errors.New("supergraph not composed yet")
	tests := []struct {
		name       string
		ready      func() error
		method     string
		path       string
		wantStatus int
		wantBody   map[string]string
	}{
		{"healthz", nil, http.MethodGet, "/healthz", 200, map[string]string{"status": "ok"}},
		{"healthz while not ready", func() error { return notReady }, http.MethodGet, "/healthz", 200, map[string]string{"status": "ok"}},
		{"readyz without check", nil, http.MethodGet, "/readyz", 200, map[string]string{"status": "ready"}},
		{"readyz ready", func() error { return nil }, http.MethodGet, "/readyz", 200, map[string]string{"status": "ready"}},
		{"readyz not ready", func() error { return notReady }, http.MethodGet, "/readyz", 503,
			map[string]string{"status": "unavailable", "reason": "supergraph not composed yet"}},
		{"healthz HEAD", nil, http.MethodHead, "/healthz", 200, nil},
		{"readyz POST", nil, http.MethodPost, "/readyz", 405, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestHandler(t, &fakeExecutor{}, func(o *Options) { o.Ready = tt.ready })
			w := serve(h, httptest.NewRequest(tt.method, tt.path, nil))
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if tt.wantBody == nil {
				return
			}
			if ct := w.Header().Get("Content-Type"); ct != ctJSON {
				t.Errorf("Content-Type = %q, want %q", ct, ctJSON)
			}
			var got map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %s: %v", w.Body, err)
			}
			if len(got) != len(tt.wantBody) {
				t.Errorf("body = %v, want %v", got, tt.wantBody)
			}
			for k, v := range tt.wantBody {
				if got[k] != v {
					t.Errorf("body[%q] = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestMiddlewareWrapsOnlyTheGraphQLRoute(t *testing.T) {
	var seen []string
	mw := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.URL.Path)
			next.ServeHTTP(w, r)
		})
	}
	h := newTestHandler(t, &fakeExecutor{}, func(o *Options) { o.Middleware = mw })
	serve(h, postJSON(`{"query":"{a}"}`, ""))
	serve(h, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if len(seen) != 1 || seen[0] != "/graphql" {
		t.Errorf("middleware saw %v, want [/graphql]", seen)
	}
}

func TestNewHandlerWithoutExecutorPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewHandler without an Executor did not panic")
		}
	}()
	NewHandler(Options{})
}
