// Command gateway runs Tributary: one GraphQL endpoint over the subgraphs
// listed in gateway.yaml.
//
//	gateway [serve]   serve the GraphQL endpoint (the default)
//	gateway serve -artifact DIR  serve from a start-up artifact, offline
//	gateway compose   print the supergraph SDL composed from gateway.yaml
//	gateway compose -o DIR  write a start-up artifact instead
//	gateway validate  check gateway.yaml, its subgraphs, their composition, and
//	                  that every field of the result plans in some query
//	gateway openapi SPEC  print the subgraph SDL generated from an OpenAPI spec
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway"
	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `Usage: gateway [command] [flags]

Commands:
  serve     serve the GraphQL endpoint over HTTP (the default)
  compose   print the supergraph SDL composed from the config's subgraphs
  validate  check the config, build every subgraph, compose them and plan a
            query for every field (exits 1 listing the fields none reaches)
  openapi SPEC  print the subgraph SDL generated from an OpenAPI spec

Flags:
  -config FILE    the gateway config (default $GATEWAY_CONFIG, else ./gateway.yaml)
  -o DIR          compose: write a start-up artifact into DIR (the supergraph,
                  the config as written, a copy of every spec and file read)
  -artifact DIR   serve: start from the artifact in DIR instead of -config,
                  without fetching or composing anything
`

// run executes one command line and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "openapi" {
		return openapiCommand(ctx, args, stdout, stderr)
	}
	fs := flag.NewFlagSet("gateway "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	defaultConfig := os.Getenv("GATEWAY_CONFIG")
	if defaultConfig == "" {
		defaultConfig = "gateway.yaml"
	}
	path := fs.String("config", defaultConfig, "gateway config file")
	var out, artifactDir *string
	switch cmd {
	case "compose":
		out = fs.String("o", "", "write a start-up artifact into this directory")
	case "serve":
		artifactDir = fs.String("artifact", "", "serve from the start-up artifact in this directory")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gateway %s: unexpected argument %q\n\n%s", cmd, fs.Arg(0), usage)
		return 2
	}
	if artifactDir != nil && *artifactDir != "" && flagSet(fs, "config") {
		fmt.Fprintf(stderr, "gateway serve: give -config or -artifact, not both (the artifact holds its own config)\n\n%s", usage)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	var err error
	switch cmd {
	case "serve":
		if *artifactDir != "" {
			err = serveArtifact(ctx, *artifactDir, logger)
		} else {
			err = serve(ctx, *path, logger)
		}
	case "compose":
		if *out != "" {
			err = writeArtifact(ctx, *path, *out, stdout, logger)
		} else {
			err = compose(ctx, *path, stdout, stderr, logger)
		}
	case "validate":
		err = validate(ctx, *path, stdout, logger)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "gateway: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "gateway %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, path string, logger *slog.Logger) error {
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	return gateway.Serve(ctx, cfg, nil, logger, nil)
}

func compose(ctx context.Context, path string, stdout, stderr io.Writer, logger *slog.Logger) error {
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	_, built, err := gateway.BuildSubgraphs(ctx, cfg, logger)
	if err != nil {
		return err
	}
	sdl, warnings, err := gateway.Supergraph(cfg, built)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	_, err = io.WriteString(stdout, sdl)
	return err
}

func validate(ctx context.Context, path string, stdout io.Writer, logger *slog.Logger) error {
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	gw, err := gateway.Build(ctx, cfg, logger)
	if err != nil {
		return err
	}
	// Composing is not enough: a field no query can reach composes fine
	// and fails only when a client asks for it, so every field is planned
	// here, by serve's planner.
	res, err := gw.CheckSatisfiable(ctx)
	if res != nil {
		for _, u := range res.Invalid {
			logger.Warn("validate: no valid query could be built to check this field; it was not checked",
				"field", u.Coordinate(), "path", u.Path, "query", u.Query, "error", u.Reason)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s is valid: %d subgraph(s) compose into a supergraph the planner accepts, with a query for each of its %d fields\n",
		cfg.Path, len(gw.Subgraphs), res.Fields)
	return nil
}
