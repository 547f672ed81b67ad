package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wundergraph/astjson"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
)

// profilesSDLWithRoot is profilesSDL with a root field, so that one
// subgraph can fail both a root fetch and an entity fetch.
const profilesSDLWithRoot = "type Query { motd: String }\ntype User @key(fields: \"id\") { id: ID!  nick: String }\n"

// failure is a way for the profiles subgraph to fail, and what a client and
// the log must see of it.
type failure struct {
	name string
	// profiles is the failing subgraph, without name and SDL.
	profiles cannedSubgraph
	code     string
	// status is extensions.statusCode; 0 means there must be none.
	status int
	// details are parts of the failure (beyond the subgraph's host:port)
	// that stay out of clients' errors unless details are exposed, and
	// are always logged.
	details []string
}

func failures(hang http.HandlerFunc) []failure {
	return []failure{
		{name: "down", profiles: cannedSubgraph{down: true}, code: CodeSubgraphUnavailable, details: []string{"connection refused"}},
		{name: "hangs past its timeout", profiles: cannedSubgraph{serve: hang, timeout: 100 * time.Millisecond}, code: CodeSubgraphTimeout},
		{name: "503 with HTML", code: CodeSubgraphHTTPError, status: 503, details: []string{"<h1>upstream connect error", "10.9.8.7:8080"},
			profiles: cannedSubgraph{serve: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, "<html><body><h1>upstream connect error at 10.9.8.7:8080</h1></body></html>")
			}}},
		{name: "200 with garbage", code: CodeSubgraphInvalidResponse, status: 200, details: []string{"db-7.internal:5432"},
			profiles: cannedSubgraph{serve: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				_, _ = io.WriteString(w, "Internal error: lost the connection to db-7.internal:5432")
			}}},
	}
}

// failingProfilesEngine is users 1, 2 and 3 from a healthy subgraph, and a
// profiles subgraph (motd, User.nick) that fails as f says.
func failingProfilesEngine(t *testing.T, f failure, o Options) (e *Engine, hostPort string) {
	t.Helper()
	profiles := f.profiles
	profiles.name, profiles.sdl = "profiles", profilesSDLWithRoot
	if profiles.answer == nil {
		profiles.answer = func(upstreamRequest) string { return "" }
	}
	e = newCannedEngine(t, o,
		cannedSubgraph{name: "users", sdl: usersSDL, answer: func(upstreamRequest) string {
			return `{"data":{"users":[{"__typename":"User","id":"1"},{"__typename":"User","id":"2"},{"__typename":"User","id":"3"}]}}`
		}},
		profiles)
	return e, strings.TrimPrefix(e.opts.Subgraphs["profiles"].Remote.URL, "http://")
}

// hangingHandler answers nothing until the client gives up or release is
// called. (The server notices that the client left once the body is read.)
func hangingHandler() (handler http.HandlerFunc, release func()) {
	done := make(chan struct{})
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}, func() { close(done) }
}

