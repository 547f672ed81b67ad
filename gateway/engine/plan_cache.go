package engine

import (
	"container/list"
	"sync"
)

// planCache is a bounded LRU of prepared operations keyed by a hash of
// everything that shapes the plan.
type planCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front = most recent; values are *cacheItem
	items map[uint64]*list.Element
}

type cacheItem struct {
	key uint64
	op  *preparedOperation
}

func newPlanCache(max int) *planCache {
	return &planCache{max: max, order: list.New(), items: make(map[uint64]*list.Element, max)}
}

func (c *planCache) get(key uint64) (*preparedOperation, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheItem).op, true
}

func (c *planCache) put(key uint64, op *preparedOperation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value.(*cacheItem).op = op
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(&cacheItem{key: key, op: op})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheItem).key)
	}
}

func (c *planCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
