package openapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
)

// statusScript answers with the listed statuses in turn, then 200.
type statusScript struct {
	mu       sync.Mutex
	statuses []int
	header   http.Header
	calls    atomic.Int32
	bodies   []string
}

func (s *statusScript) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(s.calls.Add(1))
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies = append(s.bodies, string(body))
	s.mu.Unlock()
	if n <= len(s.statuses) {
		for k, v := range s.header {
			w.Header()[k] = v
		}
		w.WriteHeader(s.statuses[n-1])
		io.WriteString(w, `{"message":"busy"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"id":"1"}`)
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name      string
		field     string
		args      string
		retry     *RetryConfig
		statuses  []int
		wantCalls int32
		wantErr   int // the status reported, 0 for success
	}{
		{"503 twice then success", "Query.pet", `{"petId":"1"}`, nil, []int{503, 503}, 3, 0},
		{"gives up after attempts", "Query.pet", `{"petId":"1"}`, nil, []int{502, 502, 502, 502}, 3, 502},
		{"429 retried", "Query.pet", `{"petId":"1"}`, nil, []int{429}, 2, 0},
		{"4xx not retried", "Query.pet", `{"petId":"1"}`, nil, []int{400}, 1, 400},
		{"501 not retried", "Query.pet", `{"petId":"1"}`, nil, []int{501}, 1, 501},
		{"attempts 1 is no retry", "Query.pet", `{"petId":"1"}`, &RetryConfig{Attempts: 1}, []int{503}, 1, 503},
		{"POST not retried by default", "Mutation.createPet", `{"input":{"name":"a"}}`, nil, []int{503}, 1, 503},
		{"POST retried when listed, body replayed", "Mutation.createPet", `{"input":{"name":"a"}}`,
			&RetryConfig{Methods: []string{"post"}}, []int{503, 503}, 3, 0},
		{"GET not retried when not listed", "Query.pet", `{"petId":"1"}`, &RetryConfig{Methods: []string{"POST"}}, []int{503}, 1, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script := &statusScript{statuses: tt.statuses}
			srv := httptest.NewServer(script)
			defer srv.Close()
			cfg := &Config{Retry: tt.retry}
			if cfg.Retry != nil {
				cfg.Retry.MinWait = tributary.Duration(time.Millisecond)
				cfg.Retry.MaxWait = tributary.Duration(2 * time.Millisecond)
			}
			s := newTestSource(t, cfg, srv.URL, nil)
			_, err := resolve(s, tt.field, tt.args, nil)
			if n := script.calls.Load(); n != tt.wantCalls {
				t.Errorf("%d calls, want %d", n, tt.wantCalls)
			}
			switch {
			case tt.wantErr == 0 && err != nil:
				t.Errorf("error %v, want success", err)
			case tt.wantErr != 0:
				if e := gqlError(t, err); e.Extensions["statusCode"] != tt.wantErr {
					t.Errorf("extensions %v, want statusCode %d", e.Extensions, tt.wantErr)
				}
			}
			for i, b := range script.bodies {
				if b != script.bodies[0] {
					t.Errorf("attempt %d sent body %q, the first sent %q", i+1, b, script.bodies[0])
				}
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	script := &statusScript{statuses: []int{429, 503}, header: http.Header{"Retry-After": {"1"}}}
	srv := httptest.NewServer(script)
	defer srv.Close()
	s := newTestSource(t, &Config{Retry: &RetryConfig{MinWait: tributary.Duration(time.Millisecond), MaxWait: tributary.Duration(5 * time.Second)}}, srv.URL, nil)
	// Record the waits the policy asks for, but do not sleep them.
	var waits []time.Duration
	s.client.backoffFor = func(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
		waits = append(waits, s.client.backoff(minWait, maxWait, attempt, resp))
		return time.Millisecond
	}
	if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err != nil {
		t.Fatal(err)
	}
	if n := script.calls.Load(); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
	if len(waits) != 2 || waits[0] != time.Second || waits[1] != time.Second {
		t.Errorf("waits %v, want [1s 1s] from Retry-After", waits)
	}
}

func TestRetryWaitStopsOnCancel(t *testing.T) {
	script := &statusScript{statuses: []int{503, 503, 503}}
	srv := httptest.NewServer(script)
	defer srv.Close()
	s := newTestSource(t, &Config{Retry: &RetryConfig{MinWait: tributary.Duration(time.Hour), MaxWait: tributary.Duration(time.Hour)}}, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	s.client.backoffFor = func(time.Duration, time.Duration, int, *http.Response) time.Duration {
		cancel() // the caller goes away while the client waits an hour
		return time.Hour
	}
	_, err := s.ResolveField(ctx, tributary.FieldCall{TypeName: "Query", FieldName: "pet", Arguments: []byte(`{"petId":"1"}`)})
	if e := gqlError(t, err); e.Extensions["code"] != codeUnreachable {
		t.Errorf("error %v", e)
	}
	if n := script.calls.Load(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

// gatewayTransport stands for the transport of the gateway's client: it
// sees every attempt as it leaves, after the kind's credentials.
type gatewayTransport struct {
	mu             sync.Mutex
	authorizations []string
}

func (g *gatewayTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	g.mu.Lock()
	g.authorizations = append(g.authorizations, r.Header.Get("Authorization"))
	g.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// The kind sends through the client the gateway hands it (shared pool,
// tracing), asks it for the section's timeout, and puts its credentials
// and retries around it, so that every attempt is authenticated and leaves
// through the gateway's transport.
func TestSourceSendsThroughGatewayClient(t *testing.T) {
	script := &statusScript{statuses: []int{503}}
	srv := httptest.NewServer(script)
	defer srv.Close()
	gateway := &gatewayTransport{}
	var asked []tributary.HTTPClientOptions
	bc := tributary.BuildContext{HTTPClient: func(o tributary.HTTPClientOptions) *http.Client {
		asked = append(asked, o)
		return &http.Client{Transport: gateway, Timeout: o.Timeout}
	}}
	cfg := &Config{Spec: "./pets.yaml", Timeout: tributary.Duration(3 * time.Second),
		Auth:  &AuthConfig{Bearer: &BearerAuth{Token: "tok-1"}},
		Retry: &RetryConfig{MinWait: tributary.Duration(time.Millisecond), MaxWait: tributary.Duration(2 * time.Millisecond)}}
	s, err := cfg.newSource("pets", srv.URL, petDoc(), fakeWire{}, bc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 || asked[0].Timeout != 3*time.Second {
		t.Errorf("asked the gateway for clients %+v, want one with the section's timeout 3s", asked)
	}
	if got := s.client.std.Timeout; got != 3*time.Second {
		t.Errorf("each attempt is bounded by %v, want the gateway client's 3s", got)
	}
	gateway.mu.Lock()
	defer gateway.mu.Unlock()
	if len(gateway.authorizations) != 2 || gateway.authorizations[0] != "Bearer tok-1" || gateway.authorizations[1] != "Bearer tok-1" {
		t.Errorf("the gateway's transport saw Authorization %q, want two attempts with the bearer token", gateway.authorizations)
	}
}
