package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
)

func TestLRUBoundedByBytes(t *testing.T) {
	const budget = 100_000
	c := newLRU[int](budget)
	const size = 5_000 // with the overhead, 19 entries fit
	for i := range 1000 {
		if !c.put(uint64(i), i, size) {
			t.Fatalf("entry %d of %d bytes was refused under a %d-byte budget", i, size, budget)
		}
		if c.size() > budget {
			t.Fatalf("after %d entries the cache holds %d bytes, over its %d-byte budget", i+1, c.size(), budget)
		}
		if i == 10 {
			// Touch the oldest, so it outlives entries put after it.
			if _, ok := c.get(0); !ok {
				t.Fatal("entry 0 was evicted too early")
			}
		}
	}
	if n := c.len(); n != budget/(size+entryOverhead) {
		t.Fatalf("%d entries kept, want %d", n, budget/(size+entryOverhead))
	}
	if _, ok := c.get(999); !ok {
		t.Fatal("the newest entry was evicted")
	}
	if _, ok := c.get(0); ok {
		t.Fatal("an old entry survived 1000 newer ones")
	}
}

func TestLRURefusesHugeEntries(t *testing.T) {
	const budget = 80_000
	c := newLRU[string](budget)
	c.put(1, "small", 100)
	if c.put(2, "huge", budget/maxEntryShare) {
		t.Fatal("an entry over an eighth of the budget was cached")
	}
	if _, ok := c.get(1); !ok || c.len() != 1 {
		t.Fatal("refusing a huge entry evicted the others")
	}
	// Replacing an entry accounts for its new size, not both.
	c.put(1, "bigger", 2_000)
	if got, want := c.size(), 2_000+entryOverhead; got != want {
		t.Fatalf("size %d after replacing, want %d", got, want)
	}
}

// distinctQuery is an operation of fields aliased per i, so that every i
// is another request text and another normalized operation (another plan).
func distinctQuery(i, fields int) string {
	var b strings.Builder
	b.WriteString("{ ")
	for f := range fields {
		fmt.Fprintf(&b, "q%d_%d: product(upc: \"1\") { name upc } ", i, f)
	}
	b.WriteString("}")
	return b.String()
}

// TestPlanCacheStaysWithinItsBudget sends many distinct large operations:
// the caches hold at most their budget in estimated bytes, by evicting
// older entries (a cache of 1,024 entries kept them all).
func TestPlanCacheStaysWithinItsBudget(t *testing.T) {
	const budget = 4 << 20
	e, _ := newSourceEngineWith(t, func(o *Options) { o.PlanCacheBytes = budget })
	const queries = 120
	for i := range queries {
		resp, _ := execute(t, e, &tributary.Request{Query: distinctQuery(i, 20)})
		if resp.Outcome != tributary.Executed {
			t.Fatalf("query %d: %s", i, resp.Body)
		}
		if c, p := e.cache.size(), e.plans.size(); c > budget/2 || p > budget/2 {
			t.Fatalf("after %d queries the caches hold %d and %d bytes, over %d each", i+1, c, p, budget/2)
		}
	}
	if n := e.cache.len(); n == 0 || n >= queries {
		t.Fatalf("%d of %d prepared operations cached: want evictions, and the recent ones kept", n, queries)
	}
	if n := e.plans.len(); n == 0 || n >= queries {
		t.Fatalf("%d of %d plans cached: want evictions, and the recent ones kept", n, queries)
	}
	t.Logf("kept %d prepared operations (%d bytes) and %d plans (%d bytes)", e.cache.len(), e.cache.size(), e.plans.len(), e.plans.size())
}

// TestPlanCacheSkipsHugeOperations: an operation whose estimate passes an
// eighth of the cache's budget runs, but is not cached.
func TestPlanCacheSkipsHugeOperations(t *testing.T) {
	e, _ := newSourceEngineWith(t, func(o *Options) { o.PlanCacheBytes = 512 << 10 })
	resp, _ := execute(t, e, &tributary.Request{Query: distinctQuery(0, 50)})
	if resp.Outcome != tributary.Executed {
		t.Fatalf("%s", resp.Body)
	}
	if e.cache.len() != 0 || e.plans.len() != 0 {
		t.Fatalf("a huge operation was cached: %d prepared, %d plans", e.cache.len(), e.plans.len())
	}
	resp, _ = execute(t, e, &tributary.Request{Query: `{ product(upc: "1") { name } }`})
	if resp.Outcome != tributary.Executed || e.cache.len() != 1 || e.plans.len() != 1 {
		t.Fatalf("a small operation was not cached: %d prepared, %d plans", e.cache.len(), e.plans.len())
	}
}

func TestPlanCacheDefault(t *testing.T) {
	e, _ := newSourceEngineWith(t, func(*Options) {})
	if e.opts.PlanCacheBytes != DefaultPlanCacheBytes {
		t.Fatalf("PlanCacheBytes %d, want %d", e.opts.PlanCacheBytes, DefaultPlanCacheBytes)
	}
}

// BenchmarkPreparedSize measures the size estimate every cache miss pays,
// on an operation of 60 fields.
func BenchmarkPreparedSize(b *testing.B) {
	e, _ := newSourceEngineWith(b, func(*Options) {})
	query := distinctQuery(0, 20)
	op, rerr := e.prepare(b.Context(), query, "", nil)
	if rerr != nil {
		b.Fatal(rerr.errors)
	}
	b.ReportAllocs()
	for b.Loop() {
		if preparedSize(query, op) <= len(query) {
			b.Fatal("estimate below the query's own length")
		}
	}
}
