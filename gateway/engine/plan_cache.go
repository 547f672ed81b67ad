package engine

import (
	"container/list"
	"reflect"
	"sync"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
)

// DefaultPlanCacheBytes is the memory budget of the engine's caches of
// prepared operations and plans when Options.PlanCacheBytes is not set.
const DefaultPlanCacheBytes = 64 << 20

// entryOverhead is what one cache entry costs besides its value: the list
// element, the item and the map slot.
const entryOverhead = 256

// maxEntryShare is the largest share of a cache's budget one entry may
// take; a larger one is not cached, so that a few huge operations cannot
// flush everything else.
const maxEntryShare = 8

// lru is a least-recently-used cache keyed by 64-bit hashes and bounded by
// an estimate of the bytes its values hold, not by their number: a cache of
// entries was pinned at 1.6 GB by 600 distinct large queries. The engine
// keeps two: prepared operations by request text, and plans by normalized
// operation.
type lru[V any] struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int        // sum of the entries' costs
	order    *list.List // front = most recent; values are *cacheItem
	items    map[uint64]*list.Element
}

type cacheItem[V any] struct {
	key   uint64
	value V
	cost  int
}

func newLRU[V any](maxBytes int) *lru[V] {
	return &lru[V]{maxBytes: maxBytes, order: list.New(), items: map[uint64]*list.Element{}}
}

func (c *lru[V]) get(key uint64) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheItem[V]).value, true
}

// put caches value under key at an estimated size in bytes, evicting the
// least recently used entries until the cache is within its budget. It
// reports whether the value was cached: one larger than a maxEntryShare-th
// of the budget is not.
func (c *lru[V]) put(key uint64, value V, size int) bool {
	cost := size + entryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if cost > c.maxBytes/maxEntryShare {
		return false
	}
	if el, ok := c.items[key]; ok {
		item := el.Value.(*cacheItem[V])
		c.bytes += cost - item.cost
		item.value, item.cost = value, cost
		c.order.MoveToFront(el)
	} else {
		c.items[key] = c.order.PushFront(&cacheItem[V]{key: key, value: value, cost: cost})
		c.bytes += cost
	}
	for c.bytes > c.maxBytes {
		last := c.order.Back()
		item := last.Value.(*cacheItem[V])
		c.order.Remove(last)
		delete(c.items, item.key)
		c.bytes -= item.cost
	}
	return true
}

func (c *lru[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// size returns the estimated bytes the cache holds.
func (c *lru[V]) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// Sizes are estimates calibrated by measurement: for operations of 10 to
// 3,000 fields, a prepared operation and its plan retained 2.9 to 3.4
// times the normalized document's top-level slices plus the query text.
const (
	// preparedPerDocumentByte covers the document with its nested slices
	// and the plan the prepared operation points to.
	preparedPerDocumentByte = 3
	// planPerDocumentByte covers the plan alone.
	planPerDocumentByte = 2
)

// preparedSize estimates the bytes a prepared operation keeps alive.
func preparedSize(query string, op *preparedOperation) int {
	n := len(query) + preparedPerDocumentByte*documentBytes(op.doc)
	for k, v := range op.baseVars {
		n += len(k) + len(v)
	}
	return n
}

// planSize estimates the bytes of the plan of the normalized document doc.
func planSize(doc *ast.Document) int {
	return planPerDocumentByte * documentBytes(doc)
}

// documentBytes sums the capacities of a document's slices, the bulk of
// its memory, without following pointers or maps. It costs under a
// microsecond (BenchmarkPreparedSize), next to the milliseconds of
// preparing the document.
func documentBytes(doc *ast.Document) int {
	return sliceBytes(reflect.ValueOf(doc).Elem())
}

func sliceBytes(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			n += sliceBytes(v.Field(i))
		}
		return n
	case reflect.Slice:
		return v.Cap() * int(v.Type().Elem().Size())
	}
	return 0
}
