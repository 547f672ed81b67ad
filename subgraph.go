package tributary

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tributary-gw/tributary/internal/files"
)

// Subgraph is what a subgraph kind builds from its config section: the
// subgraph's federation SDL and the way the engine reaches its data.
// Exactly one of Remote and Source is set.
type Subgraph struct {
	// Name is the subgraph's name from gateway.yaml.
	Name string
	// SDL is the subgraph schema in Apollo Federation v2 form (@key,
	// @external, @requires, @provides, @shareable…).
	SDL string
	// Remote is set for subgraphs that speak GraphQL over HTTP.
	Remote *RemoteGraphQL
	// Source is set for subgraphs the gateway resolves in-process
	// (REST, DynamoDB, SQL, static data).
	Source Source
	// BatchFields lists fields below the root, as "Type.field", that Source
	// resolves with ResolveFieldBatch although they take no arguments (a
	// relation, an OpenAPI link). Fields with arguments on the subgraph's
	// types are always resolved that way, so their arguments are never
	// dropped.
	BatchFields []string
	// Ready, if set, reports whether the subgraph can serve (its pool
	// reached the database, its client is configured): nil when ready. The
	// gateway's readiness probe calls it with a short deadline.
	Ready func(ctx context.Context) error
	// Close, if set, releases what the kind holds (connection pools,
	// clients). The gateway calls it once at shutdown, after in-flight
	// requests ended, subgraphs in the reverse order of gateway.yaml; ctx
	// carries the shutdown deadline.
	Close func(ctx context.Context) error
}

// RemoteGraphQL describes how to reach a GraphQL subgraph over HTTP.
type RemoteGraphQL struct {
	// URL is the subgraph's GraphQL endpoint.
	URL string
	// Header is sent with every request.
	Header http.Header
	// ForwardHeaders lists client request headers copied upstream.
	ForwardHeaders []string
	// ClaimsToHeaders sends claims of the request's caller upstream: header
	// name → claim name (see Identity.Claim).
	ClaimsToHeaders map[string]string
	// Timeout bounds one upstream request; zero means the gateway default.
	Timeout time.Duration
	// FollowRedirects says which redirects are followed; zero means never.
	FollowRedirects RedirectPolicy
	// MaxResponseBytes bounds a response body; zero means the gateway
	// default.
	MaxResponseBytes int64
	// Retry says how failed idempotent calls are retried; zero fields mean
	// the gateway defaults.
	Retry RetryPolicy
	// Breaker is the subgraph's circuit breaker; zero fields mean the
	// gateway defaults.
	Breaker BreakerPolicy
}

// Source resolves the data of an in-process subgraph. The engine calls it
// with whole batches: one ResolveEntities call per plan level, however many
// list items asked for the same type, and one ResolveFieldBatch call per
// plan level for a field below the root, however many parents it has.
//
// A Source returns plain JSON values: objects keyed by field name, as the
// subgraph SDL names them. The engine shapes them into the client's
// selection (aliases, fragments, __typename), so a Source never sees a
// response key. An object may carry keys of the Source's own that start
// with "__" (other than "__typename"): clients never see them, and the
// object reaches ResolveFieldBatch as a parent with them intact.
type Source interface {
	// ResolveField resolves one root field (Query, Mutation) and returns its
	// JSON value. A returned *Error reaches the client as is.
	ResolveField(ctx context.Context, call FieldCall) (json.RawMessage, error)
	// ResolveEntities resolves entity representations. The result has one
	// entry per representation, in order; a miss is a nil Data and no Err.
	ResolveEntities(ctx context.Context, batch EntityBatch) ([]Result, error)
	// ResolveFieldBatch resolves one field below the root (a field with
	// arguments, or one listed in Subgraph.BatchFields) on every parent of
	// a plan level. The result has one entry per parent, in order: Data is
	// the field's value on that parent (nil for null).
	ResolveFieldBatch(ctx context.Context, batch FieldBatch) ([]Result, error)
}

// FieldCall is one root field to resolve.
type FieldCall struct {
	// TypeName is the root type: "Query" or "Mutation".
	TypeName string
	// FieldName is the field's name in the subgraph SDL.
	FieldName string
	// Arguments is the JSON object of the field's argument values.
	Arguments json.RawMessage
	// Header holds the client's request headers.
	Header http.Header
	// Selection is what the client selected of the field's value (nil for
	// leaf fields). Sources may use it to fetch less, or to resolve fields
	// that need calls of their own (OpenAPI links).
	Selection []*Selection
	// Files are the request's uploads whose variables feed this field's
	// arguments, keyed by the argument path they fill ("file",
	// "input.attachments.0"); the Arguments hold null there.
	Files map[string]*File
	// Caller is who is asking, nil when the request is anonymous.
	Caller *Identity
}

