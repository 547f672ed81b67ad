package telemetry

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// clientSpanOf sends one GET to url through Transport under a recorded
// parent span, with ctx's values, and returns the client span's attributes.
func clientSpanOf(t *testing.T, ctx context.Context, up *upstream, url string) map[attribute.Key]attribute.Value {
	t.Helper()
	recorder := installRecorder(t)
	ctx, parent := Tracer().Start(ctx, "graphql.execute")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Transport: Transport("books", up.Client().Transport)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	parent.End()
	for _, s := range recorder.Ended() {
		if s.SpanKind() == trace.SpanKindClient {
			return attributes(s)
		}
	}
	t.Fatal("no client span recorded")
	return nil
}

func TestSpanAttributesFromContext(t *testing.T) {
	up := newUpstream(t)
	ctx := WithSpanAttributes(context.Background(), attribute.Int(AttrBatchSize, 3))
	ctx = WithSpanAttributes(ctx, attribute.String("tributary.test", "inner"))
	attrs := clientSpanOf(t, ctx, up, up.URL+"/graphql")
	if got := attrs[AttrBatchSize]; got != attribute.IntValue(3) {
		t.Errorf("%s = %v, want 3", AttrBatchSize, got.Emit())
	}
	if got := attrs["tributary.test"]; got != attribute.StringValue("inner") {
		t.Errorf("tributary.test = %v, want the attribute added second", got.Emit())
	}
	if got := attrs[AttrSubgraph]; got != attribute.StringValue("books") {
		t.Errorf("%s = %v, want books", AttrSubgraph, got.Emit())
	}
}

// A kind may send an API key in the query or credentials in the URL;
// neither may reach a trace backend.
func TestURLFullHidesSecrets(t *testing.T) {
	up := newUpstream(t)
	url := strings.Replace(up.URL, "http://", "http://reporting:s3cret@", 1) + "/v1/books?api_key=k-123456&upc=1,2"
	got := clientSpanOf(t, context.Background(), up, url)["url.full"].AsString()
	want := up.URL + "/v1/books?api_key=REDACTED&upc=REDACTED"
	if got != want {
		t.Errorf("url.full = %q, want %q", got, want)
	}
	if received := up.received(); len(received) != 1 {
		t.Fatalf("upstream got %d requests", len(received))
	}
}

func TestRedactedURLKeepsPlainURLs(t *testing.T) {
	up := newUpstream(t)
	if got := clientSpanOf(t, context.Background(), up, up.URL+"/graphql")["url.full"].AsString(); got != up.URL+"/graphql" {
		t.Errorf("url.full = %q, want the URL as sent", got)
	}
}
