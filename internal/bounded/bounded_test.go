package bounded

import (
	"sync/atomic"
	"testing"
)

func TestForEachCallsEachOnceWithinTheLimit(t *testing.T) {
	for _, tt := range []struct{ n, limit int }{{0, 4}, {1, 4}, {10, 3}, {5, 0}} {
		var running, most, calls atomic.Int64
		seen := make([]atomic.Int64, tt.n)
		ForEach(tt.n, tt.limit, func(i int) {
			r := running.Add(1)
			for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
			}
			seen[i].Add(1)
			calls.Add(1)
			running.Add(-1)
		})
		if calls.Load() != int64(tt.n) {
			t.Errorf("n=%d: %d calls", tt.n, calls.Load())
		}
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Errorf("n=%d: fn(%d) called %d times", tt.n, i, seen[i].Load())
			}
		}
		if limit := max(tt.limit, 1); most.Load() > int64(limit) {
			t.Errorf("n=%d limit=%d: %d at once", tt.n, tt.limit, most.Load())
		}
	}
}
