package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway"
	"github.com/tributary-gw/tributary/gateway/artifact"
)

// writeArtifact runs `gateway compose -o DIR`.
// Composition warnings are logged by gateway.Build.
func writeArtifact(ctx context.Context, path, dir string, stdout io.Writer, logger *slog.Logger) error {
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	m, err := gateway.WriteArtifact(ctx, cfg, dir, logger)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the start-up artifact %s: %s, %s (as written, ${VAR} not replaced) and %d resource(s):\n",
		dir, m.Supergraph, m.Config, len(m.Resources))
	for _, location := range slices.Sorted(maps.Keys(m.Resources)) {
		fmt.Fprintf(stdout, "  %s ← %s\n", m.Resources[location], location)
	}
	return nil
}

// serveArtifact runs `gateway serve -artifact DIR`.
func serveArtifact(ctx context.Context, dir string, logger *slog.Logger) error {
	cfg, err := artifact.Load(dir)
	if err != nil {
		return err
	}
	return gateway.Serve(ctx, cfg, nil, logger, nil)
}

// flagSet reports whether the command line set the flag name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
