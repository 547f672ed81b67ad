package telemetry

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// These tests change the global tracer provider, so none runs in parallel.

const (
	incomingTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	incomingSpanID  = "00f067aa0ba902b7"
	incomingParent  = "00-" + incomingTraceID + "-" + incomingSpanID + "-01"
)

// upstream is a subgraph that remembers the traceparent of each request.
type upstream struct {
	*httptest.Server
	mu           sync.Mutex
	traceparents []string
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.traceparents = append(u.traceparents, r.Header.Get("traceparent"))
		u.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":{}}`)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) received() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.traceparents...)
}

// serveThroughGateway sends one client request with the incoming
// traceparent through Middleware to a handler that calls the subgraph
// "products" through Transport.
func serveThroughGateway(t *testing.T, up *upstream) {
	t.Helper()
	client := &http.Client{Transport: Transport("products", up.Client().Transport)}
	gateway := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, up.URL+"/graphql", strings.NewReader(`{"query":"{a}"}`))
		if err != nil {
			t.Error(err)
			return
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		w.WriteHeader(http.StatusOK)
	}))
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{a}"}`))
	req.Header.Set("traceparent", incomingParent)
	rec := httptest.NewRecorder()
	gateway.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("gateway answered %d", rec.Code)
	}
}

func installRecorder(t *testing.T) *tracetest.SpanRecorder {
	recorder := tracetest.NewSpanRecorder()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{}))
	t.Cleanup(func() { _ = provider.Shutdown(context.Background()) })
	return recorder
}

func attributes(span sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	out := map[attribute.Key]attribute.Value{}
	for _, kv := range span.Attributes() {
		out[kv.Key] = kv.Value
	}
	return out
}

func TestServerAndSubgraphSpans(t *testing.T) {
	recorder := installRecorder(t)
	up := newUpstream(t)
	serveThroughGateway(t, up)

	spans := recorder.Ended()
	if len(spans) != 2 {
		t.Fatalf("recorded %d spans, want a server and a client span", len(spans))
	}
	var server, client sdktrace.ReadOnlySpan
	for _, s := range spans {
		switch s.SpanKind() {
		case trace.SpanKindServer:
			server = s
		case trace.SpanKindClient:
			client = s
		}
	}
	if server == nil || client == nil {
		t.Fatalf("want one server and one client span, got kinds %v and %v", spans[0].SpanKind(), spans[1].SpanKind())
	}

	if got := server.SpanContext().TraceID().String(); got != incomingTraceID {
		t.Errorf("server span trace ID %s, want the incoming %s", got, incomingTraceID)
	}
	if got := server.Parent().SpanID().String(); got != incomingSpanID {
		t.Errorf("server span parent %s, want the incoming span %s", got, incomingSpanID)
	}
	if server.Name() != http.MethodPost {
		t.Errorf("server span name %q, want %q", server.Name(), http.MethodPost)
	}
	if client.Parent().SpanID() != server.SpanContext().SpanID() {
		t.Errorf("client span's parent %s is not the server span %s", client.Parent().SpanID(), server.SpanContext().SpanID())
	}
	if client.Name() != "subgraph products" {
		t.Errorf("client span name %q, want %q", client.Name(), "subgraph products")
	}

	attrs := attributes(client)
	for key, want := range map[attribute.Key]attribute.Value{
		AttrSubgraph:                attribute.StringValue("products"),
		"url.full":                  attribute.StringValue(up.URL + "/graphql"),
		"http.request.method":       attribute.StringValue(http.MethodPost),
		"http.response.status_code": attribute.IntValue(http.StatusOK),
	} {
		if got, ok := attrs[key]; !ok || got != want {
			t.Errorf("client span %s = %v (present %v), want %v", key, got.Emit(), ok, want.Emit())
		}
	}

	received := up.received()
	if len(received) != 1 {
		t.Fatalf("upstream got %d requests, want 1", len(received))
	}
	parts := strings.Split(received[0], "-")
	if len(parts) != 4 || parts[1] != incomingTraceID {
		t.Fatalf("upstream traceparent %q does not carry trace %s", received[0], incomingTraceID)
	}
	if parts[2] != client.SpanContext().SpanID().String() {
		t.Errorf("upstream traceparent parent %s, want the client span %s", parts[2], client.SpanContext().SpanID())
	}
}

// collector is an OTLP/HTTP endpoint that counts export requests.
type collector struct {
	*httptest.Server
	mu       sync.Mutex
	exports  int
	problems []string
}

