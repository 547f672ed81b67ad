package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	tributary "github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/httpserver"
)

// recordingExecutor answers every request with one fixed result (a
// mutation over GET: 405, as the engine does) and keeps the requests it was
// given.
type recordingExecutor struct {
	mu   sync.Mutex
	reqs []*tributary.Request
}

func (e *recordingExecutor) Execute(_ context.Context, req *tributary.Request) *tributary.Response {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reqs = append(e.reqs, req)
	if req.QueryOnly && strings.HasPrefix(req.Query, "mutation") {
		return &tributary.Response{Body: []byte(`{"errors":[{"message":"mutations need POST"}]}`), Outcome: tributary.MethodNotAllowed}
	}
	return &tributary.Response{Body: []byte(`{"data":{"topProducts":[{"name":"Table"}]}}`), Outcome: tributary.Executed}
}

// discardExecutor answers like recordingExecutor but keeps nothing, for
// benchmarks.
type discardExecutor struct{}

func (discardExecutor) Execute(context.Context, *tributary.Request) *tributary.Response {
	return &tributary.Response{Body: []byte(`{"data":{"topProducts":[{"name":"Table"}]}}`), Outcome: tributary.Executed}
}

// testMaxBody is the body limit of the handler under test: small, so that
// an oversized fixture stays readable.
const testMaxBody = 512

