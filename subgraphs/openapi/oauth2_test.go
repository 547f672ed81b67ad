package openapi

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tokenServer issues numbered tokens with the client-credentials grant and
// checks how it is asked.
type tokenServer struct {
	t         *testing.T
	expiresIn int
	issued    atomic.Int32
	status    int // non-zero: fail with this status
}

func (ts *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	// RFC 6749 §2.3.1: the credentials are form-encoded inside basic auth.
	id, _ = url.QueryUnescape(id)
	secret, _ = url.QueryUnescape(secret)
	if r.Method != "POST" || !ok || id != "client+1" || secret != "s3cr3t&" {
		ts.t.Errorf("token request %s with basic auth %q %q %v", r.Method, id, secret, ok)
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" ||
		r.PostForm.Get("scope") != "read write" || r.PostForm.Get("audience") != "pets-api" {
		ts.t.Errorf("token request form %v (%v)", r.PostForm, err)
	}
	w.Header().Set("Content-Type", "application/json")
	if ts.status != 0 {
		w.WriteHeader(ts.status)
		io.WriteString(w, `{"error":"invalid_client","error_description":"unknown client"}`)
		return
	}
	n := ts.issued.Add(1)
	fmt.Fprintf(w, `{"access_token":"tok-%d","token_type":"Bearer","expires_in":%d}`, n, ts.expiresIn)
}

// bearerService accepts only the token it is told is current.
type bearerService struct {
	mu      sync.Mutex
	current string
	seen    []string
}

func (b *bearerService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.seen = append(b.seen, got)
	ok := got == b.current
	b.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if len(body) > 0 {
		w.Write(body) // echo, to show the body survived a resend
		return
	}
	io.WriteString(w, `{"id":"1"}`)
}

func (b *bearerService) accept(token string) {
	b.mu.Lock()
	b.current = token
	b.mu.Unlock()
}

func oauth2Config(tokenURL string) *Config {
	return &Config{Auth: &AuthConfig{OAuth2: &OAuth2Auth{
		TokenURL: tokenURL, ClientID: "client+1", ClientSecret: "s3cr3t&",
		Scopes: []string{"read", "write"}, Audience: "pets-api",
	}}}
}

func TestOAuth2TokenCachedAndRefreshed(t *testing.T) {
	tokens := &tokenServer{t: t, expiresIn: 3600}
	tokenSrv := httptest.NewServer(tokens)
	defer tokenSrv.Close()
	api := &bearerService{current: "tok-1"}
	apiSrv := httptest.NewServer(api)
	defer apiSrv.Close()
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := newTestSource(t, oauth2Config(tokenSrv.URL), apiSrv.URL, clock.now)

	// Many concurrent calls share one token fetch.
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := tokens.issued.Load(); n != 1 {
		t.Fatalf("%d tokens fetched for 20 calls, want 1", n)
	}

	// Still valid 30 s before expiry minus a second: no new fetch.
	clock.t = clock.t.Add(3600*time.Second - 31*time.Second)
	if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err != nil {
		t.Fatal(err)
	}
	if n := tokens.issued.Load(); n != 1 {
		t.Fatalf("%d tokens fetched before the refresh margin, want 1", n)
	}
	// Within 30 s of expiry: refreshed.
	clock.t = clock.t.Add(2 * time.Second)
	api.accept("tok-2")
	if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err != nil {
		t.Fatal(err)
	}
	if n := tokens.issued.Load(); n != 2 {
		t.Fatalf("%d tokens fetched after expiry, want 2", n)
	}
}

func TestOAuth2RetriesOnceOn401(t *testing.T) {
	tokens := &tokenServer{t: t, expiresIn: 3600}
	tokenSrv := httptest.NewServer(tokens)
	defer tokenSrv.Close()
	api := &bearerService{current: "tok-1"}
	apiSrv := httptest.NewServer(api)
	defer apiSrv.Close()
	s := newTestSource(t, oauth2Config(tokenSrv.URL), apiSrv.URL, nil)
	if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err != nil {
		t.Fatal(err)
	}
	// The service revokes tok-1: the next call gets a 401, fetches tok-2
	// and resends, body included.
	api.accept("tok-2")
	got, err := resolve(s, "Mutation.createPet", `{"input":{"name":"Rex"}}`, nil)
	if err != nil || string(got) != `{"name":"Rex"}` {
		t.Fatalf("got %s, %v", got, err)
	}
	if want := []string{"tok-1", "tok-1", "tok-2"}; fmt.Sprint(api.seen) != fmt.Sprint(want) {
		t.Errorf("service saw tokens %v, want %v", api.seen, want)
	}
	// A service that rejects every token: one resend, then the 401.
	api.accept("never")
	api.seen = nil
	_, err = resolve(s, "Query.pet", `{"petId":"1"}`, nil)
	if e := gqlError(t, err); e.Extensions["statusCode"] != 401 {
		t.Errorf("error %v, want the 401", e)
	}
	if len(api.seen) != 2 {
		t.Errorf("service saw %d requests, want 2 (one resend)", len(api.seen))
	}
}

func TestOAuth2TokenEndpointFailure(t *testing.T) {
	tokenSrv := httptest.NewServer(&tokenServer{t: t, status: 401})
	defer tokenSrv.Close()
	var apiCalls atomic.Int32
	apiSrv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { apiCalls.Add(1) }))
	defer apiSrv.Close()
	s := newTestSource(t, oauth2Config(tokenSrv.URL), apiSrv.URL, nil)
	_, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil)
	e := gqlError(t, err)
	if e.Extensions["code"] != codeAuthFailed || !strings.Contains(e.Message, "invalid_client") {
		t.Errorf("error %q %v", e.Message, e.Extensions)
	}
	if strings.Contains(e.Message, "s3cr3t") {
		t.Errorf("error leaks the client secret: %q", e.Message)
	}
	if n := apiCalls.Load(); n != 0 {
		t.Errorf("the service was called %d times without a token", n)
	}
}
