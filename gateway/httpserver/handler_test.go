package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	tributary "github.com/tributary-gw/tributary"
)

// fakeExecutor records the requests it gets and answers with a fixed
// outcome, or with respond when set.
type fakeExecutor struct {
	outcome tributary.Outcome
	body    string
	respond func(ctx context.Context, req *tributary.Request) *tributary.Response

	mu       sync.Mutex
	requests []*tributary.Request
	deadline []time.Time // the ctx deadline of each call (zero: none)
}

func (f *fakeExecutor) Execute(ctx context.Context, req *tributary.Request) *tributary.Response {
	f.mu.Lock()
	f.requests = append(f.requests, req)
	d, _ := ctx.Deadline()
	f.deadline = append(f.deadline, d)
	f.mu.Unlock()
	if f.respond != nil {
		return f.respond(ctx, req)
	}
	body := f.body
	if body == "" {
		body = `{"data":{"__typename":"Query"}}`
	}
	return &tributary.Response{Body: []byte(body), Outcome: f.outcome}
}

func (f *fakeExecutor) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeExecutor) last(t *testing.T) *tributary.Request {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		t.Fatal("the executor was not called")
	}
	return f.requests[len(f.requests)-1]
}

// testLogger returns a logger writing JSON lines into a buffer.
func testLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewJSONHandler(buf, nil)), buf
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newTestHandler(t *testing.T, exec tributary.Executor, modify func(*Options)) http.Handler {
	t.Helper()
	logger, _ := testLogger()
	o := Options{Executor: exec, Logger: logger}
	if modify != nil {
		modify(&o)
	}
	return NewHandler(o)
}

func postJSON(body, accept string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	return r
}

func getQuery(params url.Values, accept string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/graphql?"+params.Encode(), nil)
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// errorMessage returns the first GraphQL error message of a response body,
// failing the test if the body is not GraphQL-shaped.
func errorMessage(t *testing.T, body []byte) string {
	t.Helper()
	var resp struct {
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &resp); err != nil || len(resp.Errors) == 0 || resp.Errors[0].Message == "" {
		t.Fatalf("the body is not a GraphQL error response (%v): %s", err, body)
	}
	return resp.Errors[0].Message
}

const (
	acceptGraphQL = "application/graphql-response+json"
	acceptJSON    = "application/json"
	ctGraphQL     = "application/graphql-response+json; charset=utf-8"
	ctJSON        = "application/json; charset=utf-8"
)

func TestExecutorOutcomeStatus(t *testing.T) {
	tests := []struct {
		outcome    tributary.Outcome
		accept     string
		wantStatus int
		wantType   string
	}{
		{tributary.Executed, acceptGraphQL, 200, ctGraphQL},
		{tributary.RequestInvalid, acceptGraphQL, 400, ctGraphQL},
		{tributary.MethodNotAllowed, acceptGraphQL, 405, ctGraphQL},
		{tributary.Failed, acceptGraphQL, 500, ctGraphQL},
		{tributary.Executed, acceptJSON, 200, ctJSON},
		{tributary.RequestInvalid, acceptJSON, 200, ctJSON},
		{tributary.MethodNotAllowed, acceptJSON, 405, ctJSON},
		{tributary.Failed, acceptJSON, 200, ctJSON},
		// No Accept and wildcards choose graphql-response+json.
		{tributary.RequestInvalid, "", 400, ctGraphQL},
		{tributary.RequestInvalid, "*/*", 400, ctGraphQL},
		{tributary.RequestInvalid, "application/*", 400, ctGraphQL},
		// The spec's recommended client header prefers the new type.
		{tributary.RequestInvalid, "application/graphql-response+json; charset=utf-8, application/json; charset=utf-8", 400, ctGraphQL},
		{tributary.RequestInvalid, "application/graphql-response+json;q=0.5, application/json", 200, ctJSON},
	}
	for _, tt := range tests {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			t.Run(method+" "+tt.accept+" "+outcomeName(tt.outcome), func(t *testing.T) {
				exec := &fakeExecutor{outcome: tt.outcome, body: `{"errors":[{"message":"from executor"}]}`}
				h := newTestHandler(t, exec, nil)
				var r *http.Request
				if method == http.MethodGet {
					r = getQuery(url.Values{"query": {"{ a }"}}, tt.accept)
				} else {
					r = postJSON(`{"query":"{ a }"}`, tt.accept)
				}
				w := serve(h, r)
				if w.Code != tt.wantStatus {
					t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
				}
				if got := w.Header().Get("Content-Type"); got != tt.wantType {
					t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
				}
				if got := w.Body.String(); got != `{"errors":[{"message":"from executor"}]}` {
					t.Errorf("body = %s, want the executor's body", got)
				}
				allow := w.Header().Get("Allow")
				if tt.outcome == tributary.MethodNotAllowed && allow != "POST" {
					t.Errorf("Allow = %q, want POST", allow)
				}
				if exec.calls() != 1 {
					t.Errorf("executor called %d times, want 1", exec.calls())
				}
			})
		}
	}
}

