package tributary

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"time"
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
}

// RemoteGraphQL describes how to reach a GraphQL subgraph over HTTP.
type RemoteGraphQL struct {
	// URL is the subgraph's GraphQL endpoint.
	URL string
	// Header is sent with every request.
	Header http.Header
	// ForwardHeaders lists client request headers copied upstream.
	ForwardHeaders []string
	// Timeout bounds one upstream request; zero means the gateway default.
	Timeout time.Duration
}

// Source resolves the data of an in-process subgraph. The engine calls it
// with whole batches: one ResolveEntities call per plan level, however many
// list items asked for the same type.
type Source interface {
	// ResolveField resolves one root field (Query, Mutation) and returns its
	// JSON value. A returned *Error reaches the client as is.
	ResolveField(ctx context.Context, call FieldCall) (json.RawMessage, error)
	// ResolveEntities resolves entity representations. The result has one
	// entry per representation, in order; a miss is a nil Data and no Err.
	ResolveEntities(ctx context.Context, batch EntityBatch) ([]EntityResult, error)
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
}

// Selection is one field selected from a Source's value, by its name in the
// subgraph SDL, with its own sub-selection. Aliases are the engine's
// business: a field selected twice under two aliases appears once.
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
	Header          http.Header
	// Selection is what the client selected of the entities (see
	// FieldCall.Selection).
	Selection []*Selection
}

// EntityResult is the outcome for one representation.
type EntityResult struct {
	// Data is the entity's JSON object (with "__typename"), or nil for a miss.
	Data json.RawMessage
	// Err fails this entity only.
	Err error
}

// BuildContext is what a kind may use while building its subgraph.
type BuildContext struct {
	// Dir is the directory of gateway.yaml; kinds resolve relative paths
	// against it.
	Dir string
	// Logger receives warnings (for example, degraded operations).
	Logger *slog.Logger
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

// FieldError reports a problem with one key of a config section.
type FieldError struct {
	// Path is the dotted key path relative to the section, e.g. "headers" or
	// "auth.oauth1.consumerKey"; list items are written "items[2]".
	Path string
	// Message says what is wrong and how to fix it.
	Message string
}

// Error implements error.
func (e *FieldError) Error() string { return e.Path + ": " + e.Message }

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
