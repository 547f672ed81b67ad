package tributary

import (
	"fmt"
	"time"
)

// RetryPolicy says how the gateway retries an idempotent call to a remote
// GraphQL subgraph (a query or an _entities fetch, never a mutation) that
// failed to connect, got 429, 502, 503 or 504, or got a 2xx answer whose
// body is not complete JSON. Zero fields take the defaults of package
// gateway/upstream.
type RetryPolicy struct {
	// Attempts is the total number of requests per call, the first
	// included; 1 turns retries off.
	Attempts int
	// MinWait is the wait before the first retry; it doubles with each
	// retry, with jitter, up to MaxWait.
	MinWait, MaxWait time.Duration
	// Budget is the share of a subgraph's calls that may be retried, over a
	// few seconds (0.2 allows one retry for every five calls, plus a small
	// floor), so that a failing subgraph is not sent ever more requests.
	Budget float64
}

// BreakerPolicy describes a subgraph's circuit breaker: when, within
// Window, at least MinRequests attempts were made and FailureRatio of them
// failed, the subgraph is not called for OpenFor; then one trial call at a
// time decides whether it is called again. Zero fields take the defaults of
// package gateway/upstream.
type BreakerPolicy struct {
	// Disabled turns the breaker off.
	Disabled bool
	// FailureRatio is the share of failed attempts, in (0, 1], that opens
	// the circuit.
	FailureRatio float64
	// MinRequests is the number of attempts in Window below which the
	// circuit never opens.
	MinRequests int
	// Window is the span over which attempts are counted.
	Window time.Duration
	// OpenFor is how long an open circuit refuses calls before a trial.
	OpenFor time.Duration
}

// CircuitOpenError is a call the subgraph's circuit breaker refused: the
// subgraph failed too often lately, and is not called until Until.
type CircuitOpenError struct {
	// Subgraph is the subgraph's name.
	Subgraph string
	// Until is when the next trial call may be made.
	Until time.Time
}

// Error implements error.
func (e *CircuitOpenError) Error() string {
	return fmt.Sprintf("subgraph %q: not called: its circuit breaker is open after repeated failures (next trial at %s)",
		e.Subgraph, e.Until.UTC().Format(time.RFC3339Nano))
}
