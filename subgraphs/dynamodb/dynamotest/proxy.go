package dynamotest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
)

// Proxy forwards DynamoDB calls to dynalite, counting them by operation
// (the X-Amz-Target header: "BatchGetItem", "Query"…) and answering the
// next calls of an operation with injected errors when asked.
type Proxy struct {
	forward  http.Handler
	mu       sync.Mutex
	calls    map[string]int
	inFlight map[string]int
	maxIn    map[string]int
	faults   map[string][]fault
	last     map[string][]byte
	// unprocessed counts the BatchGetItem calls still to answer with
	// UnprocessedKeys (LeaveUnprocessed).
	unprocessed int
}

// fault is one injected answer.
type fault struct {
	status int
	code   string
}

func newProxy(target string) *Proxy {
	u, _ := url.Parse(target)
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.Transport = &http.Transport{MaxIdleConnsPerHost: 64}
	return &Proxy{forward: rp, calls: map[string]int{}, inFlight: map[string]int{}, maxIn: map[string]int{}, faults: map[string][]fault{}, last: map[string][]byte{}}
}

// ServeHTTP implements http.Handler.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	op := target[strings.LastIndexByte(target, '.')+1:]
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	p.mu.Lock()
	p.calls[op]++
	p.last[op] = body
	var f *fault
	if queue := p.faults[op]; len(queue) > 0 {
		f, p.faults[op] = &queue[0], queue[1:]
	}
	p.inFlight[op]++
	p.maxIn[op] = max(p.maxIn[op], p.inFlight[op])
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.inFlight[op]--
		p.mu.Unlock()
	}()
	if f != nil {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(f.status)
		fmt.Fprintf(w, `{"__type":"com.amazonaws.dynamodb.v20120810#%s","message":"injected by dynamotest"}`, f.code)
		return
	}
	if p.takeUnprocessed(op) {
		p.serveUnprocessed(w, r, body)
		return
	}
	p.forward.ServeHTTP(w, r)
}

// Calls returns how many calls of op the proxy received since Reset,
// injected failures included.
func (p *Proxy) Calls(op string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[op]
}

// LastRequest returns the JSON body of the last call of op.
func (p *Proxy) LastRequest(op string) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last[op]
}

// MaxInFlight returns the most calls of op that were in flight at once
// since Reset.
func (p *Proxy) MaxInFlight(op string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.maxIn[op]
}

// Reset clears the counts and any faults not yet served.
func (p *Proxy) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.calls)
	clear(p.maxIn)
	clear(p.faults)
	p.unprocessed = 0
}

// Throttle answers the next n calls of op with HTTP 400
// ProvisionedThroughputExceededException, as DynamoDB throttles.
func (p *Proxy) Throttle(op string, n int) {
	p.inject(op, n, fault{http.StatusBadRequest, "ProvisionedThroughputExceededException"})
}

// FailInternally answers the next n calls of op with HTTP 500
// InternalServerError.
func (p *Proxy) FailInternally(op string, n int) {
	p.inject(op, n, fault{http.StatusInternalServerError, "InternalServerError"})
}

func (p *Proxy) inject(op string, n int, f fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for range n {
		p.faults[op] = append(p.faults[op], f)
	}
}
