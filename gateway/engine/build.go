package engine

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astparser"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/asttransform"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/datasource/graphql_datasource"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/gateway/upstream"
)

// buildSchema parses a schema's SDL and adds the built-in scalars and
// introspection types the validator and planner need.
func buildSchema(what, sdl string) (*ast.Document, error) {
	doc, report := astparser.ParseGraphqlDocumentString(sdl)
	if report.HasErrors() {
		return nil, fmt.Errorf("%s schema does not parse: %s", what, report.Error())
	}
	if err := asttransform.MergeDefinitionWithBaseSchema(&doc); err != nil {
		return nil, fmt.Errorf("%s schema: %w", what, err)
	}
	return &doc, nil
}

// buildPlanConfiguration turns the supergraph into the planner's
// configuration: one datasource per subgraph (remote GraphQL or in-process
// Source), the argument configuration of every field, and introspection.
func buildPlanConfiguration(ctx context.Context, sg *supergraph, schema, planSchema *ast.Document, o *Options) (plan.Configuration, error) {
	cfg := plan.Configuration{Fields: append(plan.FieldConfigurations(nil), sg.argFields...)}
	if o.Limits.MaxCost > 0 {
		cfg.ComputeCosts = true
		cfg.StaticCostDefaultListSize = max(o.Limits.DefaultListSize, 1)
	}
	subscriptions := graphql_datasource.NewGraphQLSubscriptionClient(ctx)
	reps, err := newRepresentationBuilder(sg)
	if err != nil {
		return cfg, err
	}
	objectTypes := objectTypeNames(planSchema)
	for _, g := range sg.graphs {
		view := sg.views[g.name]
		view.metadata.CostConfig = copyCosts(sg.costs)
		sub := o.Subgraphs[g.name]
		var ds plan.DataSource
		switch {
		case sub != nil && sub.Source != nil:
			ifaceObjs := map[string]string{}
			for _, io := range view.metadata.InterfaceObjects {
				ifaceObjs[io.InterfaceTypeName] = io.InterfaceTypeName
				for _, c := range io.ConcreteTypeNames {
					ifaceObjs[c] = io.InterfaceTypeName
				}
			}
			var batchFields map[string]bool
			if batchFields, err = checkBatchFields(sub.BatchFields, view); err != nil {
				return cfg, fmt.Errorf("subgraph %q: %w", g.name, err)
			}
			var schema *ast.Document
			if schema, err = buildSchema("subgraph", view.sdl); err != nil {
				return cfg, fmt.Errorf("subgraph %q: %w", g.name, err)
			}
			ds, err = plan.NewDataSourceConfigurationWithName[sourceConfig](g.name, g.name,
				&sourceFactory{ctx: ctx}, &view.metadata, sourceConfig{subgraph: g.name, source: sub.Source, reps: reps,
					interfaceObjects: ifaceObjs, batchFields: batchFields, schema: schema})
		default:
			ds, err = remoteDataSource(ctx, g, view, sub, subscriptions, objectTypes, o)
		}
		if err != nil {
			return cfg, fmt.Errorf("subgraph %q: %w", g.name, err)
		}
		cfg.DataSources = append(cfg.DataSources, ds)
	}
	if o.Introspection {
		ds, fields, err := introspectionDataSources(schema)
		if err != nil {
			return cfg, fmt.Errorf("introspection: %w", err)
		}
		cfg.DataSources = append(cfg.DataSources, ds...)
		cfg.Fields = append(cfg.Fields, fields...)
	}
	return cfg, nil
}

