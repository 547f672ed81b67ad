package upstream

import (
	"sync"
	"time"

	"github.com/tributary-gw/tributary"
)

// breakerBuckets is the number of slices a breaker's window is counted in.
const breakerBuckets = 10

// breaker is one subgraph's circuit breaker. It counts attempts and
// failures over a sliding window of breakerBuckets slices; when the window
// holds at least minRequests attempts and failureRatio of them failed, it
// opens: calls are refused until openFor has passed. Then it is half-open:
// one trial call at a time is let through, and the circuit closes on the
// first success and opens again on a failure.
type breaker struct {
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

func newBreaker(subgraph string, p tributary.BreakerPolicy) *breaker {
	return &breaker{subgraph: subgraph, failureRatio: p.FailureRatio, minRequests: p.MinRequests,
		slice: max(p.Window/breakerBuckets, time.Millisecond), openFor: p.OpenFor}
}

// allow asks whether a call may be made at now; trial reports a half-open
// trial, whose outcome must be recorded.
func (b *breaker) allow(now time.Time) (trial bool, err error) {
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

// release ends a half-open trial whose outcome says nothing of the
// subgraph's health (the caller gave up): the next call is a trial again.
func (b *breaker) release() {
	b.mu.Lock()
	b.trial = false
	b.mu.Unlock()
}

// record counts an attempt made at now.
func (b *breaker) record(now time.Time, failed, trial bool) {
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
