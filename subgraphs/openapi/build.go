package openapi

import (
	"context"
	"errors"
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
	"github.com/tributary-gw/tributary/gateway/upstream"
	oas "github.com/tributary-gw/tributary/openapi"
)

// Build loads and converts the spec, logs what the conversion skipped or
// degraded, checks the declared entities against the result and returns
// the subgraph with its Source.
func (c *Config) Build(ctx context.Context, name string, bc tributary.BuildContext) (*tributary.Subgraph, error) {
	return c.build(ctx, name, bc, builtinTools)
}

func (c *Config) build(ctx context.Context, name string, bc tributary.BuildContext, tools toolset) (*tributary.Subgraph, error) {
	// Errors name no subgraph: the gateway says which one, and at which
	// line, from the FieldError's path.
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if tools.converter == nil || tools.wire == nil {
		return nil, errors.New("this build has no OpenAPI converter linked (subgraphs/openapi/wiring.go)")
	}
	spec, err := bc.Read(ctx, c.Spec)
	if err != nil {
		return nil, keyError("spec", fmt.Errorf("cannot read %s: %w; a relative path starts at gateway.yaml's directory", c.Spec, err))
	}
	if len(spec) > oas.MaxSpecSize {
		return nil, keyError("spec", fmt.Errorf("%s is larger than %d MiB", c.Spec, oas.MaxSpecSize>>20))
	}
	doc, err := tools.converter.Convert(spec, c, c.specDir(bc.Dir))
	if err != nil {
		return nil, keyError("spec", fmt.Errorf("converting %s: %w", c.Spec, err))
	}
	log := bc.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for _, w := range doc.Warnings {
		log.Warn("openapi: "+w.Message, "subgraph", name, "spec", c.Spec, "pointer", w.Pointer)
	}
	baseURL, err := c.resolveBaseURL(doc)
	if err != nil {
		return nil, keyError("baseURL", err)
	}
	src, err := c.newSource(name, baseURL, doc, tools.wire, bc, time.Now)
	if err != nil {
		return nil, err
	}
	log.Info("openapi subgraph ready", "subgraph", name, "operations", len(doc.Operations),
		"entities", len(src.entities), "baseURL", redactedURL(baseURL), "auth", describeAuth(c.Auth))
	return &tributary.Subgraph{Name: name, SDL: doc.SDL, Source: src, BatchFields: src.linkFields(), Close: src.close}, nil
}

// specDir is the directory of a spec file, against which its relative
// external $refs resolve; "" for a spec fetched over HTTP.
func (c *Config) specDir(configDir string) string {
	if strings.Contains(c.Spec, "://") {
		return ""
	}
	path := c.Spec
	if !filepath.IsAbs(path) && configDir != "" {
		path = filepath.Join(configDir, path)
	}
	return filepath.Dir(path)
}

// resolveBaseURL picks baseURL, else the spec's first server; a relative
// server URL is resolved against the spec's URL.
func (c *Config) resolveBaseURL(doc *oas.Document) (string, error) {
	if c.BaseURL != "" {
		return c.BaseURL, nil
	}
	if len(doc.Servers) == 0 || strings.TrimSpace(doc.Servers[0]) == "" {
		return "", errors.New(`the spec declares no servers; set baseURL to the service's URL (e.g. "http://localhost:8080/v1")`)
	}
	server := doc.Servers[0]
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("the spec's first server %q is not a URL; set baseURL", server)
	}
	if u.IsAbs() {
		if u.Scheme != "http" && u.Scheme != "https" {
			return "", fmt.Errorf("the spec's first server %q is not http or https; set baseURL", server)
		}
		return server, nil
	}
	if !strings.Contains(c.Spec, "://") {
		return "", fmt.Errorf("the spec's first server %q is relative and the spec is a file; set baseURL to the service's absolute URL", server)
	}
	specURL, err := url.Parse(c.Spec)
	if err != nil {
		return "", fmt.Errorf("cannot resolve the relative server %q against the spec URL: %w", server, err)
	}
	return specURL.ResolveReference(u).String(), nil
}

