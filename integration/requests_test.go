package integration

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestRequestLimitsFromGatewayYAML: the request limits set in gateway.yaml
// reach the engine, and a client over HTTP sees their errors.
func TestRequestLimitsFromGatewayYAML(t *testing.T) {
	services, urls := startSubgraphs(t)
	yaml := "server:\n  maxResponseBytes: 200\nlimits:\n  maxFields: 50\n" + subgraphsYAML(urls)
	_, endpoint := startGateway(t, yaml, nil)

	r := post(t, endpoint, `{ topProducts(first: 1) { upc } }`, nil)
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("a small query: status %d, body %s", r.Status, r.raw)
	}

	r = post(t, endpoint, `{ topProducts(first: 5) { upc name price reviews { body } } }`, nil)
	if r.Status != http.StatusInternalServerError || len(r.Errors) != 1 || firstErrorCode(r) != "RESPONSE_TOO_LARGE" || r.Data != nil {
		t.Fatalf("a response over server.maxResponseBytes: status %d, body %s", r.Status, r.raw)
	}

	for _, svc := range services {
		svc.Reset()
	}
	var bomb strings.Builder
	bomb.WriteString("{ topProducts { ...F0 } }")
	for i := range 20 {
		fmt.Fprintf(&bomb, " fragment F%d on Product { ...F%d ...F%d }", i, i+1, i+1)
	}
	bomb.WriteString(" fragment F20 on Product { name upc }")
	r = post(t, endpoint, bomb.String(), nil)
	if r.Status != http.StatusBadRequest || firstErrorCode(r) != "FIELD_LIMIT_EXCEEDED" {
		t.Fatalf("a fragment bomb: status %d, body %s", r.Status, r.raw)
	}
	for name, svc := range services {
		if n := svc.Calls(); n != 0 {
			t.Fatalf("the refused bomb reached %s %d times", name, n)
		}
	}
}

// firstErrorCode is the extensions.code of the response's first error.
func firstErrorCode(r response) string {
	if len(r.Errors) == 0 {
		return ""
	}
	ext, _ := r.Errors[0]["extensions"].(map[string]any)
	c, _ := ext["code"].(string)
	return c
}
