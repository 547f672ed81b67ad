package openapi

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
)

// wantRequest is what a test server checks about a request.
type wantRequest struct {
	method, path, query, body, contentType string
}

func (w wantRequest) check(t *testing.T, r *http.Request) {
	t.Helper()
	body, _ := io.ReadAll(r.Body)
	if r.Method != w.method || r.URL.EscapedPath() != w.path || r.URL.RawQuery != w.query {
		t.Errorf("got %s %s?%s, want %s %s?%s", r.Method, r.URL.EscapedPath(), r.URL.RawQuery, w.method, w.path, w.query)
	}
	if string(body) != w.body {
		t.Errorf("body %q, want %q", body, w.body)
	}
	if ct := r.Header.Get("Content-Type"); ct != w.contentType {
		t.Errorf("Content-Type %q, want %q", ct, w.contentType)
	}
}

func TestResolveField(t *testing.T) {
	tests := []struct {
		name        string
		field, args string
		want        wantRequest
		status      int
		contentType string
		respBody    string
		result      string
	}{
		{"query params", "Query.pets", `{"limit":10,"tags":["a b","c"]}`,
			wantRequest{method: "GET", path: "/v1/pets", query: "limit=10&tags=a+b%2Cc"},
			200, "application/json", `[{"id":"1","name":"Rex"}]`, `[{"id":"1","name":"Rex"}]`},
		{"path param escaped", "Query.pet", `{"petId":"a/b c"}`,
			wantRequest{method: "GET", path: "/v1/pets/a%2Fb%20c"},
			200, "application/json; charset=utf-8", `{"id":"a/b c"}`, `{"id":"a/b c"}`},
		{"json body", "Mutation.createPet", `{"input":{"name":"Rex"}}`,
			wantRequest{method: "POST", path: "/v1/pets", body: `{"name":"Rex"}`, contentType: "application/json"},
			201, "application/json", `{"id":"9","name":"Rex"}`, `{"id":"9","name":"Rex"}`},
		{"204 is true", "Mutation.deletePet", `{"petId":"7"}`,
			wantRequest{method: "DELETE", path: "/v1/pets/7"},
			204, "", ``, `true`},
		{"text is a string", "Query.petNotes", `{"petId":"7"}`,
			wantRequest{method: "GET", path: "/v1/pets/7/notes"},
			200, "text/plain", "likes \"walks\"\n", `"likes \"walks\"\n"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				tt.want.check(t, r)
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.respBody)
			}))
			defer srv.Close()
			s := newTestSource(t, &Config{}, srv.URL+"/v1", nil)
			got, err := resolve(s, tt.field, tt.args, nil)
			if err != nil {
				t.Fatalf("ResolveField: %v", err)
			}
			if string(got) != tt.result {
				t.Errorf("result %s, want %s", got, tt.result)
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("%d calls, want 1", n)
			}
		})
	}
}

func TestResolveFieldHTTPErrors(t *testing.T) {
	long := strings.Repeat("é", 3000) // 6000 bytes
	tests := []struct {
		name          string
		status        int
		body          string
		wantBody      string // JSON of extensions.body; "" means absent
		wantTruncated bool
	}{
		{"json body kept as json", 404, `{"message":"no such pet"}`, `{"message":"no such pet"}`, false},
		{"text body as string", 400, "bad id", `"bad id"`, false},
		{"empty body", 403, "", "", false},
		{"long body bounded at a rune boundary", 400, long, `"` + strings.Repeat("é", 2048) + `"`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			s := newTestSource(t, &Config{}, srv.URL, nil)
			got, err := resolve(s, "Query.pet", `{"petId":"7"}`, nil)
			if got != nil || err == nil {
				t.Fatalf("got %s, %v; want an error, never a silent null", got, err)
			}
			e := gqlError(t, err)
			if want := "pets: GET /pets/{petId}: HTTP " + itoa(tt.status); e.Message != want {
				t.Errorf("message %q, want %q", e.Message, want)
			}
			if e.Extensions["code"] != codeHTTPError || e.Extensions["statusCode"] != tt.status {
				t.Errorf("extensions %v", e.Extensions)
			}
			body, has := e.Extensions["body"]
			if tt.wantBody == "" {
				if has {
					t.Errorf("body %v, want none", body)
				}
				return
			}
			enc, _ := json.Marshal(body)
			if string(enc) != tt.wantBody {
				t.Errorf("body %.80s…, want %.80s…", enc, tt.wantBody)
			}
			if tt.wantTruncated != (e.Extensions["bodyTruncated"] == true) {
				t.Errorf("bodyTruncated = %v, want %v", e.Extensions["bodyTruncated"], tt.wantTruncated)
			}
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestHeadersSentUpstream(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("X-Client"); got != "tributary" {
			t.Errorf("X-Client %q", got)
		}
		if got := r.Header.Values("X-Request-Id"); len(got) != 1 || got[0] != "req-1" {
			t.Errorf("X-Request-Id %q, want forwarded", got)
		}
		if got := r.Header.Get("Cookie"); got != "" {
			t.Errorf("Cookie %q was forwarded without being listed", got)
		}
		if got, old := r.Header.Get("X-Api-Token"), r.Header.Get("X-Client-Token"); got != "tok" || old != "" {
			t.Errorf("renamed header: X-Api-Token %q, X-Client-Token %q", got, old)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"1"}`)
	}))
	defer srv.Close()
	s := newTestSource(t, &Config{Headers: map[string]string{"x-client": "tributary"}, ForwardHeaders: []string{"x-request-id", "X-Client-Token: X-Api-Token"}}, srv.URL, nil)
	client := http.Header{"X-Request-Id": {"req-1"}, "Cookie": {"session=secret"}, "X-Client-Token": {"tok"}}
	if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, client); err != nil {
		t.Fatal(err)
	}
}

