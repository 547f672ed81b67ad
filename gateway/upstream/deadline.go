package upstream

import (
	"context"
	"net/http"
	"time"
)

// Deadline bounds each call through next to timeout, as a deadline on the
// request's context, unless the context's own deadline comes sooner. It
// replaces http.Client.Timeout for clients whose transports read every
// response body whole before returning (the engine's, through
// GraphQLErrors): the deadline is released when RoundTrip returns, so a
// body read later would be cut off.
func Deadline(timeout time.Duration, next http.RoundTripper) http.RoundTripper {
	if timeout <= 0 {
		return next
	}
	return deadlineTransport{timeout: timeout, next: next}
}

type deadlineTransport struct {
	timeout time.Duration
	next    http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t deadlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if d, ok := req.Context().Deadline(); ok && time.Until(d) <= t.timeout {
		return t.next.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	defer cancel()
	return t.next.RoundTrip(req.WithContext(ctx))
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t deadlineTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
