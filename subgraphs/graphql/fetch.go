package graphql

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/tributary-gw/tributary"
)

// serviceSDLQuery is the query Apollo gateways send to learn a subgraph's SDL.
const serviceSDLQuery = `{"query":"query __ApolloGetServiceDefinition__ { _service { sdl } }"}`

const (
	// maxExcerptBytes bounds the part of an unexpected body quoted in errors.
	maxExcerptBytes = 256
	// firstBackoff and maxBackoff shape the wait between fetch attempts.
	firstBackoff = 100 * time.Millisecond
	maxBackoff   = 2 * time.Second
)

// sdlFetcher asks a running subgraph for its SDL, retrying while the
// subgraph is unreachable or failing, within a time budget.
type sdlFetcher struct {
	client         *http.Client
	url            string
	header         http.Header
	attemptTimeout time.Duration
	budget         time.Duration
	// maxBytes bounds the SDL response (graphql.maxResponseBytes).
	maxBytes int64
	logger   *slog.Logger
	// wait pauses before attempt+1; it returns an error when ctx ends first.
	wait func(ctx context.Context, attempt int) error
}

// newSDLFetcher fetches through client, the gateway's client for the
// subgraph.
func newSDLFetcher(client *http.Client, endpoint string, header http.Header, attemptTimeout, budget time.Duration, logger *slog.Logger) *sdlFetcher {
	return &sdlFetcher{
		client:         client,
		url:            endpoint,
		header:         header,
		attemptTimeout: attemptTimeout,
		budget:         budget,
		maxBytes:       defaultMaxResponseBytes,
		logger:         logger,
		wait:           exponentialBackoff,
	}
}

// fetchError is the outcome of one failed attempt.
type fetchError struct {
	// retry is true for failures that a subgraph still starting up
	// produces: refused connections, 5xx, timeouts.
	retry bool
	err   error
}

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

func retryable(err error) *fetchError { return &fetchError{retry: true, err: err} }
func permanent(err error) *fetchError { return &fetchError{retry: false, err: err} }

// describedError carries a cause for errors.Is while printing only a
// message written for the operator.
type describedError struct {
	msg   string
	cause error
}

func (e *describedError) Error() string { return e.msg }
func (e *describedError) Unwrap() error { return e.cause }

// sdlFileHint points at the way around a subgraph that cannot serve its SDL.
const sdlFileHint = "(or set graphql.sdlFile)"

func (f *sdlFetcher) cannot() string { return "cannot fetch SDL from " + f.url }

// fetch returns the subgraph's SDL.
func (f *sdlFetcher) fetch(ctx context.Context) (string, error) {
	budgetCtx, cancel := context.WithTimeout(ctx, f.budget)
	defer cancel()

	for attempt := 1; ; attempt++ {
		sdl, ferr := f.fetchOnce(budgetCtx)
		if ferr == nil {
			return sdl, nil
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("%s: start-up was cancelled: %w", f.cannot(), ctx.Err())
		}
		if !ferr.retry {
			return "", ferr.err
		}
		if budgetCtx.Err() != nil {
			return "", f.gaveUp(attempt, ferr.err)
		}
		f.logger.Warn("subgraph SDL not available yet; retrying",
			slog.String("url", f.url), slog.Int("attempt", attempt), slog.String("error", ferr.Error()))
		if err := f.wait(budgetCtx, attempt); err != nil {
			if ctx.Err() != nil {
				return "", fmt.Errorf("%s: start-up was cancelled: %w", f.cannot(), ctx.Err())
			}
			return "", f.gaveUp(attempt, ferr.err)
		}
	}
}

func (f *sdlFetcher) gaveUp(attempts int, last error) error {
	return fmt.Errorf("%w (gave up after %d attempts within %s, graphql.introspectionTimeout)", last, attempts, f.budget)
}

