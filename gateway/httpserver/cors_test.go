package httpserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func preflight(origin, method, headers string) *http.Request {
	r := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
	r.Header.Set("Origin", origin)
	r.Header.Set("Access-Control-Request-Method", method)
	if headers != "" {
		r.Header.Set("Access-Control-Request-Headers", headers)
	}
	return r
}

func TestCORS(t *testing.T) {
	const app = "https://app.example.com"
	tests := []struct {
		name        string
		cors        CORSOptions
		request     func() *http.Request
		wantStatus  int
		wantHeaders map[string]string // "" means the header must be absent
		wantCalls   int
	}{
		{
			name:       "preflight from an allowed origin",
			cors:       CORSOptions{AllowOrigins: []string{app + "/"}, MaxAge: 10 * time.Minute},
			request:    func() *http.Request { return preflight(app, "POST", "content-type") },
			wantStatus: 204,
			wantHeaders: map[string]string{
				"Access-Control-Allow-Origin":      app,
				"Access-Control-Allow-Methods":     "GET, POST",
				"Access-Control-Allow-Headers":     "Content-Type, Authorization",
				"Access-Control-Max-Age":           "600",
				"Access-Control-Allow-Credentials": "",
				"Vary":                             "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
			},
		},
		{
			name:       "preflight from a denied origin",
			cors:       CORSOptions{AllowOrigins: []string{app}},
			request:    func() *http.Request { return preflight("https://evil.example", "POST", "") },
			wantStatus: 204,
			wantHeaders: map[string]string{
				"Access-Control-Allow-Origin":  "",
				"Access-Control-Allow-Methods": "",
				"Access-Control-Allow-Headers": "",
			},
		},
		{
			name:        "preflight for a method the route does not serve",
			cors:        CORSOptions{AllowOrigins: []string{"*"}},
			request:     func() *http.Request { return preflight(app, "DELETE", "") },
			wantStatus:  204,
			wantHeaders: map[string]string{"Access-Control-Allow-Origin": ""},
		},
		{
			name:       "wildcard origin without credentials",
			cors:       CORSOptions{AllowOrigins: []string{"*"}, AllowHeaders: []string{"X-Token"}},
			request:    func() *http.Request { return preflight(app, "GET", "x-token") },
			wantStatus: 204,
			wantHeaders: map[string]string{
				"Access-Control-Allow-Origin":  "*",
				"Access-Control-Allow-Headers": "X-Token",
				"Access-Control-Max-Age":       "",
			},
		},
		{
			name:       "wildcard origin with credentials echoes the origin",
			cors:       CORSOptions{AllowOrigins: []string{"*"}, AllowCredentials: true, AllowHeaders: []string{"*"}},
			request:    func() *http.Request { return preflight(app, "POST", "content-type, x-trace") },
			wantStatus: 204,
			wantHeaders: map[string]string{
				"Access-Control-Allow-Origin":      app,
				"Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Headers":     "content-type, x-trace",
			},
		},
		{
			name:       "simple request from an allowed origin",
			cors:       CORSOptions{AllowOrigins: []string{"HTTPS://APP.example.com"}, AllowCredentials: true},
			request:    func() *http.Request { r := postJSON(`{"query":"{a}"}`, ""); r.Header.Set("Origin", app); return r },
			wantStatus: 200,
			wantHeaders: map[string]string{
				"Access-Control-Allow-Origin":      app,
				"Access-Control-Allow-Credentials": "true",
				"Vary":                             "Origin",
			},
			wantCalls: 1,
		},
		{
			name: "simple request from a denied origin",
			cors: CORSOptions{AllowOrigins: []string{app}, AllowCredentials: true},
			request: func() *http.Request {
				r := postJSON(`{"query":"{a}"}`, "")
				r.Header.Set("Origin", "https://evil.example")
				return r
			},
			wantStatus: 200,
			wantHeaders: map[string]string{
				"Access-Control-Allow-Origin":      "",
				"Access-Control-Allow-Credentials": "",
				"Vary":                             "Origin",
			},
			wantCalls: 1,
		},
		{
			name:       "CORS off",
			cors:       CORSOptions{},
			request:    func() *http.Request { r := postJSON(`{"query":"{a}"}`, ""); r.Header.Set("Origin", app); return r },
			wantStatus: 200,
			wantHeaders: map[string]string{
				"Access-Control-Allow-Origin": "",
				"Vary":                        "",
			},
			wantCalls: 1,
		},
		{
			name:        "preflight with CORS off",
			cors:        CORSOptions{},
			request:     func() *http.Request { return preflight(app, "POST", "") },
			wantStatus:  204,
			wantHeaders: map[string]string{"Access-Control-Allow-Origin": "", "Allow": allowedMethods},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &fakeExecutor{}
			h := newTestHandler(t, exec, func(o *Options) { o.CORS = tt.cors })
			w := serve(h, tt.request())
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			for name, want := range tt.wantHeaders {
				got := strings.Join(w.Header().Values(name), ", ")
				if got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if exec.calls() != tt.wantCalls {
				t.Errorf("executor calls = %d, want %d", exec.calls(), tt.wantCalls)
			}
		})
	}
}
