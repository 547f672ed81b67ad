package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/config"
)

// probeKind is a subgraph kind for tests: an in-process subgraph answering
// `hello`, whose readiness, closing and requests a test controls through
// the probe registered under the subgraph's name.
const probeKind = "probetest"

func init() {
	tributary.RegisterKind(tributary.Kind{
		Name:      probeKind,
		Doc:       "A subgraph whose lifecycle the gateway's tests control.",
		NewConfig: func() tributary.SubgraphConfig { return &probeConfig{} },
	})
}

var probes sync.Map // subgraph name → *probe

type probeConfig struct{}

func (*probeConfig) Validate() error { return nil }

func (*probeConfig) Build(_ context.Context, name string, _ tributary.BuildContext) (*tributary.Subgraph, error) {
	v, ok := probes.Load(name)
	if !ok {
		return nil, errors.New("no probe registered for this subgraph")
	}
	p := v.(*probe)
	return &tributary.Subgraph{SDL: "type Query { hello: String }", Source: p, Ready: p.ready, Close: p.close}, nil
}

// probe is one probetest subgraph's state.
type probe struct {
	notReady atomic.Pointer[string]
	// release, when not nil, holds every request until it is closed.
	release  chan struct{}
	inFlight atomic.Int32
	// closes counts Close calls; inFlightAtClose is what was running then.
	closes, inFlightAtClose atomic.Int32
}

func newProbe(t *testing.T, name string) *probe {
	p := &probe{}
	probes.Store(name, p)
	t.Cleanup(func() { probes.Delete(name) })
	return p
}

func (p *probe) setNotReady(reason string) {
	if reason == "" {
		p.notReady.Store(nil)
		return
	}
	p.notReady.Store(&reason)
}

func (p *probe) ready(context.Context) error {
	if reason := p.notReady.Load(); reason != nil {
		return errors.New(*reason)
	}
	return nil
}

func (p *probe) close(context.Context) error {
	p.inFlightAtClose.Store(p.inFlight.Load())
	p.closes.Add(1)
	return nil
}

func (p *probe) ResolveField(ctx context.Context, _ tributary.FieldCall) (json.RawMessage, error) {
	p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	if p.release != nil {
		select {
		case <-p.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return json.RawMessage(`"world"`), nil
}

func (p *probe) ResolveEntities(context.Context, tributary.EntityBatch) ([]tributary.Result, error) {
	return nil, errors.New("no entities")
}

func (p *probe) ResolveFieldBatch(context.Context, tributary.FieldBatch) ([]tributary.Result, error) {
	return nil, errors.New("no nested fields")
}

// getReadyz returns /readyz's status and reason.
func getReadyz(t *testing.T, addr string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	defer resp.Body.Close()
	var body struct{ Reason string }
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.Reason
}

// eventually polls cond for up to five seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
	}
}

// /readyz follows the subgraphs' Ready checks, turns 503 as soon as the
// shutdown begins (and stays reachable for server.drainDelay), and the
// gateway's subgraphs are closed only once the request in flight ended.
func TestServeReadinessAndShutdown(t *testing.T) {
	p := newProbe(t, "probed")
	p.setNotReady("warming up the pool")
	p.release = make(chan struct{})
	cfg, err := config.Parse("gateway.yaml", []byte(`
server: {drainDelay: 400ms, shutdownTimeout: 5s}
subgraphs:
  - name: probed
    probetest: {}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	listening := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, cfg, ln, slog.New(slog.DiscardHandler), func(string) { close(listening) })
	}()
	<-listening

	if status, reason := getReadyz(t, addr); status != http.StatusServiceUnavailable || !strings.Contains(reason, `subgraph "probed" is not ready: warming up the pool`) {
		t.Fatalf("before the subgraph is ready: %d %q", status, reason)
	}
	p.setNotReady("")
	eventually(t, "/readyz to answer 200 once the subgraph is ready", func() bool {
		status, _ := getReadyz(t, addr)
		return status == http.StatusOK
	})

	answered := make(chan string, 1)
	go func() {
		resp, err := http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(`{"query":"{ hello }"}`))
		if err != nil {
			answered <- err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- string(body)
	}()
	eventually(t, "the request to reach the subgraph", func() bool { return p.inFlight.Load() == 1 })

	cancel()
	eventually(t, "/readyz to answer 503 once the shutdown began", func() bool {
		status, reason := getReadyz(t, addr)
		return status == http.StatusServiceUnavailable && reason == "shutting down"
	})
	eventually(t, "the listener to close after the drain delay", func() bool {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
		}
		return err != nil
	})
	if n := p.closes.Load(); n != 0 {
		t.Fatal("the subgraph was closed while a request was in flight")
	}
	close(p.release)
	if body := <-answered; body != `{"data":{"hello":"world"}}` {
		t.Fatalf("the request in flight got %s", body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if n, running := p.closes.Load(), p.inFlightAtClose.Load(); n != 1 || running != 0 {
		t.Fatalf("closed %d times with %d requests in flight; want once, after they ended", n, running)
	}
}
