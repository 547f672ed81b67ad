// Command benchstack serves the four example federation subgraphs
// (accounts, products, inventory, reviews) and a gateway in front of them on
// loopback, for load tests with cmd/loadgen. It runs until SIGINT or
// SIGTERM, then prints its peak RSS and CPU time.
//
//	benchstack                         subgraphs and gateway in one process
//	benchstack -subgraphs-only -subgraph-port 4001
//	benchstack -gateway-only -subgraph-urls accounts=http://127.0.0.1:4001/graphql,...
//
// With -rest it serves the example shipping REST service (examples/shipping)
// instead, and a gateway whose only subgraph is that service as an openapi
// kind, so that a root field costs one REST call:
//
//	benchstack -rest -subgraphs-only -subgraph-port 4005
//	benchstack -rest -gateway-only -subgraph-urls shipping=http://127.0.0.1:4005/v1
//
// The split modes let the gateway run alone in a process pinned to one core
// (taskset -c 0) while the subgraphs run in another. The gateway is built as
// `gateway serve` builds it, from a gateway.yaml generated in a temporary
// directory. docs/benchmarks.md shows the commands.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/examples/federation"
	"github.com/tributary-gw/tributary/examples/shipping"
	"github.com/tributary-gw/tributary/gateway"
	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the parsed command-line flags.
type options struct {
	listen         string
	gomaxprocs     int
	subgraphsOnly  bool
	gatewayOnly    bool
	rest           bool
	subgraphPort   int
	subgraphURLs   string
	memoize        bool
	forwardHeader  string
	pprofAddr      string
	shutdownPeriod time.Duration
	faults         faultSpec
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("benchstack", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:4000", "gateway address (loopback only; port 0 picks a free one)")
	fs.IntVar(&o.gomaxprocs, "gomaxprocs", 1, "runtime.GOMAXPROCS for this process (the target is one core)")
	fs.BoolVar(&o.subgraphsOnly, "subgraphs-only", false, "serve only the four subgraphs")
	fs.BoolVar(&o.gatewayOnly, "gateway-only", false, "serve only the gateway, over the subgraphs in -subgraph-urls")
	fs.BoolVar(&o.rest, "rest", false, "serve the example shipping REST service instead of the four GraphQL subgraphs, and a gateway with it as its one openapi subgraph")
	fs.IntVar(&o.subgraphPort, "subgraph-port", 0, "first of four consecutive subgraph ports (accounts, products, inventory, reviews), or with -rest the shipping service's port; 0 picks free ports")
	fs.StringVar(&o.subgraphURLs, "subgraph-urls", "", "with -gateway-only: name=url,… for accounts, products, inventory and reviews, or with -rest shipping=BASE_URL (e.g. http://127.0.0.1:4005/v1)")
	fs.BoolVar(&o.memoize, "memoize-subgraphs", false, "subgraphs answer a request body they have answered before from memory, so that they cost little next to the gateway")
	fs.StringVar(&o.forwardHeader, "forward-header", "", "header the gateway forwards to every subgraph (with loadgen -unique-header, no two requests share a subgraph fetch)")
	fs.StringVar(&o.pprofAddr, "pprof", "", "serve net/http/pprof at this loopback address, e.g. 127.0.0.1:6060")
	fs.DurationVar(&o.shutdownPeriod, "shutdown-timeout", 5*time.Second, "how long shutdown waits for requests in flight")
	faults := fs.String("faults", "", "subgraphs misbehave: 503=SHARE answers that share of requests with a 503, cut=SHARE with a 200 whose JSON is cut in half, delay=D delays every request by up to D (e.g. 503=0.05,cut=0.03,delay=30ms); the same seeded sequence each run")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.faults, err = parseFaults(*faults); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (all settings are flags; see -h)", fs.Arg(0))
	}
	switch {
	case o.subgraphsOnly && o.gatewayOnly:
		return o, errors.New("-subgraphs-only and -gateway-only exclude each other; run two processes, one with each")
	case o.gatewayOnly && o.faults.active():
		return o, errors.New("-faults applies to the subgraphs: give it to the -subgraphs-only process")
	case o.rest && o.faults.active():
		return o, errors.New("-faults applies to the federation subgraphs, not -rest")
	case o.gatewayOnly && o.subgraphURLs == "" && o.rest:
		return o, errors.New("-rest -gateway-only needs -subgraph-urls shipping=BASE_URL, e.g. shipping=http://127.0.0.1:4005/v1")
	case o.gatewayOnly && o.subgraphURLs == "":
		return o, errors.New("-gateway-only needs -subgraph-urls accounts=URL,products=URL,inventory=URL,reviews=URL")
	case o.rest && o.memoize:
		return o, errors.New("-memoize-subgraphs does not apply to -rest: the shipping service already answers from memory (drop one of the two flags)")
	case !o.gatewayOnly && o.subgraphURLs != "":
		return o, errors.New("-subgraph-urls is only used with -gateway-only")
	case o.gomaxprocs < 1:
		return o, fmt.Errorf("-gomaxprocs %d: want at least 1", o.gomaxprocs)
	case o.subgraphPort < 0 || o.subgraphPort > 65532:
		return o, fmt.Errorf("-subgraph-port %d: want 0, or a port from 1 to 65532 (four consecutive ports are used)", o.subgraphPort)
	}
	if !o.subgraphsOnly {
		if err := checkLoopbackAddr("-listen", o.listen); err != nil {
			return o, err
		}
	}
	if o.pprofAddr != "" {
		if err := checkLoopbackAddr("-pprof", o.pprofAddr); err != nil {
			return o, err
		}
	}
	if o.forwardHeader != "" && strings.ContainsAny(o.forwardHeader, " :\r\n\t") {
		return o, fmt.Errorf("-forward-header %q is not a header name", o.forwardHeader)
	}
	return o, nil
}

