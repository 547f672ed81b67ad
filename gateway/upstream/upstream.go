// Package upstream builds the HTTP clients the gateway calls its subgraphs
// with, whatever their kind: the engine's remote GraphQL subgraphs, the REST
// services of the openapi kind, the SDL fetch of the graphql kind at
// start-up.
//
// Every client sends through one connection pool shared by the whole
// gateway, and every call gets a client span named for its subgraph and
// carries the span's W3C traceparent upstream (package telemetry). Kinds
// wrap a client's Transport with their credentials and retries, so that
// each attempt is traced and authenticated alike.
package upstream

import (
	"net"
	"net/http"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/telemetry"
)

// DefaultTimeout bounds one upstream request when the caller asks for no
// timeout of its own.
const DefaultTimeout = 30 * time.Second

// pool is the connection pool every upstream client shares. Its idle pools
// are sized for a gateway that sends thousands of concurrent requests to a
// few hosts; the proxy comes from the environment (HTTPS_PROXY, NO_PROXY).
// Compression stays on: net/http asks for gzip and decodes it when the
// caller set no Accept-Encoding.
var pool = &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	MaxIdleConns:          1024,
	MaxIdleConnsPerHost:   256,
	IdleConnTimeout:       90 * time.Second,
	TLSHandshakeTimeout:   10 * time.Second,
	ExpectContinueTimeout: time.Second,
	ForceAttemptHTTP2:     true,
}

// Factory builds upstream clients. Its zero value sends through the shared
// pool, which is what a gateway uses.
type Factory struct {
	// Base carries requests once they are traced; nil means the shared
	// pool. Benchmarks set it to answer from memory.
	Base http.RoundTripper
}

// Client returns a new client for calls to subgraph: requests go through
// the base transport, each with a client span and traceparent, and each is
// bounded by o.Timeout (DefaultTimeout when zero). Redirects are followed
// as o.FollowRedirects says (none by default; a refused one fails the call
// with *tributary.RedirectError), and a hop to another origin never carries
// credentials or o.ProtectedHeaders. A positive o.MaxResponseBytes bounds
// every response body. The client is the caller's own: it may wrap the
// Transport (credentials, retries, attributes); wrappers see each hop of a
// redirect and must add no credentials to one that tributary.RedirectedAway.
func (f Factory) Client(subgraph string, o tributary.HTTPClientOptions) *http.Client {
	base := f.Base
	if base == nil {
		base = pool
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	guard := newRedirectGuard(subgraph, o, telemetry.Transport(subgraph, base))
	var transport http.RoundTripper = guard
	if o.MaxResponseBytes > 0 {
		transport = &limitTransport{subgraph: subgraph, limit: o.MaxResponseBytes, next: guard}
	}
	return &http.Client{Transport: transport, Timeout: timeout, CheckRedirect: guard.checkRedirect}
}

// ForSubgraph returns Client bound to subgraph, in the form the kinds'
// tributary.BuildContext.HTTPClient takes, so that their spans name the
// subgraph.
func (f Factory) ForSubgraph(subgraph string) func(tributary.HTTPClientOptions) *http.Client {
	return func(o tributary.HTTPClientOptions) *http.Client { return f.Client(subgraph, o) }
}
