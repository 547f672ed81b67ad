package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestRunRejectsBadBasePort(t *testing.T) {
	for _, port := range []int{0, -5, 65533} {
		err := run(context.Background(), quiet, "127.0.0.1", port)
		if err == nil || !strings.Contains(err.Error(), "-base-port") {
			t.Errorf("base port %d: got %v, want a -base-port error", port, err)
		}
	}
}

func TestRunReportsBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	err = run(context.Background(), quiet, "127.0.0.1", port)
	if err == nil || !strings.Contains(err.Error(), "start accounts subgraph") || !strings.Contains(err.Error(), "pass -base-port") {
		t.Errorf("got %v, want an error naming accounts and -base-port", err)
	}
}

func TestStartAllServesEverySubgraph(t *testing.T) {
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	stop, base := startOnFreePorts(t, logger)
	defer stop()

	for i, want := range []string{
		`{"data":{"me":{"id":"1"}}}`,
		`{"data":{"product":{"name":"Table"}}}`,
		`{"data":{"_entities":[{"inStock":true}]}}`,
		`{"data":{"latestReviews":[{"id":"10"}]}}`,
	} {
		query := []string{
			`{ me { id } }`,
			`{ product(upc: \"1\") { name } }`,
			`{ _entities(representations: [{__typename: \"Product\", upc: \"1\"}]) { ... on Product { inStock } } }`,
			`{ latestReviews(first: 1) { id } }`,
		}[i]
		url := "http://127.0.0.1:" + strconv.Itoa(base+i) + "/graphql"
		res, err := http.Post(url, "application/json", strings.NewReader(`{"query": "`+query+`"}`))
		if err != nil {
			t.Fatalf("POST %s: %v", url, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(body) != want {
			t.Errorf("port %d answered %s, want %s", base+i, body, want)
		}
	}
	res, err := http.Get("http://127.0.0.1:" + strconv.Itoa(base+4) + "/v1/carriers?region=us-east")
	if err != nil {
		t.Fatalf("shipping: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if want := `[{"id":"fc","name":"FreightCo","region":"us-east"}]`; strings.TrimSpace(string(body)) != want {
		t.Errorf("shipping answered %s, want %s", body, want)
	}

	// An attempt that lost a port race may have logged too; every
	// subgraph must have logged its start at least once.
	for _, name := range []string{"accounts", "products", "inventory", "reviews"} {
		if !strings.Contains(logs.String(), `msg="subgraph listening" name=`+name) {
			t.Errorf("no start line for %s:\n%s", name, logs.String())
		}
	}

	stop()
	if res, err := http.Post("http://127.0.0.1:"+strconv.Itoa(base)+"/graphql", "application/json", strings.NewReader(`{}`)); err == nil {
		res.Body.Close()
		t.Errorf("accounts still answers after stop")
	}
}

// startOnFreePorts runs startAll from a base port that was free a moment
// ago; ports cannot be reserved, so it tries a few.
func startOnFreePorts(t *testing.T, logger *slog.Logger) (stop func(), base int) {
	t.Helper()
	var lastErr error
	for range 5 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		base = ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		stop, lastErr = startAll(logger, "127.0.0.1", base)
		if lastErr == nil {
			return stop, base
		}
	}
	t.Fatalf("found no four free consecutive ports in 5 tries: %v", lastErr)
	return nil, 0
}
