package engine

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
)

// sharingEngine serves Query.slow from a subgraph that answers only when
// released, and counts its calls.
func sharingEngine(t *testing.T, share bool, forward []string) (*Engine, *atomic.Int64, chan struct{}) {
	t.Helper()
	var calls atomic.Int64
	release := make(chan struct{})
	e := newCannedEngine(t, Options{ShareRequests: share}, cannedSubgraph{name: "slow",
		sdl: `type Query { slow(n: Int): Int  hello: String }
type Mutation { bump: Int }
`,
		answer: func(r upstreamRequest) string {
			calls.Add(1)
			<-release
			if isQuery(r, "bump") {
				return `{"data":{"bump":1}}`
			}
			return `{"data":{"slow":1}}`
		}})
	if len(forward) > 0 {
		e.forward["slow"] = forward
	}
	return e, &calls, release
}

// concurrently runs the requests at once, releases the subgraph once they
// have all had time to reach it, and returns the bodies.
func concurrently(t *testing.T, e *Engine, release chan struct{}, reqs ...*tributary.Request) []string {
	t.Helper()
	out := make([]string, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = string(e.Execute(context.Background(), r).Body)
		}()
	}
	// The followers must have joined before the leader finishes; this is a
	// wait for them, not a measurement: a slow machine only makes the
	// sharing test retry.
	time.Sleep(150 * time.Millisecond)
	close(release)
	wg.Wait()
	return out
}

// Concurrent identical queries share one execution; the answer is the same
// for each.
func TestIdenticalConcurrentQueriesShareOneExecution(t *testing.T) {
	for attempt := 0; ; attempt++ {
		e, calls, release := sharingEngine(t, true, nil)
		q := func() *tributary.Request {
			return &tributary.Request{Query: `query($n: Int) { slow(n: $n) }`, Variables: []byte(`{"n":1}`)}
		}
		bodies := concurrently(t, e, release, q(), q(), q())
		for _, b := range bodies {
			if b != `{"data":{"slow":1}}` {
				t.Fatalf("body %s", b)
			}
		}
		if calls.Load() == 1 && e.SharedResponses() == 2 {
			return
		}
		if attempt == 3 {
			t.Fatalf("three identical concurrent queries: %d upstream calls, %d shared responses in every attempt, want 1 and 2", calls.Load(), e.SharedResponses())
		}
	}
}

// What can change the answer keeps requests apart: other variables,
// another value of a forwarded header, another caller; mutations never
// share, and the switch turns sharing off.
func TestRequestsThatMayDifferNeverShare(t *testing.T) {
	header := func(v string) http.Header { return http.Header{"X-Tenant": {v}} }
	cases := []struct {
		name  string
		share bool
		reqs  []*tributary.Request
	}{
		{"variables", true, []*tributary.Request{
			{Query: `query($n: Int) { slow(n: $n) }`, Variables: []byte(`{"n":1}`)},
			{Query: `query($n: Int) { slow(n: $n) }`, Variables: []byte(`{"n":2}`)}}},
		{"forwarded header", true, []*tributary.Request{
			{Query: `{ slow }`, Header: header("a")}, {Query: `{ slow }`, Header: header("b")}}},
		{"caller", true, []*tributary.Request{
			{Query: `{ slow }`, Caller: &tributary.Identity{Subject: "ann"}}, {Query: `{ slow }`, Caller: &tributary.Identity{Subject: "bob"}}}},
		{"mutation", true, []*tributary.Request{{Query: `mutation { bump }`}, {Query: `mutation { bump }`}}},
		{"switched off", false, []*tributary.Request{{Query: `{ slow }`}, {Query: `{ slow }`}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, calls, release := sharingEngine(t, c.share, []string{"X-Tenant"})
			concurrently(t, e, release, c.reqs...)
			if n := e.SharedResponses(); n != 0 {
				t.Fatalf("%d of %d requests were answered from another's execution; they must not share", n, len(c.reqs))
			}
			if c.share && calls.Load() != int64(len(c.reqs)) {
				t.Fatalf("%d requests made %d upstream calls", len(c.reqs), calls.Load())
			}
		})
	}
}
