package telemetry

import (
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// Transport wraps the RoundTripper a subgraph's requests go through (nil
// means http.DefaultTransport). Each request gets a client span named
// "subgraph <name>" with the attributes tributary.subgraph, url.full,
// http.request.method and http.response.status_code, and carries the span's
// context upstream in a W3C traceparent header.
//
// The tracer provider and propagator are looked up per request, so a
// Transport built before Setup still follows it.
func Transport(subgraph string, base http.RoundTripper) http.RoundTripper {
	spanName := "subgraph " + subgraph
	return otelhttp.NewTransport(base,
		otelhttp.WithSpanNameFormatter(func(string, *http.Request) string { return spanName }),
		otelhttp.WithSpanOptions(trace.WithAttributes(attribute.String(AttrSubgraph, subgraph))),
	)
}

// Middleware continues the trace context a client sent (traceparent,
// baggage) and wraps each request in a server span named for its method, as
// the HTTP semantic conventions ask when no route is known; the span carries
// url.path, http.request.method and http.response.status_code.
func Middleware(next http.Handler) http.Handler {
	return otelhttp.NewHandler(next, "",
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }),
	)
}
