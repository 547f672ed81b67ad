package main

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseSubgraphURLsForREST(t *testing.T) {
	names := []string{restSubgraphName}
	urls, err := parseSubgraphURLs("shipping=http://127.0.0.1:4005/v1", names)
	if err != nil || urls["shipping"] != "http://127.0.0.1:4005/v1" {
		t.Fatalf("urls %v, err %v", urls, err)
	}
	for name, list := range map[string]string{
		"missing":     "accounts=http://127.0.0.1:4001/graphql",
		"extra":       "shipping=http://127.0.0.1:4005/v1,accounts=http://127.0.0.1:4001/graphql",
		"remote host": "shipping=http://10.1.2.3:4005/v1",
	} {
		if _, err := parseSubgraphURLs(list, names); err == nil {
			t.Errorf("%s: accepted %s", name, list)
		}
	}
}

func TestRESTGatewayYAML(t *testing.T) {
	y := restGatewayYAML("127.0.0.1:4000", "http://127.0.0.1:4005/v1", "X-Id")
	for _, want := range []string{"openapi:", "spec: " + restSpecFile, `baseURL: "http://127.0.0.1:4005/v1"`, `forwardHeaders: ["X-Id"]`} {
		if !strings.Contains(y, want) {
			t.Errorf("yaml lacks %q:\n%s", want, y)
		}
	}
	if strings.Contains(restGatewayYAML("127.0.0.1:4000", "http://127.0.0.1:4005/v1", ""), "forwardHeaders") {
		t.Fatal("forwardHeaders without -forward-header")
	}
}

// TestRESTStackAnswersWithOneCallPerQuery runs the combined -rest mode,
// sends the benchmark query three times and checks the answer, and that the
// shipping service counted exactly one call per query at shutdown.
func TestRESTStackAnswersWithOneCallPerQuery(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	args := []string{"-rest", "-listen", "127.0.0.1:0", "-gomaxprocs", strconv.Itoa(runtime.GOMAXPROCS(0)), "-forward-header", "X-Bench-Id"}
	go func() { done <- run(ctx, args, &stdout, &stderr) }()

	var endpoint string
	for deadline := time.Now().Add(20 * time.Second); endpoint == ""; time.Sleep(20 * time.Millisecond) {
		if m := gatewayURL.FindStringSubmatch(stdout.String()); m != nil {
			endpoint = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no gateway URL printed; stdout %s stderr %s", stdout.String(), stderr.String())
		}
	}
	const queries = 3
	body := `{"query":"{ getShipment(upc: \"3\") { carrier etaDays serviceLevel } }"}`
	for i := range queries {
		req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Bench-Id", strconv.Itoa(i))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(res.Body)
		res.Body.Close()
		want := `{"data":{"getShipment":{"carrier":"Parcelways","etaDays":2,"serviceLevel":"EXPRESS"}}}`
		if res.StatusCode != http.StatusOK || strings.TrimSpace(string(answer)) != want {
			t.Fatalf("request %d: HTTP %d: %s\nwant %s", i, res.StatusCode, answer, want)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d; stderr %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("benchstack did not stop after its context ended")
	}
	out := stdout.String()
	for _, want := range []string{"subgraphs: -subgraph-urls shipping=http://127.0.0.1:", "subgraph shipping: " + strconv.Itoa(queries) + " requests", "peak RSS (VmHWM)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
