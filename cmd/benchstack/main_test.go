package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseFlagsRejectsBadInput(t *testing.T) {
	cases := map[string][]string{
		"both modes":            {"-subgraphs-only", "-gateway-only", "-subgraph-urls", "a=b"},
		"gateway without urls":  {"-gateway-only"},
		"urls without gateway":  {"-subgraph-urls", "accounts=http://127.0.0.1:1/graphql"},
		"remote listen":         {"-listen", "0.0.0.0:4000"},
		"listen without port":   {"-listen", "127.0.0.1"},
		"remote pprof":          {"-pprof", "192.168.0.1:6060"},
		"zero gomaxprocs":       {"-gomaxprocs", "0"},
		"port range":            {"-subgraph-port", "65534"},
		"header with colon":     {"-forward-header", "X-A: b"},
		"stray positional args": {"serve"},
		"rest with memoize":     {"-rest", "-memoize-subgraphs"},
		"rest gateway no urls":  {"-rest", "-gateway-only"},
		"faults to the gateway": {"-gateway-only", "-subgraph-urls", "a=b", "-faults", "503=0.1"},
		"faults with rest":      {"-rest", "-faults", "503=0.1"},
		"faults unknown":        {"-faults", "teapot=0.1"},
		"faults over one":       {"-faults", "503=0.6,cut=0.6"},
		"faults bad share":      {"-faults", "503=2"},
		"faults bad delay":      {"-faults", "delay=soon"},
		"faults without value":  {"-faults", "503"},
	}
	for name, args := range cases {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%s: %v accepted", name, args)
		}
	}
}

func TestParseSubgraphURLs(t *testing.T) {
	all := "accounts=http://127.0.0.1:4001/graphql,products=http://127.0.0.1:4002/graphql,inventory=http://localhost:4003/graphql,reviews=http://[::1]:4004/graphql"
	urls, err := parseSubgraphURLs(all, subgraphNames)
	if err != nil || len(urls) != 4 || urls["inventory"] != "http://localhost:4003/graphql" {
		t.Fatalf("urls %v, err %v", urls, err)
	}
	for name, list := range map[string]string{
		"missing reviews": strings.Split(all, ",reviews")[0],
		"remote host":     strings.Replace(all, "127.0.0.1:4001", "10.0.0.1:4001", 1),
		"not name=url":    all + ",oops",
		"duplicate":       all + ",accounts=http://127.0.0.1:9/graphql",
		"no scheme":       strings.Replace(all, "http://127.0.0.1:4002", "127.0.0.1:4002", 1),
	} {
		if _, err := parseSubgraphURLs(list, subgraphNames); err == nil {
			t.Errorf("%s: accepted %s", name, list)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a poller.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var gatewayURL = regexp.MustCompile(`gateway: (http://\S+)`)

// TestStackServesTheBenchmarkQuery runs the combined mode with memoized
// subgraphs and a forwarded header, queries it twice, and checks the answer
// and the subgraph request counts printed at shutdown.
func TestStackServesTheBenchmarkQuery(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	args := []string{"-listen", "127.0.0.1:0", "-gomaxprocs", strconv.Itoa(runtime.GOMAXPROCS(0)), "-memoize-subgraphs", "-forward-header", "X-Bench-Id"}
	go func() { done <- run(ctx, args, &stdout, &stderr) }()

	var endpoint string
	for deadline := time.Now().Add(20 * time.Second); endpoint == ""; time.Sleep(20 * time.Millisecond) {
		if m := gatewayURL.FindStringSubmatch(stdout.String()); m != nil {
			endpoint = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no gateway URL printed; stdout %s stderr %s", stdout.String(), stderr.String())
		}
	}
	body := `{"query":"{ topProducts(first: 2) { name inStock reviews { author { username } } } }"}`
	for i := range 2 {
		req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Bench-Id", strconv.Itoa(i))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(answer), `"username":"ada"`) || strings.Contains(string(answer), `"errors"`) {
			t.Fatalf("request %d: HTTP %d: %s", i, res.StatusCode, answer)
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
	// Each subgraph also answered the gateway's start-up SDL fetch; reviews
	// @provides the username, so accounts is never queried.
	for _, want := range []string{"subgraph products: 3 requests", "subgraph inventory: 3 requests", "subgraph reviews: 3 requests", "subgraph accounts: 1 requests", "peak RSS (VmHWM)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestGatewayYAMLForwardsHeader(t *testing.T) {
	urls := map[string]string{"accounts": "http://127.0.0.1:1/graphql", "products": "p", "inventory": "i", "reviews": "r"}
	y := gatewayYAML("127.0.0.1:4000", urls, "X-Id")
	if strings.Count(y, `forwardHeaders: ["X-Id"]`) != 4 || !strings.Contains(y, `url: "http://127.0.0.1:1/graphql"`) {
		t.Fatalf("yaml:\n%s", y)
	}
	if strings.Contains(gatewayYAML("127.0.0.1:4000", urls, ""), "forwardHeaders") {
		t.Fatal("forwardHeaders without -forward-header")
	}
}
