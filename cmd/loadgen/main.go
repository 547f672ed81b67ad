// Command loadgen is a closed-loop HTTP load generator for the gateway's
// benchmarks: -c workers each send a GraphQL POST, wait for the answer and
// send the next, for -warmup and then -d (or until -max-requests measured
// requests), and it reports requests per second, latency percentiles and
// failures. It only targets loopback addresses, and it always stops by
// itself.
//
//	loadgen -url http://127.0.0.1:4000/graphql -c 50 -d 10s
//
// docs/benchmarks.md shows how it is used against cmd/benchstack.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/bits"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// defaultQuery is the benchmark's three-level query across the four example
// federation subgraphs.
const defaultQuery = `query Top($n: Int) { topProducts(first: $n) { upc name price inStock shippingEstimate reviews { body author { username name } } } }`

// Bounds on the flags, so that a run always ends soon.
const (
	maxDuration    = 10 * time.Minute
	maxWarmup      = time.Minute
	maxConcurrency = 10000
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the parsed command-line flags.
type options struct {
	url           string
	query         string
	operationName string
	variables     string
	concurrency   int
	duration      time.Duration
	warmup        time.Duration
	timeout       time.Duration
	maxRequests   int64
	headers       headerFlag
	uniqueHeader  string
	json          bool
}

// headerFlag collects repeated -header "Name: value" flags.
type headerFlag []string

func (h *headerFlag) String() string { return strings.Join(*h, ", ") }

func (h *headerFlag) Set(v string) error {
	name, _, ok := strings.Cut(v, ":")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want \"Name: value\", got %q", v)
	}
	*h = append(*h, v)
	return nil
}

// parseFlags parses and checks the command line.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.url, "url", "http://127.0.0.1:4000/graphql", "GraphQL endpoint; only loopback hosts (127.0.0.0/8, localhost, [::1]) are accepted")
	fs.StringVar(&o.query, "query", defaultQuery, "GraphQL document to send")
	fs.StringVar(&o.operationName, "operation-name", "", "operationName to send, if any")
	fs.StringVar(&o.variables, "variables", `{"n":3}`, "variables as a JSON object; empty sends none")
	fs.IntVar(&o.concurrency, "c", 50, "concurrent connections (closed-loop workers)")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "measured duration, after the warm-up")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "warm-up before measuring; its requests are not counted")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "bound on one request")
	fs.Int64Var(&o.maxRequests, "max-requests", 1_000_000, "stop after this many measured requests")
	fs.Var(&o.headers, "header", `extra request header "Name: value" (repeatable)`)
	fs.StringVar(&o.uniqueHeader, "unique-header", "", "header set to a value unique to each request (defeats the gateway's sharing of identical in-flight subgraph fetches when the gateway forwards it)")
	fs.BoolVar(&o.json, "json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (all settings are flags; see -h)", fs.Arg(0))
	}
	if err := checkLoopbackURL(o.url); err != nil {
		return o, err
	}
	switch {
	case o.concurrency < 1 || o.concurrency > maxConcurrency:
		return o, fmt.Errorf("-c %d: want 1 to %d connections", o.concurrency, maxConcurrency)
	case o.duration <= 0 || o.duration > maxDuration:
		return o, fmt.Errorf("-d %s: want a duration above 0 and at most %s", o.duration, maxDuration)
	case o.warmup < 0 || o.warmup > maxWarmup:
		return o, fmt.Errorf("-warmup %s: want 0 to %s", o.warmup, maxWarmup)
	case o.timeout <= 0:
		return o, fmt.Errorf("-timeout %s: want a duration above 0", o.timeout)
	case o.maxRequests < 1:
		return o, fmt.Errorf("-max-requests %d: want at least 1", o.maxRequests)
	case strings.TrimSpace(o.query) == "":
		return o, errors.New("-query is empty: give the GraphQL document to send")
	}
	if o.variables != "" {
		var v map[string]any
		if err := json.Unmarshal([]byte(o.variables), &v); err != nil || v == nil {
			return o, fmt.Errorf("-variables %q: want a JSON object such as {\"n\":3}", o.variables)
		}
	}
	return o, nil
}

// checkLoopbackURL accepts http(s) URLs whose host is localhost or a
// loopback IP, and refuses anything else: load is only ever sent to this
// machine.
func checkLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("-url %q does not parse: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("-url %q: want an http:// or https:// URL", raw)
	}
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("-url %q has no host", raw)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-url %q: host %q is not a loopback address; loadgen only targets 127.0.0.0/8, localhost or [::1]", raw, host)
}