// FieldBatch asks for one field below the root on every parent object of a
// plan level, with one set of arguments: `User.posts(limit: 3)` for the 50
// users of a page is one FieldBatch with 50 parents. Two aliases of a field
// with different arguments are two batches; with equal arguments, one.
type FieldBatch struct {
	// TypeName is the parent's type in the subgraph SDL ("User"); for a
	// field of an interface selected on its implementations, the parents'
	// own __typename tells them apart.
	TypeName string
	// FieldName is the field's name in the subgraph SDL ("posts").
	FieldName string
	// Arguments is the JSON object of the field's argument values, with
	// variables substituted and schema defaults applied; "{}" when none.
	Arguments json.RawMessage
	// Parents are the distinct parent objects, each exactly as this Source
	// returned it (from ResolveField, ResolveEntities or an earlier
	// ResolveFieldBatch), its own "__" keys included.
	Parents []json.RawMessage
	// Selection is what the client selected of the field's value.
	Selection []*Selection
	// Header holds the client's request headers.
	Header http.Header
	// Caller is who is asking, nil when the request is anonymous.
	Caller *Identity
}

// Selection is one field selected from a Source's value, by its name in the
// subgraph SDL, with its own sub-selection. Aliases are the engine's
// business: a field selected twice under two aliases appears once. A field
// the engine resolves with ResolveFieldBatch (one with arguments, or a
// batch field) appears too, so that a Source can load what that call will
// need; the Source need not put a value for it in the object.
type Selection struct {
	// Name is the field's name.
	Name string
	// OnType is set when the field was selected in a fragment on that
	// concrete type; the field applies to objects of that type only.
	OnType string
	// Children is the field's sub-selection, nil for leaves.
	Children []*Selection
}

// EntityBatch is the set of entity representations one plan level needs from
// a subgraph. Each representation is a JSON object with "__typename" and the
// fields of one of the type's keys (and any @requires fields). Representations
// are already de-duplicated.
type EntityBatch struct {
	Representations []json.RawMessage
	// Header holds the client's request headers.
	Header http.Header
	// Selection is what the client selected of the entities (see
	// FieldCall.Selection).
	Selection []*Selection
	// Caller is who is asking, nil when the request is anonymous.
	Caller *Identity
}

// ParseRepresentation decodes an entity representation of an EntityBatch:
// its fields by name, and its __typename; ok is false when raw is not a
// JSON object.
func ParseRepresentation(raw json.RawMessage) (typeName string, fields map[string]json.RawMessage, ok bool) {
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return "", nil, false
	}
	_ = json.Unmarshal(fields["__typename"], &typeName)
	return typeName, fields, true
}

// Result is the outcome for one item of a batch: an entity representation
// or a parent of a FieldBatch.
type Result struct {
	// Data is the JSON value (an entity's object, with "__typename"), or nil
	// for a miss or null.
	Data json.RawMessage
	// Err fails this item only; a *PartialError keeps Data with errors
	// inside it.
	Err error
}

// BuildContext is what a kind may use while building its subgraph.
type BuildContext struct {
	// Dir is the directory of gateway.yaml; kinds resolve relative paths
	// against it.
	Dir string
	// Logger receives warnings (for example, degraded operations).
	Logger *slog.Logger
	// HTTPClient, set by the gateway, builds the subgraph's upstream HTTP
	// client: the gateway's shared connection pool and proxy settings, a
	// client span and W3C traceparent on every call, and the timeout asked
	// for. Kinds wrap its Transport to authenticate. Use NewHTTPClient,
	// which falls back to a plain client when it is nil (in tests).
	HTTPClient func(HTTPClientOptions) *http.Client
	// ReadResource, set by the gateway, reads a file (relative to Dir) or an
	// http(s) URL the kind needs at start-up, such as a spec. The gateway
	// records what it reads into a start-up artifact, and started from one
	// serves it from there without touching the network. Use
	// BuildContext.Read, which falls back to the file system and the
	// network when it is nil.
	ReadResource func(ctx context.Context, location string) ([]byte, error)
	// Precomposed reports that the supergraph is given (a supergraph file
	// or a start-up artifact): a kind must not fetch or compute anything
	// only composition needs (a remote subgraph's SDL); it may leave
	// Subgraph.SDL empty.
	Precomposed bool
}

// HTTPClientOptions configures a subgraph's upstream HTTP client.
type HTTPClientOptions struct {
	// Timeout bounds one request, retries not included; zero means the
	// gateway's default.
	Timeout time.Duration
	// FollowRedirects says which redirects the client follows; zero means
	// RedirectNever. Whatever it says, a redirect hop to another origin
	// carries no Authorization, Proxy-Authorization or Cookie header and
	// none of ProtectedHeaders.
	FollowRedirects RedirectPolicy
	// ProtectedHeaders names the headers the kind sends (configured,
	// forwarded, claims): they never reach an origin other than the
	// request's own.
	ProtectedHeaders []string
	// MaxResponseBytes, when positive, bounds a response body: reading past
	// it fails with *ResponseTooLargeError.
	MaxResponseBytes int64
}

