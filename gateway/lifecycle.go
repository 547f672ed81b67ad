package gateway

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tributary-gw/tributary"
)

const (
	// readyCheckTimeout bounds one round of subgraph readiness checks, and so
	// how long a probe waits: Kubernetes gives a probe one second by default.
	readyCheckTimeout = 800 * time.Millisecond
	// readyCacheTTL is how long a round's result answers probes, so that
	// several probers (kubelet, load balancers) do not multiply the checks.
	readyCacheTTL = time.Second
	// releaseTimeout bounds closing the subgraphs of a build that failed.
	releaseTimeout = 5 * time.Second
)

// errClosed is the readiness of a closed gateway.
var errClosed = errors.New("the gateway is shutting down")

// lifecycle is a Gateway's state after Build: whether it was closed, and
// the readiness checks' cache.
type lifecycle struct {
	closeOnce sync.Once
	closeErr  error
	closed    atomic.Bool
	ready     readiness
}

// Close releases what the subgraphs hold (connection pools, clients). It
// calls each subgraph's Close once, one at a time in the reverse order of
// gateway.yaml, so that a subgraph is closed before those listed above it.
// Each waits at most until ctx's deadline: a Close still running then is
// abandoned and reported by subgraph name. The errors are joined. Later
// calls return the first call's result. Call it once requests have ended;
// gateway.Serve does after the HTTP server drained them.
func (g *Gateway) Close(ctx context.Context) error {
	g.life.closeOnce.Do(func() {
		g.life.closed.Store(true)
		g.life.closeErr = closeSubgraphs(ctx, g.inConfigOrder())
	})
	return g.life.closeErr
}

// Ready reports whether the gateway can serve: nil once every subgraph's
// Ready check passes (a subgraph without one is ready), otherwise an error
// naming each subgraph that is not. The checks run concurrently, and a call
// waits at most readyCheckTimeout (less if ctx ends first): a check still
// running then counts as not ready, and later calls wait for that same
// check rather than start another, so a check that hangs cannot pile up
// goroutines. A result answers the calls of the next readyCacheTTL. A closed
// gateway is never ready.
func (g *Gateway) Ready(ctx context.Context) error {
	if g.life.closed.Load() {
		return errClosed
	}
	return g.life.ready.check(ctx, g.inConfigOrder())
}

// inConfigOrder returns the built subgraphs in the order of gateway.yaml.
func (g *Gateway) inConfigOrder() []*tributary.Subgraph {
	out := make([]*tributary.Subgraph, 0, len(g.Subgraphs))
	if g.Config != nil {
		for _, entry := range g.Config.Subgraphs {
			if sg := g.Subgraphs[entry.Name]; sg != nil {
				out = append(out, sg)
			}
		}
	}
	if len(out) != len(g.Subgraphs) { // built without a config listing them
		out = out[:0]
		for _, name := range slices.Sorted(maps.Keys(g.Subgraphs)) {
			out = append(out, g.Subgraphs[name])
		}
	}
	return out
}

// closeSubgraphs closes subgraphs in reverse order, nil entries skipped.
func closeSubgraphs(ctx context.Context, subgraphs []*tributary.Subgraph) error {
	var errs []error
	for _, sg := range slices.Backward(subgraphs) {
		if sg == nil || sg.Close == nil {
			continue
		}
		if err := closeSubgraph(ctx, sg); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// closeSubgraph calls sg.Close and waits for it until ctx ends.
func closeSubgraph(ctx context.Context, sg *tributary.Subgraph) error {
	done := make(chan error, 1)
	go func() { done <- callHook(sg.Close, ctx) }()
	select {
	case err := <-done:
		return closeError(sg.Name, err)
	case <-ctx.Done():
		select {
		case err := <-done: // finished as the deadline passed
			return closeError(sg.Name, err)
		default:
		}
		return fmt.Errorf("subgraph %q: close did not finish before the shutdown deadline and was abandoned (raise server.shutdownTimeout if it needs longer): %w", sg.Name, context.Cause(ctx))
	}
}

func closeError(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("subgraph %q: close: %w", name, err)
}

// releaseSubgraphs closes the subgraphs of a build that failed after they
// were built; ctx may already be cancelled, so it only bounds the wait.
func releaseSubgraphs(ctx context.Context, built []*tributary.Subgraph) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	return closeSubgraphs(ctx, built)
}

// callHook calls a kind's Ready or Close, turning a panic into an error so
// that one kind's bug cannot take a probe or the shutdown down with it.
func callHook(hook func(context.Context) error, ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return hook(ctx)
}

// readiness runs the subgraphs' Ready checks for Gateway.Ready.
type readiness struct {
	// mu is held for a whole round, so that concurrent probes share one.
	mu      sync.Mutex
	checked time.Time
	err     error
	// pending holds, by subgraph name, checks that outlived their round.
	pending map[string]chan error
	// timeout and ttl override readyCheckTimeout and readyCacheTTL (tests).
	timeout, ttl time.Duration
}

// check returns the cached result, or runs a round of checks.
func (r *readiness) check(ctx context.Context, subgraphs []*tributary.Subgraph) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ttl, timeout := orDefault(r.ttl, readyCacheTTL), orDefault(r.timeout, readyCheckTimeout)
	if !r.checked.IsZero() && time.Since(r.checked) < ttl {
		return r.err
	}
	r.err = r.round(ctx, subgraphs, timeout)
	r.checked = time.Now()
	return r.err
}

// round runs every check concurrently and waits for them until timeout.
func (r *readiness) round(ctx context.Context, subgraphs []*tributary.Subgraph, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if r.pending == nil {
		r.pending = map[string]chan error{}
	}
	var checked []*tributary.Subgraph
	for _, sg := range subgraphs {
		if sg.Ready == nil {
			continue
		}
		checked = append(checked, sg)
		if r.pending[sg.Name] == nil {
			result := make(chan error, 1)
			r.pending[sg.Name] = result
			go func() { result <- callHook(sg.Ready, ctx) }()
		}
	}
	var errs []error
	for _, sg := range checked {
		var err error
		select {
		case err = <-r.pending[sg.Name]:
			delete(r.pending, sg.Name)
		case <-ctx.Done():
			select {
			case err = <-r.pending[sg.Name]:
				delete(r.pending, sg.Name)
			default:
				err = fmt.Errorf("its readiness check did not answer within %s", timeout)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("subgraph %q is not ready: %w", sg.Name, err))
		}
	}
	return errors.Join(errs...)
}

// orDefault returns d, or def when d is zero.
func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
