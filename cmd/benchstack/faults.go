package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// faultSpec is the -faults flag: the share of subgraph requests answered
// with a 503, the share answered with a 200 whose JSON body is cut in half,
// and the longest delay added to every request (uniform from zero).
type faultSpec struct {
	unavailable, cut float64
	maxDelay         time.Duration
}

// parseFaults reads "503=0.05,cut=0.03,delay=30ms"; any part may be left
// out, and "" means no faults.
func parseFaults(v string) (faultSpec, error) {
	var f faultSpec
	if strings.TrimSpace(v) == "" {
		return f, nil
	}
	for _, part := range strings.Split(v, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return f, fmt.Errorf("-faults: %q is not key=value (want e.g. 503=0.05,cut=0.03,delay=30ms)", part)
		}
		switch key {
		case "503", "cut":
			p, err := strconv.ParseFloat(val, 64)
			if err != nil || p < 0 || p > 1 {
				return f, fmt.Errorf("-faults: %s=%s: want a share from 0 to 1", key, val)
			}
			if key == "503" {
				f.unavailable = p
			} else {
				f.cut = p
			}
		case "delay":
			d, err := time.ParseDuration(val)
			if err != nil || d < 0 {
				return f, fmt.Errorf("-faults: delay=%s: want a duration such as 30ms", val)
			}
			f.maxDelay = d
		default:
			return f, fmt.Errorf("-faults: unknown fault %q (known: 503, cut, delay)", key)
		}
	}
	if f.unavailable+f.cut > 1 {
		return f, fmt.Errorf("-faults: 503 and cut add up to more than 1")
	}
	return f, nil
}

// active reports whether any fault is set.
func (f faultSpec) active() bool { return f.unavailable > 0 || f.cut > 0 || f.maxDelay > 0 }

// faultHandler injects f's faults in front of next, and counts them.
type faultHandler struct {
	spec        faultSpec
	next        http.Handler
	mu          sync.Mutex
	rng         *rand.Rand
	unavailable atomic.Int64
	cut         atomic.Int64
}

func newFaultHandler(spec faultSpec, seed uint64, next http.Handler) *faultHandler {
	return &faultHandler{spec: spec, next: next, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (h *faultHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	draw := h.rng.Float64()
	var delay time.Duration
	if h.spec.maxDelay > 0 {
		delay = time.Duration(h.rng.Int64N(int64(h.spec.maxDelay) + 1))
	}
	h.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	switch {
	case draw < h.spec.unavailable:
		h.unavailable.Add(1)
		http.Error(w, "benchstack: injected fault", http.StatusServiceUnavailable)
	case draw < h.spec.unavailable+h.spec.cut:
		h.cut.Add(1)
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		h.next.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.status)
		_, _ = w.Write(body[:len(body)/2])
	default:
		h.next.ServeHTTP(w, r)
	}
}

// String reports the faults injected.
func (h *faultHandler) String() string {
	return fmt.Sprintf("%d answered 503, %d cut short", h.unavailable.Load(), h.cut.Load())
}
