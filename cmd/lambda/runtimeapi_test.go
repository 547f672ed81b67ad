package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// runtimeAPI is a stand-in for the Lambda Runtime API
// (/2018-06-01/runtime/...): it hands the queued events to the function one
// /invocation/next at a time and records what comes back on /response,
// /error and /init/error. A /next with nothing queued waits until the test
// queues more or ends.
type runtimeAPI struct {
	t      testing.TB
	server *httptest.Server
	events chan []byte
	done   chan struct{}

	mu        sync.Mutex
	nextCalls int
	firstNext time.Time
	results   chan invocationResult
	initErrs  []string
	badCalls  []string
}

// invocationResult is what the function posted for one invocation.
type invocationResult struct {
	ID     string
	Kind   string // "response" or "error"
	Body   []byte
	Posted time.Time
}

func newRuntimeAPI(t testing.TB) *runtimeAPI {
	api := &runtimeAPI{t: t, events: make(chan []byte, 16), done: make(chan struct{}), results: make(chan invocationResult, 16)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", api.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", api.posted("response"))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", api.posted("error"))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", api.initError)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		api.mu.Lock()
		api.badCalls = append(api.badCalls, r.Method+" "+r.URL.Path)
		api.mu.Unlock()
		http.NotFound(w, r)
	})
	api.server = httptest.NewServer(mux)
	t.Cleanup(func() {
		close(api.done)
		api.server.Close()
	})
	return api
}

// addr is the AWS_LAMBDA_RUNTIME_API value: host:port.
func (api *runtimeAPI) addr() string { return strings.TrimPrefix(api.server.URL, "http://") }

var invocationID struct {
	sync.Mutex
	n int
}

func (api *runtimeAPI) next(w http.ResponseWriter, r *http.Request) {
	api.mu.Lock()
	api.nextCalls++
	if api.firstNext.IsZero() {
		api.firstNext = time.Now()
	}
	api.mu.Unlock()
	select {
	case ev := <-api.events:
		invocationID.Lock()
		invocationID.n++
		id := fmt.Sprintf("inv-%d", invocationID.n)
		invocationID.Unlock()
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", id)
		w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(30*time.Second).UnixMilli(), 10))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:tributary")
		w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-5e1b4151-5ac6c58f5e5b0c5e0b7c0b9a;Parent=1;Sampled=0")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(ev)
	case <-r.Context().Done():
	case <-api.done:
	}
}

func (api *runtimeAPI) posted(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		api.results <- invocationResult{ID: r.PathValue("id"), Kind: kind, Body: body, Posted: time.Now()}
	}
}

func (api *runtimeAPI) initError(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	api.mu.Lock()
	api.initErrs = append(api.initErrs, r.Header.Get("Lambda-Runtime-Function-Error-Type")+" "+string(body))
	api.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// invoke queues one event and waits for what the function posts back.
func (api *runtimeAPI) invoke(ev []byte) invocationResult {
	api.t.Helper()
	api.events <- ev
	select {
	case res := <-api.results:
		return res
	case <-time.After(30 * time.Second):
		api.t.Fatal("the function posted no result within 30s")
		return invocationResult{}
	}
}

// buildBootstrap compiles cmd/lambda as `make lambda` does, once per test
// binary.
var buildBootstrap = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "tributary-bootstrap-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "bootstrap")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags", "-s -w", "-o", path, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return path, nil
})

// eventJSON encodes an event for the stand-in to deliver.
func eventJSON(t testing.TB, ev any) []byte {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
