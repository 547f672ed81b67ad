package openapi

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
)

// always answers n requests with status, then 200.
func always(status, n int) *statusScript {
	statuses := make([]int, n)
	for i := range statuses {
		statuses[i] = status
	}
	return &statusScript{statuses: statuses}
}

// A service that fails every call is retried no more than its budget
// allows: the initial tokens plus budget × calls (the clock stands still,
// so the per-second floor adds nothing).
func TestRetryBudgetBoundsRetries(t *testing.T) {
	script := always(503, 1000)
	srv := httptest.NewServer(script)
	defer srv.Close()
	off := false
	s := newTestSource(t, &Config{
		Retry:          &RetryConfig{Attempts: 3, MinWait: tributary.Duration(time.Microsecond), MaxWait: tributary.Duration(time.Microsecond), Budget: 0.1},
		CircuitBreaker: &tributary.CircuitBreakerConfig{Enabled: &off},
	}, srv.URL, nil)
	frozen := time.Now()
	s.client.now = func() time.Time { return frozen }
	const calls = 100
	for range calls {
		if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err == nil {
			t.Fatal("a failing service answered")
		}
	}
	retries := int(script.calls.Load()) - calls
	if retries < 19 || retries > 20 {
		t.Fatalf("%d retries for %d calls, want about 20 (10 initial tokens + 0.1 per call)", retries, calls)
	}
}

// After minRequests failed requests the breaker refuses calls without
// sending them, with an error that says why; after openFor a trial call
// goes through and its success closes the circuit.
func TestCircuitBreakerStopsCallingAFailingService(t *testing.T) {
	script := always(503, 10)
	srv := httptest.NewServer(script)
	defer srv.Close()
	s := newTestSource(t, &Config{
		Retry:          &RetryConfig{Attempts: 1},
		CircuitBreaker: &tributary.CircuitBreakerConfig{FailureRatio: 1, MinRequests: 10, Window: tributary.Duration(time.Minute), OpenFor: tributary.Duration(time.Minute)},
	}, srv.URL, nil)
	start := time.Now()
	clock := start
	s.client.now = func() time.Time { return clock }
	for range 10 {
		if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err == nil {
			t.Fatal("a failing service answered")
		}
	}
	_, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil)
	if err == nil || !strings.Contains(err.Error(), "circuit breaker is open") {
		t.Fatalf("call 11: %v, want the breaker's refusal", err)
	}
	if n := script.calls.Load(); n != 10 {
		t.Fatalf("the service got %d requests, want 10 (the 11th refused)", n)
	}
	clock = start.Add(time.Minute + time.Second)
	for i := range 2 {
		if _, err := resolve(s, "Query.pet", `{"petId":"1"}`, nil); err != nil {
			t.Fatalf("call %d after openFor: %v", 12+i, err)
		}
	}
	if n := script.calls.Load(); n != 12 {
		t.Fatalf("the service got %d requests, want 12", n)
	}
}
