package gateway

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/examples/federation"
	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
)

// bundledArtifact composes the bundled gateway.yaml, over the example
// subgraphs started in-process, into an artifact and returns its directory.
func bundledArtifact(b *testing.B) string {
	b.Helper()
	for _, s := range federation.All() {
		url, stop, err := federation.Start(s)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(stop)
		b.Setenv(strings.ToUpper(s.Name)+"_URL", url)
	}
	cfg, err := config.Load(filepath.Join("..", "gateway.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "artifact")
	if _, err := WriteArtifact(context.Background(), cfg, dir, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkStartFromArtifact is the cold start of a Lambda function or a
// container serving the bundled gateway.yaml from its artifact: load the
// config, build the six subgraphs (converting the OpenAPI spec, indexing the
// static data) and the engine, ready to execute. docs/benchmarks.md.
func BenchmarkStartFromArtifact(b *testing.B) {
	dir := bundledArtifact(b)
	logger := slog.New(slog.DiscardHandler)
	b.ReportAllocs()
	for b.Loop() {
		ctx, cancel := context.WithCancel(context.Background())
		gw, err := BuildFromArtifact(ctx, dir, logger)
		if err != nil {
			b.Fatal(err)
		}
		if err := gw.Close(ctx); err != nil {
			b.Fatal(err)
		}
		cancel() // ends the engine's background goroutines
	}
}
