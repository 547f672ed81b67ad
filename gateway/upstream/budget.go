package upstream

import (
	"sync"
	"time"
)

// RetryBudget bounds the retries sent to one subgraph: each call deposits
// ratio of a token, each retry takes a whole one, and a floor of
// floorPerSecond tokens a second lets a quiet subgraph be retried at all.
// The balance is capped, so that a long healthy spell does not buy a storm
// of retries when the subgraph starts to fail.
type RetryBudget struct {
	ratio          float64
	floorPerSecond float64
	capacity       float64

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

// Budget defaults: the floor and the cap, in retries.
const (
	budgetFloorPerSecond = 5
	budgetMinCapacity    = 10
)

// NewRetryBudget returns a budget that lets ratio of the calls (0.2: one
// in five) be retried, plus budgetFloorPerSecond retries a second; zero
// or less means DefaultRetryBudget.
func NewRetryBudget(ratio float64) *RetryBudget {
	ratio = cmpOr(ratio, DefaultRetryBudget)
	return &RetryBudget{ratio: ratio, floorPerSecond: budgetFloorPerSecond,
		capacity: max(budgetMinCapacity, ratio*100), tokens: budgetMinCapacity}
}

// Deposit records a call that may be retried.
func (b *RetryBudget) Deposit() {
	b.mu.Lock()
	b.tokens = min(b.capacity, b.tokens+b.ratio)
	b.mu.Unlock()
}

// Withdraw takes a token for a retry at now, reporting whether there was
// one.
func (b *RetryBudget) Withdraw(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() {
		b.tokens = min(b.capacity, b.tokens+now.Sub(b.last).Seconds()*b.floorPerSecond)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
