package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/engine"
	"github.com/tributary-gw/tributary/gateway/httpserver"
	"github.com/tributary-gw/tributary/gateway/limits"
	"github.com/tributary-gw/tributary/gateway/upstream"
)

// The benchmarks measure the gateway on the query of
// TestQueryAcrossFourSubgraphsBatchesPerLevel: three plan levels across the
// four example subgraphs (products; then inventory ∥ reviews; then
// accounts). Run them with
//
//	go test -run '^$' -bench . -benchmem ./integration/
//
// docs/benchmarks.md records results and how to read them.

// topProductsQuery is the three-level, four-subgraph benchmark query.
const topProductsQuery = `query Top($n: Int) { topProducts(first: $n) { upc name price inStock shippingEstimate reviews { body author { username name } } } }`

// topProductsVariables are its variables.
const topProductsVariables = `{"n":3}`

// parallelism is RunParallel's goroutines per GOMAXPROCS: on two cores, eight
// requests in flight, enough to keep every stage of the stack busy.
const parallelism = 4

// newBenchTransport has the engine's default upstream transport settings, so
// that the client side of every benchmark pools connections the way the
// gateway does towards its subgraphs.
func newBenchTransport() *http.Transport {
	return &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
	}
}

// graphQLBody renders a GraphQL-over-HTTP POST body.
func graphQLBody(tb testing.TB, query, operationName string, variables json.RawMessage) []byte {
	tb.Helper()
	req := map[string]any{"query": query}
	if operationName != "" {
		req["operationName"] = operationName
	}
	if len(variables) > 0 {
		req["variables"] = variables
	}
	body, err := json.Marshal(req)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// postBody sends one POST and returns the response body, failing on a
// transport error, a non-200 status or a body with GraphQL errors.
func postBody(tb testing.TB, client *http.Client, url string, header http.Header, body []byte) []byte {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header = header
	res, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	answer, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		tb.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || bytes.Contains(answer, []byte(`"errors"`)) {
		tb.Fatalf("POST %s: HTTP %d: %s", url, res.StatusCode, answer)
	}
	return answer
}

// clientHeader is what a GraphQL client sends to the gateway.
func clientHeader() http.Header {
	return http.Header{
		"Content-Type": {"application/json"},
		"Accept":       {"application/graphql-response+json"},
	}
}

// runSerialAndParallel runs op as sub-benchmarks "serial" (one request at a
// time) and "parallel" (RunParallel, parallelism×GOMAXPROCS goroutines).
func runSerialAndParallel(b *testing.B, op func(testing.TB)) {
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			op(b)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(parallelism)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				op(b)
			}
		})
	})
}

// distinctHeader is forwarded to every subgraph by the benchmark stack; a
// request that sets it to a unique value cannot share a subgraph fetch with
// another in flight (the resolver de-duplicates identical concurrent
// fetches, headers included).
const distinctHeader = "X-Bench-Request"

// newBenchStack is newStack with distinctHeader forwarded to every subgraph.
func newBenchStack(b *testing.B) *stack {
	b.Helper()
	services, urls := startSubgraphs(b)
	yaml := strings.ReplaceAll(subgraphsYAML(urls), "    graphql:\n", "    graphql:\n      forwardHeaders: ["+distinctHeader+"]\n")
	gw, endpoint := startGateway(b, yaml, nil)
	return &stack{t: b, services: services, urls: urls, gateway: gw, endpoint: endpoint}
}

// reportUpstreamCalls reports the calls each subgraph received per
// operation since the last reset; below 1 means fetches were shared.
func reportUpstreamCalls(b *testing.B, s *stack) {
	for name, n := range s.calls() {
		b.ReportMetric(float64(n)/float64(b.N), name+"-calls/op")
	}
}

