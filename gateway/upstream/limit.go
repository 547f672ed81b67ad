package upstream

import (
	"io"
	"net/http"

	"github.com/tributary-gw/tributary"
)

// DefaultMaxResponseBytes bounds a remote GraphQL subgraph's response body
// when its section sets no maxResponseBytes (graphql-go-tools buffers
// whole responses, so an endless one would exhaust memory).
const DefaultMaxResponseBytes = 16 << 20

// limitTransport fails the reading of a response body past limit with a
// *tributary.ResponseTooLargeError, and refuses at once a body whose
// declared length is over it.
type limitTransport struct {
	subgraph string
	limit    int64
	next     http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > t.limit {
		resp.Body.Close()
		return nil, t.tooLarge()
	}
	resp.Body = &limitedBody{body: resp.Body, left: t.limit, tooLarge: t.tooLarge}
	return resp, nil
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t *limitTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (t *limitTransport) tooLarge() error {
	return &tributary.ResponseTooLargeError{Subgraph: t.subgraph, Limit: t.limit}
}

// limitedBody reads at most left more bytes, and fails on the byte after.
type limitedBody struct {
	body     io.ReadCloser
	left     int64
	tooLarge func() error
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, b.tooLarge()
	}
	// Ask for one byte more than allowed, to tell a body of exactly the
	// limit from a larger one.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n + int(b.left), b.tooLarge()
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.body.Close() }
