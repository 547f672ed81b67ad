package graphql

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/upstream"
)

// The start-up SDL fetch follows the section's redirect policy: by default
// a redirect is an error naming followRedirects, and the other host gets
// no request, so none of the configured headers.
func TestSDLFetchRedirects(t *testing.T) {
	for _, policy := range []tributary.RedirectPolicy{"", tributary.RedirectAlways} {
		t.Run(string(policy), func(t *testing.T) {
			var otherCalls atomic.Int32
			var leaked atomic.Value
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				otherCalls.Add(1)
				leaked.Store(r.Header.Get("X-Tenant"))
				_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"_service": map[string]any{"sdl": accountsSDL}}})
			}))
			defer other.Close()
			service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1), http.StatusTemporaryRedirect)
			}))
			defer service.Close()
			c := &Config{URL: service.URL, Headers: map[string]string{"X-Tenant": "s3cret"}, FollowRedirects: policy}
			sg, err := c.Build(context.Background(), "accounts", tributary.BuildContext{HTTPClient: upstream.Factory{}.ForSubgraph("accounts")})
			if policy == tributary.RedirectAlways {
				if err != nil || sg.SDL != accountsSDL {
					t.Fatalf("followRedirects always: %v", err)
				}
				if v, _ := leaked.Load().(string); v != "" {
					t.Errorf("the other host got X-Tenant %q", v)
				}
				if sg.Remote.FollowRedirects != tributary.RedirectAlways {
					t.Errorf("Remote.FollowRedirects %q, want the section's", sg.Remote.FollowRedirects)
				}
				return
			}
			var fe *tributary.FieldError
			if !errors.As(err, &fe) || fe.Path != "url" || !strings.Contains(err.Error(), "redirected to http://localhost") ||
				!strings.Contains(err.Error(), "followRedirects") {
				t.Fatalf("err %v, want a redirect error at url naming followRedirects", err)
			}
			if n := otherCalls.Load(); n != 0 {
				t.Errorf("the other host got %d requests", n)
			}
		})
	}
}

// maxResponseBytes bounds the SDL fetch, and reaches the engine through
// Remote.
func TestMaxResponseBytesBoundsTheSDLFetch(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"_service": map[string]any{"sdl": accountsSDL}}})
	}))
	defer srv.Close()
	bc := tributary.BuildContext{HTTPClient: upstream.Factory{}.ForSubgraph("accounts")}
	small := &Config{URL: srv.URL, MaxResponseBytes: 64}
	_, err := small.Build(context.Background(), "accounts", bc)
	if err == nil || !strings.Contains(err.Error(), "graphql.maxResponseBytes (64 bytes)") {
		t.Fatalf("err %v, want the limit named", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("an oversized SDL was fetched %d times, want 1 (no retry)", n)
	}
	big := &Config{URL: srv.URL, MaxResponseBytes: 1 << 20}
	sg, err := big.Build(context.Background(), "accounts", bc)
	if err != nil {
		t.Fatal(err)
	}
	if sg.Remote.MaxResponseBytes != 1<<20 {
		t.Errorf("Remote.MaxResponseBytes %d, want the section's", sg.Remote.MaxResponseBytes)
	}
}

func TestValidateUpstreamKeys(t *testing.T) {
	c := &Config{URL: "http://localhost:4001/graphql", FollowRedirects: "sometimes", MaxResponseBytes: -1}
	errs := tributary.AsFieldErrors(c.Validate())
	paths := map[string]bool{}
	for _, e := range errs {
		paths[e.Path] = true
	}
	if !paths["followRedirects"] || !paths["maxResponseBytes"] || len(errs) != 2 {
		t.Errorf("Validate: %v, want followRedirects and maxResponseBytes", errs)
	}
	for _, p := range tributary.RedirectPolicies {
		c := &Config{URL: "http://localhost:4001/graphql", FollowRedirects: p}
		if err := c.Validate(); err != nil {
			t.Errorf("followRedirects %s: %v", p, err)
		}
	}
}
