package dynamodb

import (
	"context"
	"math/rand/v2"
	"time"
)

// delay is the backoff before retry attempt+1: full jitter over
// minWait·2^attempt, capped at maxWait.
func (p retryPolicy) delay(attempt int) time.Duration {
	ceiling := p.maxWait
	if attempt < 30 {
		ceiling = min(p.minWait<<attempt, p.maxWait)
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling))) + 1
}

// BackoffDelay implements the SDK's retry.BackoffDelayer.
func (p retryPolicy) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	// The SDK counts attempts from 1.
	return p.delay(max(attempt-1, 0)), nil
}

// sleep waits the backoff before retry attempt+1; it fails at once when
// the wait would outlast ctx's deadline.
func (p retryPolicy) sleep(ctx context.Context, attempt int) error {
	d := p.delay(attempt)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return context.DeadlineExceeded
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
