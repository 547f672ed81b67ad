package telemetry

import (
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Transport wraps the RoundTripper a subgraph's requests go through (nil
// means http.DefaultTransport). Each request gets a client span named
// "subgraph <name>" with the attributes tributary.subgraph, url.full,
// http.request.method and http.response.status_code, and carries the span's
// context upstream in a W3C traceparent header.
//
// It is a hot path (four upstream calls per request are common), so it does
// no work when there is nothing to record and no trace to continue, and it
// records no metrics. The tracer provider and propagator are looked up per
// request, so a Transport built before Setup still follows it.
func Transport(subgraph string, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{
		name: "subgraph " + subgraph,
		attr: attribute.String(AttrSubgraph, subgraph),
		base: base,
	}
}

type transport struct {
	name string
	attr attribute.KeyValue
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() && !parent.SpanContext().IsValid() {
		// Tracing is off and no client trace came in: nothing to record,
		// nothing to propagate.
		return t.base.RoundTrip(req)
	}
	ctx, span := otel.Tracer(TracerName).Start(ctx, t.name, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(t.attr))
	defer span.End()
	if span.IsRecording() {
		span.SetAttributes(
			attribute.String("url.full", req.URL.String()),
			attribute.String("http.request.method", req.Method),
		)
	}
	// RoundTrippers must not modify the caller's request: send a copy that
	// carries the span's context and headers.
	out := req.WithContext(ctx)
	out.Header = req.Header.Clone()
	otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(out.Header))
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		return resp, err
	}
	span.SetAttributes(attribute.Int("http.response.status_code", resp.StatusCode))
	if resp.StatusCode >= 500 {
		span.SetStatus(codes.Error, resp.Status)
	}
	return resp, nil
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
