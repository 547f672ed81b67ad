package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-gw/tributary/examples/federation"
	"github.com/tributary-gw/tributary/examples/shipping"
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

// Two REST services that both define Product, with no key between them
// (issue 8): the specs compose, but a query for a library field on a
// product from the shop (or the reverse) could never be planned. validate
// says so, with the subgraphs and the entities: joins that fix it.
const (
	shopSpec = `openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /top-products:
    get:
      operationId: topProducts
      responses:
        "200":
          description: The best sellers.
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Product"}}
  /products/{upc}:
    get:
      operationId: getProduct
      parameters:
        - {name: upc, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: One product.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Product"}
components:
  schemas:
    Product:
      type: object
      required: [upc, name]
      properties:
        upc: {type: string}
        name: {type: string}
`
	librarySpec = `openapi: 3.0.3
info: {title: Library, version: "1"}
paths:
  /products:
    get:
      operationId: productsByUpc
      parameters:
        - {name: upc, in: query, required: true, style: form, explode: false, schema: {type: array, items: {type: string}}}
      responses:
        "200":
          description: The books of each product.
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Product"}}
components:
  schemas:
    Product:
      type: object
      required: [upc]
      properties:
        upc: {type: string}
        books: {type: array, items: {$ref: "#/components/schemas/Book"}}
    Book:
      type: object
      required: [title]
      properties:
        title: {type: string}
`
)

// twoProductSpecs writes the shop and library specs and a config over
// them; joins is appended to each subgraph's openapi section, by name.
func twoProductSpecs(t *testing.T, joins map[string]string) string {
	t.Helper()
	path := writeConfig(t, "subgraphs:\n"+
		"  - name: shop\n    openapi:\n      spec: ./shop.yaml\n      baseURL: http://127.0.0.1:1/shop\n"+joins["shop"]+
		"  - name: library\n    openapi:\n      spec: ./library.yaml\n      baseURL: http://127.0.0.1:1/library\n"+joins["library"])
	for name, spec := range map[string]string{"shop.yaml": shopSpec, "library.yaml": librarySpec} {
		if err := os.WriteFile(filepath.Join(filepath.Dir(path), name), []byte(spec), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestValidateFailsOnFieldsNoQueryReaches(t *testing.T) {
	out, errOut, code := runCommand(t, "validate", "-config", twoProductSpecs(t, nil))
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"2 fields cannot be resolved where a query reaches them",
		// Each field, the path and query tried, both subgraphs, the
		// planner's reason.
		"Product.books\n  path:      topProducts.books\n  query:     query { topProducts { books { __typename } } }\n",
		`subgraphs: Product here comes from "shop" (openapi); Product.books is resolved only by "library" (openapi)`,
		"Product.name\n  path:      productsByUpc.name\n",
		`subgraphs: Product here comes from "library" (openapi); Product.name is resolved only by "shop" (openapi)`,
		"planner:   ", "missing paths",
		`cause:     "library" (openapi) does not resolve Product by a key (@key)`,
		// The fix: an entities: join on the field both have, with the
		// operation that fetches Product by it, at the subgraph's line.
		`join Product to "library" by key: add to its openapi: section (`, "gateway.yaml:7)\n",
		"entities:\n                 - type: Product\n                   key: upc\n                   operation: productsByUpc",
		"argument: upc",
		"gateway.yaml:3)\n",
		"operation: getProduct",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("report lacks %q:\n%s", want, errOut)
		}
	}
	if t.Failed() {
		return
	}

	// With one join, only the other direction is left.
	library := "      entities:\n        - {type: Product, key: upc, operation: productsByUpc, argument: upc}\n"
	_, errOut, code = runCommand(t, "validate", "-config", twoProductSpecs(t, map[string]string{"library": library}))
	if code != 1 || !strings.Contains(errOut, "1 field cannot be resolved") || !strings.Contains(errOut, "Product.name") || strings.Contains(errOut, "Product.books") {
		t.Fatalf("library joined: exit %d\n%s", code, errOut)
	}

	// With both, every field plans.
	shop := "      entities:\n        - {type: Product, key: upc, operation: getProduct}\n"
	out, errOut, code = runCommand(t, "validate", "-config", twoProductSpecs(t, map[string]string{"library": library, "shop": shop}))
	if code != 0 || !strings.Contains(out, "is valid: 2 subgraph(s) compose into a supergraph the planner accepts, with a query for each of its 7 fields") {
		t.Fatalf("both joined: exit %d\n%s\n%s", code, out, errOut)
	}
}

// The gateway.yaml `make run` serves validates, against the example
// services it names.
func TestValidateBundledGatewayYAML(t *testing.T) {
	for _, s := range federation.All() {
		url, stop, err := federation.Start(s)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		t.Setenv(strings.ToUpper(s.Name)+"_URL", url)
	}
	rest := httptest.NewServer(shipping.New())
	t.Cleanup(rest.Close)
	t.Setenv("SHIPPING_URL", rest.URL+"/v1")
	out, errOut, code := runCommand(t, "validate", "-config", "../../gateway.yaml")
	if code != 0 || !strings.Contains(out, "is valid: 6 subgraph(s)") || !strings.Contains(out, "for each of its 45 fields") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
}
