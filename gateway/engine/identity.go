package engine

import (
	"context"
	"encoding/json"

	"github.com/cespare/xxhash/v2"

	"github.com/tributary-gw/tributary"
)

// A request's caller reaches every Source through the context of its
// fetches, and is part of the key under which identical upstream fetches
// are shared, so that two callers never get each other's answer.

// callerKey is the context key of the request's caller.
type callerKey struct{}

// caller is the request's identity and its hash.
type caller struct {
	identity *tributary.Identity
	hash     uint64
}

// withCaller puts id into ctx; nil (anonymous) leaves ctx as it is.
func withCaller(ctx context.Context, id *tributary.Identity) (context.Context, uint64) {
	if id == nil {
		return ctx, 0
	}
	c := &caller{identity: id, hash: identityHash(id)}
	return context.WithValue(ctx, callerKey{}, c), c.hash
}

// callerFrom returns the request's identity, nil when anonymous.
func callerFrom(ctx context.Context) *tributary.Identity {
	if c, ok := ctx.Value(callerKey{}).(*caller); ok {
		return c.identity
	}
	return nil
}

// identityHash hashes a subject and its claims; json.Marshal writes map
// keys sorted, so equal identities hash equally. It is never 0, the hash
// of no identity.
func identityHash(id *tributary.Identity) uint64 {
	d := xxhash.New()
	_, _ = d.WriteString(id.Subject)
	_, _ = d.WriteString("\x00")
	if len(id.Claims) > 0 {
		b, err := json.Marshal(id.Claims)
		if err != nil {
			// Claims that do not marshal still tell callers apart by
			// subject; an unmarshalable value cannot be compared anyway.
			b = []byte(err.Error())
		}
		_, _ = d.Write(b)
	}
	if h := d.Sum64(); h != 0 {
		return h
	}
	return 1
}
