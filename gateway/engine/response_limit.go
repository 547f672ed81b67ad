package engine

import (
	"bytes"
	"errors"
	"fmt"
)

// DefaultMaxResponseBytes is the largest response the engine returns when
// Options.MaxResponseBytes is not set: 64 MiB.
const DefaultMaxResponseBytes = 64 << 20

// pooledBufferMax is the largest response buffer kept for reuse; one
// oversized response must not pin its buffer for the process's lifetime.
const pooledBufferMax = 1 << 20

// errResponseTooLarge stops the resolver's writing once the response
// passes the limit.
var errResponseTooLarge = errors.New("the response is larger than the limit")

// limitedBuffer is the resolver's output: it refuses the write that would
// take the response past max bytes, so an oversized response costs at most
// max bytes of buffer here.
type limitedBuffer struct {
	buf      *bytes.Buffer
	max      int
	exceeded bool
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if l.buf.Len()+len(p) > l.max {
		l.exceeded = true
		return 0, errResponseTooLarge
	}
	return l.buf.Write(p)
}

// responseTooLarge answers a request whose response passed the limit. The
// operation did run: a mutation's effects stay.
func responseTooLarge(limit int) *requestError {
	return &requestError{internal: true, errors: []gqlError{{
		Message:    fmt.Sprintf("the response is larger than the gateway's limit of %d bytes (server.maxResponseBytes in gateway.yaml); select fewer fields or paginate", limit),
		Extensions: map[string]any{"code": "RESPONSE_TOO_LARGE", "limit": limit},
	}}}
}

// releaseBuffer returns a response buffer to the pool unless it grew large.
func releaseBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= pooledBufferMax {
		buffers.Put(buf)
	}
}
