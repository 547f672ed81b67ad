package upstream

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Backoff is the wait before retry number attempt+1 (attempt counts from
// 0): minWait·2^attempt with equal jitter, capped at maxWait. After a 429
// or 503 whose Retry-After the service set, it waits what that asks,
// capped at maxWait; now is the clock a Retry-After date is compared with.
func Backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response, now time.Time) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			return min(d, maxWait)
		}
	}
	wait := maxWait
	if attempt < 30 {
		if w := minWait << attempt; w > 0 && w < maxWait {
			wait = w
		}
	}
	half := wait / 2
	if half <= 0 {
		return wait
	}
	return half + rand.N(half+1)
}

// maxRetryAfter bounds a parsed Retry-After; callers cap it far lower.
const maxRetryAfter = 24 * time.Hour

// ParseRetryAfter reads a Retry-After value: delay seconds or an HTTP date
// (RFC 9110, 10.2.3), relative to now. A date in the past is a zero wait;
// a negative or unreadable value is no value (ok false).
func ParseRetryAfter(v string, now time.Time) (wait time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(at.Sub(now), 0), maxRetryAfter), true
}
