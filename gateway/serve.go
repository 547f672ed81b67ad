package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/gateway/httpserver"
	"github.com/tributary-gw/tributary/gateway/telemetry"
)

// Serve runs `gateway serve` for cfg on ln (nil: listen on cfg.Listen):
// garbage-collector defaults, tracing, the gateway, and the HTTP server with
// the config's limits, CORS and GraphiQL, whose /readyz follows the
// subgraphs' readiness (Gateway.Ready). It returns when ctx ends (after a
// graceful shutdown, which closes the gateway once in-flight requests
// drained, within server.shutdownTimeout) or the server fails. ready, if
// set, is called with the listening address once requests are being
// accepted.
func Serve(ctx context.Context, cfg *config.Config, ln net.Listener, logger *slog.Logger, ready func(addr string)) error {
	if logger == nil {
		logger = slog.Default()
	}
	shutdownTracing, err := telemetry.Setup(ctx, TelemetryOptions(cfg))
	if err != nil {
		return fmt.Errorf("%s: telemetry: %w", cfg.Path, err)
	}
	defer func() { _ = shutdownTracing(context.WithoutCancel(ctx)) }()
	gw, err := Build(ctx, cfg, logger)
	if err != nil {
		return err
	}
	// The serving GC defaults come after start-up: converting a large
	// OpenAPI spec under a 40 MiB soft limit would collect non-stop.
	TuneGarbageCollector()
	srv := httpserver.New(cfg.Listen, HTTPOptions(cfg, gw, logger))
	if ln == nil {
		if ln, err = net.Listen("tcp", cfg.Listen); err != nil {
			return errors.Join(fmt.Errorf("%s: listen %q: %w", cfg.Path, cfg.Listen, err), releaseGateway(ctx, gw))
		}
	}
	logger.Info("gateway listening", "addr", ln.Addr().String(), "subgraphs", len(gw.Subgraphs), "graphql", "/graphql")
	if ready != nil {
		ready(ln.Addr().String())
	}
	return srv.Serve(ctx, ln, cfg.Server.ShutdownTimeout.Std())
}

// TelemetryOptions are the tracing options of cfg's telemetry section, as
// `gateway serve` and the Lambda adapter install them.
func TelemetryOptions(cfg *config.Config) telemetry.Options {
	return telemetry.Options{
		ServiceName: cfg.Telemetry.ServiceName,
		Endpoint:    cfg.Telemetry.OTLP.Endpoint,
		Headers:     cfg.Telemetry.OTLP.Headers,
		Insecure:    cfg.Telemetry.OTLP.Insecure,
		SampleRatio: cfg.Telemetry.SampleRatio,
	}
}

// HTTPOptions are the options of `gateway serve`'s HTTP handler for gw,
// built from cfg: limits, CORS, GraphiQL, tracing, readiness and the drain.
// Other transports that serve through httpserver.NewHandler (the Lambda
// adapter) take them from here, so that they answer exactly as serve does.
func HTTPOptions(cfg *config.Config, gw *Gateway, logger *slog.Logger) httpserver.Options {
	if logger == nil {
		logger = slog.Default()
	}
	return httpserver.Options{
		Executor:       gw,
		GraphiQL:       cfg.GraphiQL,
		MaxBodyBytes:   cfg.Server.MaxBodyBytes,
		RequestTimeout: cfg.Server.RequestTimeout.Std(),
		CORS: httpserver.CORSOptions{
			AllowOrigins:     cfg.CORS.AllowOrigins,
			AllowHeaders:     cfg.CORS.AllowHeaders,
			AllowCredentials: cfg.CORS.AllowCredentials,
			MaxAge:           cfg.CORS.MaxAge.Std(),
		},
		Logger:     logger,
		Middleware: telemetry.Middleware,
		Ready:      func() error { return gw.Ready(context.Background()) },
		DrainDelay: cfg.Server.DrainDelay.Std(),
		Drained:    gw.Close,
	}
}

// releaseGateway closes a gateway that never served.
func releaseGateway(ctx context.Context, gw *Gateway) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	return gw.Close(ctx)
}
