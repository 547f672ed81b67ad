package openapi

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/upstream"
)

// newGatewaySource builds a source whose HTTP client comes from the
// gateway's upstream factory, as in a running gateway.
func newGatewaySource(t *testing.T, cfg *Config, baseURL string) *source {
	t.Helper()
	cfg.Spec = "./pets.yaml"
	if cfg.Retry == nil {
		cfg.Retry = &RetryConfig{MinWait: tributary.Duration(time.Millisecond), MaxWait: tributary.Duration(2 * time.Millisecond)}
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	bc := tributary.BuildContext{HTTPClient: upstream.Factory{}.ForSubgraph("pets")}
	s, err := cfg.newSource("pets", baseURL, petDoc(), fakeWire{}, bc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// recorder is a service on loopback that keeps what each request carried.
type recorder struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
}

func newRecorder(t *testing.T, handler http.HandlerFunc) *recorder {
	t.Helper()
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.requests = append(r.requests, req.Clone(context.Background()))
		r.mu.Unlock()
		handler(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) received() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.requests...)
}

// otherHost is u with its 127.0.0.1 host written localhost: the same
// server, reached as another host.
func otherHost(u string) string { return strings.Replace(u, "127.0.0.1", "localhost", 1) }

func answerPet(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"id":"1","name":"stolen"}`))
}

// A service that redirects to another host must not hand that host the
// section's credentials, headers or forwarded headers, nor get its answer
// taken for data unless followRedirects says so.
func TestRedirectsKeepCredentialsAtTheService(t *testing.T) {
	auths := map[string]*AuthConfig{
		"bearer": {Bearer: &BearerAuth{Token: "s3cret"}},
		"basic":  {Basic: &BasicAuth{Username: "u", Password: "s3cret"}},
		"apiKey": {APIKey: &APIKeyAuth{Name: "X-Api-Key", Value: "s3cret"}},
		"query":  {APIKey: &APIKeyAuth{Name: "key", In: "query", Value: "s3cret"}},
		"cookie": {APIKey: &APIKeyAuth{Name: "key", In: "cookie", Value: "s3cret"}},
		"oauth1": {OAuth1: &OAuth1Auth{ConsumerKey: "ck", ConsumerSecret: "s3cret", Token: "t", TokenSecret: "s3cret"}},
	}
	for _, policy := range []tributary.RedirectPolicy{"", tributary.RedirectSameHost, tributary.RedirectAlways} {
		for name, auth := range auths {
			t.Run(string(policy)+"/"+name, func(t *testing.T) {
				other := newRecorder(t, answerPet)
				service := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, otherHost(other.URL)+"/stolen?x=1", http.StatusFound)
				})
				s := newGatewaySource(t, &Config{Auth: auth, FollowRedirects: policy,
					Headers:        map[string]string{"X-Tenant": "s3cret"},
					ForwardHeaders: []string{"X-Client-Token", "X-From: X-Renamed"}}, service.URL)
				value, err := resolve(s, "Query.pet", `{"petId":"1"}`,
					http.Header{"X-Client-Token": {"s3cret"}, "X-From": {"s3cret"}})
				got := other.received()
				if policy != tributary.RedirectAlways {
					if len(got) != 0 {
						t.Fatalf("the other host got %d requests, want none", len(got))
					}
					e := gqlError(t, err)
					if e.Extensions["code"] != codeRedirect || !strings.Contains(e.Message, "redirected to http://localhost") ||
						!strings.Contains(e.Message, "followRedirects") {
						t.Fatalf("error %v %v, want a redirect error naming followRedirects", e.Message, e.Extensions)
					}
					return
				}
				if err != nil || !strings.Contains(string(value), "stolen") {
					t.Fatalf("followRedirects always: %s, %v", value, err)
				}
				if len(got) != 1 {
					t.Fatalf("the other host got %d requests, want 1", len(got))
				}
				for k, vs := range got[0].Header {
					for _, v := range vs {
						if strings.Contains(v, "s3cret") || k == "Authorization" || k == "Cookie" {
							t.Errorf("the other host got %s: %s", k, v)
						}
					}
				}
				if strings.Contains(got[0].URL.RawQuery, "s3cret") {
					t.Errorf("the other host got the query %q", got[0].URL.RawQuery)
				}
				if first := service.received(); len(first) != 1 || !carriesSecret(first[0]) {
					t.Errorf("the service itself did not get the credentials")
				}
			})
		}
	}
}

func carriesSecret(r *http.Request) bool {
	if strings.Contains(r.URL.RawQuery, "s3cret") {
		return true
	}
	for _, vs := range r.Header {
		for _, v := range vs {
			if strings.Contains(v, "s3cret") || strings.HasPrefix(v, "Basic ") || strings.HasPrefix(v, "OAuth ") {
				return true
			}
		}
	}
	return false
}

// sameHost follows a redirect on the service's own origin, with the
// credentials.
func TestRedirectSameHostFollowsWithinTheService(t *testing.T) {
	var service *recorder
	service = newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/pets/1" {
			http.Redirect(w, r, service.URL+"/v2/pets/1", http.StatusMovedPermanently)
			return
		}
		answerPet(w, r)
	})
	s := newGatewaySource(t, &Config{FollowRedirects: tributary.RedirectSameHost, Auth: &AuthConfig{Bearer: &BearerAuth{Token: "s3cret"}}}, service.URL)
	if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err != nil {
		t.Fatal(err)
	}
	got := service.received()
	if len(got) != 2 || got[1].URL.Path != "/v2/pets/1" || got[1].Header.Get("Authorization") != "Bearer s3cret" {
		t.Fatalf("the service got %d requests; want the redirect followed with the token", len(got))
	}
}

// A request whose URL would be over maxURLBytes is an error at its field
// and never leaves.
func TestURLLengthIsCapped(t *testing.T) {
	service := newRecorder(t, answerPet)
	ids := make([]string, 20000)
	for i := range ids {
		ids[i] = `"1234"`
	}
	for _, tt := range []struct {
		max, want int
	}{{0, 8192}, {100, 100}} {
		s := newGatewaySource(t, &Config{MaxURLBytes: tt.max}, service.URL)
		_, err := resolve(s, "Query.petsByIds", `{"ids":[`+strings.Join(ids, ",")+`]}`, nil)
		e := gqlError(t, err)
		if e.Extensions["code"] != codeURLTooLong || !strings.Contains(e.Message, "the request URL would be") ||
			!strings.Contains(e.Message, "over the limit of "+strconv.Itoa(tt.want)) {
			t.Errorf("maxURLBytes %d: error %q %v, want the URL limit %d", tt.max, e.Message, e.Extensions, tt.want)
		}
	}
	if n := len(service.received()); n != 0 {
		t.Errorf("the service got %d requests, want none", n)
	}
	s := newGatewaySource(t, &Config{}, service.URL)
	if _, err := resolve(s, "Query.petsByIds", `{"ids":["1","2"]}`, nil); err != nil {
		t.Errorf("a short URL: %v", err)
	}
}

// resetting is a service that answers the first request on each connection
// 503 and resets the connection on the next, counting the requests it
// reads.
type resetting struct {
	ln       net.Listener
	requests atomic.Int32
}

func newResetting(t *testing.T) *resetting {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &resetting{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go r.serve(conn.(*net.TCPConn))
		}
	}()
	return r
}

func (r *resetting) serve(conn *net.TCPConn) {
	defer conn.Close()
	buf := make([]byte, 64<<10)
	for n := 0; ; n++ {
		// Requests here are GETs without a body: one read holds one.
		if k, err := conn.Read(buf); err != nil || k == 0 {
			return
		}
		r.requests.Add(1)
		if n > 0 {
			_ = conn.SetLinger(0) // close with RST
			return
		}
		_, _ = conn.Write([]byte("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"))
	}
}

// retry.attempts is the number of requests the service receives, even
// when connections are reset after the request went out (net/http would
// resend such a GET by itself on a fresh connection).
func TestAttemptsCountConnectionResets(t *testing.T) {
	for _, attempts := range []int{2, 3, 5} {
		srv := newResetting(t)
		s := newGatewaySource(t, &Config{Retry: &RetryConfig{Attempts: attempts,
			MinWait: tributary.Duration(time.Millisecond), MaxWait: tributary.Duration(time.Millisecond)}}, "http://"+srv.ln.Addr().String())
		if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err == nil {
			t.Fatalf("attempts %d: no error", attempts)
		}
		if n := srv.requests.Load(); int(n) != attempts {
			t.Errorf("retry.attempts %d: the service read %d requests", attempts, n)
		}
	}
}

// A retry whose backoff would end after the request's deadline is not
// waited for: the call answers with what the last attempt got, at once.
func TestNoBackoffPastTheDeadline(t *testing.T) {
	script := &statusScript{statuses: []int{503, 503, 503}}
	srv := httptest.NewServer(script)
	defer srv.Close()
	s := newGatewaySource(t, &Config{Retry: &RetryConfig{MinWait: tributary.Duration(time.Minute), MaxWait: tributary.Duration(time.Minute)}}, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := s.ResolveField(ctx, tributary.FieldCall{TypeName: "Query", FieldName: "pet", Arguments: []byte(`{"petId":"1"}`)})
	if ctx.Err() != nil {
		t.Fatal("the call waited for the deadline")
	}
	if e := gqlError(t, err); e.Extensions["statusCode"] != 503 {
		t.Errorf("error %q %v, want the last attempt's 503", e.Message, e.Extensions)
	}
	if n := script.calls.Load(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

// hanging is a service that never answers, counting the requests it got.
type hanging struct {
	*httptest.Server
	requests atomic.Int32
}

func newHanging(t *testing.T) *hanging {
	h := &hanging{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.requests.Add(1)
		<-r.Context().Done()
	}))
	t.Cleanup(h.Close)
	return h
}

// Attempts against a service that hangs stop at the request's deadline,
// each bounded by what is left of it: a budget of 2.5 attempt timeouts
// makes three requests (the third cut short), not retry.attempts.
func TestRetriesStayWithinTheDeadline(t *testing.T) {
	srv := newHanging(t)
	const attemptTimeout = 400 * time.Millisecond
	s := newGatewaySource(t, &Config{Timeout: tributary.Duration(attemptTimeout), Retry: &RetryConfig{Attempts: 10,
		MinWait: tributary.Duration(time.Millisecond), MaxWait: tributary.Duration(time.Millisecond)}}, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), attemptTimeout*5/2)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := s.ResolveField(ctx, tributary.FieldCall{TypeName: "Query", FieldName: "pet", Arguments: []byte(`{"petId":"1"}`)})
		done <- err
	}()
	select {
	case err := <-done:
		if e := gqlError(t, err); e.Extensions["code"] != codeUnreachable {
			t.Errorf("error %q %v", e.Message, e.Extensions)
		}
	case <-time.After(10 * attemptTimeout):
		t.Fatal("the call did not return once its context ended")
	}
	if n := srv.requests.Load(); n != 3 {
		t.Errorf("%d requests within a budget of 2.5 attempt timeouts, want 3", n)
	}
}

// An oversized body is not retried.
func TestOversizedResponseIsNotRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = w.Write(make([]byte, 2048))
	}))
	defer srv.Close()
	s := newGatewaySource(t, &Config{MaxResponseBytes: 1024}, srv.URL)
	_, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil)
	if e := gqlError(t, err); e.Extensions["code"] != codeTooLarge {
		t.Errorf("error %q %v", e.Message, e.Extensions)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestValidateUpstreamKeys(t *testing.T) {
	c := &Config{Spec: "./pets.yaml", FollowRedirects: "sometimes", MaxURLBytes: -1}
	paths := map[string]bool{}
	for _, e := range tributary.AsFieldErrors(c.Validate()) {
		paths[e.Path] = true
	}
	if !paths["followRedirects"] || !paths["maxURLBytes"] || len(paths) != 2 {
		t.Errorf("Validate flagged %v, want followRedirects and maxURLBytes", paths)
	}
}