func outcomeName(o tributary.Outcome) string {
	return [...]string{"Executed", "RequestInvalid", "MethodNotAllowed", "Failed"}[o]
}

func TestPOSTPassesParametersAndHeaders(t *testing.T) {
	exec := &fakeExecutor{}
	h := newTestHandler(t, exec, nil)
	r := postJSON(`{"query":"query Q($id: ID!) { user(id: $id) { name } }","operationName":"Q",
		"variables":{"id":"u\"1"},"extensions":{"persistedQuery":{"version":1}},"ignored":[1,2]}`, acceptGraphQL)
	r.Header.Set("Content-Type", "application/json; charset=UTF-8")
	r.Header.Set("Authorization", "Bearer t")
	w := serve(h, r)
	if w.Code != 200 {
		t.Fatalf("status = %d: %s", w.Code, w.Body)
	}
	req := exec.last(t)
	if req.Query != "query Q($id: ID!) { user(id: $id) { name } }" || req.OperationName != "Q" {
		t.Errorf("query/operationName = %q / %q", req.Query, req.OperationName)
	}
	if string(req.Variables) != `{"id":"u\"1"}` || string(req.Extensions) != `{"persistedQuery":{"version":1}}` {
		t.Errorf("variables/extensions = %s / %s", req.Variables, req.Extensions)
	}
	if req.QueryOnly {
		t.Error("a POST request must not be QueryOnly")
	}
	if got := req.Header.Get("Authorization"); got != "Bearer t" {
		t.Errorf("forwarded Authorization = %q", got)
	}
	req.Header.Set("Authorization", "changed")
	if r.Header.Get("Authorization") != "Bearer t" {
		t.Error("Request.Header must be a clone, not the client's header map")
	}
}

func TestGETPassesParameters(t *testing.T) {
	exec := &fakeExecutor{}
	h := newTestHandler(t, exec, nil)
	w := serve(h, getQuery(url.Values{
		"query":         {"query Q($n: Int) { a(n: $n) }"},
		"operationName": {"Q"},
		"variables":     {` {"n": 3} `},
		"extensions":    {`{"x":true}`},
	}, ""))
	if w.Code != 200 {
		t.Fatalf("status = %d: %s", w.Code, w.Body)
	}
	req := exec.last(t)
	if !req.QueryOnly {
		t.Error("a GET request must be QueryOnly")
	}
	if req.Query != "query Q($n: Int) { a(n: $n) }" || req.OperationName != "Q" {
		t.Errorf("query/operationName = %q / %q", req.Query, req.OperationName)
	}
	if string(req.Variables) != `{"n": 3}` || string(req.Extensions) != `{"x":true}` {
		t.Errorf("variables/extensions = %s / %s", req.Variables, req.Extensions)
	}
}

