// Package graphql is the subgraph kind for remote Apollo Federation
// subgraphs: services that speak GraphQL over HTTP and answer
// `{ _service { sdl } }`.
//
// Its config section names the endpoint, the headers to send, and where the
// subgraph's SDL comes from: the service itself at start-up, or a file.
package graphql

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// KindName is the key of this kind's section in gateway.yaml.
const KindName = "graphql"

const (
	// defaultTimeout bounds one upstream request when timeout is unset.
	defaultTimeout = 10 * time.Second
	// defaultIntrospectionTimeout bounds the whole start-up SDL fetch,
	// retries included, when introspectionTimeout is unset. Subgraphs are
	// often started together with the gateway, so it allows for a slow start.
	defaultIntrospectionTimeout = 30 * time.Second
	// defaultMaxResponseBytes bounds a response body when maxResponseBytes
	// is unset.
	defaultMaxResponseBytes = 16 << 20
)

func init() {
	tributary.RegisterKind(tributary.Kind{
		Name:      KindName,
		Doc:       "A remote Apollo Federation (v1 or v2) subgraph served over HTTP.",
		NewConfig: func() tributary.SubgraphConfig { return &Config{} },
	})
}

// Config is the `graphql:` section of a subgraph in gateway.yaml.
type Config struct {
	// URL is the subgraph's GraphQL endpoint.
	URL string `yaml:"url,omitempty" doc:"The subgraph's GraphQL endpoint, an absolute http or https URL." required:"true"`
	// SDLFile, when set, is read instead of asking the subgraph for its SDL.
	SDLFile string `yaml:"sdlFile,omitempty" doc:"A file holding the subgraph's federation SDL, read instead of querying _service at start-up; relative paths start at gateway.yaml's directory."`
	// Headers are sent with every upstream request, including the SDL fetch.
	Headers map[string]string `yaml:"headers,omitempty" doc:"Static headers sent with every request to the subgraph, including the start-up SDL fetch."`
	// ForwardHeaders names client request headers copied to the subgraph.
	ForwardHeaders []string `yaml:"forwardHeaders,omitempty" doc:"Client request headers copied to the subgraph, e.g. Authorization."`
	// ClaimsToHeaders sends the caller's claims to the subgraph.
	ClaimsToHeaders map[string]string `yaml:"claimsToHeaders,omitempty" doc:"Claims of the request's caller sent to the subgraph as headers: header name to claim name, e.g. {X-User-Id: sub}; a.b names a nested claim; a caller without the claim sends no header."`
	// Timeout bounds one upstream request.
	Timeout tributary.Duration `yaml:"timeout,omitempty" doc:"Bound on one request to the subgraph; 0 or unset means the default." default:"10s"`
	// IntrospectionTimeout bounds the start-up SDL fetch, retries included.
	IntrospectionTimeout tributary.Duration `yaml:"introspectionTimeout,omitempty" doc:"Bound on fetching the SDL at start-up, retries included; 0 or unset means the default." default:"30s"`
	// FollowRedirects says which HTTP redirects of the subgraph are followed.
	FollowRedirects tributary.RedirectPolicy `yaml:"followRedirects,omitempty" doc:"Which HTTP redirects to follow: never (a 3xx is an error), sameHost (same scheme, host and port only) or always. Headers, forwarded headers and claims are never sent to another host." default:"never" enum:"never,sameHost,always"`
	// MaxResponseBytes bounds a response body, the SDL fetch's included.
	MaxResponseBytes int64 `yaml:"maxResponseBytes,omitempty" doc:"Largest response body accepted from the subgraph, in bytes (after gzip decoding), the start-up SDL fetch's included; a larger one is an error at the fields it was to resolve." default:"16777216"`
	// Retry configures retries of failed queries.
	Retry *RetryConfig `yaml:"retry,omitempty" doc:"Retries of queries and _entities calls that failed to connect, got 429, 502, 503 or 504, or an answer cut short; on by default."`
	// CircuitBreaker stops calling a subgraph that keeps failing.
	CircuitBreaker *tributary.CircuitBreakerConfig `yaml:"circuitBreaker,omitempty" doc:"Stops calling the subgraph for a while when most calls fail; on by default."`
}

