package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
)

// remoteEngine is an engine over one remote subgraph `{ whoami: String }`
// at url, reached as remote says.
func remoteEngine(t *testing.T, url string, remote *tributary.RemoteGraphQL) *Engine {
	t.Helper()
	res, err := composition.Compose([]composition.Subgraph{{Name: "remote", URL: url, SDL: `type Query { whoami: String }`}})
	if err != nil {
		t.Fatal(err)
	}
	remote.URL = url
	e, err := New(context.Background(), Options{Supergraph: res.SDL, Subgraphs: map[string]*tributary.Subgraph{
		"remote": {Name: "remote", Remote: remote},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// requestLog is a loopback server that keeps the headers of each request
// and answers whoami.
type requestLog struct {
	*httptest.Server
	mu      sync.Mutex
	headers []http.Header
}

func newRequestLog(t *testing.T, whoami string) *requestLog {
	l := &requestLog{}
	l.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.headers = append(l.headers, r.Header.Clone())
		l.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{"whoami":"` + whoami + `"}}`))
	}))
	t.Cleanup(l.Close)
	return l
}

func (l *requestLog) received() []http.Header {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]http.Header(nil), l.headers...)
}

type upstreamResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func decodeResponse(t *testing.T, body []byte) upstreamResponse {
	t.Helper()
	var r upstreamResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("response %s: %v", body, err)
	}
	return r
}

// A remote subgraph that redirects (a 307 makes net/http POST again) gets
// an error at its fields, not the other host's answer as data, unless
// followRedirects says so; even then the other host gets no configured or
// forwarded header.
func TestRemoteSubgraphRedirects(t *testing.T) {
	for _, policy := range []tributary.RedirectPolicy{"", tributary.RedirectSameHost, tributary.RedirectAlways} {
		t.Run(string(policy), func(t *testing.T) {
			other := newRequestLog(t, "stolen")
			service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/graphql", http.StatusTemporaryRedirect)
			}))
			t.Cleanup(service.Close)
			e := remoteEngine(t, service.URL, &tributary.RemoteGraphQL{
				Header:          http.Header{"X-Tenant": {"s3cret"}},
				ForwardHeaders:  []string{"Authorization"},
				ClaimsToHeaders: map[string]string{"X-User": "sub"},
				FollowRedirects: policy,
			})
			resp := e.Execute(context.Background(), &tributary.Request{Query: `{ whoami }`,
				Header: http.Header{"Authorization": {"Bearer s3cret"}}, Caller: &tributary.Identity{Subject: "s3cret"}})
			got := decodeResponse(t, resp.Body)
			if policy != tributary.RedirectAlways {
				if n := len(other.received()); n != 0 {
					t.Errorf("the other host got %d requests", n)
				}
				if got.Data["whoami"] != nil || len(got.Errors) != 1 || len(got.Errors[0].Path) != 1 || got.Errors[0].Path[0] != "whoami" ||
					!strings.Contains(string(resp.Body), "redirected to http://localhost") || !strings.Contains(string(resp.Body), "followRedirects") {
					t.Fatalf("response %s, want an error at whoami naming the redirect and followRedirects, and no data", resp.Body)
				}
				return
			}
			if got.Data["whoami"] != "stolen" {
				t.Fatalf("followRedirects always: response %s", resp.Body)
			}
			for _, h := range other.received() {
				for name, values := range h {
					for _, v := range values {
						if strings.Contains(v, "s3cret") {
							t.Errorf("the other host got %s: %s", name, v)
						}
					}
				}
			}
		})
	}
}

// A remote subgraph's response is read up to maxResponseBytes (16 MiB by
// default): a longer one, however long, is an error at the fields it was to
// resolve, and reading stops there.
func TestRemoteSubgraphResponseSize(t *testing.T) {
	for _, tt := range []struct {
		name  string
		limit int64
		total int64 // bytes the service offers; -1 for endless
	}{
		{"default limit, 40 MiB body", 0, 40 << 20},
		{"1 MiB limit, endless body", 1 << 20, -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var sent atomic.Int64
			service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				n, _ := w.Write([]byte(`{"data":{"whoami":"`))
				sent.Add(int64(n))
				chunk := []byte(strings.Repeat("a", 64<<10))
				for tt.total < 0 || sent.Load() < tt.total {
					n, err := w.Write(chunk)
					sent.Add(int64(n))
					if err != nil || sent.Load() > 1<<30 {
						return
					}
				}
				_, _ = w.Write([]byte(`"}}`))
			}))
			t.Cleanup(service.Close)
			e := remoteEngine(t, service.URL, &tributary.RemoteGraphQL{MaxResponseBytes: tt.limit})
			resp := e.Execute(context.Background(), &tributary.Request{Query: `{ whoami }`})
			if len(resp.Body) > 64<<10 {
				t.Fatalf("a response of %d bytes, want an error", len(resp.Body))
			}
			got := decodeResponse(t, resp.Body)
			limit := tt.limit
			if limit == 0 {
				limit = 16 << 20
			}
			if got.Data["whoami"] != nil || len(got.Errors) != 1 || !strings.Contains(got.Errors[0].Message, "maxResponseBytes") ||
				!strings.Contains(got.Errors[0].Message, `"remote"`) || len(got.Errors[0].Path) != 1 || got.Errors[0].Path[0] != "whoami" {
				t.Fatalf("response %s, want an error at whoami naming the subgraph and maxResponseBytes", resp.Body)
			}
			// The socket buffers hold a few MiB the gateway never reads.
			if n := sent.Load(); n > limit+16<<20 {
				t.Errorf("the service could send %d bytes against a limit of %d", n, limit)
			}
		})
	}
}