// checkLoopbackAddr accepts host:port addresses on 127.0.0.0/8, localhost or
// [::1]: the benchmark stack is never reachable from elsewhere.
func checkLoopbackAddr(flagName, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s %q: want host:port, e.g. 127.0.0.1:4000: %w", flagName, addr, err)
	}
	if !isLoopbackHost(host) {
		return fmt.Errorf("%s %q: host %q is not a loopback address; benchstack only uses 127.0.0.0/8, localhost or [::1]", flagName, addr, host)
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// parseSubgraphURLs parses "name=url,name=url" with loopback URLs, one for
// each of names and no other.
func parseSubgraphURLs(list string, names []string) (map[string]string, error) {
	urls := map[string]string{}
	for item := range strings.SplitSeq(list, ",") {
		name, raw, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok || name == "" || raw == "" {
			return nil, fmt.Errorf("-subgraph-urls: %q is not name=url", item)
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !isLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("-subgraph-urls: %s=%s: want an http(s) URL on a loopback host", name, raw)
		}
		if _, dup := urls[name]; dup {
			return nil, fmt.Errorf("-subgraph-urls: %s is listed twice", name)
		}
		urls[name] = raw
	}
	for _, name := range names {
		if urls[name] == "" {
			return nil, fmt.Errorf("-subgraph-urls: %s is missing (want %s)", name, strings.Join(names, ", "))
		}
	}
	if len(urls) != len(names) {
		return nil, fmt.Errorf("-subgraph-urls: %d subgraphs listed; want exactly %s", len(urls), strings.Join(names, ", "))
	}
	return urls, nil
}

// subgraphNames are the example subgraphs in federation.All's order.
var subgraphNames = []string{"accounts", "products", "inventory", "reviews"}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "benchstack: %v\n", err)
		return 2
	}
	runtime.GOMAXPROCS(o.gomaxprocs)
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := serve(ctx, o, stdout, logger); err != nil {
		fmt.Fprintf(stderr, "benchstack: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "benchstack: stopped; %s\n", processStats())
	return 0
}

// serve starts what o asks for and blocks until ctx ends.
func serve(ctx context.Context, o options, stdout io.Writer, logger *slog.Logger) error {
	fmt.Fprintf(stdout, "benchstack: pid %d, GOMAXPROCS %d\n", os.Getpid(), runtime.GOMAXPROCS(0))
	if o.pprofAddr != "" {
		stop, err := servePprof(o.pprofAddr)
		if err != nil {
			return err
		}
		defer stop()
		fmt.Fprintf(stdout, "pprof: http://%s/debug/pprof/\n", o.pprofAddr)
	}
	names, start := subgraphNames, startSubgraphs
	if o.rest {
		names, start = []string{restSubgraphName}, startREST
	}
	var counters []*countingHandler
	urls := map[string]string{}
	if o.gatewayOnly {
		var err error
		if urls, err = parseSubgraphURLs(o.subgraphURLs, names); err != nil {
			return err
		}
	} else {
		var stop func()
		var err error
		urls, counters, stop, err = start(o)
		if err != nil {
			return err
		}
		defer stop()
		list := make([]string, 0, len(urls))
		for _, name := range names {
			list = append(list, name+"="+urls[name])
		}
		fmt.Fprintf(stdout, "subgraphs: -subgraph-urls %s\n", strings.Join(list, ","))
	}
	if o.subgraphsOnly {
		<-ctx.Done()
	} else if err := serveGateway(ctx, o, urls, stdout, logger); err != nil {
		return err
	}
	for _, c := range counters {
		if c.faults != nil {
			fmt.Fprintf(stdout, "subgraph %s: %d requests (%s)\n", c.name, c.requests.Load(), c.faults)
			continue
		}
		fmt.Fprintf(stdout, "subgraph %s: %d requests\n", c.name, c.requests.Load())
	}
	return nil
}

// startSubgraphs serves the example subgraphs on loopback.
func startSubgraphs(o options) (urls map[string]string, counters []*countingHandler, stop func(), err error) {
	urls = map[string]string{}
	var stops []func()
	stop = func() {
		for _, s := range stops {
			s()
		}
	}
	for i, s := range federation.All() {
		var h http.Handler = s.Handler
		if o.memoize {
			h = &memoHandler{next: h, answers: map[string][]byte{}}
		}
		var faults *faultHandler
		if o.faults.active() {
			faults = newFaultHandler(o.faults, uint64(i+1), h)
			h = faults
		}
		c := &countingHandler{name: s.Name, next: h, faults: faults}
		s.Handler = c
		addr := "127.0.0.1:0"
		if o.subgraphPort > 0 {
			addr = fmt.Sprintf("127.0.0.1:%d", o.subgraphPort+i)
		}
		u, stopOne, err := federation.StartAt(s, addr)
		if err != nil {
			stop()
			return nil, nil, nil, err
		}
		stops = append(stops, stopOne)
		urls[s.Name] = u
		counters = append(counters, c)
	}
	return urls, counters, stop, nil
}

// gatewayYAML is the generated gateway.yaml.
func gatewayYAML(listen string, urls map[string]string, forwardHeader string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "listen: %q\ngraphiql: false\nsubgraphs:\n", listen)
	for _, name := range subgraphNames {
		fmt.Fprintf(&b, "  - name: %s\n    graphql:\n      url: %q\n", name, urls[name])
		if forwardHeader != "" {
			fmt.Fprintf(&b, "      forwardHeaders: [%q]\n", forwardHeader)
		}
	}
	return b.String()
}

