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

func runCommand(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"serve", "-h"}} {
		out, errOut, code := runCommand(t, args...)
		if code != 0 || !strings.Contains(out+errOut, "Usage: gateway") {
			t.Fatalf("%v: exit %d, %q %q", args, code, out, errOut)
		}
	}
}

func TestUnknownCommandAndArguments(t *testing.T) {
	if _, errOut, code := runCommand(t, "deploy"); code != 2 || !strings.Contains(errOut, `unknown command "deploy"`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, errOut, code := runCommand(t, "validate", "extra"); code != 2 || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestValidateReportsTheLineOfABadKey(t *testing.T) {
	path := writeConfig(t, "listen: \":4000\"\nlimits:\n  maxDepth: deep\nsubgraphs: []\n")
	_, errOut, code := runCommand(t, "validate", "-config", path)
	if code != 1 || !strings.Contains(errOut, "gateway.yaml:3") || !strings.Contains(errOut, "maxDepth") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestConfigDefaultsToEnvironment(t *testing.T) {
	path := writeConfig(t, "listn: x\n")
	t.Setenv("GATEWAY_CONFIG", path)
	_, errOut, code := runCommand(t, "validate")
	if code != 1 || !strings.Contains(errOut, path) || !strings.Contains(errOut, `"listen"`) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestMissingConfigFile(t *testing.T) {
	_, errOut, code := runCommand(t, "compose", "-config", filepath.Join(t.TempDir(), "absent.yaml"))
	if code != 1 || !strings.Contains(errOut, "absent.yaml") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// startExamples serves the example subgraphs and returns a config listing
// them.
func startExamples(t *testing.T, extra string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(extra)
	b.WriteString("subgraphs:\n")
	for _, s := range federation.All() {
		url, stop, err := federation.Start(s)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		fmt.Fprintf(&b, "  - name: %s\n    graphql:\n      url: %s\n", s.Name, url)
	}
	return writeConfig(t, b.String())
}

func TestValidateAndComposeRemoteSubgraphs(t *testing.T) {
	path := startExamples(t, "")
	out, errOut, code := runCommand(t, "validate", "-config", path)
	if code != 0 || !strings.Contains(out, "is valid: 4 subgraph(s)") {
		t.Fatalf("validate: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = runCommand(t, "compose", "-config", path)
	if code != 0 || !strings.Contains(out, "@join__graph(name: \"reviews\"") || !strings.Contains(out, "shippingEstimate") {
		t.Fatalf("compose: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestServeAnswersAndShutsDownOnCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	path := startExamples(t, "listen: "+addr+"\n")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errOut bytes.Buffer
	go func() { done <- run(ctx, []string{"-config", path}, io.Discard, &errOut) }()
	var resp *http.Response
	for i := 0; i < 200; i++ { // wait for the listener: bounded, not a timing assertion
		resp, err = http.Post("http://"+addr+"/graphql", "application/json",
			strings.NewReader(`{"query":"{ topProducts(first: 1) { name inStock } }"}`))
		if err == nil {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if err != nil {
		cancel()
		t.Fatalf("gateway never answered: %v\n%s", err, errOut.String())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != `{"data":{"topProducts":[{"name":"Table","inStock":true}]}}` {
		t.Fatalf("body %s", body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d: %s", code, errOut.String())
	}
}

func TestOpenAPICommand(t *testing.T) {
	out, errOut, code := runCommand(t, "openapi", "../../examples/shipping/openapi.yaml")
	if code != 0 || !strings.Contains(out, "listShipments") || !strings.Contains(out, "type Product") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if _, errOut, code := runCommand(t, "openapi", "nope.yaml"); code != 1 || !strings.Contains(errOut, "nope.yaml") {
		t.Fatalf("missing spec: exit %d: %s", code, errOut)
	}
	bad := writeConfig(t, "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n")
	if _, errOut, code := runCommand(t, "openapi", bad); code != 1 || errOut == "" {
		t.Fatalf("spec without operations: exit %d: %s", code, errOut)
	}
	if _, _, code := runCommand(t, "openapi"); code != 2 {
		t.Fatalf("no argument: exit %d", code)
	}
}
