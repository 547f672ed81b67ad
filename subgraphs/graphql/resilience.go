package graphql

import "github.com/tributary-gw/tributary"

// maxRetryAttempts bounds retry.attempts: more tries only delay the error.
const maxRetryAttempts = 10

// RetryConfig is the `retry:` section: how failed queries are retried.
type RetryConfig struct {
	// Attempts is the total number of requests per call, the first included.
	Attempts int `yaml:"attempts,omitempty" doc:"Total requests sent per query or _entities call, the first included; 1 turns retries off. Mutations are never retried. A retry, and the wait before it, is only started when it can end before the request's deadline and the subgraph's timeout." default:"3"`
	// MinWait is the wait before the first retry.
	MinWait tributary.Duration `yaml:"minWait,omitempty" doc:"Wait before the first retry; it doubles with each retry, with jitter." default:"10ms"`
	// MaxWait caps a wait, one asked for by Retry-After included.
	MaxWait tributary.Duration `yaml:"maxWait,omitempty" doc:"Longest wait between tries, also capping the subgraph's Retry-After." default:"200ms"`
	// Budget is the share of calls that may be retried.
	Budget float64 `yaml:"budget,omitempty" doc:"Share of the subgraph's calls that may be retried (0.2: one retry for every five calls, plus five a second), so that a failing subgraph is not sent ever more requests." default:"0.2"`
}

// validateResilience checks retry and circuitBreaker.
func (c *Config) validateResilience(add func(path, format string, args ...any)) {
	if r := c.Retry; r != nil {
		if r.Attempts < 0 || r.Attempts > maxRetryAttempts {
			add("retry.attempts", "%d is out of range; want 1 (no retries) to %d", r.Attempts, maxRetryAttempts)
		}
		if r.MinWait < 0 {
			add("retry.minWait", "must be greater than 0 (e.g. \"10ms\")")
		}
		if r.MaxWait < 0 {
			add("retry.maxWait", "must be greater than 0 (e.g. \"200ms\")")
		}
		if r.MinWait > 0 && r.MaxWait > 0 && r.MaxWait < r.MinWait {
			add("retry.maxWait", "%s is shorter than minWait (%s)", r.MaxWait.Std(), r.MinWait.Std())
		}
		if r.Budget < 0 || r.Budget > 1 {
			add("retry.budget", "%v is out of range; want a share above 0 and at most 1, e.g. 0.2", r.Budget)
		}
	}
	c.CircuitBreaker.Validate("circuitBreaker.", add)
}

// policies returns the retry and breaker policies; zero fields take the
// gateway's defaults.
func (c *Config) policies() (tributary.RetryPolicy, tributary.BreakerPolicy) {
	var retry tributary.RetryPolicy
	if r := c.Retry; r != nil {
		retry = tributary.RetryPolicy{Attempts: r.Attempts, MinWait: r.MinWait.Std(), MaxWait: r.MaxWait.Std(), Budget: r.Budget}
	}
	return retry, c.CircuitBreaker.Policy()
}