// serveGateway builds the gateway as `gateway serve` does, from a generated
// gateway.yaml, and serves it until ctx ends.
func serveGateway(ctx context.Context, o options, urls map[string]string, stdout io.Writer, logger *slog.Logger) error {
	dir, err := os.MkdirTemp("", "benchstack-")
	if err != nil {
		return fmt.Errorf("temporary directory for gateway.yaml: %w", err)
	}
	defer os.RemoveAll(dir)
	yaml := gatewayYAML(o.listen, urls, o.forwardHeader)
	if o.rest {
		yaml = restGatewayYAML(o.listen, urls[restSubgraphName], o.forwardHeader)
		spec := filepath.Join(dir, restSpecFile)
		if err := os.WriteFile(spec, shipping.Spec, 0o600); err != nil {
			return fmt.Errorf("writing %s: %w", spec, err)
		}
	}
	path := filepath.Join(dir, "gateway.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("gateway: cannot listen on %s: %w", cfg.Listen, err)
	}
	cfg.Server.ShutdownTimeout = tributary.Duration(o.shutdownPeriod)
	return gateway.Serve(ctx, cfg, ln, logger, func(addr string) {
		fmt.Fprintf(stdout, "gateway: http://%s/graphql\n", addr)
	})
}

// servePprof serves the profiling endpoints on their own listener.
func servePprof(addr string) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-pprof: cannot listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return func() { _ = srv.Close() }, nil
}

// countingHandler counts the requests a subgraph receives, memoized or not.
type countingHandler struct {
	name     string
	next     http.Handler
	faults   *faultHandler // nil without -faults
	requests atomic.Int64
}

func (c *countingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.requests.Add(1)
	c.next.ServeHTTP(w, r)
}

// Bounds of a memoHandler.
const (
	memoMaxBody    = 4 << 20
	memoMaxEntries = 10000
)

// memoHandler answers a request body it has seen before with the answer the
// subgraph gave then, so that under load the subgraphs cost an HTTP exchange
// and a map lookup. The example subgraphs are read-only, so the answers stay
// right.
type memoHandler struct {
	next    http.Handler
	mu      sync.RWMutex
	answers map[string][]byte
}

func (m *memoHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, memoMaxBody))
	if err != nil {
		http.Error(w, "benchstack: reading the request: "+err.Error(), http.StatusBadRequest)
		return
	}
	key := r.Method + " " + string(body)
	m.mu.RLock()
	answer, ok := m.answers[key]
	m.mu.RUnlock()
	if !ok {
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		r.Body = io.NopCloser(bytes.NewReader(body))
		m.next.ServeHTTP(rec, r)
		if rec.status != http.StatusOK {
			copyHeader(w.Header(), rec.header)
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body.Bytes())
			return
		}
		answer = rec.body.Bytes()
		m.mu.Lock()
		if len(m.answers) < memoMaxEntries {
			m.answers[key] = answer
		}
		m.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(answer)
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}

// recorder captures a handler's answer.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }
func (r *recorder) WriteHeader(status int)      { r.status = status }

// processStats reports the process's peak RSS and CPU time.
func processStats() string {
	var usage syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	cpu := fmt.Sprintf("CPU user %.2fs system %.2fs",
		time.Duration(usage.Utime.Nano()).Seconds(), time.Duration(usage.Stime.Nano()).Seconds())
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return cpu
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return "peak RSS (VmHWM) " + strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")) + ", " + cpu
		}
	}
	return cpu
}
