package integration

import (
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
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
