package upstream

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1", time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"-5", 0, false},
		{"Sun, 01 Mar 2026 12:00:07 GMT", 7 * time.Second, true},
		{"Sunday, 01-Mar-26 12:00:03 GMT", 3 * time.Second, true}, // RFC 850
		{"Sun, 01 Mar 2026 11:00:00 GMT", 0, true},                // in the past
		{"soon", 0, false},
		{"", 0, false},
		{"99999999999", 24 * time.Hour, true},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	minWait, maxWait := 100*time.Millisecond, time.Second
	for attempt, full := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second} {
		for range 50 {
			got := Backoff(minWait, maxWait, attempt, nil, time.Now())
			if got < full/2 || got > full {
				t.Fatalf("attempt %d: backoff %v, want within [%v, %v]", attempt, got, full/2, full)
			}
		}
	}
	if got := Backoff(minWait, maxWait, 1000, nil, time.Now()); got < maxWait/2 || got > maxWait {
		t.Errorf("attempt 1000: backoff %v overflowed", got)
	}
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"1"}}}
	if got := Backoff(minWait, 5*time.Second, 0, resp, time.Now()); got != time.Second {
		t.Errorf("Retry-After: 1 gave %v, want 1s", got)
	}
	if got := Backoff(minWait, maxWait, 0, &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {"30"}}}, time.Now()); got != maxWait {
		t.Errorf("Retry-After: 30 gave %v, want it capped at maxWait %v", got, maxWait)
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, seed := range []string{"1", "-5", "Sun, 01 Mar 2026 12:00:07 GMT", "99999999999", "soon", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if d, ok := ParseRetryAfter(v, time.Unix(0, 0)); ok && (d < 0 || d > maxRetryAfter) {
			t.Fatalf("Retry-After %q gave %v", v, d)
		}
	})
}