// BenchmarkGatewayOverhead sends the four-subgraph query to the gateway over
// HTTP. Compare with BenchmarkDirectSubgraphCalls: the difference is what
// the gateway adds (its HTTP hop, plan-cache lookup, fetches, merging).
//
// In "parallel" the requests are identical, so the gateway may share a
// subgraph fetch between requests in flight (see the *-calls/op metrics);
// "parallel-distinct" sets a unique forwarded header per request, so every
// request makes its own four calls, as BenchmarkDirectSubgraphCalls does.
func BenchmarkGatewayOverhead(b *testing.B) {
	s := newBenchStack(b)
	client := &http.Client{Transport: newBenchTransport()}
	body := graphQLBody(b, topProductsQuery, "", json.RawMessage(topProductsVariables))
	answer := postBody(b, client, s.endpoint, clientHeader(), body)
	if n := bytes.Count(answer, []byte(`"username"`)); n != 7 {
		b.Fatalf("want 7 review authors, got %d: %s", n, answer)
	}
	var seq atomic.Uint64
	run := func(tb testing.TB, distinct bool) {
		header := clientHeader()
		if distinct {
			header.Set(distinctHeader, strconv.FormatUint(seq.Add(1), 10))
		}
		postBody(tb, client, s.endpoint, header, body)
	}
	b.Run("serial", func(b *testing.B) {
		s.resetCounts()
		b.ReportAllocs()
		for b.Loop() {
			run(b, false)
		}
		assertCallsPerOp(b, s, true)
	})
	for _, distinct := range []bool{false, true} {
		name := "parallel"
		if distinct {
			name = "parallel-distinct"
		}
		b.Run(name, func(b *testing.B) {
			s.resetCounts()
			b.ReportAllocs()
			b.SetParallelism(parallelism)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					run(b, distinct)
				}
			})
			assertCallsPerOp(b, s, distinct)
		})
	}
}

// assertCallsPerOp checks that each subgraph got one call per operation
// (exactly, or at most when fetches may be shared) and reports the rates.
func assertCallsPerOp(b *testing.B, s *stack, exact bool) {
	b.Helper()
	for name, n := range s.calls() {
		if n == 0 || n > int64(b.N) || exact && n != int64(b.N) {
			b.Fatalf("%s got %d calls for %d requests (exact: %v): %v", name, n, b.N, exact, s.calls())
		}
	}
	reportUpstreamCalls(b, s)
}

// upstreamCall is one subgraph request the gateway made, ready to replay.
type upstreamCall struct {
	url    string
	header http.Header
	body   []byte
}

// captureUpstreamCalls sends the four-subgraph query through the gateway once
// and returns the subgraph requests it made, by plan level: products; then
// inventory and reviews (fetched concurrently); then accounts.
func captureUpstreamCalls(b *testing.B, s *stack) [][]upstreamCall {
	b.Helper()
	client := &http.Client{Transport: newBenchTransport()}
	s.resetCounts()
	postBody(b, client, s.endpoint, clientHeader(), graphQLBody(b, topProductsQuery, "", json.RawMessage(topProductsVariables)))
	levels := [][]string{{"products"}, {"inventory", "reviews"}, {"accounts"}}
	out := make([][]upstreamCall, len(levels))
	for i, names := range levels {
		for _, name := range names {
			reqs := s.services[name].Requests()
			if len(reqs) != 1 {
				b.Fatalf("%s received %d requests for one gateway request, want 1", name, len(reqs))
			}
			r := reqs[0]
			header := http.Header{"Content-Type": {"application/json"}}
			if accept := r.Header.Get("Accept"); accept != "" {
				header.Set("Accept", accept)
			}
			out[i] = append(out[i], upstreamCall{url: s.urls[name], header: header, body: graphQLBody(b, r.Query, r.OperationName, r.Variables)})
		}
	}
	return out
}

