package engine

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/limits"
)

// newSourceEngineWith is newSourceEngine with options changed by set.
func newSourceEngineWith(t testing.TB, set func(*Options)) (*Engine, *productSource) {
	t.Helper()
	sdl, err := os.ReadFile("testdata/sources.graphql")
	if err != nil {
		t.Fatal(err)
	}
	ps := &productSource{}
	o := Options{
		Supergraph: string(sdl),
		Subgraphs: map[string]*tributary.Subgraph{
			"products":  {Name: "products", Source: ps},
			"inventory": {Name: "inventory", Source: &inventorySource{}},
			"pricing":   {Name: "pricing", Source: pricingSource{}},
		},
	}
	set(&o)
	e, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return e, ps
}

// fragmentBomb is n fragments each spreading the next twice: 2^(n+1)+1
// fields once expanded, from a document of a few hundred bytes.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("{ topProducts { ...F0 } }")
	for i := range n {
		fmt.Fprintf(&b, " fragment F%d on Product { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on Product { name upc }", n)
	return b.String()
}

// TestFragmentBombRefusedBeforeNormalizing: the default limits refuse a
// document whose fragments expand to 32,769 fields, before the normalizer
// inlines them (at 20 fragments that took 20 s and 6 GB), and the refusal
// allocates next to nothing.
func TestFragmentBombRefusedBeforeNormalizing(t *testing.T) {
	e, ps := newSourceEngineWith(t, func(o *Options) { o.Limits = limits.Defaults })
	req := &tributary.Request{Query: fragmentBomb(14)}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	resp, body := execute(t, e, req)
	runtime.ReadMemStats(&after)
	if resp.Outcome != tributary.RequestInvalid || errorCode(body) != limits.CodeFields {
		t.Fatalf("outcome %v, body %s", resp.Outcome, resp.Body)
	}
	if n := ps.calls.Load(); n != 0 {
		t.Fatalf("the refused bomb reached the subgraph %d times", n)
	}
	if e.cache.len() != 0 || e.plans.len() != 0 {
		t.Fatalf("the refused bomb was cached: %d prepared, %d plans", e.cache.len(), e.plans.len())
	}
	// Parsing a 1 KB document and refusing it is a few tens of KB; the
	// normalizer's expansion would be tens of MB.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Fatalf("refusing the bomb allocated %d bytes, want under 1 MiB", alloc)
	}

	// The issue's own bomb, 20 fragments, is refused the same way.
	resp, body = execute(t, e, &tributary.Request{Query: fragmentBomb(20)})
	if resp.Outcome != tributary.RequestInvalid || errorCode(body) != limits.CodeFields {
		t.Fatalf("outcome %v, body %s", resp.Outcome, resp.Body)
	}
}

// BenchmarkRefuseFragmentBomb is the 20-fragment bomb through the
// engine, from request to refusal.
func BenchmarkRefuseFragmentBomb(b *testing.B) {
	e, _ := newSourceEngineWith(b, func(o *Options) { o.Limits = limits.Defaults })
	req := &tributary.Request{Query: fragmentBomb(20)}
	b.ReportAllocs()
	for b.Loop() {
		if resp := e.Execute(context.Background(), req); resp.Outcome != tributary.RequestInvalid {
			b.Fatalf("%s", resp.Body)
		}
	}
}

// TestQueryOnlyChecksTheSelectedOperation: a GET that selects a mutation
// from a document whose first operation is a query is refused, and the
// mutation does not run; selecting the query runs it.
func TestQueryOnlyChecksTheSelectedOperation(t *testing.T) {
	e, ps := newSourceEngineWith(t, func(*Options) {})
	const doc = `query Q { product(upc: "1") { name } } mutation M { rename(upc: "1", name: "x") { upc } }`
	resp, body := execute(t, e, &tributary.Request{Query: doc, OperationName: "M", QueryOnly: true})
	if resp.Outcome != tributary.MethodNotAllowed || errorCode(body) != "METHOD_NOT_ALLOWED" {
		t.Fatalf("outcome %v, body %s", resp.Outcome, resp.Body)
	}
	ps.mu.Lock()
	renames := len(ps.renames)
	ps.mu.Unlock()
	if renames != 0 {
		t.Fatalf("the mutation ran over GET %d times", renames)
	}
	resp, _ = execute(t, e, &tributary.Request{Query: doc, OperationName: "Q", QueryOnly: true})
	if string(resp.Body) != `{"data":{"product":{"name":"Table"}}}` {
		t.Fatalf("the query was not run: %s", resp.Body)
	}
	// And the other way round: the mutation first, the query selected.
	const reversed = `mutation M { rename(upc: "1", name: "y") { upc } } query Q { product(upc: "2") { name } }`
	resp, _ = execute(t, e, &tributary.Request{Query: reversed, OperationName: "Q", QueryOnly: true})
	if string(resp.Body) != `{"data":{"product":{"name":"Couch"}}}` {
		t.Fatalf("a query after a mutation was refused: %s", resp.Body)
	}
}

// TestPrepareStopsWhenTheRequestEnds: a request whose context has ended is
// answered at once, with nothing parsed into the caches.
func TestPrepareStopsWhenTheRequestEnds(t *testing.T) {
	e, ps := newSourceEngineWith(t, func(*Options) {})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	resp := e.Execute(ctx, &tributary.Request{Query: `{ product(upc: "1") { name } }`})
	if resp.Outcome != tributary.Failed || !strings.Contains(string(resp.Body), "REQUEST_TIMEOUT") {
		t.Fatalf("outcome %v, body %s", resp.Outcome, resp.Body)
	}
	if e.cache.len() != 0 || e.plans.len() != 0 || ps.calls.Load() != 0 {
		t.Fatalf("a cancelled request was prepared: %d prepared, %d plans, %d calls", e.cache.len(), e.plans.len(), ps.calls.Load())
	}
}

// endingContext is a context whose Err turns to Canceled after it has
// answered nil a given number of times: a client that leaves in the middle
// of preparation, at a chosen phase boundary.
type endingContext struct {
	context.Context
	left  int
	calls int
}

func (c *endingContext) Err() error {
	c.calls++
	if c.left <= 0 {
		return context.Canceled
	}
	c.left--
	return nil
}

// TestPrepareChecksBetweenPhases: wherever between phases the request
// ends, preparation stops there, and it checks at least between parsing,
// the limits, normalizing, validating and planning.
func TestPrepareChecksBetweenPhases(t *testing.T) {
	e, _ := newSourceEngineWith(t, func(*Options) {})
	const query = `query Q($u: String!) { product(upc: $u) { name ...F } } fragment F on Product { upc }`
	live := &endingContext{Context: context.Background(), left: 1 << 30}
	if _, rerr := e.prepare(live, query, "", []byte(`{"u":"1"}`)); rerr != nil {
		t.Fatalf("prepare: %v", rerr.errors)
	}
	checks := live.calls
	if checks < 5 {
		t.Fatalf("prepare looked at the context %d times, want at least 5 (one per phase)", checks)
	}
	for left := range checks {
		e, _ := newSourceEngineWith(t, func(*Options) {})
		ctx := &endingContext{Context: context.Background(), left: left}
		op, rerr := e.prepare(ctx, query, "", []byte(`{"u":"1"}`))
		if op != nil || rerr == nil || rerr.errors[0].Extensions["code"] != "REQUEST_TIMEOUT" {
			t.Fatalf("ending after %d checks: op %v, err %v", left, op, rerr)
		}
		if e.plans.len() != 0 {
			t.Fatalf("ending after %d checks: a plan was cached", left)
		}
	}
}