// dialLoopbackOnly refuses connections to non-loopback addresses, so that a
// name like localhost cannot resolve load away from this machine.
func dialLoopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("loadgen: refusing to connect to %s: not a loopback address", address)
	}
	return nil
}

// requestBody renders the GraphQL POST body.
func requestBody(o options) []byte {
	req := map[string]any{"query": o.query}
	if o.operationName != "" {
		req["operationName"] = o.operationName
	}
	if o.variables != "" {
		req["variables"] = json.RawMessage(o.variables)
	}
	b, _ := json.Marshal(req) // a string and a checked JSON object always marshal
	return b
}

// result is what a run measured.
type result struct {
	URL             string        `json:"url"`
	Connections     int           `json:"connections"`
	Elapsed         time.Duration `json:"elapsedNs"`
	Requests        int64         `json:"requests"`
	WarmupRequests  int64         `json:"warmupRequests"`
	RequestsPerSec  float64       `json:"requestsPerSecond"`
	TransportErrors int64         `json:"transportErrors"`
	Non200          int64         `json:"non200"`
	GraphQLErrors   int64         `json:"graphqlErrors"`
	P50             time.Duration `json:"p50Ns"`
	P90             time.Duration `json:"p90Ns"`
	P99             time.Duration `json:"p99Ns"`
	Max             time.Duration `json:"maxNs"`
	Mean            time.Duration `json:"meanNs"`
	FirstError      string        `json:"firstError,omitempty"`
}

// failed counts requests that did not get a clean answer.
func (r *result) failed() int64 { return r.TransportErrors + r.Non200 + r.GraphQLErrors }

// worker is one closed-loop connection's counters.
type worker struct {
	latencies       histogram
	requests        int64
	warmupRequests  int64
	transportErrors int64
	non200          int64
	graphqlErrors   int64
	firstError      string
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: %v\n", err)
		return 2
	}
	res := generate(o)
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(res)
	} else {
		printResult(stdout, o, res)
	}
	if res.Requests == 0 || res.failed() > 0 {
		return 1
	}
	return 0
}

// generate runs the load and merges the workers' counts.
func generate(o options) *result {
	transport := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, Control: dialLoopbackOnly}).DialContext,
		MaxIdleConns:        o.concurrency,
		MaxIdleConnsPerHost: o.concurrency,
		MaxConnsPerHost:     o.concurrency,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: o.timeout}
	header := http.Header{"Content-Type": {"application/json"}, "Accept": {"application/graphql-response+json"}}
	for _, h := range o.headers {
		name, value, _ := strings.Cut(h, ":")
		header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	body := requestBody(o)

	start := time.Now()
	measureFrom := start.Add(o.warmup)
	stopAt := measureFrom.Add(o.duration)
	var budget atomic.Int64
	budget.Store(o.maxRequests)
	workers := make([]*worker, o.concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &worker{}
		workers[i] = w
		wg.Go(func() {
			w.loop(client, o, header, body, i, measureFrom, stopAt, &budget)
		})
	}
	wg.Wait()
	elapsed := time.Since(measureFrom)

	res := &result{URL: o.url, Connections: o.concurrency, Elapsed: elapsed}
	var all histogram
	for _, w := range workers {
		all.merge(&w.latencies)
		res.Requests += w.requests
		res.WarmupRequests += w.warmupRequests
		res.TransportErrors += w.transportErrors
		res.Non200 += w.non200
		res.GraphQLErrors += w.graphqlErrors
		if res.FirstError == "" {
			res.FirstError = w.firstError
		}
	}
	if elapsed > 0 {
		res.RequestsPerSec = float64(res.Requests) / elapsed.Seconds()
	}
	res.P50, res.P90, res.P99 = all.quantile(0.50), all.quantile(0.90), all.quantile(0.99)
	res.Max, res.Mean = all.max, all.mean()
	return res
}

