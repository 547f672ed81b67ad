package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tributary-gw/tributary/examples/shipping"
)

// The -rest mode measures the openapi kind: the gateway has one subgraph,
// the example shipping REST service (examples/shipping), and a root field
// such as
//
//	{ getShipment(upc: "3") { carrier etaDays serviceLevel } }
//
// costs exactly one GET /v1/shipments/3. The service answers from memory.

// restSubgraphName is the openapi subgraph's name in the generated
// gateway.yaml and in -subgraph-urls.
const restSubgraphName = "shipping"

// restSpecFile is the spec's file name next to the generated gateway.yaml.
const restSpecFile = "shipping.yaml"

// restBasePath is where the shipping service serves its API.
const restBasePath = "/v1"

// restShutdownGrace bounds how long the REST service waits for requests in
// flight when it stops.
const restShutdownGrace = 5 * time.Second

// startREST serves the example shipping service on loopback, at
// -subgraph-port or a free port, and returns its base URL.
func startREST(o options) (urls map[string]string, counters []*countingHandler, stop func(), err error) {
	addr := "127.0.0.1:0"
	if o.subgraphPort > 0 {
		addr = fmt.Sprintf("127.0.0.1:%d", o.subgraphPort)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("start the %s REST service: listen on %s: %w", restSubgraphName, addr, err)
	}
	c := &countingHandler{name: restSubgraphName, next: shipping.New()}
	server := &http.Server{Handler: c, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		// Serve returns http.ErrServerClosed after Shutdown; any other
		// error closes the listener, and the gateway's calls then fail,
		// which loadgen reports.
		_ = server.Serve(ln)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), restShutdownGrace)
			defer cancel()
			if server.Shutdown(ctx) != nil {
				_ = server.Close()
			}
			<-served
		})
	}
	urls = map[string]string{restSubgraphName: "http://" + ln.Addr().String() + restBasePath}
	return urls, []*countingHandler{c}, stop, nil
}

// restGatewayYAML is the generated gateway.yaml of the -rest mode: the
// shipping service as the only subgraph, its spec in restSpecFile.
func restGatewayYAML(listen, baseURL, forwardHeader string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "listen: %q\ngraphiql: false\nsubgraphs:\n", listen)
	fmt.Fprintf(&b, "  - name: %s\n    openapi:\n      spec: %s\n      baseURL: %q\n", restSubgraphName, restSpecFile, baseURL)
	if forwardHeader != "" {
		fmt.Fprintf(&b, "      forwardHeaders: [%q]\n", forwardHeader)
	}
	return b.String()
}