func remoteDataSource(ctx context.Context, g graphInfo, view *subgraphView, sub *tributary.Subgraph,
	subscriptions graphql_datasource.GraphQLSubscriptionClient, objectTypes map[string]bool, o *Options) (plan.DataSource, error) {
	url, header := g.url, http.Header{}
	var (
		clientOptions tributary.HTTPClientOptions
		retry         tributary.RetryPolicy
		breaker       tributary.BreakerPolicy
	)
	if sub != nil && sub.Remote != nil {
		retry, breaker = sub.Remote.Retry, sub.Remote.Breaker
		if sub.Remote.URL != "" {
			url = sub.Remote.URL
		}
		header = sub.Remote.Header.Clone()
		clientOptions.Timeout = sub.Remote.Timeout
		clientOptions.FollowRedirects = sub.Remote.FollowRedirects
		clientOptions.MaxResponseBytes = sub.Remote.MaxResponseBytes
		clientOptions.ProtectedHeaders = protectedHeaders(sub.Remote)
	}
	if clientOptions.MaxResponseBytes <= 0 {
		clientOptions.MaxResponseBytes = upstream.DefaultMaxResponseBytes
	}
	if url == "" {
		return nil, fmt.Errorf("no URL: give it in gateway.yaml (graphql.url) or in the supergraph's @join__graph(url:)")
	}
	newClient := o.HTTPClient
	if newClient == nil {
		newClient = upstream.Factory{}.Client
	}
	client := newClient(g.name, clientOptions)
	next := client.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	// From the top: check _entities answers against their representations,
	// count them for the span, answer failed calls with errors at their
	// fields, answer refused redirects and oversized bodies likewise, retry
	// failed queries and read bodies whole.
	failures := failureTransport{subgraph: g.name, next: upstream.GraphQLErrors(upstream.Retry(g.name, next, retry, breaker))}
	client.Transport = entityKeyTransport{subgraph: g.name, objectTypes: objectTypes, next: batchSizeTransport{next: failures}}
	// The transports below read every body whole, so the subgraph's timeout
	// can bound the call as a context deadline: cheaper than http.Client's
	// own timer, and none at all when the request's deadline comes first.
	client.Transport = upstream.OnWarmStacks(upstream.Deadline(client.Timeout, client.Transport))
	client.Timeout = 0
	factory, err := graphql_datasource.NewFactory(ctx, client, subscriptions)
	if err != nil {
		return nil, err
	}
	schemaCfg, err := graphql_datasource.NewSchemaConfiguration(view.sdl,
		&graphql_datasource.FederationConfiguration{Enabled: true, ServiceSDL: view.sdl})
	if err != nil {
		return nil, fmt.Errorf("subgraph schema rebuilt from the supergraph is invalid: %w", err)
	}
	dsCfg, err := graphql_datasource.NewConfiguration(graphql_datasource.ConfigurationInput{
		Fetch:               &graphql_datasource.FetchConfiguration{URL: url, Method: http.MethodPost, Header: header},
		Subscription:        &graphql_datasource.SubscriptionConfiguration{URL: url},
		SchemaConfiguration: schemaCfg,
	})
	if err != nil {
		return nil, err
	}
	return plan.NewDataSourceConfigurationWithName[graphql_datasource.Configuration](g.name, g.name, factory, &view.metadata, dsCfg)
}

// protectedHeaders names the headers the gateway sends a remote subgraph
// (configured, forwarded, from claims), which must not follow a redirect to
// another origin.
func protectedHeaders(r *tributary.RemoteGraphQL) []string {
	names := slices.Collect(maps.Keys(r.Header))
	names = append(names, r.ForwardHeaders...)
	return append(names, slices.Collect(maps.Keys(r.ClaimsToHeaders))...)
}

// newRepresentationBuilder indexes the supergraph's composite types for
// rendering entity representations of in-process subgraphs.
func newRepresentationBuilder(sg *supergraph) (*representationBuilder, error) {
	doc, err := parser.ParseSchema(&gqlast.Source{Name: "supergraph", Input: sg.planSDL})
	if err != nil {
		return nil, err
	}
	rb := &representationBuilder{types: map[string]*gqlast.Definition{}, implementers: map[string][]string{}, objectTypes: map[string]bool{}}
	for _, d := range doc.Definitions {
		rb.types[d.Name] = d
		if d.Kind == gqlast.Object {
			rb.objectTypes[d.Name] = true
			for _, i := range d.Interfaces {
				rb.implementers[i] = append(rb.implementers[i], d.Name)
			}
		}
	}
	return rb, nil
}

// checkBatchFields indexes a subgraph's batch fields, each of which must be
// a field ("Type.field") of a type below the root that the subgraph owns.
func checkBatchFields(fields []string, view *subgraphView) (map[string]bool, error) {
	out := make(map[string]bool, len(fields))
	owned := map[string]bool{}
	for _, nodes := range [][]plan.TypeField{view.metadata.RootNodes, view.metadata.ChildNodes} {
		for _, n := range nodes {
			if n.TypeName == "Query" || n.TypeName == "Mutation" || n.TypeName == "Subscription" {
				continue
			}
			for _, f := range n.FieldNames {
				owned[n.TypeName+"."+f] = true
			}
		}
	}
	for _, f := range fields {
		if !owned[f] {
			return nil, fmt.Errorf("batch field %q is not a field below the root that this subgraph resolves (write Type.field)", f)
		}
		out[f] = true
	}
	return out, nil
}
