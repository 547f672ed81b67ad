package openapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary"
)

func TestSimpleAuth(t *testing.T) {
	tests := []struct {
		name  string
		auth  *AuthConfig
		check func(r *http.Request) string // what is wrong, or ""
	}{
		{"bearer", &AuthConfig{Bearer: &BearerAuth{Token: "tok-1"}}, func(r *http.Request) string {
			return mismatch("Authorization", r.Header.Get("Authorization"), "Bearer tok-1")
		}},
		{"basic", &AuthConfig{Basic: &BasicAuth{Username: "ann", Password: "p:w"}}, func(r *http.Request) string {
			u, p, ok := r.BasicAuth()
			if !ok || u != "ann" || p != "p:w" {
				return fmt.Sprintf("basic auth %q %q %v", u, p, ok)
			}
			return ""
		}},
		{"apiKey header", &AuthConfig{APIKey: &APIKeyAuth{Name: "X-API-Key", Value: "k1"}}, func(r *http.Request) string {
			return mismatch("X-API-Key", r.Header.Get("X-API-Key"), "k1")
		}},
		{"apiKey query keeps other params", &AuthConfig{APIKey: &APIKeyAuth{Name: "api_key", In: "query", Value: "k 2"}}, func(r *http.Request) string {
			return mismatch("query", r.URL.RawQuery, "api_key=k+2&limit=5")
		}},
		{"apiKey cookie", &AuthConfig{APIKey: &APIKeyAuth{Name: "sid", In: "cookie", Value: "k3"}}, func(r *http.Request) string {
			c, err := r.Cookie("sid")
			if err != nil {
				return err.Error()
			}
			return mismatch("cookie", c.Value, "k3")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				// The first attempt fails, so the retry must carry the credentials too.
				if msg := tt.check(r); msg != "" {
					t.Errorf("attempt %d: %s", calls, msg)
				}
				if calls == 1 {
					w.WriteHeader(503)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `[]`)
			}))
			defer srv.Close()
			s := newTestSource(t, &Config{Auth: tt.auth}, srv.URL, nil)
			if _, err := resolve(s, "Query.pets", `{"limit":5}`, nil); err != nil {
				t.Fatal(err)
			}
			if calls != 2 {
				t.Errorf("%d calls, want 2", calls)
			}
		})
	}
}

func mismatch(what, got, want string) string {
	if got != want {
		return fmt.Sprintf("%s = %q, want %q", what, got, want)
	}
	return ""
}

// The verifier below is written from RFC 5849 §3.4 alone; it shares no code
// with dghubble/oauth1.

// rfc3986Encode percent-encodes all but the unreserved characters (§3.6).
func rfc3986Encode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// hmacSHA1Signature signs a request given its parts (§3.4.1, §3.4.2).
func hmacSHA1Signature(method, baseURI string, params [][2]string, consumerSecret, tokenSecret string) string {
	pairs := make([]string, len(params))
	for i, p := range params {
		pairs[i] = rfc3986Encode(p[0]) + "=" + rfc3986Encode(p[1])
	}
	sort.Strings(pairs) // sorting "k=v" orders by encoded name, then value
	base := strings.ToUpper(method) + "&" + rfc3986Encode(baseURI) + "&" + rfc3986Encode(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(rfc3986Encode(consumerSecret)+"&"+rfc3986Encode(tokenSecret)))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// TestSignatureVerifierKnownAnswer checks the verifier against the worked
// example of Twitter's "Creating a signature" guide.
func TestSignatureVerifierKnownAnswer(t *testing.T) {
	params := [][2]string{
		{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"},
		{"include_entities", "true"},
		{"oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"},
		{"oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"},
		{"oauth_signature_method", "HMAC-SHA1"},
		{"oauth_timestamp", "1318622958"},
		{"oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"},
		{"oauth_version", "1.0"},
	}
	got := hmacSHA1Signature("POST", "https://api.twitter.com/1.1/statuses/update.json", params,
		"kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE")
	if want := "hCtSmYh+iHYCEqBWrE7C7hYmtUk="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
}

// oauth1Verifier is a service that recomputes each request's signature.
type oauth1Verifier struct {
	// fail reports a request that does not verify.
	fail                        func(format string, args ...any)
	consumerKey                 string
	consumerSecret, tokenSecret string
	mu                          sync.Mutex
	nonces                      map[string]bool
	verified                    int
	// answer gives the JSON body sent to a verified request.
	answer func(r *http.Request) string
}

func (v *oauth1Verifier) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := v.verify(r); err != nil {
		v.fail("%s %s: %v", r.Method, r.URL, err)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if v.answer != nil {
		io.WriteString(w, v.answer(r))
		return
	}
	io.WriteString(w, `{"id":"1"}`)
}

func (v *oauth1Verifier) verify(r *http.Request) error {
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "OAuth ")
	if !ok {
		return fmt.Errorf("no OAuth Authorization header")
	}
	oauth := map[string]string{}
	for _, part := range strings.Split(auth, ",") {
		k, quoted, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || len(quoted) < 2 || quoted[0] != '"' || quoted[len(quoted)-1] != '"' {
			return fmt.Errorf("malformed Authorization parameter %q", part)
		}
		val, err := url.PathUnescape(quoted[1 : len(quoted)-1])
		if err != nil {
			return err
		}
		oauth[k] = val
	}
	var params [][2]string
	for k, vals := range r.URL.Query() {
		for _, val := range vals {
			params = append(params, [2]string{k, val})
		}
	}
	if r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return err
		}
		for k, vals := range form {
			for _, val := range vals {
				params = append(params, [2]string{k, val})
			}
		}
	}
	for k, val := range oauth {
		if k != "oauth_signature" && k != "realm" {
			params = append(params, [2]string{k, val})
		}
	}
	host, port, err := net.SplitHostPort(r.Host)
	if err == nil && port != "80" {
		host = net.JoinHostPort(host, port)
	}
	baseURI := "http://" + strings.ToLower(host) + r.URL.EscapedPath()
	want := hmacSHA1Signature(r.Method, baseURI, params, v.consumerSecret, v.tokenSecret)
	switch {
	case oauth["oauth_consumer_key"] != v.consumerKey:
		return fmt.Errorf("consumer key %q", oauth["oauth_consumer_key"])
	case oauth["oauth_signature_method"] != "HMAC-SHA1":
		return fmt.Errorf("signature method %q", oauth["oauth_signature_method"])
	case oauth["oauth_timestamp"] == "" || oauth["oauth_nonce"] == "":
		return fmt.Errorf("no timestamp or nonce")
	case oauth["oauth_signature"] != want:
		return fmt.Errorf("signature %q, recomputed %q", oauth["oauth_signature"], want)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.nonces[oauth["oauth_nonce"]] {
		return fmt.Errorf("nonce %q reused", oauth["oauth_nonce"])
	}
	v.nonces[oauth["oauth_nonce"]] = true
	v.verified++
	return nil
}

