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

// CircuitBreakerConfig is the `circuitBreaker:` key of the sections of
// kinds that call services over HTTP; nil means the defaults.
type CircuitBreakerConfig struct {
	// Enabled turns the breaker on (the default) or off.
	Enabled *bool `yaml:"enabled,omitempty" doc:"Whether the subgraph has a circuit breaker: when too many calls fail, calls fail at once (SUBGRAPH_UNAVAILABLE) for openFor, then one trial call decides." default:"true"`
	// FailureRatio is the share of failed requests that opens the circuit.
	FailureRatio float64 `yaml:"failureRatio,omitempty" doc:"Share of failed requests within window (connection errors, 429, 5xx, cut answers) that opens the circuit, above 0 and at most 1." default:"0.5"`
	// MinRequests is the number of requests below which it never opens.
	MinRequests int `yaml:"minRequests,omitempty" doc:"Requests within window below which the circuit never opens." default:"20"`
	// Window is the span requests are counted over.
	Window Duration `yaml:"window,omitempty" doc:"Span over which requests and failures are counted." default:"10s"`
	// OpenFor is how long an open circuit refuses calls.
	OpenFor Duration `yaml:"openFor,omitempty" doc:"How long an open circuit refuses calls before a trial call." default:"5s"`
}

// Validate reports c's errors through add, at paths that start with
// prefix (e.g. "circuitBreaker."). A nil c is valid.
func (c *CircuitBreakerConfig) Validate(prefix string, add func(path, format string, args ...any)) {
	if c == nil {
		return
	}
	if c.FailureRatio < 0 || c.FailureRatio > 1 {
		add(prefix+"failureRatio", "%v is out of range; want a share above 0 and at most 1, e.g. 0.5", c.FailureRatio)
	}
	if c.MinRequests < 0 {
		add(prefix+"minRequests", "must be at least 1")
	}
	if c.Window < 0 {
		add(prefix+"window", "must be greater than 0 (e.g. \"10s\")")
	}
	if c.OpenFor < 0 {
		add(prefix+"openFor", "must be greater than 0 (e.g. \"5s\")")
	}
}

// Policy is the breaker c describes; zero fields mean the gateway's
// defaults, and a nil c all of them.
func (c *CircuitBreakerConfig) Policy() BreakerPolicy {
	if c == nil {
		return BreakerPolicy{}
	}
	return BreakerPolicy{Disabled: c.Enabled != nil && !*c.Enabled, FailureRatio: c.FailureRatio,
		MinRequests: c.MinRequests, Window: c.Window.Std(), OpenFor: c.OpenFor.Std()}
}
