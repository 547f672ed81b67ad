package upstream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/tributary-gw/tributary"
)

// Defaults of a remote GraphQL subgraph's retries and circuit breaker, for
// the zero fields of tributary.RetryPolicy and tributary.BreakerPolicy.
const (
	DefaultRetryAttempts       = 3
	DefaultRetryMinWait        = 10 * time.Millisecond
	DefaultRetryMaxWait        = 200 * time.Millisecond
	DefaultRetryBudget         = 0.2
	DefaultBreakerFailureRatio = 0.5
	DefaultBreakerMinRequests  = 20
	DefaultBreakerWindow       = 10 * time.Second
	DefaultBreakerOpenFor      = 5 * time.Second
)

// Retry wraps next, the transport of a client for a remote GraphQL
// subgraph (one from Client), with the subgraph's retries and circuit
// breaker.
//
// A call is retried only when it is idempotent: a GraphQL query (which
// _entities fetches are), never a mutation, a subscription or a request
// whose body cannot be replayed. It is retried after a connection error,
// a 429, 502, 503 or 504, or a 2xx answer whose body is not complete JSON
// (a cut connection), after a jittered backoff that must end before the
// request's deadline, and only while the subgraph's retry budget lasts.
// The last attempt's outcome is the call's.
//
// The breaker counts every attempt; while it is open, calls fail at once
// with *tributary.CircuitOpenError. Each response body is read whole,
// within the limit of the transport below, and left for GraphQLErrors.
func Retry(subgraph string, next http.RoundTripper, retry tributary.RetryPolicy, brk tributary.BreakerPolicy) http.RoundTripper {
	t := &retryTransport{next: next, attempts: retry.Attempts, minWait: retry.MinWait, maxWait: retry.MaxWait, now: time.Now}
	if t.attempts <= 0 {
		t.attempts = DefaultRetryAttempts
	}
	if t.minWait <= 0 {
		t.minWait = DefaultRetryMinWait
	}
	if t.maxWait <= 0 {
		t.maxWait = max(DefaultRetryMaxWait, t.minWait)
	}
	if t.attempts > 1 {
		t.budget = newRetryBudget(cmpOr(retry.Budget, DefaultRetryBudget))
	}
	if !brk.Disabled {
		brk.FailureRatio = cmpOr(brk.FailureRatio, DefaultBreakerFailureRatio)
		brk.MinRequests = cmpOr(brk.MinRequests, DefaultBreakerMinRequests)
		brk.Window = cmpOr(brk.Window, DefaultBreakerWindow)
		brk.OpenFor = cmpOr(brk.OpenFor, DefaultBreakerOpenFor)
		t.breaker = newBreaker(subgraph, brk)
	}
	return t
}

// cmpOr is v, or def when v is not positive.
func cmpOr[T int | float64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

type retryTransport struct {
	next             http.RoundTripper
	attempts         int
	minWait, maxWait time.Duration
	budget           *retryBudget // nil without retries
	breaker          *breaker     // nil when disabled
	now              func() time.Time
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	attempts := 1
	if t.budget != nil && idempotent(req) {
		attempts = t.attempts
		t.budget.deposit()
	}
	ctx := req.Context()
	var (
		resp  *http.Response
		err   error
		again bool
	)
	for attempt := 1; ; attempt++ {
		last, lastErr := resp, err
		resp, err, again = t.attempt(req, attempt)
		var open *tributary.CircuitOpenError
		if attempt > 1 && errors.As(err, &open) {
			return last, lastErr // the breaker opened meanwhile
		}
		if !again || attempt >= attempts || ctx.Err() != nil {
			return resp, err
		}
		wait := Backoff(t.minWait, t.maxWait, attempt-1, resp, t.now())
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
			return resp, err
		}
		if !t.budget.withdraw(t.now()) {
			return resp, err
		}
		if !sleep(ctx, wait) {
			return resp, err
		}
	}
}

// attempt sends req once (a copy with a fresh body after the first) and
// reads the answer whole; again reports a failure worth retrying.
func (t *retryTransport) attempt(req *http.Request, n int) (resp *http.Response, err error, again bool) {
	trial := false
	if t.breaker != nil {
		if trial, err = t.breaker.allow(t.now()); err != nil {
			return nil, err, false
		}
	}
	r := req
	if n > 1 {
		r = req.Clone(req.Context())
		if r.Body, err = req.GetBody(); err != nil {
			return nil, err, false
		}
	}
	resp, err = t.next.RoundTrip(r)
	if err == nil {
		err = readWhole(resp)
	}
	failed := false
	switch {
	case err != nil:
		again = retryableError(req.Context(), err)
		failed = again || errors.Is(err, context.DeadlineExceeded)
		resp = nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusBadGateway ||
		resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout:
		failed, again = true, true
	case resp.StatusCode >= 500:
		failed = true
	case resp.StatusCode < 300 && !json.Valid(resp.Body.(wholeBody).whole):
		failed, again = true, true
	}
	switch {
	case t.breaker == nil:
	case failed || err == nil:
		t.breaker.record(t.now(), failed, trial)
	case trial:
		t.breaker.release() // no evidence either way
	}
	return resp, err, again
}

// readWhole replaces resp's body with the whole of it, read within the
// limit of the transport below.
func readWhole(resp *http.Response) error {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = wholeBody{Reader: bytes.NewReader(body), whole: body}
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return nil
}

// retryableError reports a transport error another attempt may not get:
// not the caller's cancellation or deadline, a refused redirect or an
// oversized body.
func retryableError(ctx context.Context, err error) bool {
	var (
		redirect *tributary.RedirectError
		tooLarge *tributary.ResponseTooLargeError
		open     *tributary.CircuitOpenError
	)
	switch {
	case ctx.Err() != nil, errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &redirect), errors.As(err, &tooLarge), errors.As(err, &open):
		return false
	}
	return true
}

// sleep waits d, reporting false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// idempotent reports whether req is a GraphQL request that may be sent
// again: a query, which the engine writes as {"query":"query… or
// {"query":"{…, with a body that can be replayed.
func idempotent(req *http.Request) bool {
	if req.Method != http.MethodPost || req.GetBody == nil {
		return false
	}
	body, err := req.GetBody()
	if err != nil {
		return false
	}
	var head [48]byte
	n, _ := io.ReadFull(body, head[:])
	body.Close()
	rest, ok := bytes.CutPrefix(head[:n], []byte(`{"query":"`))
	if !ok {
		return false
	}
	rest = bytes.TrimLeft(rest, ` \t\n\r`)
	for len(rest) > 1 && rest[0] == '\\' && (rest[1] == 'n' || rest[1] == 't' || rest[1] == 'r') {
		rest = bytes.TrimLeft(rest[2:], ` \t\n\r`)
	}
	return bytes.HasPrefix(rest, []byte("query")) || bytes.HasPrefix(rest, []byte("{"))
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t *retryTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
