package upstream

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/wundergraph/astjson"

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
// A call is retried only when its context is marked WithIdempotentCalls
// (the engine marks query operations: never a mutation or a subscription)
// and its body can be replayed. It is retried after a connection error,
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
		t.budget = NewRetryBudget(retry.Budget)
	}
	t.breaker = NewBreaker(subgraph, brk)
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
	budget           *RetryBudget // nil without retries
	breaker          *Breaker     // nil when disabled
	now              func() time.Time
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	attempts := 1
	if t.budget != nil && idempotent(req) {
		attempts = t.attempts
		t.budget.Deposit()
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
		if !t.budget.Withdraw(t.now()) {
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
	trial, err := t.breaker.Allow(t.now())
	if err != nil {
		return nil, err, false
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
	case resp.StatusCode < 300:
		body := resp.Body.(wholeBody)
		if body.json = astjson.ValidateBytes(body.whole) == nil; !body.json {
			failed, again = true, true
		}
		resp.Body = body
	}
	switch {
	case failed || err == nil:
		t.breaker.Record(t.now(), failed, trial)
	case trial:
		t.breaker.Release() // no evidence either way
	}
	return resp, err, again
}

// readWhole replaces resp's body with the whole of it, read within the
// limit of the transport below.
func readWhole(resp *http.Response) error {
	body, err := ReadAll(resp.Body, resp.ContentLength)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = wholeBody{Reader: bytes.NewReader(body), whole: body}
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return nil
}

// maxPrealloc bounds the buffer ReadAll allocates for a declared length.
const maxPrealloc = 1 << 20

// ReadAll reads r to its end in one allocation when size, the length the
// sender declared, is known and at most 1 MiB; as io.ReadAll, which grows
// its buffer step by step, otherwise.
func ReadAll(r io.Reader, size int64) ([]byte, error) {
	if size <= 0 || size > maxPrealloc {
		return io.ReadAll(r)
	}
	buf := make([]byte, 0, size+1) // one byte over, to see EOF without growing
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		case len(buf) == cap(buf): // longer than declared
			buf = append(buf, 0)[:len(buf)]
		}
	}
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

// idempotentKey marks a context whose calls may be sent again.
type idempotentKey struct{}

// WithIdempotentCalls marks ctx as the context of subgraph calls that may
// be sent again: those of a query operation (its root fetches and its
// _entities fetches). The engine marks queries only; Retry never resends a
// call without the mark.
func WithIdempotentCalls(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

// idempotent reports whether req may be sent again: its context is marked
// and its body can be replayed (a multipart upload's cannot).
func idempotent(req *http.Request) bool {
	return req.GetBody != nil && req.Context().Value(idempotentKey{}) != nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t *retryTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
