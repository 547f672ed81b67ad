package engine

import (
	"io"
	"net/http"

	"github.com/buger/jsonparser"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/tributary-gw/tributary/gateway/telemetry"
)

// Span attribute keys, as the telemetry package documents them.
const (
	attrSubgraph  = telemetry.AttrSubgraph
	attrBatchSize = telemetry.AttrBatchSize
)

// batchSizeTransport wraps a remote subgraph's traced transport and has the
// client span of each call record how many entity representations the
// GraphQL request carries. The span starts inside next, so the count
// travels in the request's context. A call whose parent span records
// nothing is not traced either, and pays nothing here.
type batchSizeTransport struct{ next http.RoundTripper }

func (t batchSizeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if trace.SpanFromContext(req.Context()).IsRecording() && req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			data, _ := io.ReadAll(io.LimitReader(body, 8<<20))
			_ = body.Close()
			if n := countRepresentations(data); n > 0 {
				ctx := telemetry.WithSpanAttributes(req.Context(), attribute.Int(attrBatchSize, n))
				req = req.WithContext(ctx)
			}
		}
	}
	return t.next.RoundTrip(req)
}

// countRepresentations counts variables.representations in a GraphQL
// request body.
func countRepresentations(body []byte) int {
	n := 0
	_, _ = jsonparser.ArrayEach(body, func([]byte, jsonparser.ValueType, int, error) { n++ }, "variables", "representations")
	return n
}
