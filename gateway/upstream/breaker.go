package upstream

import (
	"sync"
	"time"

	"github.com/tributary-gw/tributary"
)

// breakerBuckets is the number of slices a breaker's window is counted in.
const breakerBuckets = 10

// Breaker is one subgraph's circuit breaker. It counts attempts and
// failures over a sliding window of breakerBuckets slices; when the window
// holds at least minRequests attempts and failureRatio of them failed, it
// opens: calls are refused until openFor has passed. Then it is half-open:
// one trial call at a time is let through, and the circuit closes on the
// first success and opens again on a failure.
type Breaker struct {
	subgraph     string
	failureRatio float64
	minRequests  int
	slice        time.Duration
	openFor      time.Duration

	mu       sync.Mutex
	buckets  [breakerBuckets]breakerBucket
	openedAt time.Time // zero when closed
	trial    bool      // a half-open trial call is under way
}

// breakerBucket counts one slice of the window.
type breakerBucket struct {
	slice           int64 // which slice (time / slice length) it counts
	calls, failures int
}

// NewBreaker returns subgraph's breaker, the zero fields of p taking the
// defaults, or nil when p disables it; a nil *Breaker lets every call
// through.
func NewBreaker(subgraph string, p tributary.BreakerPolicy) *Breaker {
	if p.Disabled {
		return nil
	}
	p.FailureRatio = cmpOr(p.FailureRatio, DefaultBreakerFailureRatio)
	p.MinRequests = cmpOr(p.MinRequests, DefaultBreakerMinRequests)
	p.Window = cmpOr(p.Window, DefaultBreakerWindow)
	p.OpenFor = cmpOr(p.OpenFor, DefaultBreakerOpenFor)
	return &Breaker{subgraph: subgraph, failureRatio: p.FailureRatio, minRequests: p.MinRequests,
		slice: max(p.Window/breakerBuckets, time.Millisecond), openFor: p.OpenFor}
}

// Allow asks whether a call may be made at now: a *tributary.CircuitOpenError
// when not. trial reports a half-open trial, whose outcome must be passed
// to Record, or to Release when it tells nothing.
func (b *Breaker) Allow(now time.Time) (trial bool, err error) {
	if b == nil {
		return false, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.openedAt.IsZero() {
		return false, nil
	}
	until := b.openedAt.Add(b.openFor)
	if now.Before(until) || b.trial {
		return false, &tributary.CircuitOpenError{Subgraph: b.subgraph, Until: until}
	}
	b.trial = true
	return true, nil
}

// Release ends a half-open trial whose outcome says nothing of the
// subgraph's health (the caller gave up): the next call is a trial again.
func (b *Breaker) Release() {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.trial = false
	b.mu.Unlock()
}

// Record counts an attempt made at now, failed or not; trial is what
// Allow said of it.
func (b *Breaker) Record(now time.Time, failed, trial bool) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if trial {
		b.trial = false
		if failed {
			b.openedAt = now
			return
		}
		b.openedAt = time.Time{}
		b.buckets = [breakerBuckets]breakerBucket{}
	}
	slice := now.UnixNano() / int64(b.slice)
	bucket := &b.buckets[slice%breakerBuckets]
	if bucket.slice != slice {
		*bucket = breakerBucket{slice: slice}
	}
	bucket.calls++
	if failed {
		bucket.failures++
	}
	if !failed || !b.openedAt.IsZero() {
		return
	}
	calls, failures := 0, 0
	for i := range b.buckets {
		if c := &b.buckets[i]; slice-c.slice < breakerBuckets {
			calls += c.calls
			failures += c.failures
		}
	}
	if calls >= b.minRequests && float64(failures) >= b.failureRatio*float64(calls) {
		b.openedAt = now
	}
}
