// Package telemetry sets up OpenTelemetry tracing for the gateway: the
// global tracer provider and W3C propagators, a server span per client
// request, and a client span per subgraph request.
package telemetry

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// TracerName is the instrumentation scope of the gateway's own spans.
const TracerName = "github.com/tributary-gw/tributary"

// DefaultServiceName is the service.name used when Options sets none.
const DefaultServiceName = "tributary"

// Attribute keys the gateway puts on its spans.
const (
	// AttrSubgraph names the subgraph a span talks to.
	AttrSubgraph = "tributary.subgraph"
	// AttrBatchSize is the number of entity representations in one fetch.
	AttrBatchSize = "tributary.batch_size"
)

// tracesPath is the OTLP/HTTP path for traces, appended to the base URL.
const tracesPath = "/v1/traces"

// Options configures tracing; it is the `telemetry:` section of gateway.yaml.
type Options struct {
	// ServiceName is the service.name resource attribute; empty means
	// "tributary".
	ServiceName string
	// Endpoint is the OTLP/HTTP collector's base URL, such as
	// "http://localhost:4318"; spans go to Endpoint + "/v1/traces". A value
	// without a scheme ("collector:4318") uses https, or http when Insecure
	// is set. Empty turns exporting off.
	Endpoint string
	// Headers are sent with every export request (for example an API key).
	Headers map[string]string
	// Insecure sends spans over plain http to a scheme-less Endpoint.
	Insecure bool
	// SampleRatio is the fraction of new traces to record, in (0, 1];
	// zero means 1 (record all). A request whose incoming traceparent is
	// sampled is always recorded, so upstream decisions are kept.
	SampleRatio float64
}

// Setup installs the global tracer provider and the W3C trace-context and
// baggage propagator. With no Endpoint nothing is exported and spans cost
// almost nothing, but incoming trace context is still forwarded upstream.
// The returned shutdown flushes buffered spans; call it before exiting.
func Setup(ctx context.Context, o Options) (shutdown func(context.Context) error, err error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{}))

	if o.Endpoint == "" {
		// The no-op provider records nothing, yet a span started under an
		// incoming traceparent carries that context, so Transport forwards
		// it unchanged.
		otel.SetTracerProvider(noop.NewTracerProvider())
		return func(context.Context) error { return nil }, nil
	}

	exporterOptions, err := o.exporterOptions()
	if err != nil {
		return nil, err
	}
	exporter, err := otlptracehttp.New(ctx, exporterOptions...)
	if err != nil {
		return nil, fmt.Errorf("telemetry: create the OTLP exporter for %q: %w", o.Endpoint, err)
	}
	serviceName := o.ServiceName
	if serviceName == "" {
		serviceName = DefaultServiceName
	}
	res, err := resource.New(ctx,
		resource.WithTelemetrySDK(),
		resource.WithAttributes(semconv.ServiceName(serviceName)))
	if err != nil {
		return nil, fmt.Errorf("telemetry: build the service resource: %w", err)
	}
	provider := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exporter),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(o.sampleRatio()))),
	)
	otel.SetTracerProvider(provider)
	return provider.Shutdown, nil
}

// Validate checks the options without installing anything, so that the
// config loader can report mistakes at start-up.
func (o Options) Validate() error {
	if o.SampleRatio < 0 || o.SampleRatio > 1 || math.IsNaN(o.SampleRatio) {
		return fmt.Errorf("telemetry: sampleRatio %v must be between 0 and 1 (0.1 records one trace in ten)", o.SampleRatio)
	}
	if o.Endpoint != "" {
		if _, err := o.exporterOptions(); err != nil {
			return err
		}
	}
	return nil
}

// Tracer returns the gateway's tracer, for the engine's own spans.
func Tracer() trace.Tracer { return otel.Tracer(TracerName) }

// exporterOptions turns Endpoint, Insecure and Headers into exporter
// options. The exporter is always told the endpoint explicitly, so
// OTEL_EXPORTER_OTLP_* variables cannot redirect spans behind the config's
// back.
func (o Options) exporterOptions() ([]otlptracehttp.Option, error) {
	raw := o.Endpoint
	hasScheme := strings.Contains(raw, "://")
	if !hasScheme {
		scheme := "https://"
		if o.Insecure {
			scheme = "http://"
		}
		raw = scheme + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("telemetry: otlp.endpoint %q is not a URL (write e.g. \"http://localhost:4318\"): %w", o.Endpoint, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("telemetry: otlp.endpoint %q must use http or https, not %q", o.Endpoint, u.Scheme)
	case u.Host == "":
		return nil, fmt.Errorf("telemetry: otlp.endpoint %q has no host (write e.g. \"http://localhost:4318\")", o.Endpoint)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("telemetry: otlp.endpoint %q must be a base URL without query or fragment", o.Endpoint)
	case hasScheme && o.Insecure && u.Scheme == "https":
		return nil, fmt.Errorf("telemetry: otlp.insecure is set but otlp.endpoint %q uses https; use an http:// endpoint or drop insecure", o.Endpoint)
	}
	opts := []otlptracehttp.Option{
		otlptracehttp.WithEndpoint(u.Host),
		otlptracehttp.WithURLPath(strings.TrimSuffix(u.Path, "/") + tracesPath),
	}
	if u.Scheme == "http" {
		opts = append(opts, otlptracehttp.WithInsecure())
	}
	if len(o.Headers) > 0 {
		opts = append(opts, otlptracehttp.WithHeaders(o.Headers))
	}
	return opts, nil
}

// sampleRatio returns the validated ratio, with zero meaning "all".
func (o Options) sampleRatio() float64 {
	if o.SampleRatio == 0 {
		return 1
	}
	return o.SampleRatio
}
