package gateway

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
)

// gatewayOf builds a Gateway value directly over subgraphs, listed in
// gateway.yaml in the order given.
func gatewayOf(subgraphs ...*tributary.Subgraph) *Gateway {
	g := &Gateway{Config: config.Default(), Subgraphs: map[string]*tributary.Subgraph{}}
	for _, sg := range subgraphs {
		g.Config.Subgraphs = append(g.Config.Subgraphs, config.SubgraphEntry{Name: sg.Name})
		g.Subgraphs[sg.Name] = sg
	}
	return g
}

// closeLog records the order of Close calls.
type closeLog struct {
	mu    sync.Mutex
	names []string
}

func (l *closeLog) closer(name string, err error) func(context.Context) error {
	return func(context.Context) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.names = append(l.names, name)
		return err
	}
}

func (l *closeLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.names, ",")
}

func TestCloseRunsOnceInReverseConfigOrder(t *testing.T) {
	var log closeLog
	g := gatewayOf(
		&tributary.Subgraph{Name: "accounts", Close: log.closer("accounts", nil)},
		&tributary.Subgraph{Name: "noclose"},
		&tributary.Subgraph{Name: "products", Close: log.closer("products", errors.New("pool: 2 connections still busy"))},
		&tributary.Subgraph{Name: "reviews", Close: log.closer("reviews", nil)},
	)
	err := g.Close(context.Background())
	if got := log.String(); got != "reviews,products,accounts" {
		t.Fatalf("closed %s, want reviews,products,accounts", got)
	}
	if err == nil || !strings.Contains(err.Error(), `subgraph "products": close: pool: 2 connections still busy`) {
		t.Fatalf("error %v", err)
	}
	if again := g.Close(context.Background()); again != err {
		t.Fatalf("second Close returned %v, want the first result", again)
	}
	if got := log.String(); got != "reviews,products,accounts" {
		t.Fatalf("second Close called the subgraphs again: %s", got)
	}
	if err := g.Ready(context.Background()); err == nil {
		t.Fatal("a closed gateway is ready")
	}
}

func TestCloseAbandonsAHangingCloseAtTheDeadline(t *testing.T) {
	var log closeLog
	release := make(chan struct{})
	defer close(release)
	g := gatewayOf(
		&tributary.Subgraph{Name: "first", Close: log.closer("first", nil)},
		&tributary.Subgraph{Name: "stuck", Close: func(context.Context) error { <-release; return nil }},
		&tributary.Subgraph{Name: "last", Close: log.closer("last", nil)},
	)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := g.Close(ctx)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Fatalf("Close took %s with a 100ms deadline", elapsed)
	}
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), `subgraph "stuck": close did not finish before the shutdown deadline`) {
		t.Fatalf("error %v", err)
	}
	if strings.Contains(err.Error(), `subgraph "last"`) {
		t.Fatalf("the subgraph closed before the deadline is reported: %v", err)
	}
	// "first" comes after the deadline: it is still called, with the
	// expired ctx, so that it can release what it can at once.
	for wait := time.Now().Add(2 * time.Second); log.String() != "last,first" && time.Now().Before(wait); {
		time.Sleep(time.Millisecond)
	}
	if got := log.String(); got != "last,first" {
		t.Fatalf("closed %q, want last,first", got)
	}
}

func TestClosePanicIsAnError(t *testing.T) {
	g := gatewayOf(&tributary.Subgraph{Name: "buggy", Close: func(context.Context) error { panic("nil pool") }})
	if err := g.Close(context.Background()); err == nil || !strings.Contains(err.Error(), `subgraph "buggy": close: panic: nil pool`) {
		t.Fatalf("error %v", err)
	}
}

func TestReadyRunsChecksConcurrentlyAndNamesTheFailures(t *testing.T) {
	var inFlight, most atomic.Int32
	check := func(err error) func(context.Context) error {
		return func(context.Context) error {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(50 * time.Millisecond)
			return err
		}
	}
	g := gatewayOf(
		&tributary.Subgraph{Name: "db", Ready: check(errors.New("no connection to the database yet"))},
		&tributary.Subgraph{Name: "rest", Ready: check(nil)},
		&tributary.Subgraph{Name: "plain"},
	)
	err := g.Ready(context.Background())
	if err == nil || !strings.Contains(err.Error(), `subgraph "db" is not ready: no connection to the database yet`) || strings.Contains(err.Error(), "rest") {
		t.Fatalf("error %v", err)
	}
	if most.Load() != 2 {
		t.Fatalf("%d checks ran at once, want 2", most.Load())
	}
}

func TestReadyDoesNotWaitForAHangingCheck(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	defer close(release)
	g := gatewayOf(&tributary.Subgraph{Name: "stuck", Ready: func(context.Context) error {
		calls.Add(1)
		<-release // ignores its ctx
		return nil
	}})
	g.life.ready.timeout, g.life.ready.ttl = 50*time.Millisecond, time.Nanosecond
	for range 3 {
		start := time.Now()
		err := g.Ready(context.Background())
		if err == nil || !strings.Contains(err.Error(), `subgraph "stuck" is not ready: its readiness check did not answer within 50ms`) {
			t.Fatalf("error %v", err)
		}
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Fatalf("Ready took %s", elapsed)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("the hanging check was started %d times, want once", n)
	}
}

func TestReadyCachesItsResult(t *testing.T) {
	var calls atomic.Int32
	g := gatewayOf(&tributary.Subgraph{Name: "db", Ready: func(context.Context) error { calls.Add(1); return nil }})
	g.life.ready.ttl = time.Hour
	for range 5 {
		if err := g.Ready(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d checks for 5 probes within the cache's lifetime", n)
	}
}
