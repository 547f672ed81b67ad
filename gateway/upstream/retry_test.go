package upstream

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/tributary-gw/tributary"
)

// flakySubgraph is a GraphQL server on loopback that answers each request
// as the next entry of its script says ("503", "429", "cut" for a 2xx
// body cut short, "reset" for a dropped connection; "ok" or past the end,
// a good answer), and keeps the bodies it received.
type flakySubgraph struct {
	*httptest.Server
	mu     sync.Mutex
	script []string
	bodies []string
}

const goodAnswer = `{"data":{"me":{"id":"1"}}}`

func newFlakySubgraph(t *testing.T, script ...string) *flakySubgraph {
	t.Helper()
	s := &flakySubgraph{script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.bodies)
		s.bodies = append(s.bodies, string(body))
		step := "ok"
		if n < len(s.script) {
			step = s.script[n]
		}
		s.mu.Unlock()
		switch step {
		case "503":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "429":
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		case "500":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"errors":[{"message":"boom"}]}`)
		case "cut":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, goodAnswer[:len(goodAnswer)/2])
		case "reset":
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, goodAnswer)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *flakySubgraph) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// retryClient is a client for s as the engine builds one: Client's
// transport with Retry and GraphQLErrors above it.
func retryClient(s *flakySubgraph, retry tributary.RetryPolicy, brk tributary.BreakerPolicy) (*http.Client, *retryTransport) {
	c := Factory{}.Client("flaky", tributary.HTTPClientOptions{MaxResponseBytes: 1 << 20})
	rt := Retry("flaky", c.Transport, retry, brk).(*retryTransport)
	c.Transport = GraphQLErrors(rt)
	return c, rt
}

// post sends body to url; a query body is sent as the engine sends a
// query operation's calls, marked idempotent.
func post(t *testing.T, ctx context.Context, c *http.Client, url, body string) (int, string, error) {
	t.Helper()
	if body == queryBody {
		ctx = WithIdempotentCalls(ctx)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(got), err
}

const (
	queryBody    = `{"query":"query($representations:[_Any!]!){_entities(representations:$representations){... on User {id}}}","variables":{"representations":[]}}`
	mutationBody = `{"query":"mutation{deleteUser(id:\"1\"){id}}"}`
)

// Failed queries are sent again, up to attempts, until one answers; the
// same body each time.
func TestRetryRecoversFailedQueries(t *testing.T) {
	for _, script := range [][]string{{"503", "503"}, {"cut"}, {"reset", "429"}, {"503", "cut"}} {
		t.Run(strings.Join(script, ","), func(t *testing.T) {
			s := newFlakySubgraph(t, script...)
			c, _ := retryClient(s, tributary.RetryPolicy{Attempts: 3, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}, tributary.BreakerPolicy{})
			status, body, err := post(t, context.Background(), c, s.URL, queryBody)
			if err != nil || status != 200 || body != goodAnswer {
				t.Fatalf("got %d %q %v, want the good answer", status, body, err)
			}
			if got, want := s.calls(), len(script)+1; got != want {
				t.Fatalf("%d requests, want %d", got, want)
			}
			for i, b := range s.bodies {
				if b != queryBody {
					t.Errorf("request %d had body %q, want the query's", i, b)
				}
			}
		})
	}
}

// What may not be sent twice is sent once: mutations, failures that would
// fail again, and anything when attempts is 1. The last answer is the
// call's.
func TestRetryLeavesAlone(t *testing.T) {
	tests := []struct {
		name, body string
		attempts   int
		script     []string
		wantStatus int
	}{
		{"mutation", mutationBody, 3, []string{"503"}, 503},
		{"subscription", `{"query":"subscription{ticks}"}`, 3, []string{"503"}, 503},
		{"500 with GraphQL errors", queryBody, 3, []string{"500"}, 500},
		{"attempts 1", queryBody, 1, []string{"503"}, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFlakySubgraph(t, tt.script...)
			c, _ := retryClient(s, tributary.RetryPolicy{Attempts: tt.attempts, MinWait: time.Millisecond}, tributary.BreakerPolicy{})
			status, _, err := post(t, context.Background(), c, s.URL, tt.body)
			if err != nil || status != tt.wantStatus {
				t.Fatalf("got %d, %v; want %d", status, err, tt.wantStatus)
			}
			if n := s.calls(); n != 1 {
				t.Fatalf("%d requests, want 1", n)
			}
		})
	}
}

// A retry whose backoff cannot end before the request's deadline is not
// started: the call ends at once with the last answer.
func TestRetryStaysWithinTheDeadline(t *testing.T) {
	s := newFlakySubgraph(t, "503", "503", "503")
	c, _ := retryClient(s, tributary.RetryPolicy{Attempts: 3, MinWait: time.Hour, MaxWait: time.Hour}, tributary.BreakerPolicy{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	status, _, err := post(t, ctx, c, s.URL, queryBody)
	if err != nil || status != 503 {
		t.Fatalf("got %d, %v; want the 503", status, err)
	}
	if n := s.calls(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

// A subgraph that always fails gets no more retries than its budget: the
// initial balance, plus budget × calls (the clock stands still, so the
// per-second floor adds nothing).
func TestRetryBudgetBoundsRetries(t *testing.T) {
	script := make([]string, 1000)
	for i := range script {
		script[i] = "503"
	}
	s := newFlakySubgraph(t, script...)
	c, rt := retryClient(s, tributary.RetryPolicy{Attempts: 3, MinWait: time.Microsecond, MaxWait: time.Microsecond, Budget: 0.1},
		tributary.BreakerPolicy{Disabled: true})
	frozen := time.Now()
	rt.now = func() time.Time { return frozen }
	const calls = 100
	for range calls {
		if status, _, err := post(t, context.Background(), c, s.URL, queryBody); err != nil || status != 503 {
			t.Fatalf("got %d, %v", status, err)
		}
	}
	retries := s.calls() - calls
	if want := budgetMinCapacity + calls/10; retries > want || retries < want-1 {
		t.Fatalf("%d retries for %d calls, want about %d (10 initial tokens + 0.1 per call)", retries, calls, want)
	}
}

// After minRequests attempts of which failureRatio failed, the breaker
// refuses calls without sending them; after openFor, one trial call is
// sent, and its success closes the circuit.
func TestBreakerOpensAndRecovers(t *testing.T) {
	script := make([]string, 20)
	for i := range script {
		script[i] = "503"
	}
	s := newFlakySubgraph(t, script...)
	c, rt := retryClient(s, tributary.RetryPolicy{Attempts: 1},
		tributary.BreakerPolicy{FailureRatio: 0.5, MinRequests: 20, Window: time.Minute, OpenFor: time.Minute})
	var clock atomic.Int64
	start := time.Now()
	rt.now = func() time.Time { return start.Add(time.Duration(clock.Load())) }
	for i := range 20 {
		if status, _, err := post(t, context.Background(), c, s.URL, queryBody); err != nil || status != 503 {
			t.Fatalf("call %d: got %d, %v; want the 503", i, status, err)
		}
	}
	_, _, err := post(t, context.Background(), c, s.URL, queryBody)
	var open *tributary.CircuitOpenError
	if !errors.As(err, &open) || open.Subgraph != "flaky" {
		t.Fatalf("call 21: got %v, want *tributary.CircuitOpenError", err)
	}
	if n := s.calls(); n != 20 {
		t.Fatalf("%d requests reached the subgraph, want 20 (the 21st refused)", n)
	}
	clock.Store(int64(time.Minute + time.Second))
	if status, body, err := post(t, context.Background(), c, s.URL, queryBody); err != nil || body != goodAnswer {
		t.Fatalf("trial call: got %d %q %v, want the good answer", status, body, err)
	}
	if status, _, err := post(t, context.Background(), c, s.URL, queryBody); err != nil || status != 200 {
		t.Fatalf("after the trial: got %d, %v; want the circuit closed", status, err)
	}
	if n := s.calls(); n != 22 {
		t.Fatalf("%d requests, want 22", n)
	}
}

// A failed trial opens the circuit again; calls made while a trial is
// under way are refused.
func TestBreakerFailedTrialReopens(t *testing.T) {
	b := NewBreaker("s", tributary.BreakerPolicy{FailureRatio: 0.5, MinRequests: 2, Window: time.Minute, OpenFor: time.Second})
	now := time.Now()
	b.Record(now, true, false)
	b.Record(now, true, false)
	if _, err := b.Allow(now); err == nil {
		t.Fatal("two failures of two did not open the circuit")
	}
	later := now.Add(2 * time.Second)
	trial, err := b.Allow(later)
	if !trial || err != nil {
		t.Fatalf("after openFor: trial %v, %v; want a trial", trial, err)
	}
	if _, err := b.Allow(later); err == nil {
		t.Fatal("a second call was let through during the trial")
	}
	b.Record(later, true, true)
	if _, err := b.Allow(later.Add(500 * time.Millisecond)); err == nil {
		t.Fatal("the failed trial did not open the circuit again")
	}
	// Under the ratio, the circuit stays closed.
	c := NewBreaker("s", tributary.BreakerPolicy{FailureRatio: 0.5, MinRequests: 10, Window: time.Minute, OpenFor: time.Second})
	for i := range 100 {
		c.Record(now, i%10 == 0, false)
	}
	if _, err := c.Allow(now); err != nil {
		t.Fatalf("10%% failures opened the circuit: %v", err)
	}
}

// Only calls in a marked context with a body that can be replayed may be
// sent again.
func TestIdempotent(t *testing.T) {
	marked := WithIdempotentCalls(context.Background())
	req, _ := http.NewRequestWithContext(marked, http.MethodPost, "http://x", bytes.NewReader([]byte(queryBody)))
	if !idempotent(req) {
		t.Error("a query's call is not idempotent")
	}
	req.GetBody = nil
	if idempotent(req) {
		t.Error("a body that cannot be replayed was taken for idempotent")
	}
	req, _ = http.NewRequestWithContext(context.Background(), http.MethodPost, "http://x", bytes.NewReader([]byte(queryBody)))
	if idempotent(req) {
		t.Error("an unmarked call was taken for idempotent")
	}
}

// ReadAll reads whatever the body holds, whether it matches, falls short of
// or exceeds the declared length.
func TestReadAll(t *testing.T) {
	body := strings.Repeat("x", 3000)
	for _, size := range []int64{-1, 0, 10, 2999, 3000, 3001, 5000, maxPrealloc + 1} {
		got, err := ReadAll(iotest.OneByteReader(strings.NewReader(body)), size)
		if err != nil || string(got) != body {
			t.Errorf("declared %d: got %d bytes, %v", size, len(got), err)
		}
	}
	if got, err := ReadAll(iotest.TimeoutReader(strings.NewReader(body)), 3000); err == nil || len(got) == 0 {
		t.Errorf("a failing reader gave %d bytes, %v", len(got), err)
	}
}