// fetchOnce makes one attempt, bounded by the per-request timeout.
func (f *sdlFetcher) fetchOnce(ctx context.Context) (string, *fetchError) {
	attemptCtx, cancel := context.WithTimeout(ctx, f.attemptTimeout)
	defer cancel()

	req, err := http.NewRequestWithContext(attemptCtx, http.MethodPost, f.url, strings.NewReader(serviceSDLQuery))
	if err != nil {
		return "", permanent(fmt.Errorf("%s: %w", f.cannot(), err))
	}
	for name, values := range f.header {
		req.Header[name] = values
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")

	resp, err := f.client.Do(req)
	var redirect *tributary.RedirectError
	if errors.As(err, &redirect) {
		return "", permanent(fmt.Errorf("%s: %w", f.cannot(), redirect))
	}
	if err != nil && !isTooLarge(err) {
		return "", f.transportError(ctx, attemptCtx, err)
	}
	var body []byte
	if err == nil {
		defer resp.Body.Close()
		body, err = io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	}
	if isTooLarge(err) || err == nil && int64(len(body)) > f.maxBytes {
		return "", permanent(fmt.Errorf("%s: the response is larger than graphql.maxResponseBytes (%d bytes); is graphql.url the subgraph's GraphQL endpoint? %s",
			f.cannot(), f.maxBytes, sdlFileHint))
	}
	if err != nil {
		return "", f.transportError(ctx, attemptCtx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", f.statusError(resp, body)
	}
	sdl, err := f.decodeSDL(resp, body)
	if err != nil {
		return "", permanent(err)
	}
	return sdl, nil
}

// isTooLarge reports a body the client's limit cut.
func isTooLarge(err error) bool {
	var tooLarge *tributary.ResponseTooLargeError
	return errors.As(err, &tooLarge)
}

// transportError describes a request that got no complete response.
func (f *sdlFetcher) transportError(budgetCtx, attemptCtx context.Context, err error) *fetchError {
	switch {
	case budgetCtx.Err() != nil:
		return retryable(fmt.Errorf("%s: no response in time", f.cannot()))
	case attemptCtx.Err() != nil:
		return retryable(fmt.Errorf("%s: no response within %s (graphql.timeout)", f.cannot(), f.attemptTimeout))
	case errors.Is(err, syscall.ECONNREFUSED):
		return retryable(&describedError{
			msg:   fmt.Sprintf("%s: connection refused; is the service running? %s", f.cannot(), sdlFileHint),
			cause: err,
		})
	}
	return retryable(fmt.Errorf("%s: %w; is the service running? %s", f.cannot(), unwrapURLError(err), sdlFileHint))
}

// statusError describes a non-2xx response. 5xx, 408 and 429 are what a
// subgraph that is still starting (or behind a starting proxy) answers, so
// they are retried.
func (f *sdlFetcher) statusError(resp *http.Response, body []byte) *fetchError {
	err := fmt.Errorf("%s: HTTP status %s: %s; check graphql.url and graphql.headers %s",
		f.cannot(), resp.Status, excerpt(body), sdlFileHint)
	switch code := resp.StatusCode; {
	case code >= 500, code == http.StatusRequestTimeout, code == http.StatusTooManyRequests:
		return retryable(err)
	}
	// GraphQL-over-HTTP servers answer 4xx with a GraphQL error body when
	// they reject the query; its messages say more than the status.
	var gr sdlResponse
	if json.Unmarshal(body, &gr) == nil && len(gr.Errors) > 0 {
		return permanent(f.graphQLErrors(gr.Errors, resp.Status))
	}
	return permanent(err)
}

// sdlResponse is the shape of the `_service { sdl }` response.
type sdlResponse struct {
	Data *struct {
		Service *struct {
			SDL *string `json:"sdl"`
		} `json:"_service"`
	} `json:"data"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

func (f *sdlFetcher) decodeSDL(resp *http.Response, body []byte) (string, error) {
	var gr sdlResponse
	if err := json.Unmarshal(body, &gr); err != nil {
		return "", fmt.Errorf("%s: the response is not a JSON GraphQL response (Content-Type %q: %v): %s; is graphql.url the subgraph's GraphQL endpoint?",
			f.cannot(), resp.Header.Get("Content-Type"), err, excerpt(body))
	}
	if len(gr.Errors) > 0 {
		return "", f.graphQLErrors(gr.Errors, "")
	}
	if gr.Data == nil || gr.Data.Service == nil {
		return "", fmt.Errorf("%s: the response has no data._service, so the service is not an Apollo Federation subgraph; enable federation in the service %s",
			f.cannot(), sdlFileHint)
	}
	if gr.Data.Service.SDL == nil || strings.TrimSpace(*gr.Data.Service.SDL) == "" {
		return "", fmt.Errorf("%s: _service.sdl is empty; the subgraph must return its federation SDL %s", f.cannot(), sdlFileHint)
	}
	return *gr.Data.Service.SDL, nil
}

// graphQLErrors describes errors the subgraph returned. A complaint about
// `_service` means the service is plain GraphQL, not a federation subgraph.
func (f *sdlFetcher) graphQLErrors(errs []struct {
	Message string `json:"message"`
}, status string) error {
	msgs := make([]string, 0, len(errs))
	notFederation := false
	for _, e := range errs {
		msgs = append(msgs, e.Message)
		if strings.Contains(e.Message, "_service") {
			notFederation = true
		}
	}
	said := strings.Join(msgs, "; ")
	if len(said) > maxExcerptBytes {
		said = excerpt([]byte(said))
	}
	where := ""
	if status != "" {
		where = " (HTTP " + status + ")"
	}
	if notFederation {
		return fmt.Errorf("%s: the service is not an Apollo Federation subgraph, it does not know the _service field%s: %s; enable federation in the service %s",
			f.cannot(), where, said, sdlFileHint)
	}
	return fmt.Errorf("%s: the subgraph answered with GraphQL errors%s: %s", f.cannot(), where, said)
}

// exponentialBackoff waits 100ms, 200ms, 400ms… up to 2s before the next
// attempt, or returns ctx's error if it ends first.
func exponentialBackoff(ctx context.Context, attempt int) error {
	delay := firstBackoff << min(attempt-1, 5)
	delay = min(delay, maxBackoff)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
		return context.DeadlineExceeded
	}
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// excerpt quotes the start of an unexpected body, on one line.
func excerpt(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return "(empty body)"
	}
	cut := len(body) > maxExcerptBytes
	if cut {
		body = body[:maxExcerptBytes]
	}
	text := strings.Join(strings.Fields(strings.ToValidUTF8(string(body), "\uFFFD")), " ")
	if cut {
		text += "…"
	}
	return fmt.Sprintf("%q", text)
}

// unwrapURLError drops net/http's `Post "url":` prefix, which our messages
// already carry.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