// handlerOptions are serve's options in miniature: a body limit and CORS
// for one origin.
func handlerOptions(exec tributary.Executor) httpserver.Options {
	return httpserver.Options{
		Executor:     CallerExecutor(exec),
		MaxBodyBytes: testMaxBody,
		CORS:         httpserver.CORSOptions{AllowOrigins: []string{"https://app.example.com"}},
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit decodes a fixture, lets change alter it, and encodes it again.
func edit(t *testing.T, name string, change func(ev map[string]any)) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(fixture(t, name), &ev); err != nil {
		t.Fatal(err)
	}
	change(ev)
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// eventResponse is the union of the four response shapes.
type eventResponse struct {
	StatusCode        int                 `json:"statusCode"`
	StatusDescription string              `json:"statusDescription"`
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
	Cookies           []string            `json:"cookies"`
}

// header returns a response header's values, from whichever map has it.
func (r eventResponse) header(name string) string {
	for k, v := range r.MultiValueHeaders {
		if strings.EqualFold(k, name) {
			return strings.Join(v, ", ")
		}
	}
	for k, v := range r.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func (r eventResponse) body(t *testing.T) string {
	t.Helper()
	if !r.IsBase64Encoded {
		return r.Body
	}
	b, err := base64.StdEncoding.DecodeString(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const fixtureQuery = "query Top($n: Int) { topProducts(first: $n) { name } }"

func TestInvokeEvents(t *testing.T) {
	oversized := strings.Repeat("x", testMaxBody)
	tests := []struct {
		name        string
		event       []byte
		status      int
		contentType string
		bodyHas     string
		headers     map[string]string // response headers that must be present
		multiValue  bool              // the response must use multiValueHeaders
		executed    bool              // the executor ran
		query       string
		variables   string
		queryOnly   bool
		subject     string            // the caller's subject; "" for anonymous
		claim       [2]string         // a claim the caller must have
		reqHeaders  map[string]string // headers the executor must see
	}{
		{name: "REST API POST with Cognito claims", event: fixture(t, "rest-post.json"),
			status: 200, contentType: "application/graphql-response+json", bodyHas: `"Table"`, multiValue: true,
			executed: true, query: fixtureQuery, variables: `{"n":2}`,
			subject: "7d8ca528-4931-4254-9273-ea5ee853f271", claim: [2]string{"email", "ada@example.com"},
			reqHeaders: map[string]string{"Authorization": "Bearer eyJhbGciOi.x.y"}},
		{name: "REST API GET query with a Lambda authorizer", event: fixture(t, "rest-get.json"),
			status: 200, contentType: "application/json", multiValue: true, headers: map[string]string{"Vary": "Origin, Accept"},
			executed: true, query: "{ topProducts(first: 1) { name } }", queryOnly: true,
			subject: "user-42", claim: [2]string{"tenant", "acme"}},
		{name: "HTTP API base64 POST on a named stage with JWT claims and cookies", event: fixture(t, "http-api-post-base64.json"),
			status: 200, contentType: "application/graphql-response+json", bodyHas: `"Table"`,
			executed: true, query: fixtureQuery, variables: `{"n":2}`,
			subject: "auth0|ada", claim: [2]string{"scope", "read:products"},
			reqHeaders: map[string]string{"Cookie": "session=s-1; theme=dark", "X-Amzn-Trace-Id": "Root=1-5e1b4151-5ac6c58f5e5b0c5e0b7c0b9a"}},
		{name: "Function URL GET with an IAM caller", event: fixture(t, "function-url-get.json"),
			status: 200, contentType: "application/graphql-response+json",
			executed: true, query: "{ topProducts(first: 1) { name } }", queryOnly: true,
			subject: "arn:aws:iam::123456789012:user/ada", claim: [2]string{"accountId", "123456789012"}},
		{name: "CORS preflight", event: fixture(t, "http-api-preflight.json"),
			status: 204, headers: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Allow-Methods": "GET, POST"}},
		{name: "ALB POST with multi-value headers", event: fixture(t, "alb-post-multivalue.json"),
			status: 200, contentType: "application/json", multiValue: true,
			executed: true, query: fixtureQuery, variables: `{"n":2}`,
			reqHeaders: map[string]string{"X-Tenant": "acme"}},
		{name: "ALB GET with the query as the client encoded it", event: fixture(t, "alb-get.json"),
			status: 200, contentType: "application/graphql-response+json",
			executed: true, query: "{ topProducts(first: 1) { name } }", queryOnly: true},
		{name: "oversized body", event: edit(t, "rest-post.json", func(ev map[string]any) {
			ev["body"] = `{"query":"{ topProducts { name } }","pad":"` + oversized + `"}`
		}), status: 413, contentType: "application/graphql-response+json", bodyHas: "PAYLOAD_TOO_LARGE", multiValue: true},
		{name: "malformed JSON body", event: edit(t, "http-api-post-base64.json", func(ev map[string]any) {
			ev["body"] = base64.StdEncoding.EncodeToString([]byte(`{"query": "{ topProducts { name } }"`))
		}), status: 400, contentType: "application/graphql-response+json", bodyHas: "BAD_REQUEST"},
		{name: "mutation over GET", event: edit(t, "function-url-get.json", func(ev map[string]any) {
			ev["rawQueryString"] = "query=mutation%20%7B%20x%20%7D"
		}), status: 405, contentType: "application/graphql-response+json", headers: map[string]string{"Allow": "POST"},
			executed: true, query: "mutation { x }", queryOnly: true, subject: "arn:aws:iam::123456789012:user/ada",
			claim: [2]string{"userId", "AIDAEXAMPLE"}},
		{name: "other path", event: edit(t, "alb-get.json", func(ev map[string]any) { ev["path"] = "/admin" }),
			status: 404},
		{name: "health probe", event: edit(t, "alb-get.json", func(ev map[string]any) { ev["path"] = "/healthz" }),
			status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &recordingExecutor{}
			h := NewHandler(httpserver.NewHandler(handlerOptions(exec)), Options{})
			out, err := h.Invoke(context.Background(), tt.event)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			var resp eventResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatalf("the response is not JSON: %v\n%s", err, out)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, out)
			}
			if got := resp.header("Content-Type"); tt.contentType != "" && !strings.HasPrefix(got, tt.contentType+";") {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if body := resp.body(t); !strings.Contains(body, tt.bodyHas) {
				t.Errorf("body %s does not contain %s", body, tt.bodyHas)
			}
			for name, want := range tt.headers {
				if got := resp.header(name); got != want {
					t.Errorf("header %s = %q, want %q", name, got, want)
				}
			}
			if (resp.MultiValueHeaders != nil) != tt.multiValue || tt.multiValue && resp.Headers != nil {
				t.Errorf("multiValueHeaders %v, headers %v; want multi-value only: %v", resp.MultiValueHeaders, resp.Headers, tt.multiValue)
			}
			if resp.header("Connection") != "" {
				t.Errorf("the hop-by-hop Connection header was passed on")
			}
			checkExecuted(t, exec, tt.executed, tt.query, tt.variables, tt.queryOnly, tt.subject, tt.claim, tt.reqHeaders)
		})
	}
}

func checkExecuted(t *testing.T, exec *recordingExecutor, executed bool, query, variables string, queryOnly bool,
	subject string, claim [2]string, headers map[string]string) {
	t.Helper()
	if !executed {
		if len(exec.reqs) != 0 {
			t.Fatalf("the executor ran %d time(s), want none", len(exec.reqs))
		}
		return
	}
	if len(exec.reqs) != 1 {
		t.Fatalf("the executor ran %d time(s), want 1", len(exec.reqs))
	}
	req := exec.reqs[0]
	if req.Query != query || string(req.Variables) != variables || req.QueryOnly != queryOnly {
		t.Errorf("request query %q variables %s queryOnly %v; want %q %s %v", req.Query, req.Variables, req.QueryOnly, query, variables, queryOnly)
	}
	switch {
	case subject == "" && req.Caller != nil:
		t.Errorf("caller %+v, want anonymous", req.Caller)
	case subject != "" && (req.Caller == nil || req.Caller.Subject != subject):
		t.Errorf("caller %+v, want subject %q", req.Caller, subject)
	case claim[0] != "":
		if got, _ := req.Caller.Claim(claim[0]); got != claim[1] {
			t.Errorf("claim %s = %q, want %q", claim[0], got, claim[1])
		}
	}
	for name, want := range headers {
		if got := req.Header.Get(name); got != want {
			t.Errorf("upstream-visible header %s = %q, want %q", name, got, want)
		}
	}
}

// Events that are not HTTP requests are invocation errors naming what
// was received and what to do, not HTTP answers.
func TestInvokeRejectsOtherEvents(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    string
	}{
		{"S3 notification", fixture(t, "s3-put.json"), "keys [Records]"},
		{"not JSON", []byte(`{"httpMethod": `), "not a JSON object"},
		{"JSON array", []byte(`[1, 2]`), "not a JSON object"},
		{"scheduled event", []byte(`{"source":"aws.events","detail-type":"Scheduled Event","detail":{}}`), "keys [detail detail-type source]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &recordingExecutor{}
			h := NewHandler(httpserver.NewHandler(handlerOptions(exec)), Options{})
			out, err := h.Invoke(context.Background(), tt.payload)
			if err == nil {
				t.Fatalf("Invoke answered %s, want an error", out)
			}
			if !errors.Is(err, ErrUnsupportedEvent) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want ErrUnsupportedEvent mentioning %q", err, tt.want)
			}
			if len(exec.reqs) != 0 {
				t.Errorf("the executor ran")
			}
		})
	}
	bad := edit(t, "rest-post.json", func(ev map[string]any) { ev["isBase64Encoded"] = true; ev["body"] = "not base64!" })
	h := NewHandler(httpserver.NewHandler(handlerOptions(&recordingExecutor{})), Options{})
	if _, err := h.Invoke(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "isBase64Encoded") {
		t.Errorf("a body marked base64 that is not: error %v", err)
	}
}

// The Lambda response carries what the HTTP handler wrote, byte for byte:
// the same request served by `gateway serve`'s handler over real HTTP gets
// the same status, body and headers.
func TestInvokeAnswersAsTheHTTPServer(t *testing.T) {
	for _, name := range []string{"rest-post.json", "http-api-post-base64.json", "alb-post-multivalue.json", "http-api-preflight.json", "function-url-get.json"} {
		t.Run(name, func(t *testing.T) {
			handler := httpserver.NewHandler(handlerOptions(&recordingExecutor{}))
			ev, err := decodeEvent(fixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			r, err := ev.request(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(r.Body)
			srv := httptest.NewServer(handler)
			defer srv.Close()
			direct, err := http.NewRequest(r.Method, srv.URL+r.URL.RequestURI(), bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			direct.Header = r.Header.Clone()
			want, err := http.DefaultClient.Do(direct)
			if err != nil {
				t.Fatal(err)
			}
			wantBody, _ := io.ReadAll(want.Body)
			want.Body.Close()

			out, err := NewHandler(handler, Options{}).Invoke(context.Background(), fixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			var got eventResponse
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if got.StatusCode != want.StatusCode || got.body(t) != string(wantBody) {
				t.Fatalf("Lambda: %d %s\nHTTP:   %d %s", got.StatusCode, got.body(t), want.StatusCode, wantBody)
			}
			for name := range want.Header {
				if name == "Date" || name == "Connection" {
					continue
				}
				if g, w := got.header(name), strings.Join(want.Header.Values(name), ", "); g != w {
					t.Errorf("header %s: Lambda %q, HTTP %q", name, g, w)
				}
			}
		})
	}
}

// Every invocation flushes telemetry once, within the bound, whatever the
// outcome; a flush that hangs delays the response by at most the bound.
func TestInvokeFlushesTelemetry(t *testing.T) {
	var flushes int
	h := NewHandler(httpserver.NewHandler(handlerOptions(&recordingExecutor{})), Options{
		FlushTimeout: 1,
		Flush: func(ctx context.Context) error {
			flushes++
			<-ctx.Done() // a collector that never answers
			return ctx.Err()
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if _, err := h.Invoke(context.Background(), fixture(t, "rest-post.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Invoke(context.Background(), fixture(t, "s3-put.json")); err == nil {
		t.Fatal("an S3 event was served")
	}
	if flushes != 2 {
		t.Fatalf("%d flushes for 2 invocations", flushes)
	}
}