// logRecords decodes the JSON log records with message msg.
func logRecords(t *testing.T, logs *bytes.Buffer, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(logs.Bytes()))
	for dec.More() {
		var rec map[string]any
		if err := dec.Decode(&rec); err != nil {
			t.Fatalf("log %s: %v", logs, err)
		}
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

func pathsOf(r gqlResponse) string {
	var paths []string
	for _, er := range r.Errors {
		p, _ := json.Marshal(er.Path)
		paths = append(paths, string(p))
	}
	return strings.Join(paths, " ")
}

// A subgraph that is down, hangs past its timeout, or answers with
// something that is not GraphQL gives errors at the fields it was to fill
// (each root field; each entity, by its key), with a code for the cause,
// the subgraph's name and its status; the rest of the response is served.
// Its URL, the connection error and the body stay out of clients' errors
// unless details are exposed, and are logged once per failed call.
func TestSubgraphFailuresCarryTheirPlace(t *testing.T) {
	queries := []struct {
		name, query, wantPaths, loggedPaths string
	}{
		{"root field", `{ users { id } motd }`, `["motd"]`, `[["motd"]]`},
		{"entities", `{ users { id nick } }`, `["users",0] ["users",1] ["users",2]`, `[["users",0],["users",1],["users",2]]`},
	}
	for i, f := range failures(nil) {
		for _, expose := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, exposeSubgraphDetails %v", f.name, expose), func(t *testing.T) {
				hang, release := hangingHandler()
				f := failures(hang)[i]
				var logs bytes.Buffer
				e, hostPort := failingProfilesEngine(t, f, Options{
					Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
					Errors: ErrorOptions{ExposeSubgraphDetails: expose},
				})
				t.Cleanup(release) // before the server closes
				for _, q := range queries {
					logs.Reset()
					body := run(t, e, q.query, "")
					r := decode(t, body)
					if got := pathsOf(r); got != q.wantPaths {
						t.Fatalf("%s: error paths %s, want %s: %s", q.name, got, q.wantPaths, body)
					}
					if !strings.Contains(string(r.Data), `{"id":"1"`) || !strings.Contains(string(r.Data), `{"id":"3"`) {
						t.Errorf("%s: the users subgraph's data must be served: %s", q.name, body)
					}
					for _, er := range r.Errors {
						ext := er.Extensions
						if ext["code"] != f.code || ext["serviceName"] != "profiles" {
							t.Errorf("%s: want code %s from profiles: %s", q.name, f.code, body)
						}
						if status, ok := ext["statusCode"]; f.status == 0 && ok || f.status != 0 && status != float64(f.status) {
							t.Errorf("%s: statusCode %v, want %d (0: none): %s", q.name, status, f.status, body)
						}
						if !strings.Contains(er.Message, `subgraph "profiles"`) {
							t.Errorf("%s: the message must name the subgraph: %q", q.name, er.Message)
						}
					}
					for _, detail := range append([]string{hostPort}, f.details...) {
						if got := strings.Contains(body, detail); got != expose {
							t.Errorf("%s: %q in the client's errors: %v, want %v: %s", q.name, detail, got, expose, body)
						}
					}
					if strings.Contains(body, `\u0000`) || strings.Contains(body, "Failed to fetch") {
						t.Errorf("%s: internal marks or the library's message reached the client: %s", q.name, body)
					}

					records := logRecords(t, &logs, "subgraph request failed")
					if len(records) != 1 {
						t.Fatalf("%s: want one log record of the failure, got %d: %s", q.name, len(records), logs.String())
					}
					rec := records[0]
					if rec["level"] != "ERROR" || rec["subgraph"] != "profiles" || rec["code"] != f.code || rec["paths"] != q.loggedPaths {
						t.Errorf("%s: log record %v", q.name, rec)
					}
					cause, _ := rec["cause"].(string)
					logged := cause + " " + fmt.Sprint(rec["body"])
					for _, detail := range append([]string{hostPort}, f.details...) {
						if !strings.Contains(logged, detail) {
							t.Errorf("%s: the log lacks %q: %v", q.name, detail, rec)
						}
					}
					if f.status != 0 && rec["status"] != float64(f.status) {
						t.Errorf("%s: logged status %v, want %d", q.name, rec["status"], f.status)
					}
				}
			})
		}
	}
}

