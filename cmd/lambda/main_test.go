package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-gw/tributary/config"
	"github.com/tributary-gw/tributary/examples/federation"
	"github.com/tributary-gw/tributary/examples/shipping"
	"github.com/tributary-gw/tributary/gateway"
	"github.com/tributary-gw/tributary/gateway/httpserver"
	"github.com/tributary-gw/tributary/lambda"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if path, err := buildBootstrap(); err == nil {
		os.RemoveAll(filepath.Dir(path))
	}
	os.Exit(code)
}

// spanningQuery crosses all six subgraphs of the bundled gateway.yaml.
const spanningQuery = `{ topProducts(first: 2) { name price currency carrier inStock reviews { body author { name } } } }`

// stack is the bundled gateway.yaml's example services on loopback and a
// task root (gateway.yaml and its artifact) composed against them.
type stack struct {
	services map[string]*federation.Service
	shipping *shipping.Service
	env      []string // the services' URLs, as gateway.yaml reads them
	taskRoot string
}

func startStack(t testing.TB) *stack {
	t.Helper()
	s := &stack{services: map[string]*federation.Service{}, shipping: shipping.New()}
	for _, svc := range federation.All() {
		url, stop, err := federation.Start(svc)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		s.services[svc.Name] = svc
		s.env = append(s.env, strings.ToUpper(svc.Name)+"_URL="+url)
	}
	rest := httptest.NewServer(s.shipping)
	t.Cleanup(rest.Close)
	s.env = append(s.env, "SHIPPING_URL="+rest.URL+"/v1")
	for _, kv := range s.env {
		name, value, _ := strings.Cut(kv, "=")
		t.Setenv(name, value)
	}

	s.taskRoot = t.TempDir()
	yaml, err := os.ReadFile("../../gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.taskRoot, "gateway.yaml"), yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load("../../gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gateway.WriteArtifact(context.Background(), cfg, filepath.Join(s.taskRoot, lambda.ArtifactDir), quietLogger()); err != nil {
		t.Fatal(err)
	}
	s.resetCounts()
	return s
}

func (s *stack) resetCounts() {
	for _, svc := range s.services {
		svc.Reset()
	}
	s.shipping.Reset()
}

// upstreamCalls counts the calls every service received.
func (s *stack) upstreamCalls() int64 {
	n := int64(len(s.shipping.Requests()))
	for _, svc := range s.services {
		n += svc.Calls()
	}
	return n
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startBootstrap runs the built bootstrap against api as Lambda does: in
// the task root, with AWS_LAMBDA_RUNTIME_API set.
func startBootstrap(t testing.TB, api *runtimeAPI, s *stack, extraEnv ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	path, err := buildBootstrap()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path)
	cmd.Dir = s.taskRoot
	cmd.Env = append(append(append(os.Environ(), s.env...),
		"AWS_LAMBDA_RUNTIME_API="+api.addr(), "LAMBDA_TASK_ROOT="+s.taskRoot), extraEnv...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("bootstrap's stderr:\n%s", stderr.String())
		}
	})
	return cmd, &stderr
}

