package httpserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzHandler sends arbitrary methods, headers, URL queries and bodies
// through the whole handler: it must never panic, and every answer on the
// GraphQL path must be a known status with a JSON (or GraphiQL) body.
func FuzzHandler(f *testing.F) {
	f.Add("POST", "application/json", "", "", `{"query":"{a}"}`)
	f.Add("GET", "", "text/html", "", "")
	f.Add("GET", "", "application/json;q=0.5, */*;q=0.1", "query=%7Ba%7D&variables=%7B%7D", "")
	f.Add("POST", "application/json; charset=utf-8", "application/graphql-response+json", "", `{"query":1}`)
	f.Add("OPTIONS", "", "", "", "")
	f.Fuzz(func(t *testing.T, method, contentType, accept, rawQuery, body string) {
		r, err := http.NewRequest(method, "http://gw/graphql", strings.NewReader(body))
		if err != nil {
			return // not a method net/http would accept from a client
		}
		r.URL.RawQuery = rawQuery
		r.Header.Set("Content-Type", contentType)
		r.Header.Set("Accept", accept)
		exec := &fakeExecutor{}
		h := newTestHandler(t, exec, func(o *Options) { o.GraphiQL = true; o.MaxBodyBytes = 256 })
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)

		switch w.Code {
		case 200, 204, 400, 405, 406, 413, 415:
		default:
			t.Fatalf("unexpected status %d for %s %q", w.Code, method, body)
		}
		ct := w.Header().Get("Content-Type")
		switch {
		case w.Code == 204:
		case strings.HasPrefix(ct, "text/html"):
			// NewRequest reads an empty method as GET, as servers do.
			if r.Method != http.MethodGet {
				t.Fatalf("GraphiQL served to %s", r.Method)
			}
		case !json.Valid(w.Body.Bytes()):
			t.Fatalf("status %d with a non-JSON body %q", w.Code, w.Body)
		}
		if w.Code != 200 && exec.calls() != 0 {
			t.Fatalf("the executor ran for a request answered %d", w.Code)
		}
	})
}
