package federation

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/graphql-go/graphql"
)

// Path is where Start, StartAt and cmd/example-services serve a subgraph.
const Path = "/graphql"

// recordedRequestsLimit bounds the requests a Service remembers.
const recordedRequestsLimit = 1000

// Service is one example subgraph: its name, its federation SDL and the HTTP
// handler that executes GraphQL requests against it. The handler counts and
// records every request it receives, and can be told to fail, so that tests
// can assert how a gateway called it. A Service is safe for concurrent use.
type Service struct {
	// Name is the subgraph's name: accounts, products, inventory or reviews.
	Name string
	// SDL is the subgraph's Apollo Federation v2 SDL, as _service.sdl
	// returns it.
	SDL string
	// Handler answers POST requests with a JSON GraphQL request body, at
	// any path.
	Handler http.Handler

	schema    graphql.Schema
	documents documentCache

	mu            sync.Mutex
	calls         int64
	recent        requestLog
	failRemaining int
	failStatus    int
}

// RecordedRequest is one request a Service received. The Header map is the
// Service's own copy; treat it as read-only.
type RecordedRequest struct {
	// Query is the GraphQL document; empty if the body did not decode.
	Query string
	// OperationName is the requested operation, if named.
	OperationName string
	// Variables is the variables object as sent, or empty.
	Variables json.RawMessage
	// Header holds the request's HTTP headers.
	Header http.Header
}

// All returns new instances of the four example subgraphs, in port order:
// accounts, products, inventory, reviews.
func All() []*Service {
	return []*Service{Accounts(), Products(), Inventory(), Reviews()}
}

// newService builds the executable schema of def and a Service serving it.
func newService(def subgraphDefinition) (*Service, error) {
	schema, err := buildSchema(def)
	if err != nil {
		return nil, err
	}
	s := &Service{Name: def.name, SDL: def.sdl, schema: schema}
	s.Handler = http.HandlerFunc(s.serveHTTP)
	return s, nil
}

// Calls returns the number of HTTP requests the handler received since the
// Service was created or last Reset, failed and rejected ones included.
func (s *Service) Calls() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Requests returns the most recent requests (at most 1000), oldest first.
func (s *Service) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recent.list()
}

// Reset zeroes the call count, forgets recorded requests and cancels any
// failures still pending from FailNext.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = 0
	s.recent = requestLog{}
	s.failRemaining = 0
}

// FailNext makes the next n requests answer with the HTTP status and a
// GraphQL error body, without executing them. A status outside 200–599
// becomes 500. n <= 0 cancels pending failures.
func (s *Service) FailNext(n int, status int) {
	if status < 200 || status > 599 {
		status = http.StatusInternalServerError
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failRemaining = max(n, 0)
	s.failStatus = status
}

// admit counts and records a request, and says whether it must fail because
// of FailNext, with which status.
func (s *Service) admit(rec RecordedRequest) (status int, fail bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	s.recent.add(rec)
	if s.failRemaining > 0 {
		s.failRemaining--
		return s.failStatus, true
	}
	return 0, false
}

// requestLog keeps the last recordedRequestsLimit requests in a ring.
type requestLog struct {
	entries []RecordedRequest
	next    int // where the next entry goes once entries is full
}

// add records r, dropping the oldest entry when full.
func (l *requestLog) add(r RecordedRequest) {
	if len(l.entries) < recordedRequestsLimit {
		l.entries = append(l.entries, r)
		return
	}
	l.entries[l.next] = r
	l.next = (l.next + 1) % recordedRequestsLimit
}

// list returns the entries, oldest first.
func (l *requestLog) list() []RecordedRequest {
	out := make([]RecordedRequest, 0, len(l.entries))
	out = append(out, l.entries[l.next:]...)
	return append(out, l.entries[:l.next]...)
}