// loop sends requests until stopAt or until the measured-request budget is
// spent. Requests started before measureFrom warm up and are not counted.
func (w *worker) loop(client *http.Client, o options, header http.Header, body []byte, id int, measureFrom, stopAt time.Time, budget *atomic.Int64) {
	var answer bytes.Buffer
	seq := 0
	for {
		begin := time.Now()
		if !begin.Before(stopAt) {
			return
		}
		measured := !begin.Before(measureFrom)
		if measured && budget.Add(-1) < 0 {
			return
		}
		seq++
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, o.url, bytes.NewReader(body))
		if err != nil {
			w.fail(measured, &w.transportErrors, err.Error())
			return
		}
		req.Header = header.Clone()
		if o.uniqueHeader != "" {
			req.Header.Set(o.uniqueHeader, strconv.Itoa(id)+"-"+strconv.Itoa(seq))
		}
		status, err := post(client, req, &answer)
		latency := time.Since(begin)
		if !measured {
			w.warmupRequests++
			continue
		}
		w.requests++
		w.latencies.record(latency)
		switch {
		case err != nil:
			w.fail(true, &w.transportErrors, err.Error())
		case status != http.StatusOK:
			w.fail(true, &w.non200, fmt.Sprintf("HTTP %d: %.200s", status, answer.Bytes()))
		case bytes.Contains(answer.Bytes(), []byte(`"errors"`)):
			w.fail(true, &w.graphqlErrors, fmt.Sprintf("GraphQL errors: %.200s", answer.Bytes()))
		}
	}
}

// fail counts a failure and keeps the first message.
func (w *worker) fail(measured bool, counter *int64, msg string) {
	if !measured {
		return
	}
	*counter++
	if w.firstError == "" {
		w.firstError = msg
	}
}

// post sends req and reads the whole answer into buf.
func post(client *http.Client, req *http.Request, buf *bytes.Buffer) (int, error) {
	buf.Reset()
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if _, err := buf.ReadFrom(res.Body); err != nil {
		return res.StatusCode, fmt.Errorf("reading the response: %w", err)
	}
	return res.StatusCode, nil
}

func printResult(w io.Writer, o options, r *result) {
	fmt.Fprintf(w, "loadgen: POST %s, %d connections, %s measured after %s warm-up\n", r.URL, r.Connections, o.duration, o.warmup)
	fmt.Fprintf(w, "requests:  %d in %.2fs = %.1f req/s (and %d during warm-up)\n", r.Requests, r.Elapsed.Seconds(), r.RequestsPerSec, r.WarmupRequests)
	fmt.Fprintf(w, "failures:  %d transport errors, %d non-200, %d with GraphQL errors\n", r.TransportErrors, r.Non200, r.GraphQLErrors)
	fmt.Fprintf(w, "latency:   p50 %s  p90 %s  p99 %s  max %s  mean %s\n",
		round(r.P50), round(r.P90), round(r.P99), round(r.Max), round(r.Mean))
	if r.FirstError != "" {
		fmt.Fprintf(w, "first failure: %s\n", r.FirstError)
	}
}

// round keeps three significant digits of a latency.
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	default:
		return d.Round(time.Microsecond)
	}
}

// subBucketBits sets the histogram's precision: each power of two is split
// into 2^subBucketBits buckets, so a recorded value is off by under 1/128.
const subBucketBits = 7

const subBuckets = 1 << subBucketBits

// histogram is a log-linear latency histogram in nanoseconds (HDR-style):
// fixed size, no allocation per record, mergeable.
type histogram struct {
	counts [(64 - subBucketBits + 1) * subBuckets]uint64
	total  uint64
	sum    float64
	max    time.Duration
}

// bucketOf maps a value to its bucket index.
func bucketOf(v uint64) int {
	if v < subBuckets {
		return int(v)
	}
	shift := bits.Len64(v) - 1 - subBucketBits
	return (shift+1)*subBuckets + int(v>>shift&(subBuckets-1))
}

// bucketUpper is the largest value that falls in bucket i.
func bucketUpper(i int) uint64 {
	block, sub := i/subBuckets, uint64(i%subBuckets)
	if block == 0 {
		return sub
	}
	shift := block - 1
	return (subBuckets+sub)<<shift + (1<<shift - 1)
}

func (h *histogram) record(d time.Duration) {
	v := uint64(max(d, 0))
	h.counts[bucketOf(v)]++
	h.total++
	h.sum += float64(v)
	h.max = max(h.max, d)
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.total += o.total
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// quantile returns the smallest bucket bound at or below which a share q of
// the values lie, capped at the largest value seen; 0 when empty.
func (h *histogram) quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.total)))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(time.Duration(bucketUpper(i)), h.max)
		}
	}
	return h.max
}

func (h *histogram) mean() time.Duration {
	if h.total == 0 {
		return 0
	}
	return time.Duration(h.sum / float64(h.total))
}
