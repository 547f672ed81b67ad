// Package bounded runs a batch of calls concurrently, a bounded number at
// a time: the fan-out of in-process kinds (one REST call per key, one
// DynamoDB query per parent) without flooding the service.
package bounded

import "sync"

// ForEach calls fn(0…n-1) with at most limit calls running, and returns
// when all have returned. A single call runs on the caller's goroutine.
// Once the caller's context ends, the remaining calls fail fast on their
// own.
func ForEach(n, limit int, fn func(i int)) {
	if n == 1 {
		fn(0)
		return
	}
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			fn(i)
		})
	}
	wg.Wait()
}