// newSource builds the runtime of a converted spec. Its HTTP client is the
// gateway's (bc.NewHTTPClient) with the section's credentials and retries
// around it.
func (c *Config) newSource(name, baseURL string, doc *oas.Document, wire wireMapping, bc tributary.BuildContext, now func() time.Time) (*source, error) {
	if now == nil {
		now = time.Now
	}
	s := &source{
		name:     name,
		baseURL:  baseURL,
		types:    doc.Types,
		fields:   make(map[string]*oas.Operation, len(doc.Operations)),
		entities: map[string]*entityResolver{},
		wire:     wire,
		header:   http.Header{},
	}
	for _, op := range doc.Operations {
		s.fields[op.RootType+"."+op.FieldName] = op
	}
	for k, v := range c.Headers {
		s.header.Set(k, v)
	}
	for _, h := range c.ForwardHeaders {
		s.forward = append(s.forward, parseForwardedHeader(h))
	}
	if len(c.ClaimsToHeaders) > 0 {
		s.claims = map[string]string{}
		for name, claim := range c.ClaimsToHeaders {
			s.claims[http.CanonicalHeaderKey(name)] = strings.TrimSpace(claim)
		}
	}
	var errs fieldErrors
	for i := range c.Entities {
		r, err := newEntityResolver(&c.Entities[i], doc, c.TypePrefix, fmt.Sprintf("entities[%d]", i))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.entities[r.typeName] = r
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	client := bc.NewHTTPClient(tributary.HTTPClientOptions{
		Timeout:          c.timeout(),
		FollowRedirects:  c.FollowRedirects,
		ProtectedHeaders: c.protectedHeaders(),
	})
	client.Transport = withAuth(c.Auth, sentOnce{next: transportOf(client)}, now)
	s.client = newHTTPClient(client, c.retryPolicy(), c.maxResponseBytes())
	s.client.breaker = upstream.NewBreaker(s.name, c.CircuitBreaker.Policy())
	s.client.now = now
	s.maxURLBytes = c.maxURLBytes()
	return s, nil
}

// protectedHeaders names every header the section sends (configured,
// forwarded, from claims, an API key), which must never follow a redirect
// to another host.
func (c *Config) protectedHeaders() []string {
	names := slices.Collect(maps.Keys(c.Headers))
	for _, h := range c.ForwardHeaders {
		names = append(names, parseForwardedHeader(h).upstream)
	}
	names = append(names, slices.Collect(maps.Keys(c.ClaimsToHeaders))...)
	if c.Auth != nil && c.Auth.APIKey != nil && c.Auth.APIKey.In != "query" && c.Auth.APIKey.In != "cookie" {
		names = append(names, c.Auth.APIKey.Name)
	}
	return names
}

// newEntityResolver checks an entity declaration against the converted
// spec: the type and its key fields, the operation, its argument and result.
// A mismatch is reported at the key (below path) that names the wrong
// thing.
func newEntityResolver(e *EntityConfig, doc *oas.Document, typePrefix, path string) (*entityResolver, *tributary.FieldError) {
	bad := func(key, format string, args ...any) *tributary.FieldError {
		return &tributary.FieldError{Path: path + "." + key, Message: fmt.Sprintf(format, args...)}
	}
	t := doc.Types[e.Type]
	if t == nil && typePrefix != "" {
		t = doc.Types[typePrefix+e.Type] // the type may be named without the prefix
	}
	if t == nil || t.Kind != oas.KindObject {
		return nil, bad("type", "the spec has no object type %q; object types: %s", e.Type, objectTypeNames(doc, 12))
	}
	keyFields := strings.Fields(e.Key)
	for _, f := range keyFields {
		if !slices.ContainsFunc(t.Fields, func(tf *oas.Field) bool { return tf.Name == f }) {
			return nil, bad("key", "type %s has no field %q for the key", e.Type, f)
		}
	}
	var op *oas.Operation
	for _, o := range doc.Operations {
		if o.ID == e.Operation {
			op = o
			break
		}
	}
	if op == nil {
		return nil, bad("operation", "the spec has no operation %q (or include/exclude removed it)", e.Operation)
	}
	r := &entityResolver{
		typeName: t.Name, keyFields: keyFields, op: op, argument: e.Argument,
		maxBatch: e.maxBatchSize(), concurrency: e.concurrency(),
	}
	args := operationArgs(op)
	argNames := strings.Join(slices.Sorted(maps.Keys(args)), ", ")
	if e.Argument == "" {
		for _, f := range keyFields {
			if args[f] == nil {
				return nil, bad("argument", "operation %s has no argument %q for key field %q; set argument to the one that takes the key (arguments: %s)", op.ID, f, f, argNames)
			}
		}
	} else {
		at := args[e.Argument]
		if at == nil {
			return nil, bad("argument", "operation %s has no argument %q (arguments: %s)", op.ID, e.Argument, argNames)
		}
		r.list = at.Elem != nil
	}
	res := op.Result.Type
	if op.Result.Kind != oas.ResultJSON || res == nil {
		return nil, bad("operation", "operation %s does not return JSON", op.ID)
	}
	if r.list {
		if res.Elem == nil || res.Elem.Named != t.Name {
			return nil, bad("operation", "operation %s takes a list of keys but does not return a list of %s (it returns %s)", op.ID, t.Name, res.String())
		}
		r.itemType = res.Elem
	} else {
		if res.Named != t.Name {
			return nil, bad("operation", "operation %s returns %s, not %s", op.ID, res.String(), t.Name)
		}
		r.itemType = res
	}
	return r, nil
}

// keyError reports err, a failure to use the value of the section's key at
// path, at that key. The converter's errors start with its package's name,
// which the gateway's "(openapi)" says already.
func keyError(path string, err error) *tributary.FieldError {
	return &tributary.FieldError{Path: path, Message: strings.TrimPrefix(err.Error(), "openapi: "), Err: err}
}

// operationArgs maps op's GraphQL argument names to their types.
func operationArgs(op *oas.Operation) map[string]*oas.TypeRef {
	args := map[string]*oas.TypeRef{}
	for _, p := range op.Params {
		args[p.Arg] = p.Type
	}
	if op.Body != nil {
		args[op.Body.Arg] = op.Body.Type
	}
	return args
}

func objectTypeNames(doc *oas.Document, limit int) string {
	var names []string
	for n, t := range doc.Types {
		if t.Kind == oas.KindObject {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "none"
	}
	if len(names) > limit {
		return strings.Join(names[:limit], ", ") + fmt.Sprintf(" and %d more", len(names)-limit)
	}
	return strings.Join(names, ", ")
}

// redactedURL drops credentials and the query from a URL for logs.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	u.User = nil
	u.RawQuery = ""
	return u.String()
}

// forwardedHeader is a client header copied upstream, perhaps renamed.
type forwardedHeader struct {
	client, upstream string // canonical forms
}

// parseForwardedHeader reads a forwardHeaders entry: "X-Request-Id", or
// "X-Client-Token: X-Api-Token" to send the client's X-Client-Token as
// X-Api-Token.
func parseForwardedHeader(entry string) forwardedHeader {
	client, upstream, renamed := strings.Cut(entry, ":")
	client = http.CanonicalHeaderKey(strings.TrimSpace(client))
	if !renamed {
		return forwardedHeader{client: client, upstream: client}
	}
	return forwardedHeader{client: client, upstream: http.CanonicalHeaderKey(strings.TrimSpace(upstream))}
}
