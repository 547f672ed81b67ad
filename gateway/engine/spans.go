package engine

import (
	"io"
	"net/http"

	"github.com/buger/jsonparser"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// Span attribute keys; the telemetry package documents them.
const (
	attrSubgraph  = "tributary.subgraph"
	attrBatchSize = "tributary.batch_size"
)

// batchSizeTransport records, on the span of the upstream call already in
// the request's context, how many entity representations a GraphQL
// subgraph request carries.
type batchSizeTransport struct{ next http.RoundTripper }

func (t batchSizeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	span := trace.SpanFromContext(req.Context())
	if span.IsRecording() && req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			data, _ := io.ReadAll(io.LimitReader(body, 8<<20))
			_ = body.Close()
			if n := countRepresentations(data); n > 0 {
				span.SetAttributes(attribute.Int(attrBatchSize, n))
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