// Validate checks the section. Paths in the returned FieldErrors are relative
// to the section.
func (c *Config) Validate() error {
	var errs tributary.FieldErrors
	add := func(path, format string, args ...any) {
		errs = append(errs, &tributary.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}

	if msg := checkEndpointURL(c.URL); msg != "" {
		add("url", "%s", msg)
	}

	headerNames := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(c.Headers)) {
		path := "headers." + name
		if msg := checkHeaderName(name); msg != "" {
			add(path, "%s", msg)
			continue
		}
		key := http.CanonicalHeaderKey(name)
		if first, dup := headerNames[key]; dup {
			add(path, "%q is the same header as %q (names are case-insensitive); keep one", name, first)
			continue
		}
		headerNames[key] = name
		if !validHeaderValue(c.Headers[name]) {
			add(path, "value contains a control character (line break, NUL…); header values must be a single line")
		}
	}

	seen := map[string]int{}
	for i, name := range c.ForwardHeaders {
		path := fmt.Sprintf("forwardHeaders[%d]", i)
		if msg := checkHeaderName(name); msg != "" {
			add(path, "%s", msg)
			continue
		}
		key := http.CanonicalHeaderKey(name)
		if first, dup := seen[key]; dup {
			add(path, "%q is listed twice (also at forwardHeaders[%d]); header names are case-insensitive, remove one", name, first)
			continue
		}
		seen[key] = i
	}
	for _, name := range slices.Sorted(maps.Keys(c.ClaimsToHeaders)) {
		path := "claimsToHeaders." + name
		if msg := checkHeaderName(name); msg != "" {
			add(path, "%s", msg)
		} else if strings.TrimSpace(c.ClaimsToHeaders[name]) == "" {
			add(path, "names no claim; write the claim to send, e.g. sub")
		}
	}

	if c.Timeout < 0 {
		add("timeout", "must be greater than 0 (e.g. \"10s\")")
	}
	if c.IntrospectionTimeout < 0 {
		add("introspectionTimeout", "must be greater than 0 (e.g. \"30s\")")
	}
	if !c.FollowRedirects.Valid() {
		add("followRedirects", "%q is not a policy; write never, sameHost or always", c.FollowRedirects)
	}
	if c.MaxResponseBytes < 0 {
		add("maxResponseBytes", "must be greater than 0 (e.g. 16777216)")
	}
	c.validateResilience(add)

	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Build reads or fetches the subgraph's SDL and describes how the engine
// reaches it. When the supergraph is given (bc.Precomposed), only
// composition would need the SDL: it is neither fetched nor read, so that
// start-up makes no connection. Its errors name no subgraph: the gateway
// says which one, and at which line from a FieldError's path.
func (c *Config) Build(ctx context.Context, name string, bc tributary.BuildContext) (*tributary.Subgraph, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	header := c.header()

	var sdl string
	if !bc.Precomposed {
		var err error
		if sdl, err = c.loadSDL(ctx, bc, header); err != nil {
			return nil, err
		}
	}

	forward := make([]string, len(c.ForwardHeaders))
	for i, h := range c.ForwardHeaders {
		forward[i] = http.CanonicalHeaderKey(h)
	}
	var claims map[string]string
	for h, claim := range c.ClaimsToHeaders {
		if claims == nil {
			claims = map[string]string{}
		}
		claims[http.CanonicalHeaderKey(h)] = strings.TrimSpace(claim)
	}
	retry, breaker := c.policies()
	return &tributary.Subgraph{
		Name: name,
		SDL:  sdl,
		Remote: &tributary.RemoteGraphQL{
			URL:              c.URL,
			Header:           header,
			ForwardHeaders:   forward,
			ClaimsToHeaders:  claims,
			Timeout:          c.timeout(),
			FollowRedirects:  c.FollowRedirects,
			MaxResponseBytes: c.maxResponseBytes(),
			Retry:            retry,
			Breaker:          breaker,
		},
	}, nil
}

// loadSDL reads sdlFile, or asks the subgraph for its SDL, and checks that
// it parses.
func (c *Config) loadSDL(ctx context.Context, bc tributary.BuildContext, header http.Header) (string, error) {
	var (
		sdl    string
		origin string
		key    string // the key the SDL came from
		err    error
	)
	if c.SDLFile != "" {
		origin, key = resolvePath(bc.Dir, c.SDLFile), "sdlFile"
		sdl, err = readSDLFile(ctx, bc, c.SDLFile, origin)
	} else {
		origin, key = c.URL, "url"
		// The fetcher bounds each attempt and the whole fetch with contexts,
		// which name the key to raise; the client's timeout only backs them.
		client := bc.NewHTTPClient(tributary.HTTPClientOptions{
			Timeout:          max(c.timeout(), c.introspectionTimeout()),
			FollowRedirects:  c.FollowRedirects,
			ProtectedHeaders: slices.Collect(maps.Keys(header)),
			MaxResponseBytes: c.maxResponseBytes(),
		})
		fetcher := newSDLFetcher(client, c.URL, header, c.timeout(), c.introspectionTimeout(), logger(bc))
		fetcher.maxBytes = c.maxResponseBytes()
		sdl, err = fetcher.fetch(ctx)
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return "", err // start-up was cancelled: no key is at fault
	case err != nil:
		return "", &tributary.FieldError{Path: key, Message: err.Error(), Err: err}
	}
	if err := checkSDLParses(sdl, origin); err != nil {
		return "", &tributary.FieldError{Path: key, Message: err.Error(), Err: err}
	}
	return sdl, nil
}

func (c *Config) header() http.Header {
	h := make(http.Header, len(c.Headers))
	for name, value := range c.Headers {
		h.Set(name, value)
	}
	return h
}

func (c *Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout.Std()
	}
	return defaultTimeout
}

