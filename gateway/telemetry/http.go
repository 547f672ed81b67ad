package telemetry

import (
	"context"
	"net/http"
	"net/url"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Transport wraps the RoundTripper a subgraph's requests go through (nil
// means http.DefaultTransport). Each request gets a client span named
// "subgraph <name>" with the attributes tributary.subgraph, url.full,
// http.request.method and http.response.status_code (and any the request's
// context carries, see WithSpanAttributes), and carries the span's context
// upstream in a W3C traceparent header. url.full never holds credentials or
// query values: a kind may put an API key there.
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
			attribute.String("url.full", redactedURL(req.URL)),
			attribute.String("http.request.method", req.Method),
		)
		if extra, ok := ctx.Value(spanAttributesKey{}).([]attribute.KeyValue); ok {
			span.SetAttributes(extra...)
		}
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

// spanAttributesKey is the context key of WithSpanAttributes.
type spanAttributesKey struct{}

// WithSpanAttributes returns a copy of ctx whose upstream requests get
// attrs on the client span Transport starts for them, besides its own.
// Callers that wrap a traced client's Transport use it to describe the
// call (the engine's tributary.batch_size), since the span starts after
// them.
func WithSpanAttributes(ctx context.Context, attrs ...attribute.KeyValue) context.Context {
	if outer, ok := ctx.Value(spanAttributesKey{}).([]attribute.KeyValue); ok {
		attrs = append(append([]attribute.KeyValue(nil), outer...), attrs...)
	}
	return context.WithValue(ctx, spanAttributesKey{}, attrs)
}

// redactedURL is u for url.full: user info dropped and every query value
// replaced by REDACTED (as the semantic conventions do for signatures),
// since upstream URLs carry API keys and client arguments.
func redactedURL(u *url.URL) string {
	if u.User == nil && u.RawQuery == "" {
		return u.String()
	}
	r := *u
	r.User = nil
	if r.RawQuery != "" {
		q := r.Query()
		for _, values := range q {
			for i := range values {
				values[i] = "REDACTED"
			}
		}
		r.RawQuery = q.Encode()
	}
	return r.String()
}

// Middleware continues the trace context a client sent (traceparent,
// baggage) and wraps each request in a server span named for its method, as
// the HTTP semantic conventions ask when no route is known; the span carries
// url.path, http.request.method and http.response.status_code.
//
// When tracing is off (Setup installed the no-op provider), there is no
// span to record: a request is only given the trace context it came with,
// if any, so that Transport forwards it. The full instrumentation costs
// about a tenth of a cached request's CPU (docs/benchmarks.md).
func Middleware(next http.Handler) http.Handler {
	traced := otelhttp.NewHandler(next, "",
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }),
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, off := otel.GetTracerProvider().(noop.TracerProvider); !off {
			traced.ServeHTTP(w, r)
			return
		}
		if r.Header.Get("Traceparent") == "" && r.Header.Get("Baggage") == "" {
			next.ServeHTTP(w, r)
			return
		}
		ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
