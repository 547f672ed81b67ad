package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckLoopbackURL(t *testing.T) {
	cases := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:4000/graphql", true},
		{"http://127.5.6.7/graphql", true},
		{"http://localhost:4000/graphql", true},
		{"https://LOCALHOST/graphql", true},
		{"http://[::1]:4000/graphql", true},
		{"http://10.0.0.1/graphql", false},
		{"http://192.168.1.2:4000/graphql", false},
		{"http://example.com/graphql", false},
		{"http://localhost.example.com/graphql", false},
		{"http://[::2]/graphql", false},
		{"ftp://127.0.0.1/", false},
		{"127.0.0.1:4000", false},
		{"http:///graphql", false},
		{"http://%zz", false},
	}
	for _, c := range cases {
		err := checkLoopbackURL(c.url)
		if (err == nil) != c.ok {
			t.Errorf("checkLoopbackURL(%q) = %v, want ok=%v", c.url, err, c.ok)
		}
	}
}

func TestDialRefusesNonLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:80": true, "[::1]:80": true, "10.1.2.3:80": false, "8.8.8.8:53": false} {
		if err := dialLoopbackOnly("tcp", addr, nil); (err == nil) != ok {
			t.Errorf("dialLoopbackOnly(%s) = %v, want ok=%v", addr, err, ok)
		}
	}
}

func TestParseFlagsRejectsBadInput(t *testing.T) {
	cases := map[string][]string{
		"remote url":        {"-url", "http://10.0.0.1/graphql"},
		"no connections":    {"-c", "0"},
		"unbounded":         {"-d", "0s"},
		"too long":          {"-d", "1h"},
		"negative warmup":   {"-warmup", "-1s"},
		"no budget":         {"-max-requests", "0"},
		"variables array":   {"-variables", "[1]"},
		"variables garbage": {"-variables", "{"},
		"empty query":       {"-query", "  "},
		"bad header":        {"-header", "no-colon"},
		"stray argument":    {"extra"},
	}
	for name, args := range cases {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%s: %v accepted", name, args)
		}
	}
	if _, err := parseFlags(nil, io.Discard); err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
}

func TestHistogramQuantilesWithinPrecision(t *testing.T) {
	var h histogram
	// 1µs, 2µs, … 10000µs: the q-quantile is q×10ms.
	for i := 1; i <= 10000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	for _, q := range []float64{0.5, 0.9, 0.99} {
		want := time.Duration(q * float64(10*time.Millisecond))
		got := h.quantile(q)
		if got < want || float64(got-want) > float64(want)/subBuckets {
			t.Errorf("quantile(%v) = %s, want %s within 1/%d", q, got, want, subBuckets)
		}
	}
	if h.max != 10*time.Millisecond || h.quantile(1) != h.max {
		t.Errorf("max %s, quantile(1) %s", h.max, h.quantile(1))
	}
	if m := h.mean(); m < 5000*time.Microsecond || m > 5001*time.Microsecond {
		t.Errorf("mean %s, want 5.0005ms", m)
	}
}

func TestBucketsAreContiguous(t *testing.T) {
	for i := 0; i < len(histogram{}.counts)-subBuckets-1; i++ {
		upper := bucketUpper(i)
		if bucketOf(upper) != i || bucketOf(upper+1) != i+1 {
			t.Fatalf("bucket %d: upper %d maps to %d, next to %d", i, upper, bucketOf(upper), bucketOf(upper+1))
		}
	}
}

func TestGenerateCountsAnswersAndStopsAtBudget(t *testing.T) {
	var served atomic.Int64
	var sawUnique atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := served.Add(1)
		if r.Header.Get("X-Id") != "" {
			sawUnique.Add(1)
		}
		switch n % 4 {
		case 1:
			w.WriteHeader(http.StatusBadGateway)
		case 2:
			io.WriteString(w, `{"errors":[{"message":"x"}]}`)
		default:
			io.WriteString(w, `{"data":{"ok":true}}`)
		}
	}))
	defer srv.Close()
	o, err := parseFlags([]string{"-url", srv.URL, "-c", "4", "-d", "30s", "-warmup", "0s", "-max-requests", "400", "-unique-header", "X-Id"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	res := generate(o)
	if res.Requests != 400 || served.Load() != 400 || sawUnique.Load() != 400 {
		t.Fatalf("requests %d, served %d, with unique header %d; want 400 each", res.Requests, served.Load(), sawUnique.Load())
	}
	if res.Non200 != 100 || res.GraphQLErrors != 100 || res.TransportErrors != 0 {
		t.Fatalf("non-200 %d, GraphQL errors %d, transport errors %d; want 100, 100, 0", res.Non200, res.GraphQLErrors, res.TransportErrors)
	}
	var out bytes.Buffer
	printResult(&out, o, res)
	for _, want := range []string{"400 in", "100 non-200", "100 with GraphQL errors", "p99"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunRefusesRemoteTarget(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-url", "http://203.0.113.9/graphql"}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "not a loopback address") {
		t.Fatalf("exit %d, stderr %s", code, stderr.String())
	}
}
