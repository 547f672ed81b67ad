// Package httpserver is the HTTP transport of `gateway serve`: it adapts
// GraphQL-over-HTTP requests (GET and POST, per the GraphQL-over-HTTP spec) to
// a tributary.Executor, serves GraphiQL to browsers, answers health probes,
// applies CORS, and shuts down gracefully.
//
// It knows nothing of planning or execution; everything GraphQL happens
// behind the Executor. See docs/http.md for the endpoint's behaviour.
package httpserver

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	tributary "github.com/tributary-gw/tributary"
)

// Defaults for zero-valued Options.
const (
	DefaultPath           = "/graphql"
	DefaultMaxBodyBytes   = 1 << 20
	DefaultRequestTimeout = 30 * time.Second
)

// The health endpoints' paths.
const (
	HealthzPath = "/healthz"
	ReadyzPath  = "/readyz"
)

// Options configures the handler. Only Executor is required.
type Options struct {
	// Executor runs the GraphQL requests.
	Executor tributary.Executor
	// Path is the GraphQL endpoint; default "/graphql". It wins over the
	// health paths if it names one of them.
	Path string
	// GraphiQL serves the GraphiQL IDE to browsers that GET Path without a
	// query.
	GraphiQL bool
	// MaxBodyBytes bounds a POST body, file uploads included; zero or
	// negative means 1 MiB.
	MaxBodyBytes int64
	// UploadDir is where the files of multipart requests are stored while
	// the request runs; empty means the system's temporary directory.
	UploadDir string
	// RequestTimeout bounds each GraphQL request, from reading its body to
	// the executor's answer (the executor's ctx carries the deadline); zero
	// or negative means 30s.
	RequestTimeout time.Duration
	// CORS lets pages on other origins call the gateway.
	CORS CORSOptions
	// Ready backs /readyz: nil error means ready (200), an error means not
	// ready (503, with the error as the reason). Nil Ready is always ready.
	// It runs on every probe, so it must be quick. A Server answers 503
	// from the moment its shutdown begins, whatever Ready says.
	Ready func() error
	// DrainDelay is how long a Server keeps accepting requests after its
	// context ends, with /readyz answering 503, before it closes its
	// listener: the time load balancers need to stop sending it traffic.
	// Zero closes the listener at once. NewHandler ignores it.
	DrainDelay time.Duration
	// Drained, if set, is called once by Server.Serve before it returns:
	// after a shutdown has ended the requests in flight (or cut them off),
	// with what remains of the shutdown timeout as ctx's deadline, or after
	// the listener failed. It is the time to release what the Executor
	// holds. Its error is part of Serve's. NewHandler ignores it.
	Drained func(ctx context.Context) error
	// Logger receives executor panics and server events; nil means
	// slog.Default().
	Logger *slog.Logger
	// Middleware, when set, wraps the GraphQL route (for example, with
	// tracing). It sees every request to Path, CORS preflights included,
	// but not the health probes.
	Middleware func(http.Handler) http.Handler
}

// withDefaults fills in the zero values.
func (o Options) withDefaults() Options {
	if o.Path == "" {
		o.Path = DefaultPath
	}
	if o.Path[0] != '/' {
		o.Path = "/" + o.Path
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// NewHandler returns the gateway's HTTP handler: the GraphQL endpoint at
// o.Path, /healthz and /readyz. Other paths get 404. It panics if o has no
// Executor, which is a programming error.
func NewHandler(o Options) http.Handler {
	if o.Executor == nil {
		panic("httpserver: NewHandler needs an Executor")
	}
	o = o.withDefaults()
	var graphql http.Handler = &graphQLHandler{
		executor:     o.Executor,
		graphiQL:     o.GraphiQL,
		maxBodyBytes: o.MaxBodyBytes,
		uploadDir:    o.UploadDir,
		timeout:      o.RequestTimeout,
		logger:       o.Logger,
	}
	if cors := newCORSPolicy(o.CORS); cors != nil {
		graphql = cors.wrap(graphql)
	}
	if o.Middleware != nil {
		graphql = o.Middleware(graphql)
	}
	return &router{path: o.Path, graphql: graphql, ready: o.Ready}
}

// router dispatches on the exact path. It is a switch rather than a
// ServeMux so that any configured Path works verbatim, wildcards and all.
type router struct {
	path    string
	graphql http.Handler
	ready   func() error
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case rt.path:
		rt.graphql.ServeHTTP(w, r)
	case HealthzPath:
		serveLiveness(w, r)
	case ReadyzPath:
		serveReadiness(w, r, rt.ready)
	default:
		http.NotFound(w, r)
	}
}
