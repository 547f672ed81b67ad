package httpserver

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tributary "github.com/tributary-gw/tributary"
)

// closeSignallingListener closes closed when the server closes it, so tests
// can wait for "no longer accepting" without sleeping.
type closeSignallingListener struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

func (l *closeSignallingListener) Close() error {
	err := l.Listener.Close()
	l.once.Do(func() { close(l.closed) })
	return err
}

func listenLocal(t *testing.T) *closeSignallingListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return &closeSignallingListener{Listener: ln, closed: make(chan struct{})}
}

// blockingExecutor signals entered when a request arrives and answers once
// release is closed (or the request's ctx ends).
func blockingExecutor() (exec *fakeExecutor, entered, release chan struct{}) {
	entered, release = make(chan struct{}), make(chan struct{})
	var once sync.Once
	exec = &fakeExecutor{respond: func(ctx context.Context, req *tributary.Request) *tributary.Response {
		once.Do(func() { close(entered) })
		select {
		case <-release:
			return &tributary.Response{Body: []byte(`{"data":{"slow":true}}`)}
		case <-ctx.Done():
			return &tributary.Response{Body: []byte(`{"errors":[{"message":"cancelled"}]}`), Outcome: tributary.Failed}
		}
	}}
	return exec, entered, release
}

type result struct {
	status int
	err    error
}

func postAsync(url string) chan result {
	out := make(chan result, 1)
	go func() {
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Post(url, "application/json", strings.NewReader(`{"query":"{ slow }"}`))
		if err != nil {
			out <- result{err: err}
			return
		}
		resp.Body.Close()
		out <- result{status: resp.StatusCode}
	}()
	return out
}

func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	exec, entered, release := blockingExecutor()
	logger, _ := testLogger()
	srv := New("ignored:0", Options{Executor: exec, Logger: logger})
	ln := listenLocal(t)
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln, time.Minute) }()

	inFlight := postAsync("http://" + addr + "/graphql")
	<-entered
	if got := srv.Addr(); got != addr {
		t.Errorf("Addr() = %q, want %q", got, addr)
	}
	cancel()
	<-ln.closed

	if conn, err := net.Dial("tcp", addr); err == nil {
		conn.Close()
		t.Error("a new connection was accepted after shutdown began")
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) while a request was in flight", err)
	default:
	}

	close(release)
	if r := <-inFlight; r.err != nil || r.status != http.StatusOK {
		t.Errorf("in-flight request: status %d, error %v; want 200", r.status, r.err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve after a clean shutdown = %v, want nil", err)
	}
	if exec.calls() != 1 {
		t.Errorf("executor calls = %d, want 1", exec.calls())
	}
}

func TestShutdownTimeoutCutsOffRequests(t *testing.T) {
	exec, entered, release := blockingExecutor()
	defer close(release)
	logger, _ := testLogger()
	srv := New("", Options{Executor: exec, Logger: logger})
	ln := listenLocal(t)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln, time.Millisecond) }()

	inFlight := postAsync("http://" + ln.Addr().String() + "/graphql")
	<-entered
	cancel()
	err := <-served
	if err == nil || !strings.Contains(err.Error(), "did not finish within the 1ms shutdown timeout") {
		t.Fatalf("Serve = %v, want a shutdown-timeout error", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the error does not wrap context.DeadlineExceeded: %v", err)
	}
	if r := <-inFlight; r.err == nil && r.status == http.StatusOK {
		t.Error("the cut-off request still got a 200")
	}
}

func TestListenAndServe(t *testing.T) {
	logger, _ := testLogger()
	srv := New("127.0.0.1:0", Options{Executor: &fakeExecutor{}, Logger: logger})
	if srv.Addr() != "127.0.0.1:0" {
		t.Errorf("Addr() before listening = %q, want the configured address", srv.Addr())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // shut down as soon as it serves
	if err := srv.ListenAndServe(ctx, time.Second); err != nil {
		t.Fatalf("ListenAndServe = %v, want nil", err)
	}
	if addr := srv.Addr(); addr == "127.0.0.1:0" || !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Errorf("Addr() after listening = %q, want the bound port", addr)
	}

	bad := New("127.0.0.1:99999", Options{Executor: &fakeExecutor{}, Logger: logger})
	err := bad.ListenAndServe(context.Background(), time.Second)
	if err == nil || !strings.Contains(err.Error(), `"127.0.0.1:99999"`) {
		t.Errorf("ListenAndServe on a bad address = %v, want an error naming it", err)
	}
}

// brokenListener fails every Accept, as a listener whose socket died would.
type brokenListener struct{ net.Listener }

func (brokenListener) Accept() (net.Conn, error) { return nil, errors.New("socket is gone") }

func TestServeReportsListenerFailure(t *testing.T) {
	ln := listenLocal(t)
	defer ln.Close()
	logger, _ := testLogger()
	srv := New("", Options{Executor: &fakeExecutor{}, Logger: logger})
	err := srv.Serve(context.Background(), brokenListener{ln}, time.Second)
	if err == nil || !strings.Contains(err.Error(), "socket is gone") {
		t.Errorf("Serve = %v, want the listener's error", err)
	}
}

func TestSlowBodyGets408(t *testing.T) {
	exec := &fakeExecutor{}
	logger, _ := testLogger()
	ts := httptest.NewServer(NewHandler(Options{Executor: exec, Logger: logger, RequestTimeout: 50 * time.Millisecond}))
	defer ts.Close()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Promise 100 bytes, send a few, then stall.
	_, err = conn.Write([]byte("POST /graphql HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n" +
		"Content-Length: 100\r\n\r\n{\"query\""))
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(time.Minute)) // only guards against a hang
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response to a stalled body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("status = %d, want 408", resp.StatusCode)
	}
	if exec.calls() != 0 {
		t.Errorf("the executor ran %d times for an incomplete body", exec.calls())
	}
}