// When the client selects no key field, the objects an entity fetch was
// for cannot be told apart: a failed call is one error at the list.
func TestSubgraphFailureWithoutKeysIsOneErrorAtTheList(t *testing.T) {
	e, _ := failingProfilesEngine(t, failures(nil)[0], Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	body := run(t, e, `{ users { nick } }`, "")
	r := decode(t, body)
	if got := pathsOf(r); got != `["users"]` || r.Errors[0].Extensions["code"] != CodeSubgraphUnavailable {
		t.Fatalf("want one SUBGRAPH_UNAVAILABLE error at [\"users\"]: %s", body)
	}
}

// Masked, a failed call keeps its code and path; its log record carries
// the errorIds clients see, and it is not logged twice.
func TestMaskedSubgraphFailureIsLoggedWithErrorIDs(t *testing.T) {
	var logs bytes.Buffer
	e, hostPort := failingProfilesEngine(t, failures(nil)[0], Options{
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		Errors: ErrorOptions{Mask: true, ExposeSubgraphDetails: true},
	})
	body := run(t, e, `{ users { id } motd }`, "")
	r := decode(t, body)
	if len(r.Errors) != 1 || r.Errors[0].Message != upstreamErrorMessage || r.Errors[0].Extensions["code"] != CodeSubgraphUnavailable ||
		pathsOf(r) != `["motd"]` || strings.Contains(body, hostPort) {
		t.Fatalf("want one masked SUBGRAPH_UNAVAILABLE error at motd, no details: %s", body)
	}
	id := r.Errors[0].Extensions["errorId"]
	records := logRecords(t, &logs, "subgraph request failed")
	if len(records) != 1 || fmt.Sprint(records[0]["errorIds"]) != fmt.Sprint([]any{id}) {
		t.Fatalf("want one record with errorIds [%v]: %s", id, logs.String())
	}
	if n := len(logRecords(t, &logs, "masked error")); n != 0 {
		t.Errorf("the failure was logged again as a masked error (%d records)", n)
	}
}

// Errors a subgraph returns in a GraphQL response, whatever its status,
// pass as before: their message, the subgraph's code, its status; no
// failure is logged.
func TestSubgraphGraphQLErrorsWithAnErrorStatusPassAsBefore(t *testing.T) {
	var logs bytes.Buffer
	e, _ := failingProfilesEngine(t, failure{profiles: cannedSubgraph{serve: func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"data":{"motd":null},"errors":[{"message":"motd store is down","path":["motd"],"extensions":{"code":"STORE_DOWN"}}]}`)
	}}}, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	body := run(t, e, `{ users { id } motd }`, "")
	r := decode(t, body)
	if len(r.Errors) != 1 || r.Errors[0].Message != "motd store is down" || pathsOf(r) != `["motd"]` ||
		r.Errors[0].Extensions["code"] != "STORE_DOWN" || r.Errors[0].Extensions["statusCode"] != float64(500) {
		t.Fatalf("the subgraph's error must pass as it is: %s", body)
	}
	if n := len(logRecords(t, &logs, "subgraph request failed")); n != 0 {
		t.Errorf("a GraphQL answer was logged as a failure: %s", logs.String())
	}
}

// unreachableSource is an in-process subgraph whose service is down.
type unreachableSource struct{ url string }

func (s unreachableSource) call(ctx context.Context) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("profile service: %w", err)
	}
	resp.Body.Close()
	return errors.New("the profile service answered, which it must not")
}

func (s unreachableSource) ResolveField(ctx context.Context, _ tributary.FieldCall) (json.RawMessage, error) {
	return nil, s.call(ctx)
}

func (s unreachableSource) ResolveEntities(ctx context.Context, _ tributary.EntityBatch) ([]tributary.Result, error) {
	return nil, s.call(ctx)
}

func (unreachableSource) ResolveFieldBatch(context.Context, tributary.FieldBatch) ([]tributary.Result, error) {
	return nil, errors.New("no batch fields")
}

// usersSource serves users 1, 2 and 3.
type usersSource struct{ unreachableSource }

func (usersSource) ResolveField(context.Context, tributary.FieldCall) (json.RawMessage, error) {
	return json.RawMessage(`[{"__typename":"User","id":"1"},{"__typename":"User","id":"2"},{"__typename":"User","id":"3"}]`), nil
}

// An in-process subgraph whose service is down gets the code a remote one
// would, at the same places, and its connection error is logged, not
// shown.
func TestSourceFailuresHaveTheSameCodes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res, err := composition.Compose([]composition.Subgraph{{Name: "users", SDL: usersSDL}, {Name: "profiles", SDL: profilesSDLWithRoot}})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	e, err := New(context.Background(), Options{Supergraph: res.SDL, Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		Subgraphs: map[string]*tributary.Subgraph{
			"users":    {Name: "users", Source: usersSource{}},
			"profiles": {Name: "profiles", Source: unreachableSource{url: "http://" + addr}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	for query, paths := range map[string]string{
		`{ users { id } motd }`: `["motd"]`,
		`{ users { id nick } }`: `["users",0] ["users",1] ["users",2]`,
	} {
		logs.Reset()
		body := run(t, e, query, "")
		r := decode(t, body)
		if pathsOf(r) != paths || strings.Contains(body, addr) || !strings.Contains(string(r.Data), `"id":"3"`) {
			t.Fatalf("%s: want errors at %s, no address, users served: %s", query, paths, body)
		}
		for _, er := range r.Errors {
			if er.Extensions["code"] != CodeSubgraphUnavailable || er.Extensions["serviceName"] != "profiles" {
				t.Errorf("%s: want SUBGRAPH_UNAVAILABLE from profiles: %s", query, body)
			}
		}
		records := logRecords(t, &logs, "subgraph request failed")
		if len(records) != 1 || !strings.Contains(fmt.Sprint(records[0]["cause"]), addr) {
			t.Fatalf("%s: want one record naming the address: %s", query, logs.String())
		}
	}
}

func TestCallErrorCodes(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	for _, tt := range []struct {
		name   string
		ctx    context.Context
		err    error
		code   string
		failed bool
	}{
		{"refused", context.Background(), &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, CodeSubgraphUnavailable, true},
		{"reset", context.Background(), syscall.ECONNRESET, CodeSubgraphUnavailable, true},
		{"DNS", context.Background(), &net.DNSError{Err: "no such host", Name: "accounts.internal", IsNotFound: true}, CodeSubgraphUnavailable, true},
		{"deadline", context.Background(), fmt.Errorf("read: %w", context.DeadlineExceeded), CodeSubgraphTimeout, true},
		{"client timeout", expired, errors.New("net/http: request canceled"), CodeSubgraphTimeout, true},
		{"client left", cancelled, context.Canceled, "", false},
	} {
		code, failed := callErrorCode(tt.ctx, tt.err)
		if code != tt.code || failed != tt.failed {
			t.Errorf("%s: %q, %v; want %q, %v", tt.name, code, failed, tt.code, tt.failed)
		}
	}
	if code, ok := sourceErrorCode(errors.New("no such user")); ok {
		t.Errorf("a Source's own error was classified as %s", code)
	}
}

func TestNotGraphQLResponse(t *testing.T) {
	for body, graphQL := range map[string]bool{
		`{"data":{"a":1}}`:                       true,
		` {"errors":[{"message":"x"}]} `:         true,
		`{"data":null,"errors":[{"message":1}]}`: true,
		`{"data":{"a":1},"extensions":{}}`:       true,
		``:                                       false,
		`<html></html>`:                          false,
		`{"data":{"a":`:                          false,
		`[{"data":{}}]`:                          false,
		`{"data":null}`:                          false,
		`{"errors":[]}`:                          false,
		`{"message":"internal"}`:                 false,
		`{"extensions":{"data":{}},"data":{}}`:   true,
		`{ "errors" : [ {} ] }`:                  true,
		`{"errors":[ ],"data":5}`:                false,
		`{"d\u0061ta":{}}`:                       true,
	} {
		if got := notGraphQLResponse([]byte(body), false) == ""; got != graphQL {
			t.Errorf("%q: GraphQL response %v, want %v", body, got, graphQL)
		}
	}
}

// isGraphQLResponse is notGraphQLResponse's reference, on encoding/json:
// the first member that decides wins, as there.
func isGraphQLResponse(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return false
		}
		var value json.RawMessage
		if dec.Decode(&value) != nil {
			return false
		}
		var list []json.RawMessage
		switch {
		case key == "data" && value[0] == '{':
			return true
		case key == "errors" && json.Unmarshal(value, &list) == nil && len(list) > 0:
			return true
		}
	}
	return false
}

// FuzzNotGraphQLResponse feeds arbitrary bodies to the check of a
// subgraph's answer: it must agree with encoding/json on valid JSON, and
// take nothing else for a GraphQL response.
func FuzzNotGraphQLResponse(f *testing.F) {
	for _, seed := range []string{`{"data":{"a":1}}`, `{"errors":[{"message":"x"}]}`, `{"data":null}`, `<html>`, ` {"x":[1,{"data":{}}],"errors":[]} `} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := notGraphQLResponse(body, false) == ""
		if json.Valid(body) {
			if want := isGraphQLResponse(body); got != want {
				t.Fatalf("%q: GraphQL response %v, encoding/json says %v", body, got, want)
			}
		} else if got {
			t.Fatalf("%q is not JSON but was taken for a GraphQL response", body)
		}
	})
}

// benchAnswer is a subgraph's answer of 200 products, about 60 KB.
var benchAnswer = func() []byte {
	var b strings.Builder
	b.WriteString(`{"data":{"topProducts":[`)
	for i := range 200 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"__typename":"Product","upc":"%d","name":"Widget \"deluxe\"","price":1999,"tags":["a","b"],"description":"%s"}`,
			i, strings.Repeat("lorem ipsum ", 16))
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}()

// BenchmarkNotGraphQLResponse is what checking each answer of a remote
// subgraph costs, next to the resolver's own parse of it.
func BenchmarkNotGraphQLResponse(b *testing.B) {
	b.Run("check", func(b *testing.B) {
		b.SetBytes(int64(len(benchAnswer)))
		b.ReportAllocs()
		for b.Loop() {
			if notGraphQLResponse(benchAnswer, false) != "" {
				b.Fatal("not taken for a GraphQL response")
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(benchAnswer)))
		b.ReportAllocs()
		var p astjson.Parser
		for b.Loop() {
			if _, err := p.ParseBytes(benchAnswer); err != nil {
				b.Fatal(err)
			}
		}
	})
}