func TestMalformedRequests(t *testing.T) {
	tests := []struct {
		name       string
		request    func() *http.Request
		wantStatus int
		wantInMsg  string
	}{
		{"POST invalid JSON", func() *http.Request { return postJSON(`{"query":`, "") }, 400, "not valid JSON"},
		{"POST nonsense", func() *http.Request { return postJSON(`NONSENSE`, acceptJSON) }, 400, "not valid JSON"},
		{"POST empty body", func() *http.Request { return postJSON(``, "") }, 400, "empty"},
		{"POST array body", func() *http.Request { return postJSON(`[{"query":"{a}"}]`, "") }, 400, "not an array"},
		{"POST missing query", func() *http.Request { return postJSON(`{"qeury":"{a}"}`, acceptJSON) }, 400, `no "query"`},
		{"POST null query", func() *http.Request { return postJSON(`{"query":null}`, "") }, 400, `no "query"`},
		{"POST number query", func() *http.Request { return postJSON(`{"query":1}`, "") }, 400, "not a number"},
		{"POST object query", func() *http.Request { return postJSON(`{"query":{}}`, "") }, 400, "not an object"},
		{"POST bool operationName", func() *http.Request { return postJSON(`{"query":"{a}","operationName":true}`, "") }, 400, `"operationName" must be a string`},
		{"POST array variables", func() *http.Request { return postJSON(`{"query":"{a}","variables":[7]}`, acceptJSON) }, 400, `"variables" must be a JSON object`},
		{"POST string extensions", func() *http.Request { return postJSON(`{"query":"{a}","extensions":"x"}`, "") }, 400, `"extensions" must be a JSON object`},
		{"GET missing query", func() *http.Request { return getQuery(url.Values{"variables": {"{}"}}, "") }, 400, `no "query" parameter`},
		{"GET bad variables JSON", func() *http.Request {
			return getQuery(url.Values{"query": {"{a}"}, "variables": {"{"}}, acceptJSON)
		}, 400, `"variables" URL parameter is not valid JSON`},
		{"GET array variables", func() *http.Request { return getQuery(url.Values{"query": {"{a}"}, "variables": {"[]"}}, "") }, 400, `"variables" must be a JSON object`},
		{"GET number extensions", func() *http.Request { return getQuery(url.Values{"query": {"{a}"}, "extensions": {"1"}}, "") }, 400, `"extensions" must be a JSON object`},
		{"GET repeated query", func() *http.Request { return getQuery(url.Values{"query": {"{a}", "{b}"}}, "") }, 400, "given 2 times"},
		{"GET bad escape", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/graphql?query=%zz", nil) }, 400, "malformed"},
		{"POST text/plain", func() *http.Request {
			r := postJSON(`{"query":"{a}"}`, "")
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, 415, `"text/plain" is not supported`},
		{"POST graphql+json request type", func() *http.Request {
			r := postJSON(`{"query":"{a}"}`, "")
			r.Header.Set("Content-Type", "application/graphql+json")
			return r
		}, 415, "is not supported"},
		{"POST no Content-Type", func() *http.Request {
			r := postJSON(`{"query":"{a}"}`, "")
			r.Header.Del("Content-Type")
			return r
		}, 415, "no Content-Type"},
		{"POST latin1 charset", func() *http.Request {
			r := postJSON(`{"query":"{a}"}`, "")
			r.Header.Set("Content-Type", "application/json; charset=iso-8859-1")
			return r
		}, 415, "other than UTF-8"},
		{"PUT", func() *http.Request { return httptest.NewRequest(http.MethodPut, "/graphql", nil) }, 405, "method PUT is not allowed"},
		{"POST accepts only XML", func() *http.Request { return postJSON(`{"query":"{a}"}`, "application/xml") }, 406, "Accept"},
		{"GET accepts json at q=0", func() *http.Request {
			return getQuery(url.Values{"query": {"{a}"}}, "application/json;q=0, application/graphql-response+json;q=0")
		}, 406, "Accept"},
		{"POST accepts html only", func() *http.Request { return postJSON(`{"query":"{a}"}`, "text/html") }, 406, "Accept"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &fakeExecutor{}
			h := newTestHandler(t, exec, nil)
			r := tt.request()
			w := serve(h, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if msg := errorMessage(t, w.Body.Bytes()); !strings.Contains(msg, tt.wantInMsg) {
				t.Errorf("message %q does not mention %q", msg, tt.wantInMsg)
			}
			if exec.calls() != 0 {
				t.Errorf("the executor ran %d times for a malformed request", exec.calls())
			}
			ct := w.Header().Get("Content-Type")
			wantCT := ctGraphQL
			if r.Header.Get("Accept") == acceptJSON || tt.wantStatus == 406 {
				wantCT = ctJSON
			}
			if ct != wantCT {
				t.Errorf("Content-Type = %q, want %q", ct, wantCT)
			}
			if tt.wantStatus == 405 && w.Header().Get("Allow") != allowedMethods {
				t.Errorf("Allow = %q, want %q", w.Header().Get("Allow"), allowedMethods)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	const limit = 64
	small := `{"query":"{ a }"}`
	big := `{"query":"{ a }","extensions":{"pad":"` + strings.Repeat("x", limit) + `"}}`
	tests := []struct {
		name          string
		body          string
		contentLength int64 // -1: unknown (chunked)
		wantStatus    int
	}{
		{"within the limit", small, int64(len(small)), 200},
		{"declared too large", big, int64(len(big)), 413},
		{"chunked too large", big, -1, 413},
		{"exactly the limit", small + strings.Repeat(" ", limit-len(small)), -1, 200},
		{"one byte over", small + strings.Repeat(" ", limit-len(small)+1), -1, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &fakeExecutor{}
			h := newTestHandler(t, exec, func(o *Options) { o.MaxBodyBytes = limit })
			r := postJSON(tt.body, "")
			r.ContentLength = tt.contentLength
			w := serve(h, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if tt.wantStatus == 413 {
				if msg := errorMessage(t, w.Body.Bytes()); !strings.Contains(msg, "64-byte limit") {
					t.Errorf("message %q does not name the limit", msg)
				}
				if exec.calls() != 0 {
					t.Error("the executor ran for a too-large body")
				}
			}
		})
	}
}

func TestRequestTimeoutReachesExecutor(t *testing.T) {
	exec := &fakeExecutor{}
	h := newTestHandler(t, exec, func(o *Options) { o.RequestTimeout = time.Hour })
	before := time.Now()
	serve(h, postJSON(`{"query":"{a}"}`, ""))
	exec.mu.Lock()
	deadline := exec.deadline[0]
	exec.mu.Unlock()
	if deadline.IsZero() {
		t.Fatal("the executor's ctx has no deadline")
	}
	// The deadline is an hour out: compare with half an hour to prove the
	// configured timeout (not the default 30s) was used, without timing.
	if deadline.Before(before.Add(30 * time.Minute)) {
		t.Errorf("deadline %v is not about an hour after %v", deadline, before)
	}

	exec = &fakeExecutor{}
	h = newTestHandler(t, exec, nil)
	serve(h, postJSON(`{"query":"{a}"}`, ""))
	exec.mu.Lock()
	deadline = exec.deadline[0]
	exec.mu.Unlock()
	if deadline.IsZero() || deadline.After(time.Now().Add(DefaultRequestTimeout)) {
		t.Errorf("default deadline %v is not within %s", deadline, DefaultRequestTimeout)
	}
}

func TestExecutorPanicIs500AndLoggedOnce(t *testing.T) {
	calls := 0
	exec := &fakeExecutor{respond: func(ctx context.Context, req *tributary.Request) *tributary.Response {
		calls++
		if calls == 1 {
			panic("boom")
		}
		return &tributary.Response{Body: []byte(`{"data":{}}`)}
	}}
	logger, logs := testLogger()
	h := NewHandler(Options{Executor: exec, Logger: logger})
	for _, accept := range []string{acceptGraphQL, acceptJSON} {
		calls = 0
		w := serve(h, postJSON(`{"query":"{a}"}`, accept))
		if w.Code != 500 {
			t.Errorf("%s: status = %d, want 500", accept, w.Code)
		}
		if msg := errorMessage(t, w.Body.Bytes()); strings.Contains(msg, "boom") {
			t.Errorf("the panic value leaked to the client: %q", msg)
		}
		// The handler keeps serving after a panic.
		if w := serve(h, postJSON(`{"query":"{a}"}`, accept)); w.Code != 200 {
			t.Errorf("%s: status after a panic = %d, want 200", accept, w.Code)
		}
	}
	if n := strings.Count(logs.String(), "panicked"); n != 2 {
		t.Errorf("logged %d panics for 2, want one line each:\n%s", n, logs)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Error("the log does not carry the panic value")
	}
}

func TestNilResponseIs500(t *testing.T) {
	exec := &fakeExecutor{respond: func(context.Context, *tributary.Request) *tributary.Response { return nil }}
	w := serve(newTestHandler(t, exec, nil), postJSON(`{"query":"{a}"}`, ""))
	if w.Code != 500 {
		t.Fatalf("status = %d, want 500", w.Code)
	}
	errorMessage(t, w.Body.Bytes())
}
