package openapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryPolicy is the effective retry configuration.
type retryPolicy struct {
	// attempts is the total number of tries.
	attempts         int
	minWait, maxWait time.Duration
	// methods holds the upper-case methods that may be retried.
	methods map[string]bool
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
type httpClient struct {
	// retrying sends requests whose method may be retried; once sends the
	// rest. Both share one http.Client and so one connection pool.
	retrying, once *retryablehttp.Client
	policy         retryPolicy
	maxBytes       int64
	// now is the clock Retry-After dates are compared with.
	now func() time.Time
}

// transportOf returns the transport client sends through.
func transportOf(client *http.Client) http.RoundTripper {
	if client.Transport != nil {
		return client.Transport
	}
	return http.DefaultTransport
}

// newHTTPClient sends through std, whose transport carries any
// authentication and whose timeout bounds each attempt.
func newHTTPClient(std *http.Client, policy retryPolicy, maxBytes int64) *httpClient {
	c := &httpClient{policy: policy, maxBytes: maxBytes, now: time.Now}
	build := func(retries int) *retryablehttp.Client {
		return &retryablehttp.Client{
			HTTPClient:   std,
			Logger:       nil, // the default logger would print URLs, which may carry API keys
			RetryWaitMin: policy.minWait,
			RetryWaitMax: policy.maxWait,
			RetryMax:     retries,
			CheckRetry:   checkRetry,
			Backoff:      c.backoff,
			ErrorHandler: keepLastResponse,
		}
	}
	c.retrying = build(max(policy.attempts-1, 0))
	c.once = build(0)
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
	var raw any
	if body != nil {
		raw = body
		// Auth that must resend (OAuth2 after a 401) replays the body.
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	req.Body = nil
	rreq, err := retryablehttp.FromRequest(req)
	if err != nil {
		return nil, err
	}
	if err := rreq.SetBody(raw); err != nil {
		return nil, err
	}
	client := c.once
	if c.policy.methods[req.Method] {
		client = c.retrying
	}
	resp, err := client.Do(rreq)
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

// checkRetry retries connection errors, 429 and 5xx (but 501), and stops
// when the caller's context has ended or authentication failed.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var authErr *authError
		if errors.As(err, &authErr) {
			return false, err
		}
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	s := resp.StatusCode
	return s == http.StatusTooManyRequests || s >= 500 && s != http.StatusNotImplemented, nil
}

// backoff waits minWait·2^attempt with equal jitter, capped at maxWait;
// after a 429 or 503 it waits what Retry-After asks, capped at maxWait.
func (c *httpClient) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), c.now()); ok {
			return min(d, maxWait)
		}
	}
	wait := maxWait
	if attempt < 30 {
		if w := minWait << attempt; w > 0 && w < maxWait {
			wait = w
		}
	}
	half := wait / 2
	if half <= 0 {
		return wait
	}
	return half + rand.N(half+1)
}

// maxRetryAfter bounds a parsed Retry-After; maxWait caps it far lower.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(at.Sub(now), 0), maxRetryAfter), true
}

// keepLastResponse hands back the last response when retries ran out on a
// status, so that the caller can report it; on errors it gives the error.
func keepLastResponse(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if err == nil && resp != nil {
		return resp, nil
	}
	if resp != nil {
		resp.Body.Close()
	}
	if err == nil {
		err = errors.New("no response")
	}
	return nil, &sendError{attempts: attempts, err: err}
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
