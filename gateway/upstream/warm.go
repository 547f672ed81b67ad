package upstream

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
)

// maxIdleWorkers bounds the warm goroutines kept waiting for calls; a
// burst beyond it starts goroutines that end with their call.
const maxIdleWorkers = 256

// OnWarmStacks runs each call through next on one of a few long-lived
// goroutines instead of the caller's.
//
// graphql-go-tools starts a goroutine for every parallel fetch, and a new
// goroutine's stack starts small: rendering the representations, sending
// through the transports and reading the answer grow it by copying, which
// cachegrind put at about a sixth of a distinct request's instructions. A
// worker's stack has already grown, so the call runs without copying it;
// the handoff costs two channel operations. A panic in next is the
// caller's error, not the worker's end.
func OnWarmStacks(next http.RoundTripper) http.RoundTripper { return warmTransport{next: next} }

type warmTransport struct{ next http.RoundTripper }

// warmCall is one call handed to a worker, and its outcome.
type warmCall struct {
	rt   http.RoundTripper
	req  *http.Request
	resp *http.Response
	err  error
	done chan struct{}
}

var (
	// warmCalls takes calls to idle workers; a send succeeds only when
	// one is waiting.
	warmCalls     = make(chan *warmCall)
	idleWorkers   atomic.Int32
	warmCallsPool = sync.Pool{New: func() any { return &warmCall{done: make(chan struct{}, 1)} }}
)

// RoundTrip implements http.RoundTripper.
func (t warmTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := warmCallsPool.Get().(*warmCall)
	c.rt, c.req = t.next, req
	select {
	case warmCalls <- c:
	default:
		go warmWorker(c)
	}
	<-c.done
	resp, err := c.resp, c.err
	*c = warmCall{done: c.done}
	warmCallsPool.Put(c)
	return resp, err
}

// warmWorker makes call c, then waits for more while fewer than
// maxIdleWorkers others wait.
func warmWorker(c *warmCall) {
	for {
		c.run()
		if idleWorkers.Add(1) > maxIdleWorkers {
			idleWorkers.Add(-1)
			return
		}
		c = <-warmCalls
		idleWorkers.Add(-1)
	}
}

// run makes the call and signals its end, a panic included.
func (c *warmCall) run() {
	defer func() {
		if p := recover(); p != nil {
			c.resp, c.err = nil, fmt.Errorf("upstream call panicked: %v", p)
		}
		c.done <- struct{}{}
	}()
	c.resp, c.err = c.rt.RoundTrip(c.req)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t warmTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
