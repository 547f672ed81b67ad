// Command lambda is the gateway as an AWS Lambda function, built as
// `bootstrap` for the provided.al2023 runtime (amd64 and arm64; `make
// lambda` packages it). At init it builds the gateway from the start-up
// artifact beside gateway.yaml (see package lambda's LoadConfig): no SDL
// is fetched and nothing is composed. Each invocation — API Gateway REST
// or HTTP API, Function URL or ALB — is then served by `gateway serve`'s
// HTTP handler, reusing the gateway, its upstream connections and its plan
// cache across warm invocations.
//
// If init fails, the error is reported to the Runtime API's init/error
// endpoint and the process exits 1.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	awslambda "github.com/aws/aws-lambda-go/lambda"
	"go.opentelemetry.io/otel"

	"github.com/tributary-gw/tributary/gateway"
	"github.com/tributary-gw/tributary/gateway/httpserver"
	"github.com/tributary-gw/tributary/gateway/telemetry"
	"github.com/tributary-gw/tributary/lambda"
	_ "github.com/tributary-gw/tributary/subgraphs/builtin"
)

func main() {
	// CloudWatch indexes JSON log lines field by field.
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := newHandler(context.Background(), os.Getenv, logger)
	if err != nil {
		logger.Error("lambda: init failed", "error", err)
		if api := os.Getenv("AWS_LAMBDA_RUNTIME_API"); api != "" {
			if err := lambda.ReportInitError(api, err); err != nil {
				logger.Error("lambda: could not report the init error", "error", err)
			}
		}
		os.Exit(1)
	}
	awslambda.Start(h)
}

// newHandler builds what every invocation shares: the tracing `gateway
// serve` would install, the gateway from the artifact, and serve's HTTP
// handler with its executor wrapped to pass the authorizer's identity on.
// It logs how long each step took: the part of init after package
// initialisation, which this program controls.
func newHandler(ctx context.Context, getenv func(string) string, logger *slog.Logger) (*lambda.Handler, error) {
	started := time.Now()
	cfg, err := lambda.LoadConfig(getenv)
	if err != nil {
		return nil, err
	}
	loaded := time.Now()
	// The returned shutdown is not kept: Lambda gives no shutdown moment to
	// a function without extensions, so spans are flushed per invocation.
	if _, err := telemetry.Setup(ctx, gateway.TelemetryOptions(cfg)); err != nil {
		return nil, fmt.Errorf("%s: telemetry: %w", cfg.Path, err)
	}
	gw, err := gateway.Build(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	built := time.Now()
	gateway.TuneGarbageCollector()
	opts := gateway.HTTPOptions(cfg, gw, logger)
	opts.Executor = lambda.CallerExecutor(gw)
	h := lambda.NewHandler(httpserver.NewHandler(opts), lambda.Options{
		Flush:  forceFlush(),
		Logger: logger,
	})
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	logger.Info("lambda: initialized", "subgraphs", len(gw.Subgraphs), "build_ms", ms(time.Since(started)),
		"config_ms", ms(loaded.Sub(started)), "gateway_ms", ms(built.Sub(loaded)))
	return h, nil
}

// forceFlush returns the installed tracer provider's ForceFlush, or nil
// when it buffers nothing (no OTLP endpoint: the no-op provider).
func forceFlush() func(context.Context) error {
	if p, ok := otel.GetTracerProvider().(interface{ ForceFlush(context.Context) error }); ok {
		return p.ForceFlush
	}
	return nil
}
