package openapi

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// Close releases the idle keep-alive connections to the service, whatever
// authentication wraps the pool.
func TestCloseReleasesIdleConnections(t *testing.T) {
	tests := []struct {
		name string
		auth func(tokenURL string) *AuthConfig
	}{
		{"no auth", func(string) *AuthConfig { return nil }},
		{"bearer", func(string) *AuthConfig { return &AuthConfig{Bearer: &BearerAuth{Token: "t"}} }},
		{"api key in query", func(string) *AuthConfig {
			return &AuthConfig{APIKey: &APIKeyAuth{Name: "key", In: "query", Value: "k"}}
		}},
		{"oauth1", func(string) *AuthConfig {
			return &AuthConfig{OAuth1: &OAuth1Auth{ConsumerKey: "ck", ConsumerSecret: "cs"}}
		}},
		{"oauth2", func(tokenURL string) *AuthConfig {
			return &AuthConfig{OAuth2: &OAuth2Auth{TokenURL: tokenURL, ClientID: "id", ClientSecret: "secret"}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var open atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				if r.URL.Path == "/token" {
					_, _ = io.WriteString(w, `{"access_token":"tok","token_type":"bearer","expires_in":3600}`)
					return
				}
				_, _ = io.WriteString(w, `[]`)
			}))
			srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
				switch state {
				case http.StateNew:
					open.Add(1)
				case http.StateClosed, http.StateHijacked:
					open.Add(-1)
				}
			}
			srv.Start()
			defer srv.Close()
			s := newTestSource(t, &Config{Auth: tt.auth(srv.URL + "/token")}, srv.URL+"/v1", nil)
			if _, err := resolve(s, "Query.pets", `{}`, nil); err != nil {
				t.Fatalf("ResolveField: %v", err)
			}
			if open.Load() == 0 {
				t.Fatal("no connection stayed open after the request")
			}
			if err := s.close(context.Background()); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(5 * time.Second); open.Load() != 0; time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("%d connections still open after Close", open.Load())
				}
			}
		})
	}
}