// BenchmarkDirectSubgraphCalls replays the exact subgraph requests the
// gateway makes for the four-subgraph query, level by level as the gateway's
// fetch tree does (the two calls of the middle level concurrently), with the
// gateway's upstream transport settings. It is the floor for
// BenchmarkGatewayOverhead: the same upstream work without a gateway.
func BenchmarkDirectSubgraphCalls(b *testing.B) {
	s := newStack(b)
	levels := captureUpstreamCalls(b, s)
	client := &http.Client{Transport: newBenchTransport()}
	s.resetCounts()
	runSerialAndParallel(b, func(tb testing.TB) {
		for _, level := range levels {
			if len(level) == 1 {
				postBody(tb, client, level[0].url, level[0].header, level[0].body)
				continue
			}
			var wg sync.WaitGroup
			for _, call := range level {
				wg.Go(func() { postBody(tb, client, call.url, call.header, call.body) })
			}
			wg.Wait()
		}
	})
	calls := s.calls()
	if calls["products"] == 0 || calls["accounts"] != calls["products"] {
		b.Fatalf("replayed calls are uneven: %v", calls)
	}
}

// cannedTransport answers each subgraph request with the response its
// subgraph gave once, keyed by host (each subgraph has its own port and gets
// one request per gateway request). It removes the network and the
// subgraphs from the measurement.
type cannedTransport struct {
	answers map[string][]byte
}

func (t *cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	answer, ok := t.answers[r.URL.Host]
	if !ok {
		return nil, fmt.Errorf("canned transport: no answer recorded for %s", r.URL.Host)
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(answer)),
		ContentLength: int64(len(answer)),
		Request:       r,
	}, nil
}

// recordingTransport passes requests on and keeps each host's last answer.
type recordingTransport struct {
	base    http.RoundTripper
	mu      sync.Mutex
	answers map[string][]byte
}

func (t *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	answer, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.answers[r.URL.Host] = answer
	t.mu.Unlock()
	res.Body = io.NopCloser(bytes.NewReader(answer))
	return res, nil
}

