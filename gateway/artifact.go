package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway/artifact"

	"github.com/tributary-gw/tributary/internal/files"
)

// WriteArtifact builds the gateway for cfg as Build does (reading files and
// URLs, fetching SDLs, composing, planning) and writes what it read into a
// start-up artifact in dir (package gateway/artifact): the supergraph, a
// verbatim copy of cfg's file, and every resource the kinds read. Nothing
// is written when the gateway does not build. It returns the artifact's
// manifest.
func WriteArtifact(ctx context.Context, cfg *config.Config, dir string, logger *slog.Logger) (*artifact.Manifest, error) {
	gatewayYAML, err := files.Read(cfg.Path, files.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("start-up artifact: copying the config: %w", err)
	}
	read := cfg.ReadResource
	if read == nil {
		read = tributary.BuildContext{Dir: cfg.Dir}.Read
	}
	rec := artifact.NewRecorder(read)
	recording := *cfg
	recording.ReadResource = rec.Read
	gw, err := Build(ctx, &recording, logger)
	if err != nil {
		return nil, err
	}
	if err := releaseGateway(ctx, gw); err != nil {
		return nil, err
	}
	if err := artifact.Write(dir, gatewayYAML, gw.Supergraph, rec); err != nil {
		return nil, err
	}
	a, err := artifact.Open(dir)
	if err != nil {
		return nil, errors.Join(errors.New("start-up artifact: written but unreadable"), err)
	}
	return &a.Manifest, nil
}

// BuildFromArtifact builds the gateway from the start-up artifact in dir
// (see artifact.Load): it reads only the artifact's files, fetches no SDL,
// composes nothing and makes no connection. ${VAR} references in the
// artifact's gateway.yaml take the environment's values now. This is the
// entry point of environments without a gateway.yaml to load, such as a
// Lambda function's cold start.
func BuildFromArtifact(ctx context.Context, dir string, logger *slog.Logger) (*Gateway, error) {
	cfg, err := artifact.Load(dir)
	if err != nil {
		return nil, err
	}
	return Build(ctx, cfg, logger)
}
