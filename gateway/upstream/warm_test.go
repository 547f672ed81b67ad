package upstream

import (
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// echoURL answers each request with its URL's path as the status text.
type echoURL struct{}

func (echoURL) RoundTrip(req *http.Request) (*http.Response, error) {
	resp := JSONResponse(req, http.StatusOK, []byte(`{}`))
	resp.Status = req.URL.Path
	return resp, nil
}

// Each caller gets its own call's answer, however many call at once.
func TestOnWarmStacksAnswersEachCaller(t *testing.T) {
	rt := OnWarmStacks(echoURL{})
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				path := "/" + strings.Repeat("x", i) + "/" + strings.Repeat("y", j)
				req, _ := http.NewRequest(http.MethodGet, "http://x"+path, nil)
				resp, err := rt.RoundTrip(req)
				if err != nil || resp.Status != path {
					t.Errorf("call %s got %v, %v", path, resp, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := idleWorkers.Load(); n > maxIdleWorkers {
		t.Fatalf("%d idle workers, want at most %d", n, maxIdleWorkers)
	}
}

// Calls one after another reuse a worker: the goroutine count stays flat.
func TestOnWarmStacksReusesWorkers(t *testing.T) {
	rt := OnWarmStacks(echoURL{})
	req, _ := http.NewRequest(http.MethodGet, "http://x/a", nil)
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for range 1000 {
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	if after := runtime.NumGoroutine(); after > before+1 {
		t.Fatalf("1,000 serial calls left %d goroutines, %d before", after, before)
	}
}

type panicking struct{}

func (panicking) RoundTrip(*http.Request) (*http.Response, error) { panic("boom") }

// A panic in the transport is the caller's error; the worker lives on.
func TestOnWarmStacksTurnsPanicsIntoErrors(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://x/a", nil)
	if _, err := OnWarmStacks(panicking{}).RoundTrip(req); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("got %v, want the panic as an error", err)
	}
	if resp, err := OnWarmStacks(echoURL{}).RoundTrip(req); err != nil || resp.Status != "/a" {
		t.Fatalf("after a panic: %v, %v", resp, err)
	}
}
