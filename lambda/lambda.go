// Package lambda runs the gateway as an AWS Lambda function. It is a
// transport, like gateway/httpserver's server: each invocation's event —
// an API Gateway REST API (v1 proxy) or HTTP API (v2) event, a Lambda
// Function URL event or an ALB target-group event — becomes an
// *http.Request, is served by the very http.Handler `gateway serve` uses
// (httpserver.NewHandler with gateway.HTTPOptions) into an in-memory
// ResponseWriter, and the recorded response becomes the event's response
// shape. Limits, status codes, errors, CORS and the GraphQL-over-HTTP rules
// are therefore the HTTP server's, not a second copy of them.
//
// The caller's identity from an API Gateway authorizer (JWT claims, a
// Lambda authorizer's context, IAM) travels in the request's context;
// CallerExecutor puts it on the tributary.Request.
//
// Nothing here is global or mutated per request: a Handler is built once
// at init and serves every warm invocation with the same gateway, upstream
// connections and plan cache.
package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// DefaultFlushTimeout bounds Options.Flush when FlushTimeout is zero.
const DefaultFlushTimeout = 200 * time.Millisecond

// Options configures a Handler.
type Options struct {
	// Flush, if set, runs at the end of every invocation, before its
	// response is returned: Lambda may freeze the process as soon as the
	// response is sent, so buffered telemetry must leave now.
	Flush func(ctx context.Context) error
	// FlushTimeout bounds Flush, so that a slow collector delays a response
	// by at most this much; zero means DefaultFlushTimeout.
	FlushTimeout time.Duration
	// Logger receives flush failures; nil means slog.Default().
	Logger *slog.Logger
}

// Handler serves Lambda invocations through an http.Handler. It implements
// aws-lambda-go's lambda.Handler, so lambda.Start(h) runs it.
type Handler struct {
	next         http.Handler
	flush        func(ctx context.Context) error
	flushTimeout time.Duration
	logger       *slog.Logger
}

// NewHandler returns a Handler serving every event through next.
func NewHandler(next http.Handler, o Options) *Handler {
	if o.FlushTimeout <= 0 {
		o.FlushTimeout = DefaultFlushTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Handler{next: next, flush: o.Flush, flushTimeout: o.FlushTimeout, logger: o.Logger}
}

// Invoke serves one invocation: it decodes the event, serves it as an HTTP
// request and returns the event's response as JSON. An event that is not
// one of the four HTTP event shapes is an invocation error (the Runtime
// API's /error), not an HTTP answer: there is no client to answer.
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	defer h.flushTelemetry(ctx)
	ev, err := decodeEvent(payload)
	if err != nil {
		return nil, err
	}
	r, err := ev.request(ctx)
	if err != nil {
		return nil, fmt.Errorf("lambda: %s event: %w", ev.kind(), err)
	}
	w := newResponseRecorder()
	h.next.ServeHTTP(w, r)
	return json.Marshal(ev.response(w))
}

// flushTelemetry runs Flush, bounded by the flush timeout and by what is
// left of the invocation.
func (h *Handler) flushTelemetry(ctx context.Context) {
	if h.flush == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, h.flushTimeout)
	defer cancel()
	if err := h.flush(ctx); err != nil {
		h.logger.Warn("lambda: flushing telemetry at the end of the invocation failed; spans may be lost",
			"error", err, "timeout", h.flushTimeout)
	}
}

// ErrUnsupportedEvent is wrapped by the error for an event that is none of
// the HTTP events the Handler serves.
var ErrUnsupportedEvent = errors.New("unsupported event")