func newCollector(t *testing.T, wantPath, wantHeader string) *collector {
	c := &collector{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.exports++
		switch {
		case r.Method != http.MethodPost || r.URL.Path != wantPath:
			c.problems = append(c.problems, "got "+r.Method+" "+r.URL.Path+", want POST "+wantPath)
		case len(body) == 0:
			c.problems = append(c.problems, "empty export body")
		case wantHeader != "" && r.Header.Get("X-Api-Key") != wantHeader:
			c.problems = append(c.problems, "missing X-Api-Key header")
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *collector) result() (int, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exports, append([]string(nil), c.problems...)
}

func TestSetupExportsSpans(t *testing.T) {
	for _, tc := range []struct {
		name     string
		basePath string
	}{
		{name: "root base URL", basePath: ""},
		{name: "base URL with a path", basePath: "/otlp/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCollector(t, strings.TrimSuffix(tc.basePath, "/")+"/v1/traces", "secret")
			shutdown, err := Setup(context.Background(), Options{
				ServiceName: "gateway-test",
				Endpoint:    c.URL + tc.basePath,
				Headers:     map[string]string{"X-Api-Key": "secret"},
			})
			if err != nil {
				t.Fatal(err)
			}
			_, span := Tracer().Start(context.Background(), "plan")
			span.SetAttributes(attribute.Int(AttrBatchSize, 3))
			span.End()
			if err := shutdown(context.Background()); err != nil {
				t.Fatalf("shutdown: %v", err)
			}
			exports, problems := c.result()
			if exports == 0 {
				t.Fatal("no export reached the collector after shutdown")
			}
			if len(problems) > 0 {
				t.Fatalf("bad exports: %v", problems)
			}
		})
	}
}

func TestSetupWithoutEndpointExportsNothingButPropagates(t *testing.T) {
	// If Setup fell back to the exporter's environment defaults, spans
	// would go here.
	c := newCollector(t, "/v1/traces", "")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", c.URL)
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", c.URL+"/v1/traces")

	shutdown, err := Setup(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	up := newUpstream(t)
	serveThroughGateway(t, up)
	_, span := Tracer().Start(context.Background(), "plan")
	span.End()
	if span.IsRecording() || span.SpanContext().IsSampled() {
		t.Error("with no endpoint, spans should neither record nor be sampled")
	}
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	if exports, _ := c.result(); exports != 0 {
		t.Errorf("collector got %d exports with no endpoint configured", exports)
	}
	received := up.received()
	if len(received) != 1 || received[0] != incomingParent {
		t.Fatalf("upstream traceparent %q, want the incoming %q forwarded", received, incomingParent)
	}
}

func TestSampleRatioKeepsParentDecision(t *testing.T) {
	c := newCollector(t, "/v1/traces", "")
	// The smallest ratio samples no new trace, whatever its ID.
	shutdown, err := Setup(context.Background(), Options{Endpoint: c.URL, SampleRatio: 1e-300})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = shutdown(context.Background()) }()

	_, root := Tracer().Start(context.Background(), "root")
	defer root.End()
	if root.IsRecording() {
		t.Error("a new trace was sampled at ratio 1e-300")
	}

	remote := propagation.TraceContext{}.Extract(context.Background(),
		propagation.MapCarrier{"traceparent": incomingParent})
	_, child := Tracer().Start(remote, "child")
	defer child.End()
	if !child.IsRecording() {
		t.Error("a span under a sampled traceparent was not recorded")
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		options Options
		wantErr string // "" means valid
	}{
		{name: "off", options: Options{}},
		{name: "http URL", options: Options{Endpoint: "http://localhost:4318"}},
		{name: "https URL with base path", options: Options{Endpoint: "https://otlp.example.com/api/"}},
		{name: "scheme-less insecure", options: Options{Endpoint: "collector:4318", Insecure: true}},
		{name: "scheme-less secure", options: Options{Endpoint: "collector:4318"}},
		{name: "full ratio", options: Options{SampleRatio: 1}},
		{name: "unknown scheme", options: Options{Endpoint: "ftp://collector"}, wantErr: "must use http or https"},
		{name: "no host", options: Options{Endpoint: "http://"}, wantErr: "has no host"},
		{name: "query string", options: Options{Endpoint: "http://c:4318?x=1"}, wantErr: "without query"},
		{name: "https and insecure", options: Options{Endpoint: "https://c:4318", Insecure: true}, wantErr: "otlp.insecure"},
		{name: "not a URL", options: Options{Endpoint: "http://[::1"}, wantErr: "is not a URL"},
		{name: "negative ratio", options: Options{SampleRatio: -0.5}, wantErr: "sampleRatio"},
		{name: "ratio above one", options: Options{SampleRatio: 2}, wantErr: "sampleRatio"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.options.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
			if tc.wantErr != "" {
				if _, err := Setup(context.Background(), tc.options); err == nil {
					t.Fatal("Setup accepted options that Validate rejects")
				}
			}
		})
	}
}