func TestGzipResponsesAreDecoded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("Accept-Encoding %q, want gzip", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, `{"id":"1","name":"zipped"}`)
		zw.Close()
	}))
	defer srv.Close()
	s := newTestSource(t, &Config{}, srv.URL, nil)
	got, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil)
	if err != nil || string(got) != `{"id":"1","name":"zipped"}` {
		t.Fatalf("got %s, %v", got, err)
	}
}

func TestResponseSizeLimit(t *testing.T) {
	for _, chunked := range []bool{false, true} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			body := `{"id":"1","name":"` + strings.Repeat("x", 200) + `"}`
			if chunked {
				w.(http.Flusher).Flush() // no Content-Length
			}
			io.WriteString(w, body)
		}))
		s := newTestSource(t, &Config{MaxResponseBytes: 100}, srv.URL, nil)
		_, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil)
		srv.Close()
		if err == nil {
			t.Fatalf("chunked=%v: a 200-byte body passed maxResponseBytes 100", chunked)
		}
		if e := gqlError(t, err); e.Extensions["code"] != codeTooLarge {
			t.Errorf("chunked=%v: %v", chunked, e)
		}
	}
}

func TestUnreachableService(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens any more
	s := newTestSource(t, &Config{Auth: &AuthConfig{APIKey: &APIKeyAuth{Name: "key", In: "query", Value: "s3cret-key"}}}, addr, nil)
	_, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil)
	e := gqlError(t, err)
	if e.Extensions["code"] != codeUnreachable {
		t.Errorf("code %v, want %s", e.Extensions["code"], codeUnreachable)
	}
	if !strings.Contains(e.Message, "after 3 attempts") {
		t.Errorf("message %q does not say the request was retried", e.Message)
	}
	if strings.Contains(e.Message, "s3cret-key") {
		t.Errorf("message leaks the API key: %q", e.Message)
	}
}

func TestUnknownField(t *testing.T) {
	s := newTestSource(t, &Config{}, "http://127.0.0.1:1", nil)
	_, err := resolve(s, "Query.nope", `{}`, nil)
	if e := gqlError(t, err); !strings.Contains(e.Message, "Query.nope") {
		t.Errorf("message %q", e.Message)
	}
}

func TestTimeoutPerAttempt(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		<-r.Context().Done() // never answers; the client gives up
	}))
	defer srv.Close()
	s := newTestSource(t, &Config{Timeout: tributary.Duration(20 * time.Millisecond)}, srv.URL, nil)
	_, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil)
	if e := gqlError(t, err); e.Extensions["code"] != codeUnreachable || !strings.Contains(e.Message, "after 3 attempts") {
		t.Errorf("error %q %v", e.Message, e.Extensions)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("%d calls, want 3: each attempt has its own timeout", n)
	}
}
