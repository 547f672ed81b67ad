package upstream

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/telemetry"
)

// These tests change the global tracer provider, so none runs in parallel.

// installRecorder records every span and propagates W3C trace context.
func installRecorder(t *testing.T) *tracetest.SpanRecorder {
	t.Helper()
	recorder := tracetest.NewSpanRecorder()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	t.Cleanup(func() { _ = provider.Shutdown(context.Background()) })
	return recorder
}

// headerRecorder is an upstream on loopback that keeps the headers of each
// request it receives.
type headerRecorder struct {
	*httptest.Server
	mu      sync.Mutex
	headers []http.Header
}

func newHeaderRecorder(t *testing.T) *headerRecorder {
	t.Helper()
	h := &headerRecorder{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.headers = append(h.headers, r.Header.Clone())
		h.mu.Unlock()
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *headerRecorder) received() []http.Header {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]http.Header(nil), h.headers...)
}

func get(t *testing.T, ctx context.Context, client *http.Client, url string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}

func TestClientTracesEachCall(t *testing.T) {
	recorder := installRecorder(t)
	up := newHeaderRecorder(t)
	client := Factory{}.ForSubgraph("books")(tributary.HTTPClientOptions{})

	ctx, parent := otel.Tracer("test").Start(context.Background(), "graphql.execute")
	get(t, ctx, client, up.URL+"/books/1")
	parent.End()

	var span sdktrace.ReadOnlySpan
	for _, s := range recorder.Ended() {
		if s.SpanKind() == trace.SpanKindClient {
			span = s
		}
	}
	if span == nil || span.Name() != "subgraph books" {
		t.Fatalf("no client span named for the subgraph among %d spans", len(recorder.Ended()))
	}
	if span.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("client span's parent %s, want the caller's span %s", span.Parent().SpanID(), parent.SpanContext().SpanID())
	}
	got := up.received()
	if len(got) != 1 {
		t.Fatalf("upstream got %d requests, want 1", len(got))
	}
	want := "00-" + span.SpanContext().TraceID().String() + "-" + span.SpanContext().SpanID().String() + "-01"
	if tp := got[0].Get("traceparent"); tp != want {
		t.Errorf("traceparent %q, want %q naming the client span", tp, want)
	}
	found := false
	for _, a := range span.Attributes() {
		found = found || a.Key == telemetry.AttrSubgraph && a.Value.AsString() == "books"
	}
	if !found {
		t.Errorf("client span lacks %s=books: %v", telemetry.AttrSubgraph, span.Attributes())
	}
}

func TestClientTimeout(t *testing.T) {
	for _, tt := range []struct {
		asked, want time.Duration
	}{
		{0, DefaultTimeout},
		{-time.Second, DefaultTimeout},
		{250 * time.Millisecond, 250 * time.Millisecond},
	} {
		if got := (Factory{}).Client("books", tributary.HTTPClientOptions{Timeout: tt.asked}).Timeout; got != tt.want {
			t.Errorf("timeout %v: client has %v, want %v", tt.asked, got, tt.want)
		}
	}
}

// roundTripFunc answers requests without a network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestClientSendsThroughBase(t *testing.T) {
	installRecorder(t)
	var traceparent string
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		traceparent = r.Header.Get("traceparent")
		return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
	})
	ctx, parent := otel.Tracer("test").Start(context.Background(), "graphql.execute")
	defer parent.End()
	get(t, ctx, Factory{Base: base}.Client("books", tributary.HTTPClientOptions{}), "http://books.invalid/graphql")
	if !strings.Contains(traceparent, parent.SpanContext().TraceID().String()) {
		t.Errorf("base transport saw traceparent %q, want one in trace %s", traceparent, parent.SpanContext().TraceID())
	}
}

func TestClientsShareOnePool(t *testing.T) {
	a := Factory{}.Client("a", tributary.HTTPClientOptions{})
	b := Factory{}.Client("b", tributary.HTTPClientOptions{Timeout: time.Second})
	if a == b || a.Transport == b.Transport {
		t.Fatal("two subgraphs got the same client or the same traced transport")
	}
	// Both traced transports end in the shared pool: a connection one opened
	// is reused by the other.
	up := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	var conns sync.Map
	up.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Store(c.RemoteAddr().String(), true)
		}
	}
	up.Start()
	defer up.Close()
	get(t, context.Background(), a, up.URL)
	get(t, context.Background(), b, up.URL)
	n := 0
	conns.Range(func(any, any) bool { n++; return true })
	if n != 1 {
		t.Errorf("two subgraphs' calls to one host opened %d connections, want 1 from the shared pool", n)
	}
}
