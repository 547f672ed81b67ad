// Package gateway wires a loaded gateway.yaml into a running gateway: each
// subgraph kind builds its subgraph, the subgraphs compose into a supergraph
// (or a precomposed one is read), and the engine is built over it.
//
//	gateway.yaml → config → kinds build SDL + datasources → composition
//	→ supergraph → engine → Execute
package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/composition"
	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway/engine"
	"github.com/tributary-gw/tributary/gateway/limits"
	"github.com/tributary-gw/tributary/gateway/upstream"

	"github.com/tributary-gw/tributary/internal/files"
)

// Gateway is a built gateway: its supergraph and the engine executing
// against it. Ready reports whether its subgraphs can serve; Close releases
// what they hold.
type Gateway struct {
	// Config is the configuration it was built from.
	Config *config.Config
	// Supergraph is the supergraph SDL the engine plans against.
	Supergraph string
	// Warnings lists what composition dropped or ignored.
	Warnings []string
	// Subgraphs are what the kinds built, by name.
	Subgraphs map[string]*tributary.Subgraph

	engine *engine.Engine
	life   lifecycle
}

// Execute implements tributary.Executor.
func (g *Gateway) Execute(ctx context.Context, req *tributary.Request) *tributary.Response {
	return g.engine.Execute(ctx, req)
}

// ClientSchema returns the schema clients see, as SDL.
func (g *Gateway) ClientSchema() string { return g.engine.ClientSchema() }

// BuildSubgraphs has every configured kind build its subgraph, in parallel
// (remote kinds fetch their SDL at start-up, unless the config names a
// supergraph: then kinds are told it is precomposed, and a subgraph's SDL
// may be empty). Kinds read their files and URLs through
// cfg.ReadResource when it is set. Errors are BuildErrors: they name the
// subgraph once and point at the line of the key at fault.
func BuildSubgraphs(ctx context.Context, cfg *config.Config, logger *slog.Logger) (map[string]*tributary.Subgraph, []*tributary.Subgraph, error) {
	if logger == nil {
		logger = slog.Default()
	}
	built := make([]*tributary.Subgraph, len(cfg.Subgraphs))
	errs := make([]error, len(cfg.Subgraphs))
	var wg sync.WaitGroup
	for i, entry := range cfg.Subgraphs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bc := tributary.BuildContext{
				Dir:          cfg.Dir,
				Logger:       logger.With("subgraph", entry.Name),
				HTTPClient:   upstream.Factory{}.ForSubgraph(entry.Name),
				ReadResource: cfg.ReadResource,
				Precomposed:  cfg.Supergraph != "",
			}
			sg, err := entry.Config.Build(ctx, entry.Name, bc)
			if err != nil {
				errs[i] = locateBuildError(cfg.Path, entry, err)
				return
			}
			if sg == nil || sg.SDL == "" && cfg.Supergraph == "" {
				errs[i] = locateBuildError(cfg.Path, entry, errors.New("the kind produced no schema"))
				return
			}
			sg.Name = entry.Name
			built[i] = sg
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, errors.Join(err, releaseSubgraphs(ctx, built))
	}
	byName := make(map[string]*tributary.Subgraph, len(built))
	for _, sg := range built {
		byName[sg.Name] = sg
	}
	return byName, built, nil
}

// Supergraph returns the supergraph SDL for cfg: the file it names, or the
// composition of the built subgraphs.
func Supergraph(cfg *config.Config, built []*tributary.Subgraph) (sdl string, warnings []string, err error) {
	if path := cfg.SupergraphPath(); path != "" {
		b, err := files.Read(path, files.MaxBytes)
		if err != nil {
			return "", nil, fmt.Errorf("%s: supergraph: %w", cfg.Path, err)
		}
		return string(b), nil, nil
	}
	inputs := make([]composition.Subgraph, 0, len(built))
	for _, sg := range built {
		in := composition.Subgraph{Name: sg.Name, SDL: sg.SDL}
		if sg.Remote != nil {
			in.URL = sg.Remote.URL
		}
		inputs = append(inputs, in)
	}
	res, err := composition.Compose(inputs)
	if err != nil {
		return "", nil, fmt.Errorf("composing the subgraphs of %s failed:\n%w", cfg.Path, err)
	}
	return res.SDL, res.Warnings, nil
}

// Build builds the gateway for cfg. ctx bounds start-up work (SDL fetches)
// and the engine's background goroutines.
func Build(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*Gateway, error) {
	if logger == nil {
		logger = slog.Default()
	}
	byName, built, err := BuildSubgraphs(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	sdl, warnings, err := Supergraph(cfg, built)
	if err != nil {
		return nil, errors.Join(err, releaseSubgraphs(ctx, built))
	}
	for _, w := range warnings {
		logger.Warn("composition", "warning", w)
	}
	eng, err := engine.New(ctx, engine.Options{
		Supergraph:    sdl,
		Subgraphs:     byName,
		Introspection: cfg.Introspection,
		Limits: limits.Limits{
			MaxDepth:        cfg.Limits.MaxDepth,
			MaxAliases:      cfg.Limits.MaxAliases,
			MaxRootFields:   cfg.Limits.MaxRootFields,
			MaxTokens:       cfg.Limits.MaxTokens,
			MaxFields:       cfg.Limits.MaxFields,
			MaxCost:         cfg.Limits.MaxCost,
			DefaultListSize: cfg.Limits.DefaultListSize,
		},
		MaxResponseBytes: int(min(cfg.Server.MaxResponseBytes, math.MaxInt)),
		PlanCacheBytes:   int(min(cfg.Server.PlanCacheBytes, math.MaxInt)),
		ShareRequests:    cfg.Server.ShareIdenticalRequests,
		HTTPClient:       upstream.Factory{}.Client,
		Logger:           logger,
		Errors: engine.ErrorOptions{
			Mask:                  cfg.Errors.Masked(cfg.Introspection),
			AllowExtensions:       cfg.Errors.AllowExtensions,
			ExposeSubgraphDetails: cfg.Errors.ExposeSubgraphDetails,
		},
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("%s: %w", cfg.Path, err), releaseSubgraphs(ctx, built))
	}
	return &Gateway{Config: cfg, Supergraph: sdl, Warnings: warnings, Subgraphs: byName, engine: eng}, nil
}