// NewHTTPClient returns the gateway's client for o, or outside a gateway a
// plain client with o's timeout.
func (bc BuildContext) NewHTTPClient(o HTTPClientOptions) *http.Client {
	if bc.HTTPClient != nil {
		return bc.HTTPClient(o)
	}
	return &http.Client{Timeout: o.Timeout}
}

// maxResourceBytes bounds a resource Read fetches over HTTP outside a
// gateway.
const maxResourceBytes = 256 << 20

// Read reads a resource through ReadResource, or outside a gateway from
// the file system (relative paths against Dir) or over http(s).
func (bc BuildContext) Read(ctx context.Context, location string) ([]byte, error) {
	if bc.ReadResource != nil {
		return bc.ReadResource(ctx, location)
	}
	if !strings.HasPrefix(location, "http://") && !strings.HasPrefix(location, "https://") {
		if !filepath.IsAbs(location) && bc.Dir != "" {
			location = filepath.Join(bc.Dir, location)
		}
		return files.Read(location, files.MaxBytes)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, location, nil)
	if err != nil {
		return nil, err
	}
	resp, err := bc.NewHTTPClient(HTTPClientOptions{Timeout: time.Minute}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("GET %s: %s", location, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResourceBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", location, err)
	}
	if len(body) > maxResourceBytes {
		return nil, fmt.Errorf("GET %s: larger than %d MiB", location, maxResourceBytes>>20)
	}
	return body, nil
}

// SubgraphConfig is one kind's decoded config section.
type SubgraphConfig interface {
	// Validate checks the section after decoding. It returns nil, or
	// FieldErrors whose paths are relative to the section, so that the
	// config loader can point at the YAML line.
	Validate() error
	// Build produces the subgraph named name.
	Build(ctx context.Context, name string, bc BuildContext) (*Subgraph, error)
}

// FieldError reports a problem with one key of a config section, found by
// Validate or later by Build (a spec that does not load, an entity that
// does not match it); the gateway points at the key's line either way.
type FieldError struct {
	// Path is the dotted key path relative to the section, e.g. "headers" or
	// "auth.oauth1.consumerKey"; list items are written "items[2]".
	Path string
	// Message says what is wrong and how to fix it.
	Message string
	// Err, if set, is the cause Message describes (a network error, an
	// ended context), for errors.Is and errors.As.
	Err error
}

// Error implements error.
func (e *FieldError) Error() string { return e.Path + ": " + e.Message }

// Unwrap returns Err.
func (e *FieldError) Unwrap() error { return e.Err }

// FieldErrors is a list of FieldError; it is itself an error.
type FieldErrors []*FieldError

// Error implements error.
func (es FieldErrors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	s := fmt.Sprintf("%d problems:", len(es))
	for _, e := range es {
		s += "\n  " + e.Error()
	}
	return s
}

// Addf appends a FieldError at path whose message is format applied to
// args: how a kind's Validate collects its problems.
func (es *FieldErrors) Addf(path, format string, args ...any) {
	*es = append(*es, &FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Err returns es as an error, or nil when it holds none, so that Validate
// can end with `return errs.Err()`.
func (es FieldErrors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// AsFieldErrors returns the FieldErrors err holds, a FieldErrors or one
// *FieldError (wrapped or not), without nil entries; nil if it holds none.
func AsFieldErrors(err error) FieldErrors {
	var list FieldErrors
	if errors.As(err, &list) {
		out := make(FieldErrors, 0, len(list))
		for _, fe := range list {
			if fe != nil {
				out = append(out, fe)
			}
		}
		return out
	}
	var one *FieldError
	if errors.As(err, &one) && one != nil {
		return FieldErrors{one}
	}
	return nil
}

// Kind is a registered kind of subgraph.
type Kind struct {
	// Name is the kind's key in gateway.yaml (graphql, openapi, sql…).
	Name string
	// Doc is one line describing the kind, for docs and JSON Schema.
	Doc string
	// NewConfig returns a pointer to an empty config section, which the
	// config loader decodes into (strictly: unknown keys are errors).
	NewConfig func() SubgraphConfig
}

var (
	kindsMu sync.RWMutex
	kinds   = map[string]Kind{}
)

// RegisterKind makes a subgraph kind available to gateway.yaml. Kinds call it
// from init; registering a name twice panics, as it is a programming error.
func RegisterKind(k Kind) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if k.Name == "" || k.NewConfig == nil {
		panic("tributary: RegisterKind needs a Name and a NewConfig")
	}
	if _, dup := kinds[k.Name]; dup {
		panic("tributary: subgraph kind registered twice: " + k.Name)
	}
	kinds[k.Name] = k
}

// LookupKind returns the kind registered under name.
func LookupKind(name string) (Kind, bool) {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	k, ok := kinds[name]
	return k, ok
}

// Kinds returns every registered kind, sorted by name.
func Kinds() []Kind {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	out := make([]Kind, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
