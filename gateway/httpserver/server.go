package httpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// DefaultShutdownTimeout is used when a zero or negative shutdown timeout is
// given.
const DefaultShutdownTimeout = 30 * time.Second

// Timeouts of the underlying http.Server. Request bodies and execution are
// bounded per request by Options.RequestTimeout.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
)

// Server serves the handler of NewHandler on one address and shuts down
// gracefully when its context ends. Serve it once.
type Server struct {
	addr       string
	handler    http.Handler
	logger     *slog.Logger
	drainDelay time.Duration
	drained    func(ctx context.Context) error
	bound      atomic.Pointer[string]
	// shuttingDown turns /readyz to 503 when the shutdown begins.
	shuttingDown atomic.Bool
}

// errShuttingDown is the readiness of a server whose shutdown has begun.
var errShuttingDown = errors.New("shutting down")

// New returns a server that will listen on addr ("host:port"; ":8080",
// "127.0.0.1:0") and serve NewHandler(o).
func New(addr string, o Options) *Server {
	o = o.withDefaults()
	s := &Server{addr: addr, logger: o.Logger, drainDelay: o.DrainDelay, drained: o.Drained}
	ready := o.Ready
	o.Ready = func() error {
		if s.shuttingDown.Load() {
			return errShuttingDown
		}
		if ready != nil {
			return ready()
		}
		return nil
	}
	s.handler = NewHandler(o)
	return s
}

// Addr returns the address the server listens on once it is listening (with
// the real port when the configured one was 0), and the configured address
// before that.
func (s *Server) Addr() string {
	if bound := s.bound.Load(); bound != nil {
		return *bound
	}
	return s.addr
}

// ListenAndServe listens on the server's address and serves until ctx ends
// or the listener fails; see Serve.
func (s *Server) ListenAndServe(ctx context.Context, shutdownTimeout time.Duration) error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("httpserver: cannot listen on %q: %w (is the port in use, or the address wrong?)", s.addr, err)
	}
	return s.Serve(ctx, ln, shutdownTimeout)
}

// Serve serves HTTP on ln until ctx ends or ln fails, and takes ownership of
// ln. When ctx ends it shuts down gracefully: /readyz answers 503 at once,
// and after Options.DrainDelay it stops accepting connections, closes idle
// ones, and waits up to shutdownTimeout for in-flight requests before
// closing their connections; then it calls Options.Drained within what is
// left of shutdownTimeout. It returns nil after a clean shutdown, an error
// if requests had to be cut off, Drained failed or the listener failed.
//
// Requests' contexts do not derive from ctx, so that cancelling ctx lets
// in-flight requests finish rather than failing them.
func (s *Server) Serve(ctx context.Context, ln net.Listener, shutdownTimeout time.Duration) error {
	if shutdownTimeout <= 0 {
		shutdownTimeout = DefaultShutdownTimeout
	}
	addr := ln.Addr().String()
	s.bound.Store(&addr)
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.logger.Info("httpserver: serving", "addr", addr)

	select {
	case err := <-served:
		return errors.Join(fmt.Errorf("httpserver: serving on %s stopped: %w", addr, err), s.callDrained(ctx, shutdownTimeout))
	case <-ctx.Done():
	}

	s.shuttingDown.Store(true)
	if s.drainDelay > 0 {
		s.logger.Info("httpserver: shutting down; still serving while /readyz answers 503", "addr", addr, "drainDelay", s.drainDelay)
		delay := time.NewTimer(s.drainDelay)
		select {
		case <-delay.C:
		case err := <-served:
			delay.Stop()
			return errors.Join(fmt.Errorf("httpserver: serving on %s stopped: %w", addr, err), s.callDrained(ctx, shutdownTimeout))
		}
	}
	s.logger.Info("httpserver: shutting down; waiting for in-flight requests", "addr", addr, "timeout", shutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	var shutdownErr error
	if err := srv.Shutdown(shutdownCtx); err != nil {
		closeErr := srv.Close()
		shutdownErr = fmt.Errorf("httpserver: in-flight requests on %s did not finish within the %s shutdown timeout, so their connections were closed: %w",
			addr, shutdownTimeout, errors.Join(err, closeErr))
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		shutdownErr = errors.Join(shutdownErr, fmt.Errorf("httpserver: serving on %s: %w", addr, err))
	}
	if s.drained != nil {
		shutdownErr = errors.Join(shutdownErr, s.drained(shutdownCtx))
	}
	if shutdownErr == nil {
		s.logger.Info("httpserver: stopped", "addr", addr)
	}
	return shutdownErr
}

// callDrained calls Drained, if set, within timeout, when serving stopped
// without a graceful shutdown.
func (s *Server) callDrained(ctx context.Context, timeout time.Duration) error {
	if s.drained == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	return s.drained(ctx)
}
