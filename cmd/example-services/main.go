// Command example-services serves the example services behind the bundled
// gateway.yaml over HTTP, for `make run` and for trying the gateway by
// hand: four federation subgraphs (accounts, products, inventory, reviews)
// and one REST service described by OpenAPI (shipping):
//
//	go run ./cmd/example-services [-host 127.0.0.1] [-base-port 4001]
//
// accounts listens on base-port, products on base-port+1, inventory on
// base-port+2 and reviews on base-port+3, each at /graphql; shipping on
// base-port+4 under /v1. SIGINT or SIGTERM shuts them down, letting
// requests in flight finish.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/tributary-gw/tributary/examples/federation"
	"github.com/tributary-gw/tributary/examples/shipping"
)

// serveREST serves h on addr until the returned stop is called.
func serveREST(addr string, h http.Handler) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

func main() {
	host := flag.String("host", "127.0.0.1", "interface to listen on")
	basePort := flag.Int("base-port", 4001, "port of the first subgraph (accounts); the others take the next ports")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if err := run(ctx, logger, *host, *basePort); err != nil {
		logger.Error("example services stopped", "error", err)
		os.Exit(1)
	}
}

// run serves every example subgraph until ctx ends, then stops them all.
func run(ctx context.Context, logger *slog.Logger, host string, basePort int) error {
	stop, err := startAll(logger, host, basePort)
	if err != nil {
		return err
	}
	<-ctx.Done()
	logger.Info("shutting down")
	stop()
	return nil
}

// startAll starts the subgraphs on consecutive ports from basePort and
// returns a func that stops them. If one cannot start, those already
// started are stopped.
func startAll(logger *slog.Logger, host string, basePort int) (stop func(), err error) {
	services := federation.All()
	if basePort < 1 || basePort+len(services) > 65535 {
		return nil, fmt.Errorf("-base-port %d leaves no room for %d ports; pick one between 1 and %d",
			basePort, len(services)+1, 65535-len(services))
	}
	var stops []func()
	stopAll := func() {
		for _, stop := range stops {
			stop()
		}
	}
	for i, s := range services {
		addr := net.JoinHostPort(host, strconv.Itoa(basePort+i))
		url, stop, err := federation.StartAt(s, addr)
		if err != nil {
			stopAll()
			return nil, fmt.Errorf("%w (is another copy running? pass -base-port to move)", err)
		}
		stops = append(stops, stop)
		logger.Info("subgraph listening", "name", s.Name, "url", url)
	}
	addr := net.JoinHostPort(host, strconv.Itoa(basePort+len(services)))
	stop, err = serveREST(addr, shipping.New())
	if err != nil {
		stopAll()
		return nil, fmt.Errorf("start shipping REST service: %w (is another copy running? pass -base-port to move)", err)
	}
	stops = append(stops, stop)
	logger.Info("REST service listening", "name", "shipping", "url", "http://"+addr+"/v1")
	return stopAll, nil
}
