package engine

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
)

const (
	shopSDL  = "type Query { shop: Shop  broken: String }\ntype Shop { name: String }\n"
	stockSDL = "type Query { stock: Int }\n"
)

// maskingEngine has a subgraph that answers with a detailed error and one
// that is down.
func maskingEngine(t *testing.T, o Options) *Engine {
	return newCannedEngine(t, o,
		cannedSubgraph{name: "shop", sdl: shopSDL, answer: func(upstreamRequest) string {
			return `{"data":{"broken":null},"errors":[{"message":"pq: relation \"orders\" does not exist at db-7.internal:5432","path":["broken"],` +
				`"extensions":{"code":"DB_ERROR","stacktrace":["at Query.broken (resolvers.js:12)"],"exception":{"errno":42},"traceId":"abc","retryable":true}}]}`
		}},
		cannedSubgraph{name: "stock", sdl: stockSDL, down: true, answer: func(upstreamRequest) string { return "" }},
	)
}

type gqlResponse struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Path       []any
		Extensions map[string]any
	}
}

func decode(t *testing.T, body string) gqlResponse {
	t.Helper()
	var r gqlResponse
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return r
}

// Debugging extensions never reach clients unless allowed, masked or not.
func TestDebugExtensionsAreDropped(t *testing.T) {
	e := maskingEngine(t, Options{Errors: ErrorOptions{AllowExtensions: []string{"traceId"}}})
	r := decode(t, run(t, e, `{ broken }`, ""))
	if len(r.Errors) != 1 {
		t.Fatalf("want one error, got %+v", r)
	}
	ext := r.Errors[0].Extensions
	for _, k := range []string{"stacktrace", "exception"} {
		if _, ok := ext[k]; ok {
			t.Errorf("extension %q reached the client: %v", k, ext)
		}
	}
	if ext["traceId"] != "abc" || ext["code"] != "DB_ERROR" || ext["retryable"] != true {
		t.Errorf("allowed and ordinary extensions must stay: %v", ext)
	}
	if !strings.Contains(r.Errors[0].Message, "db-7.internal") {
		t.Errorf("unmasked errors keep their message: %q", r.Errors[0].Message)
	}
}

// Masked, an upstream error keeps its code and path, gets an errorId, and
// its details go to the log under that id only.
func TestMaskedErrorsHideUpstreamDetails(t *testing.T) {
	var logs bytes.Buffer
	e := maskingEngine(t, Options{Errors: ErrorOptions{Mask: true}, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	for _, q := range []string{`{ broken }`, `{ stock }`} {
		body := run(t, e, q, "")
		r := decode(t, body)
		if len(r.Errors) == 0 {
			t.Fatalf("%s: want errors, got %s", q, body)
		}
		for _, leak := range []string{"db-7", "5432", "stack", "exception", "127.0.0.1", "dial", "refused", "orders"} {
			if strings.Contains(body, leak) {
				t.Errorf("%s: %q reached the client: %s", q, leak, body)
			}
		}
		for _, er := range r.Errors {
			id, _ := er.Extensions["errorId"].(string)
			if er.Message != "an upstream error occurred" || id == "" || er.Extensions["code"] == nil {
				t.Errorf("%s: want a generic message with errorId and code, got %+v", q, er)
			}
			if !strings.Contains(logs.String(), id) {
				t.Errorf("%s: error %s is not in the log: %s", q, id, logs.String())
			}
		}
	}
	if !strings.Contains(logs.String(), "db-7.internal:5432") {
		t.Errorf("the log must keep the original message: %s", logs.String())
	}
	// The gateway's own errors about the request are never masked.
	body := run(t, e, `{ nope }`, "")
	if !strings.Contains(body, "nope") {
		t.Errorf("a validation error must keep its message: %s", body)
	}
}

// Responses without errors are passed through as rendered.
func TestMaskingLeavesCleanResponsesAlone(t *testing.T) {
	e := newCannedEngine(t, Options{Errors: ErrorOptions{Mask: true}}, cannedSubgraph{name: "shop", sdl: shopSDL, answer: func(upstreamRequest) string {
		return `{"data":{"shop":{"name":"errors"}}}`
	}})
	if got := run(t, e, `{ shop { name } }`, ""); got != `{"data":{"shop":{"name":"errors"}}}` {
		t.Errorf("got %s", got)
	}
}

// BenchmarkFinishErrors measures the error step on a response without
// errors (what every clean response pays) and on one with an error.
func BenchmarkFinishErrors(b *testing.B) {
	e := &Engine{opts: Options{Logger: slog.New(slog.DiscardHandler), Errors: ErrorOptions{Mask: true}}}
	clean := []byte(`{"data":{"shop":{"name":"` + strings.Repeat("x", 4096) + `"}}}`)
	withError := []byte(`{"errors":[{"message":"boom","path":["broken"],"extensions":{"code":"X","serviceName":"shop","stacktrace":["a"]}}],"data":{"broken":null}}`)
	for _, c := range []struct {
		name string
		body []byte
	}{{"clean", clean}, {"error", withError}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				resp := &tributary.Response{Outcome: tributary.Executed, Body: c.body}
				e.finishErrors(b.Context(), resp)
			}
		})
	}
}

// Errors of in-process sources (REST, DynamoDB, SQL kinds) are upstream
// errors too.
func TestMaskedSourceErrors(t *testing.T) {
	e, _, _ := newSourceEngine(t)
	e.opts.Errors.Mask = true
	body := run(t, e, `{ topProducts { upc inStock } }`, "")
	if strings.Contains(body, "inventory unavailable") || !strings.Contains(body, `"an upstream error occurred"`) || !strings.Contains(body, `"path":["topProducts",2`) {
		t.Errorf("body %s", body)
	}
}