// waitForNext waits until the function has asked for its first event: the
// end of init.
func (api *runtimeAPI) waitForNext(t testing.TB, cmd *exec.Cmd) time.Time {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		api.mu.Lock()
		first := api.firstNext
		api.mu.Unlock()
		if !first.IsZero() {
			return first
		}
		if cmd.ProcessState != nil {
			t.Fatal("the bootstrap exited during init")
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the bootstrap never asked for an event")
	return time.Time{}
}

// spanningEvents are the four trigger shapes of the lambda package's
// fixtures, each carrying spanningQuery.
func spanningEvents(t testing.TB) map[string][]byte {
	t.Helper()
	body := `{"query":` + mustJSON(t, spanningQuery) + `}`
	load := func(name string, change func(ev map[string]any)) []byte {
		raw, err := os.ReadFile(filepath.Join("../../lambda/testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		var ev map[string]any
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatal(err)
		}
		change(ev)
		return eventJSON(t, ev)
	}
	return map[string][]byte{
		"REST API": load("rest-post.json", func(ev map[string]any) { ev["body"] = body }),
		"HTTP API": load("http-api-post-base64.json", func(ev map[string]any) {
			ev["body"] = base64.StdEncoding.EncodeToString([]byte(body))
		}),
		"Function URL": load("function-url-get.json", func(ev map[string]any) {
			ev["rawQueryString"] = "query=" + strings.ReplaceAll(spanningQuery, " ", "%20")
		}),
		"ALB": load("alb-post-multivalue.json", func(ev map[string]any) { ev["body"] = body }),
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// serveAnswer is what `gateway serve`'s handler, built in-process from the
// same artifact, answers to spanningQuery.
func serveAnswer(t *testing.T, s *stack, accept string) []byte {
	t.Helper()
	cfg, err := lambda.LoadConfig(func(name string) string {
		if name == "LAMBDA_TASK_ROOT" {
			return s.taskRoot
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.Build(context.Background(), cfg, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer gw.Close(context.Background())
	srv := httptest.NewServer(httpserver.NewHandler(gateway.HTTPOptions(cfg, gw, quietLogger())))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":`+mustJSON(t, spanningQuery)+`}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || bytes.Contains(b, []byte(`"errors"`)) {
		t.Fatalf("gateway serve answered %d %s", resp.StatusCode, b)
	}
	return b
}

// The built bootstrap, run against a Runtime API stand-in, starts without
// calling any upstream, answers the query spanning six subgraphs in each
// of the four event shapes exactly as `gateway serve` does, with one call
// per subgraph each, and reports an event it cannot serve as that
// invocation's error without dying.
func TestBootstrapServesEveryEventShape(t *testing.T) {
	s := startStack(t)
	want := serveAnswer(t, s, "application/json")
	s.resetCounts()

	api := newRuntimeAPI(t)
	cmd, _ := startBootstrap(t, api, s)
	api.waitForNext(t, cmd)
	if n := s.upstreamCalls(); n != 0 {
		t.Fatalf("init called the upstreams %d time(s)", n)
	}

	events := spanningEvents(t)
	for _, kind := range []string{"REST API", "HTTP API", "Function URL", "ALB"} {
		s.resetCounts()
		res := api.invoke(events[kind])
		if res.Kind != "response" {
			t.Fatalf("%s: the function posted %s: %s", kind, res.Kind, res.Body)
		}
		var resp struct {
			StatusCode      int    `json:"statusCode"`
			Body            string `json:"body"`
			IsBase64Encoded bool   `json:"isBase64Encoded"`
		}
		if err := json.Unmarshal(res.Body, &resp); err != nil {
			t.Fatalf("%s: %v: %s", kind, err, res.Body)
		}
		if resp.StatusCode != 200 || resp.IsBase64Encoded || !strings.Contains(resp.Body, `"topProducts"`) {
			t.Fatalf("%s: %s", kind, res.Body)
		}
		// The answer's data is serve's; the fixtures differ in Accept, which
		// changes only the media type, not the body.
		if resp.Body != string(want) {
			t.Errorf("%s answered\n%s\nserve answered\n%s", kind, resp.Body, want)
		}
		for name, svc := range s.services {
			if name != "inventory" && svc.Calls() != 1 {
				t.Errorf("%s: %s was called %d times, want once", kind, name, svc.Calls())
			}
		}
		if n := s.shipping.Calls("GET /v1/shipments"); n != 1 {
			t.Errorf("%s: shipping was called %d times, want once", kind, n)
		}
	}

	res := api.invoke([]byte(`{"Records":[{"eventSource":"aws:sqs","body":"hi"}]}`))
	if res.Kind != "error" || !strings.Contains(string(res.Body), "unsupported event") {
		t.Fatalf("an SQS event: the function posted %s %s, want an invocation error", res.Kind, res.Body)
	}
	// Still serving after the error, with the same process.
	if res := api.invoke(events["ALB"]); res.Kind != "response" {
		t.Fatalf("after an invocation error: %s %s", res.Kind, res.Body)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.initErrs) != 0 || len(api.badCalls) != 0 {
		t.Fatalf("init errors %v, unexpected Runtime API calls %v", api.initErrs, api.badCalls)
	}
}

// A function that cannot start reports why on /init/error, never asks for
// an event, and exits 1.
func TestBootstrapReportsInitErrors(t *testing.T) {
	s := &stack{taskRoot: t.TempDir()}
	yaml, err := os.ReadFile("../../gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.taskRoot, "gateway.yaml"), yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	api := newRuntimeAPI(t)
	path, err := buildBootstrap()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path)
	cmd.Dir = s.taskRoot
	cmd.Env = append(os.Environ(), "AWS_LAMBDA_RUNTIME_API="+api.addr(), "LAMBDA_TASK_ROOT="+s.taskRoot)
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("the bootstrap ended with %v, want exit status 1", err)
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the bootstrap did not exit")
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if api.nextCalls != 0 {
		t.Errorf("a function whose init failed asked for %d event(s)", api.nextCalls)
	}
	if len(api.initErrs) != 1 || !strings.Contains(api.initErrs[0], "Runtime.InitError") ||
		!strings.Contains(api.initErrs[0], "no start-up artifact") {
		t.Fatalf("init errors reported: %q", api.initErrs)
	}
}
