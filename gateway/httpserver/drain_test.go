package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	tributary "github.com/tributary-gw/tributary"
)

// During DrainDelay the server still accepts requests while /readyz
// answers 503; Drained runs after the requests in flight ended, with the
// shutdown deadline, and its error is Serve's.
func TestDrainDelayThenDrained(t *testing.T) {
	exec, entered, release := blockingExecutor()
	var executing atomic.Int32
	blocking := exec.respond
	exec.respond = func(ctx context.Context, req *tributary.Request) *tributary.Response {
		executing.Add(1)
		defer executing.Add(-1)
		return blocking(ctx, req)
	}
	logger, _ := testLogger()
	var drainedAt, drainedDeadline time.Time
	srv := New("", Options{
		Executor:   exec,
		Logger:     logger,
		Ready:      func() error { return nil },
		DrainDelay: 300 * time.Millisecond,
		Drained: func(ctx context.Context) error {
			if executing.Load() != 0 {
				t.Error("Drained ran while a request was in flight")
			}
			drainedAt = time.Now()
			drainedDeadline, _ = ctx.Deadline()
			return errors.New("pool did not close")
		},
	})
	ln := listenLocal(t)
	url := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln, time.Minute) }()

	if status := probe(t, url); status != http.StatusOK {
		t.Fatalf("/readyz before shutdown: %d", status)
	}
	inFlight := postAsync(url + "/graphql")
	<-entered
	cancel()
	for deadline := time.Now().Add(time.Second); probe(t, url) != http.StatusServiceUnavailable; {
		if time.Now().After(deadline) {
			t.Fatal("/readyz never answered 503 during the drain delay")
		}
		time.Sleep(5 * time.Millisecond)
	}
	<-ln.closed
	close(release)
	if r := <-inFlight; r.err != nil || r.status != http.StatusOK {
		t.Fatalf("in-flight request: %d %v", r.status, r.err)
	}
	err := <-served
	if err == nil || err.Error() != "pool did not close" {
		t.Fatalf("Serve = %v, want Drained's error", err)
	}
	if drainedAt.IsZero() || drainedDeadline.Sub(drainedAt) <= 0 || drainedDeadline.Sub(drainedAt) > time.Minute {
		t.Fatalf("Drained at %v with deadline %v", drainedAt, drainedDeadline)
	}
}

func probe(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	defer resp.Body.Close()
	var body probeBody
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode == http.StatusServiceUnavailable && body.Reason != "shutting down" {
		t.Fatalf("/readyz 503 reason %q", body.Reason)
	}
	return resp.StatusCode
}
