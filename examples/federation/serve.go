package federation

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// shutdownGrace is how long stop waits for requests in flight.
const shutdownGrace = 5 * time.Second

// Start serves s on a free loopback port, like httptest.NewServer, and returns
// the GraphQL endpoint URL (http://127.0.0.1:PORT/graphql) and a func that
// stops the server. Calling stop more than once is safe.
func Start(s *Service) (url string, stop func(), err error) {
	return StartAt(s, "127.0.0.1:0")
}

// StartAt serves s at Path on the TCP address addr ("host:port"; port 0 picks
// a free one). It returns once the listener is open.
func StartAt(s *Service, addr string) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("start %s subgraph: listen on %s: %w", s.Name, addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle(Path, s.Handler)
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		// Serve returns http.ErrServerClosed after Shutdown, and closes
		// the listener on any other error; no one is left to report to.
		_ = server.Serve(ln)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
			defer cancel()
			if server.Shutdown(ctx) != nil {
				_ = server.Close()
			}
			<-served
		})
	}
	return "http://" + ln.Addr().String() + Path, stop, nil
}
