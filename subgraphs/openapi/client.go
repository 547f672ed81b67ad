package openapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/upstream"
)

// retryPolicy is the effective retry configuration.
type retryPolicy struct {
	// attempts is the total number of tries.
	attempts         int
	minWait, maxWait time.Duration
	// methods holds the upper-case methods that may be retried.
	methods map[string]bool
	// budget is the share of calls that may be retried (0: the default).
	budget float64
}

// upstreamResponse is a response read in full.
type upstreamResponse struct {
	status int
	header http.Header
	body   []byte
}

// errResponseTooLarge reports a body over maxResponseBytes.
type errResponseTooLarge struct{ limit int64 }

func (e *errResponseTooLarge) Error() string {
	return fmt.Sprintf("the response body is larger than maxResponseBytes (%d bytes); raise the limit or ask for less", e.limit)
}

// httpClient sends requests to one service through the gateway's client
// (its shared connection pool, a client span per attempt, a timeout per
// attempt), with retries for the configured methods and a bound on the
// response size. It never logs.
//
// Attempts are counted exactly: retry.attempts is the number of requests
// the service can receive, because the client's transport never lets
// net/http resend a request on its own (see sentOnce). An attempt or a
// backoff is started only when it can end before the request context's
// deadline, which also bounds each attempt.
type httpClient struct {
	std      *http.Client
	policy   retryPolicy
	maxBytes int64
	// budget bounds the retries over time (nil without retries); breaker
	// stops calling a failing service (nil: never).
	budget  *upstream.RetryBudget
	breaker *upstream.Breaker
	// now is the clock Retry-After dates are compared with.
	now func() time.Time
	// backoffFor is the wait before retry number attempt+1 (c.backoff;
	// tests replace it).
	backoffFor func(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration
}

// transportOf returns the transport client sends through.
func transportOf(client *http.Client) http.RoundTripper {
	if client.Transport != nil {
		return client.Transport
	}
	return http.DefaultTransport
}

// newHTTPClient sends through std, whose transport carries any
// authentication (above sentOnce) and whose timeout bounds each attempt.
func newHTTPClient(std *http.Client, policy retryPolicy, maxBytes int64) *httpClient {
	c := &httpClient{std: std, policy: policy, maxBytes: maxBytes, now: time.Now}
	c.backoffFor = c.backoff
	if policy.attempts > 1 {
		c.budget = upstream.NewRetryBudget(policy.budget)
	}
	return c
}

// do sends req and reads the whole response. A non-2xx status is not an
// error here; the caller maps it. The request's body is read once and
// replayed for each attempt.
func (c *httpClient) do(req *http.Request) (*upstreamResponse, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("reading the request body: %w", err)
		}
	}
	attempts := 1
	if c.policy.methods[req.Method] && c.budget != nil {
		attempts = max(c.policy.attempts, 1)
		c.budget.Deposit()
	}
	ctx := req.Context()
	var (
		resp *upstreamResponse
		err  error
	)
	for attempt := 1; ; attempt++ {
		prev, prevErr := resp, err
		var refused bool
		resp, err, refused = c.attempt(req, body)
		if refused && attempt > 1 {
			// The breaker opened meanwhile; the last attempt's outcome
			// stands.
			return finish(prev, prevErr, attempt-1)
		}
		if refused || attempt >= attempts || !retryable(ctx, resp, err) || !c.budget.Withdraw(c.now()) {
			return finish(resp, err, attempt)
		}
		var last *http.Response
		if resp != nil {
			last = &http.Response{StatusCode: resp.status, Header: resp.header}
		}
		wait := c.backoffFor(c.policy.minWait, c.policy.maxWait, attempt-1, last)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
			// The retry could not even start in time: report what the
			// last attempt got rather than waiting for the deadline.
			return finish(resp, err, attempt)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, &sendError{attempts: attempt, err: ctx.Err()}
		case <-timer.C:
		}
	}
}