func (c *Config) maxResponseBytes() int64 {
	if c.MaxResponseBytes > 0 {
		return c.MaxResponseBytes
	}
	return defaultMaxResponseBytes
}

func (c *Config) introspectionTimeout() time.Duration {
	if c.IntrospectionTimeout > 0 {
		return c.IntrospectionTimeout.Std()
	}
	return defaultIntrospectionTimeout
}

// checkEndpointURL returns what is wrong with raw as a subgraph endpoint, or "".
func checkEndpointURL(raw string) string {
	const example = `(e.g. "http://localhost:4001/graphql")`
	if strings.TrimSpace(raw) == "" {
		return "is required " + example
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Sprintf("%q is not a URL: %v; write an absolute http or https URL %s", raw, unwrapURLError(err), example)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Sprintf("%q must be an absolute http or https URL %s", raw, example)
	}
	if u.Host == "" {
		return fmt.Sprintf("%q has no host; write an absolute http or https URL %s", raw, example)
	}
	return ""
}

// resolvePath makes path absolute against dir, the directory of gateway.yaml.
func resolvePath(dir, path string) string {
	if filepath.IsAbs(path) || dir == "" {
		return filepath.Clean(path)
	}
	return filepath.Join(dir, path)
}

// readSDLFile reads sdlFile through the BuildContext, by its name as
// configured; resolved names it in messages.
func readSDLFile(ctx context.Context, bc tributary.BuildContext, configured, resolved string) (string, error) {
	data, err := bc.Read(ctx, configured)
	if err != nil {
		return "", fmt.Errorf("cannot read %s (resolved to %s): %w; paths are relative to gateway.yaml's directory", configured, resolved, err)
	}
	if strings.TrimSpace(string(data)) == "" {
		return "", fmt.Errorf("%s is empty; it must hold the subgraph's federation SDL", resolved)
	}
	return string(data), nil
}

// checkSDLParses reports SDL that is not GraphQL at start-up, where it is
// easiest to trace back, rather than later during composition.
func checkSDLParses(sdl, origin string) error {
	if _, err := parser.ParseSchema(&ast.Source{Name: origin, Input: sdl}); err != nil {
		return fmt.Errorf("the SDL is not valid GraphQL: %w", err)
	}
	return nil
}

func logger(bc tributary.BuildContext) *slog.Logger {
	if bc.Logger != nil {
		return bc.Logger
	}
	return slog.New(slog.DiscardHandler)
}
