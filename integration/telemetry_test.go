package integration

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/tributary-gw/tributary/examples/shipping"
)

// One query yields spans for each pipeline phase and one client span per
// subgraph call carrying the subgraph's name and batch size, and the trace
// context reaches the subgraphs.
func TestTracingSpansAndPropagation(t *testing.T) {
	recorder := tracetest.NewSpanRecorder()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	t.Cleanup(func() { _ = provider.Shutdown(t.Context()) })

	s := newStack(t)
	r := post(t, s.endpoint, `{ topProducts(first: 3) { name inStock reviews { author { name } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors %s", r.raw)
	}
	names := map[string]int{}
	batch := map[string]int64{}
	var traceID string
	for _, sp := range recorder.Ended() {
		names[sp.Name()]++
		if sp.Name() == "graphql.operation" {
			traceID = sp.SpanContext().TraceID().String()
		}
		for _, a := range sp.Attributes() {
			if string(a.Key) == "tributary.batch_size" {
				for _, a2 := range sp.Attributes() {
					if string(a2.Key) == "tributary.subgraph" {
						batch[a2.Value.AsString()] = a.Value.AsInt64()
					}
				}
			}
		}
	}
	for _, want := range []string{"graphql.operation", "graphql.parse", "graphql.validate", "graphql.plan", "graphql.execute"} {
		if names[want] != 1 {
			t.Fatalf("span %s recorded %d times; spans: %v", want, names[want], names)
		}
	}
	// inventory and reviews get the 3 products, accounts the 4 distinct
	// authors of their reviews.
	if batch["inventory"] != 3 || batch["reviews"] != 3 || batch["accounts"] != 4 {
		t.Fatalf("batch sizes %v", batch)
	}
	reqs := s.services["accounts"].Requests()
	if len(reqs) != 1 || !strings.Contains(reqs[0].Header.Get("Traceparent"), traceID) {
		t.Fatalf("accounts traceparent %q, trace %s", reqs[0].Header.Get("Traceparent"), traceID)
	}
}

// A REST call of the openapi kind is traced like a GraphQL subgraph's: a
// client span named for the subgraph, and a traceparent naming it, sent
// along with the section's credentials.
func TestOpenAPICallsAreTraced(t *testing.T) {
	recorder := tracetest.NewSpanRecorder()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	t.Cleanup(func() { _ = provider.Shutdown(t.Context()) })

	var (
		mu       sync.Mutex
		received []http.Header
	)
	rest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		received = append(received, r.Header.Clone())
		mu.Unlock()
		shipping.New().ServeHTTP(w, r)
	}))
	t.Cleanup(rest.Close)
	yaml := "subgraphs:\n" + shippingYAML(rest.URL+"/v1") + "      auth:\n        bearer: {token: t0k3n}\n"
	_, endpoint := startGateway(t, yaml, map[string]string{"shipping.yaml": string(shipping.Spec)})

	r := post(t, endpoint, `{ listCarriers(region: US_EAST) { id } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors %s", r.raw)
	}
	// The HTTP request's span is the one with url.full; the engine's span
	// for the call into the in-process subgraph (named alike) is its parent
	// and is not recorded here when another test bound the engine's tracer
	// to its own provider first.
	var client sdktrace.ReadOnlySpan
	for _, sp := range recorder.Ended() {
		if sp.SpanKind() != trace.SpanKindClient || !hasAttribute(sp, "url.full") {
			continue
		}
		if client != nil {
			t.Fatalf("two HTTP client spans for one REST call: %s and %s", client.Name(), sp.Name())
		}
		client = sp
	}
	if client == nil || client.Name() != "subgraph shipping" {
		t.Fatalf("no HTTP client span \"subgraph shipping\" among %d spans", len(recorder.Ended()))
	}
	attrs := map[string]string{}
	for _, a := range client.Attributes() {
		attrs[string(a.Key)] = a.Value.Emit()
	}
	for key, want := range map[string]string{
		"tributary.subgraph":        "shipping",
		"http.request.method":       http.MethodGet,
		"url.full":                  rest.URL + "/v1/carriers?region=REDACTED",
		"http.response.status_code": "200",
	} {
		if attrs[key] != want {
			t.Errorf("client span %s = %q, want %q", key, attrs[key], want)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	if len(received) != 1 {
		t.Fatalf("the REST service got %d requests, want 1", len(received))
	}
	want := "00-" + client.SpanContext().TraceID().String() + "-" + client.SpanContext().SpanID().String() + "-01"
	if got := received[0].Get("Traceparent"); got != want {
		t.Errorf("traceparent %q, want %q naming the client span", got, want)
	}
	if got := received[0].Get("Authorization"); got != "Bearer t0k3n" {
		t.Errorf("Authorization %q, want the section's bearer token", got)
	}
}

func hasAttribute(span sdktrace.ReadOnlySpan, key string) bool {
	for _, a := range span.Attributes() {
		if string(a.Key) == key {
			return true
		}
	}
	return false
}
