// Package engine turns a supergraph into a running GraphQL executor on
// graphql-go-tools v2: it builds the planner's configuration from the join
// directives, prepares operations (parse, limits, normalize, validate, plan)
// with a plan cache, and resolves them across the subgraphs.
//
// It is the only package that talks to the planner and resolver, so a
// library upgrade touches this folder alone.
package engine

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sync/atomic"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/resolve"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/limits"
)

// Options configures an Engine.
type Options struct {
	// Supergraph is the supergraph SDL in the Apollo join spec.
	Supergraph string
	// Subgraphs maps subgraph names to what their kinds built. A subgraph of
	// the supergraph missing here is reached as remote GraphQL at its
	// @join__graph URL.
	Subgraphs map[string]*tributary.Subgraph
	// Introspection enables __schema and __type.
	Introspection bool
	// Limits are checked before an operation is planned.
	Limits limits.Limits
	// PlanCacheBytes is the memory budget, in estimated bytes, of the
	// caches of prepared operations (by request text) and of plans (by
	// normalized operation), half each; an entry larger than an eighth of
	// its half is not cached. Zero or less means DefaultPlanCacheBytes.
	PlanCacheBytes int
	// MaxResponseBytes bounds the response body: a larger response is
	// replaced by a RESPONSE_TOO_LARGE error. Zero or less means
	// DefaultMaxResponseBytes.
	MaxResponseBytes int
	// ShareRequests lets concurrent identical queries share one execution
	// and its response. Identical means the same normalized operation,
	// variables, headers any subgraph would receive and caller identity;
	// mutations, subscriptions and requests with uploads never share.
	ShareRequests bool
	// HTTPClient builds the HTTP client of each remote GraphQL subgraph,
	// with the subgraph's timeout (zero when it sets none). It must return
	// a new client per call, as the engine wraps its Transport. Nil means
	// upstream.Factory{}.Client: the gateway's shared pool, with a client
	// span and traceparent on every call.
	HTTPClient func(subgraph string, o tributary.HTTPClientOptions) *http.Client
	// Logger receives engine warnings, and the details of masked errors.
	Logger *slog.Logger
	// Errors says what clients see of upstream and internal errors.
	Errors ErrorOptions
}

// Engine executes GraphQL operations against a composed supergraph. It is
// safe for concurrent use.
type Engine struct {
	// schema is what clients see: operations are validated against it.
	schema *ast.Document
	// planSchema adds the @inaccessible parts, which the planner needs.
	planSchema *ast.Document
	planConfig plan.Configuration
	resolver   *resolve.Resolver
	cache      *lru[*preparedOperation] // by request text
	plans      *lru[*plannedOperation]  // by normalized operation
	opts       Options
	forward    map[string][]string          // subgraph → client headers forwarded
	claims     map[string]map[string]string // subgraph → header → caller's claim
	sources    map[string]bool              // in-process subgraphs get all client headers
	tracer     trace.Tracer
	clientSDL  string
	// shared counts requests answered from another's execution, and
	// followerShared adds one (built once: a method value allocates).
	shared         atomic.Int64
	followerShared func(context.Context, any)
}

// New builds an engine. ctx bounds the engine's background work (the
// resolver's and subscription client's goroutines).
func New(ctx context.Context, o Options) (*Engine, error) {
	sg, err := parseSupergraph(o.Supergraph)
	if err != nil {
		return nil, err
	}
	for name := range o.Subgraphs {
		if _, ok := sg.views[name]; !ok {
			return nil, fmt.Errorf("subgraph %q is configured but the supergraph has no such graph (its join__Graph names: %v)", name, slices.Sorted(maps.Keys(sg.views)))
		}
	}
	schema, err := buildSchema("client", sg.clientSDL)
	if err != nil {
		return nil, err
	}
	planSchema, err := buildSchema("supergraph", sg.planSDL)
	if err != nil {
		return nil, err
	}
	planConfig, err := buildPlanConfiguration(ctx, sg, schema, planSchema, &o)
	if err != nil {
		return nil, err
	}
	if o.PlanCacheBytes <= 0 {
		o.PlanCacheBytes = DefaultPlanCacheBytes
	}
	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	e := &Engine{
		schema:     schema,
		planSchema: planSchema,
		planConfig: planConfig,
		cache:      newLRU[*preparedOperation](o.PlanCacheBytes / 2),
		plans:      newLRU[*plannedOperation](o.PlanCacheBytes / 2),
		opts:       o,
		forward:    map[string][]string{},
		claims:     map[string]map[string]string{},
		sources:    map[string]bool{},
		tracer:     otel.Tracer("github.com/tributary-gw/tributary"),
		clientSDL:  sg.clientSDL,
	}
	e.followerShared = func(context.Context, any) { e.shared.Add(1) }
	for name, s := range o.Subgraphs {
		if s.Source != nil {
			e.sources[name] = true
		} else if s.Remote != nil {
			if len(s.Remote.ForwardHeaders) > 0 {
				e.forward[name] = s.Remote.ForwardHeaders
			}
			if len(s.Remote.ClaimsToHeaders) > 0 {
				e.claims[name] = s.Remote.ClaimsToHeaders
			}
		}
	}
	// A first planner proves the configuration plans at all, at start-up
	// rather than on the first request.
	if _, err := plan.NewPlanner(planConfig); err != nil {
		return nil, fmt.Errorf("planner configuration: %w", err)
	}
	e.resolver = resolve.New(ctx, resolve.ResolverOptions{
		MaxConcurrency:                     4096,
		PropagateSubgraphErrors:            true,
		PropagateSubgraphStatusCodes:       true,
		SubgraphErrorPropagationMode:       resolve.SubgraphErrorPropagationModePassThrough,
		RewriteSubgraphErrorPaths:          true,
		AllowAllErrorExtensionFields:       true,
		AttachServiceNameToErrorExtensions: true,
		DefaultErrorExtensionCode:          "DOWNSTREAM_SERVICE_ERROR",
		MaxRecyclableParserSize:            64 * 1024,
	})
	return e, nil
}

// ClientSchema returns the schema clients see, as SDL.
func (e *Engine) ClientSchema() string { return e.clientSDL }