// newEngine builds an engine over the stack's supergraph with the limits and
// traced upstream clients gateway.Build uses, over the given transport.
func newEngine(b *testing.B, s *stack, transport http.RoundTripper) *engine.Engine {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	l := s.gateway.Config.Limits
	eng, err := engine.New(ctx, engine.Options{
		Supergraph:    s.gateway.Supergraph,
		Subgraphs:     s.gateway.Subgraphs,
		Introspection: s.gateway.Config.Introspection,
		Limits:        limits.Limits{MaxDepth: l.MaxDepth, MaxAliases: l.MaxAliases, MaxRootFields: l.MaxRootFields, MaxTokens: l.MaxTokens, MaxFields: l.MaxFields},
		HTTPClient:    upstream.Factory{Base: transport}.Client,
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	return eng
}

// BenchmarkGatewayCannedUpstreams serves the four-subgraph query through the
// gateway's HTTP handler in-process (no sockets), with every subgraph answer
// canned: what is left is the gateway's own CPU per request (HTTP decoding,
// plan-cache hit, variables, the resolver building three levels of fetches
// and merging their answers, response writing). Its inverse bounds the
// requests per second one core can serve.
func BenchmarkGatewayCannedUpstreams(b *testing.B) {
	s := newStack(b)
	recorder := &recordingTransport{base: newBenchTransport(), answers: map[string][]byte{}}
	live := httpserver.NewHandler(httpserver.Options{Executor: newEngine(b, s, recorder)})
	body := graphQLBody(b, topProductsQuery, "", json.RawMessage(topProductsVariables))
	want := serveInProcess(b, live, body)
	if len(recorder.answers) != 4 {
		b.Fatalf("recorded answers from %d subgraphs, want 4", len(recorder.answers))
	}
	canned := httpserver.NewHandler(httpserver.Options{Executor: newEngine(b, s, &cannedTransport{answers: recorder.answers})})
	if got := serveInProcess(b, canned, body); !bytes.Equal(got, want) {
		b.Fatalf("canned answers changed the response:\n got %s\nwant %s", got, want)
	}
	s.resetCounts()
	runSerialAndParallel(b, func(tb testing.TB) { serveInProcess(tb, canned, body) })
	if calls := s.calls(); calls["products"]+calls["inventory"]+calls["reviews"]+calls["accounts"] != 0 {
		b.Fatalf("canned run reached the subgraphs: %v", calls)
	}
}

// serveInProcess runs one POST through h and returns the body, failing on a
// non-200 status or GraphQL errors.
func serveInProcess(tb testing.TB, h http.Handler, body []byte) []byte {
	r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	r.Header = clientHeader()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
		tb.Fatalf("HTTP %d: %s", w.Code, w.Body.Bytes())
	}
	return w.Body.Bytes()
}

// BenchmarkPlanCacheHit measures Gateway.Execute from a request (query text
// and variables bytes) to the point a cached plan is ready to run:
//
//   - typename: `{ __typename }` — cache lookup, variables, and the resolver
//     answering one static field (no subgraph call). An upper bound.
//   - four-subgraph-rejected-variables: the four-subgraph query, planned
//     once, then sent with a string for $n. Each request hashes the key,
//     hits the cache, builds and validates the variables against the
//     cached operation, which rejects them, so nothing executes. The
//     error body (a small JSON marshal) is included.
func BenchmarkPlanCacheHit(b *testing.B) {
	s := newStack(b)
	ctx := context.Background()
	b.Run("typename", func(b *testing.B) {
		req := &tributary.Request{Query: `{ __typename }`}
		if got := s.gateway.Execute(ctx, req); string(got.Body) != `{"data":{"__typename":"Query"}}` {
			b.Fatalf("outcome %v body %s", got.Outcome, got.Body)
		}
		b.ReportAllocs()
		for b.Loop() {
			if got := s.gateway.Execute(ctx, req); got.Outcome != tributary.Executed {
				b.Fatalf("outcome %v body %s", got.Outcome, got.Body)
			}
		}
	})
	b.Run("four-subgraph-rejected-variables", func(b *testing.B) {
		if got := s.gateway.Execute(ctx, &tributary.Request{Query: topProductsQuery, Variables: json.RawMessage(topProductsVariables)}); got.Outcome != tributary.Executed {
			b.Fatalf("planning run: outcome %v body %s", got.Outcome, got.Body)
		}
		s.resetCounts()
		req := &tributary.Request{Query: topProductsQuery, Variables: json.RawMessage(`{"n":"three"}`)}
		b.ReportAllocs()
		for b.Loop() {
			if got := s.gateway.Execute(ctx, req); got.Outcome != tributary.RequestInvalid || !bytes.Contains(got.Body, []byte("BAD_USER_INPUT")) {
				b.Fatalf("outcome %v body %s", got.Outcome, got.Body)
			}
		}
		if calls := s.calls(); calls["products"] != 0 {
			b.Fatalf("rejected requests reached products: %v", calls)
		}
	})
}

// BenchmarkColdPlan measures a plan-cache miss: each iteration aliases a
// field with the loop index, so the query text is new and the gateway
// parses, checks limits, normalizes, validates and plans it. The variables
// are then rejected (as in BenchmarkPlanCacheHit), so no subgraph is called
// and the figure is the preparation cost.
func BenchmarkColdPlan(b *testing.B) {
	s := newStack(b)
	ctx := context.Background()
	head, tail, ok := strings.Cut(topProductsQuery, "{ upc ")
	if !ok {
		b.Fatal("the benchmark query has no upc selection to alias")
	}
	vars := json.RawMessage(`{"n":"three"}`)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		req := &tributary.Request{Query: fmt.Sprintf("%s{ u%d: upc %s", head, i, tail), Variables: vars}
		if got := s.gateway.Execute(ctx, req); got.Outcome != tributary.RequestInvalid || !bytes.Contains(got.Body, []byte("BAD_USER_INPUT")) {
			b.Fatalf("outcome %v body %s", got.Outcome, got.Body)
		}
	}
	if calls := s.calls(); calls["products"] != 0 {
		b.Fatalf("rejected requests reached products: %v", calls)
	}
}
