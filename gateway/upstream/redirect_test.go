package upstream

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
)

// asAnotherHost is u with its 127.0.0.1 host written localhost: the same
// loopback server, reached as another host.
func asAnotherHost(u string) string { return strings.Replace(u, "127.0.0.1", "localhost", 1) }

// credentialSetter stands for a kind's credentials transport: it adds
// Authorization to every request, as a careless one would, and a
// configured header.
type credentialSetter struct{ next http.RoundTripper }

func (c credentialSetter) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer s3cret")
	r.Header.Set("X-Tenant", "s3cret")
	return c.next.RoundTrip(r)
}

func TestRedirectPolicies(t *testing.T) {
	for _, tt := range []struct {
		policy    tributary.RedirectPolicy
		sameHost  bool // the redirect stays on the service's origin
		status    int
		wantOther bool // the redirect is followed
	}{
		{"", false, http.StatusFound, false},
		{tributary.RedirectNever, true, http.StatusFound, false},
		{tributary.RedirectSameHost, true, http.StatusTemporaryRedirect, true},
		{tributary.RedirectSameHost, false, http.StatusFound, false},
		{tributary.RedirectAlways, false, http.StatusTemporaryRedirect, true},
		{tributary.RedirectAlways, false, http.StatusSeeOther, true},
	} {
		name := string(tt.policy) + "/" + http.StatusText(tt.status)
		t.Run(name, func(t *testing.T) {
			target := newHeaderRecorder(t)
			targetURL := asAnotherHost(target.URL)
			if tt.sameHost {
				targetURL = target.URL
			}
			service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, targetURL+"/elsewhere?token=abc", tt.status)
			}))
			defer service.Close()
			// For a redirect within the origin, the target itself redirects
			// its first request, which it does not record.
			start := service.URL
			if tt.sameHost {
				start = target.URL
				service.Close()
				target.Config.Handler = redirectOnce(target.Config.Handler, target.URL+"/elsewhere", tt.status)
			}
			client := Factory{}.Client("books", tributary.HTTPClientOptions{FollowRedirects: tt.policy, ProtectedHeaders: []string{"x-tenant", "X-Forwarded-Token"}})
			client.Transport = credentialSetter{next: client.Transport}
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, start+"/graphql", strings.NewReader(`{"query":"{a}"}`))
			req.Header.Set("X-Forwarded-Token", "s3cret")
			req.Header.Set("Cookie", "session=s3cret")
			resp, err := client.Do(req)
			if !tt.wantOther {
				var redirect *tributary.RedirectError
				if !errors.As(err, &redirect) || redirect.Status != tt.status || strings.Contains(redirect.Error(), "token=abc") ||
					!strings.Contains(redirect.Error(), "followRedirects") {
					t.Fatalf("got %v, want a RedirectError naming followRedirects, without the query", err)
				}
				if n := len(target.received()); n != 0 {
					t.Fatalf("the redirect target got %d requests", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			got := target.received()
			last := got[len(got)-1]
			for name, values := range last {
				for _, v := range values {
					if strings.Contains(v, "s3cret") && !tt.sameHost {
						t.Errorf("the other host got %s: %s", name, v)
					}
				}
			}
			if tt.sameHost && last.Get("Authorization") != "Bearer s3cret" {
				t.Errorf("a redirect within the origin lost its credentials: %v", last)
			}
		})
	}
}

// redirectOnce answers the first request with a redirect to location.
func redirectOnce(next http.Handler, location string, status int) http.Handler {
	done := false
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !done {
			done = true
			http.Redirect(w, r, location, status)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func TestSameOrigin(t *testing.T) {
	if !tributary.SameOrigin(mustURL(t, "http://a:80/x"), mustURL(t, "HTTP://A/y")) {
		t.Error("default port and case: not the same origin")
	}
	for _, other := range []string{"https://a/x", "http://a:81/x", "http://b/x"} {
		if tributary.SameOrigin(mustURL(t, "http://a/x"), mustURL(t, other)) {
			t.Errorf("%s taken for the origin of http://a/x", other)
		}
	}
}

// A body past MaxResponseBytes fails the read with an error naming the
// subgraph and the limit, having read no more than the limit, however long
// the service keeps sending.
func TestMaxResponseBytes(t *testing.T) {
	endless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 32<<10)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer endless.Close()
	declared := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2000000")
		_, _ = w.Write(make([]byte, 2000000))
	}))
	defer declared.Close()
	exact := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(make([]byte, 1<<20))
	}))
	defer exact.Close()

	client := Factory{}.Client("books", tributary.HTTPClientOptions{MaxResponseBytes: 1 << 20})
	for _, url := range []string{endless.URL, declared.URL} {
		resp, err := client.Get(url)
		var n int64
		if err == nil {
			n, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		var tooLarge *tributary.ResponseTooLargeError
		if !errors.As(err, &tooLarge) || !strings.Contains(err.Error(), `subgraph "books"`) || !strings.Contains(err.Error(), "1048576") {
			t.Fatalf("%s: err %v, want the limit named", url, err)
		}
		if n > 1<<20 {
			t.Errorf("%s: read %d bytes past the limit", url, n)
		}
	}
	resp, err := client.Get(exact.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if n, err := io.Copy(io.Discard, resp.Body); err != nil || n != 1<<20 {
		t.Errorf("a body of exactly the limit: %d bytes, %v", n, err)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