// attempt sends req once, if the breaker lets it, and tells the breaker
// how it went; refused reports a call the breaker refused, err then being
// its *tributary.CircuitOpenError.
func (c *httpClient) attempt(req *http.Request, body []byte) (resp *upstreamResponse, err error, refused bool) {
	trial, err := c.breaker.Allow(c.now())
	if err != nil {
		return nil, err, true
	}
	resp, err = c.send(req, body)
	failed := retryable(req.Context(), resp, err)
	switch {
	case failed || err == nil:
		c.breaker.Record(c.now(), failed, trial)
	case trial:
		c.breaker.Release()
	}
	return resp, err, false
}

// send makes one attempt with a fresh copy of body and reads the response
// in full, within maxBytes.
func (c *httpClient) send(req *http.Request, body []byte) (*upstreamResponse, error) {
	r := req.Clone(req.Context())
	r.Body, r.GetBody, r.ContentLength = nil, nil, 0
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		// Auth that must resend (OAuth2 after a 401) replays the body.
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := c.std.Do(r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > c.maxBytes {
		return nil, &errResponseTooLarge{limit: c.maxBytes}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response body: %w", err)
	}
	if int64(len(data)) > c.maxBytes {
		return nil, &errResponseTooLarge{limit: c.maxBytes}
	}
	return &upstreamResponse{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// finish returns the last attempt's outcome: its response, whatever the
// status, or its error with the number of attempts made.
func finish(resp *upstreamResponse, err error, attempts int) (*upstreamResponse, error) {
	if err != nil {
		return nil, &sendError{attempts: attempts, err: err}
	}
	return resp, nil
}

// retryable reports an outcome worth another attempt: a connection error,
// 429 or 5xx (but 501), while the caller's context lives. Refused
// credentials, redirects and certificates, and oversized bodies, would
// fail again.
func retryable(ctx context.Context, resp *upstreamResponse, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if err != nil {
		var (
			authErr    *authError
			redirect   *tributary.RedirectError
			tooLarge   *errResponseTooLarge
			cut        *tributary.ResponseTooLargeError
			unknownCA  x509.UnknownAuthorityError
			invalidCrt x509.CertificateInvalidError
			verifyErr  *tls.CertificateVerificationError
		)
		switch {
		case errors.As(err, &authErr), errors.As(err, &redirect), errors.As(err, &tooLarge), errors.As(err, &cut),
			errors.As(err, &unknownCA), errors.As(err, &invalidCrt), errors.As(err, &verifyErr):
			return false
		}
		return !strings.Contains(err.Error(), "unsupported protocol scheme")
	}
	s := resp.status
	return s == http.StatusTooManyRequests || s >= 500 && s != http.StatusNotImplemented
}

// sentOnce keeps net/http from resending a request by itself. On a kept-alive
// connection that fails after the request went out, net/http's Transport
// silently sends GET, HEAD and OPTIONS requests again on a new connection,
// so a service that resets connections received more requests than
// retry.attempts. A request whose body cannot be replayed is never resent:
// sentOnce gives bodiless requests an empty body (net/http still sends
// none) and drops GetBody, below the credentials that may need it.
type sentOnce struct{ next http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t sentOnce) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.GetBody = nil
	if r.Body == nil || r.Body == http.NoBody {
		switch r.Method {
		case "", http.MethodGet, http.MethodHead, http.MethodOptions:
			r.Body = emptyBody{}
		}
	}
	return t.next.RoundTrip(r)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t sentOnce) CloseIdleConnections() { closeIdleConnections(t.next) }

// emptyBody is a body that has nothing to read.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

// backoff is upstream.Backoff on the client's clock.
func (c *httpClient) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	return upstream.Backoff(minWait, maxWait, attempt, resp, c.now())
}

// sendError is a request that got no usable response.
type sendError struct {
	attempts int
	err      error
}

func (e *sendError) Error() string {
	return fmt.Sprintf("%v (after %d attempt(s))", e.err, e.attempts)
}

func (e *sendError) Unwrap() error { return e.err }
