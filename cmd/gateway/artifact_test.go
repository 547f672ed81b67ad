package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-gw/tributary/examples/federation"
)

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// `gateway compose -o DIR` writes an artifact while the subgraphs run;
// `gateway serve -artifact DIR` then starts from it with the subgraphs
// gone, taking ${VAR} values from its own environment.
func TestComposeArtifactThenServeIt(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"pricing.graphql", "pricing.json"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "examples", "pricing", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	b.WriteString("listen: ${LISTEN}\nsubgraphs:\n  - name: pricing\n    static: {sdl: pricing.graphql, data: pricing.json}\n")
	var stops []func()
	for _, s := range federation.All() {
		url, stop, err := federation.Start(s)
		if err != nil {
			t.Fatal(err)
		}
		stops = append(stops, stop)
		fmt.Fprintf(&b, "  - name: %s\n    graphql:\n      url: %s\n", s.Name, url)
	}
	path := filepath.Join(dir, "gateway.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LISTEN", "127.0.0.1:1")
	artifactDir := filepath.Join(dir, "out")
	out, errOut, code := runCommand(t, "compose", "-config", path, "-o", artifactDir)
	for _, stop := range stops {
		stop()
	}
	if code != 0 || !strings.Contains(out, "resources/01-pricing.graphql ← pricing.graphql") || !strings.Contains(out, "2 resource(s)") {
		t.Fatalf("compose -o: exit %d\n%s\n%s", code, out, errOut)
	}
	if copied, _ := os.ReadFile(filepath.Join(artifactDir, "gateway.yaml")); !strings.Contains(string(copied), "listen: ${LISTEN}") {
		t.Fatalf("the artifact's gateway.yaml was interpolated:\n%s", copied)
	}

	if _, errOut, code := runCommand(t, "serve", "-config", path, "-artifact", artifactDir); code != 2 || !strings.Contains(errOut, "not both") {
		t.Fatalf("serve with -config and -artifact: exit %d: %s", code, errOut)
	}
	if _, errOut, code := runCommand(t, "serve", "-artifact", dir); code != 1 || !strings.Contains(errOut, "is not a start-up artifact") {
		t.Fatalf("serve -artifact on a plain directory: exit %d: %s", code, errOut)
	}

	addr := freeAddr(t)
	t.Setenv("LISTEN", addr)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var serveErr bytes.Buffer
	go func() { done <- run(ctx, []string{"serve", "-artifact", artifactDir}, io.Discard, &serveErr) }()
	var resp *http.Response
	var err error
	for i := 0; i < 200; i++ { // wait for the listener: bounded, not a timing assertion
		resp, err = http.Post("http://"+addr+"/graphql", "application/json",
			strings.NewReader(`{"query":"{ __typename }"}`))
		if err == nil {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatalf("the gateway never answered: %v\n%s", err, serveErr.String())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != `{"data":{"__typename":"Query"}}` {
		t.Fatalf("body %s", body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve -artifact exited %d: %s", code, serveErr.String())
	}
}