func TestOAuth1Signatures(t *testing.T) {
	v := &oauth1Verifier{fail: t.Errorf, consumerKey: "ck", consumerSecret: "c&secret", tokenSecret: "t secret", nonces: map[string]bool{}}
	srv := httptest.NewServer(v)
	defer srv.Close()
	s := newTestSource(t, &Config{Auth: &AuthConfig{OAuth1: &OAuth1Auth{
		ConsumerKey: "ck", ConsumerSecret: "c&secret", Token: "at", TokenSecret: "t secret",
	}}}, srv.URL+"/1.1", nil)
	calls := []struct{ field, args string }{
		{"Query.pet", `{"petId":"a b"}`},
		{"Query.pets", `{"limit":10,"tags":["x y","z!*'()"]}`},
		{"Mutation.updatePetForm", `{"petId":"7","dryRun":true,"form":"status=Hello%20Ladies%20%2B%20Gentlemen&name=R%C3%A9x"}`},
		{"Mutation.createPet", `{"input":{"name":"json bodies are not signed"}}`},
	}
	for _, c := range calls {
		if _, err := resolve(s, c.field, c.args, nil); err != nil {
			t.Errorf("%s: %v", c.field, err)
		}
	}
	if v.verified != len(calls) {
		t.Errorf("%d requests verified, want %d", v.verified, len(calls))
	}
}

func TestOAuth1VerifierRejectsWrongSecret(t *testing.T) {
	v := &oauth1Verifier{fail: func(string, ...any) {}, consumerKey: "ck", consumerSecret: "other", tokenSecret: "t", nonces: map[string]bool{}}
	srv := httptest.NewServer(v)
	defer srv.Close()
	s := newTestSource(t, &Config{Auth: &AuthConfig{OAuth1: &OAuth1Auth{ConsumerKey: "ck", ConsumerSecret: "cs", Token: "at", TokenSecret: "t"}}}, srv.URL, nil)
	_, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil)
	if e := gqlError(t, err); e.Extensions["statusCode"] != http.StatusUnauthorized {
		t.Errorf("a request signed with the wrong secret passed: %v", err)
	}
}

// TestOAuth1WithConvertedSpec signs requests built by the real wire mapping
// from testdata/petstore.yaml.
func TestOAuth1WithConvertedSpec(t *testing.T) {
	v := &oauth1Verifier{fail: t.Errorf, consumerKey: "ck", consumerSecret: "cs", tokenSecret: "ts", nonces: map[string]bool{},
		answer: func(r *http.Request) string {
			if r.Method == "GET" && r.URL.Path == "/v1/pets" {
				return `[]`
			}
			return `{"id":"1","name":"Rex"}`
		}}
	srv := httptest.NewServer(v)
	defer srv.Close()
	cfg := &Config{Spec: "petstore.yaml", BaseURL: srv.URL + "/v1",
		Auth: &AuthConfig{OAuth1: &OAuth1Auth{ConsumerKey: "ck", ConsumerSecret: "cs", Token: "at", TokenSecret: "ts"}}}
	sg, err := cfg.Build(context.Background(), "pets", tributary.BuildContext{Dir: "testdata"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ typ, field, args string }{
		{"Query", "listPets", `{"limit":3,"tags":["a b","c&d=e"]}`},
		{"Query", "getPet", `{"petId":"x y/z"}`},
		{"Mutation", "createPet", `{"input":{"name":"Rex"}}`},
	} {
		if _, err := sg.Source.ResolveField(context.Background(), tributary.FieldCall{TypeName: c.typ, FieldName: c.field, Arguments: json.RawMessage(c.args)}); err != nil {
			t.Errorf("%s: %v", c.field, err)
		}
	}
	if v.verified != 3 {
		t.Errorf("%d requests verified, want 3", v.verified)
	}
}
