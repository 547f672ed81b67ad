package engine

import (
	"strings"
	"sync"
	"testing"
)

const (
	accountsSDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { users: [NodeWithName!]! }
interface NodeWithName @key(fields: "id") { id: ID!  name: String }
type User implements NodeWithName @key(fields: "id") { id: ID!  name: String  age: Int }
`
	usernamesSDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
type Query { anotherUsers: [NodeWithName] }
type NodeWithName @key(fields: "id") @interfaceObject { id: ID!  username: String }
`
)

// A subgraph that sees an interface as an @interfaceObject adds fields to
// every type implementing it: the planner reaches it from a concrete type
// (its representation names the interface), and from it back to the
// concrete type's own subgraph.
func TestInterfaceObjectFieldsOnConcreteTypes(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	record := func(name string, r upstreamRequest) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, name+": "+r.Query+" "+string(r.Variables))
	}
	e := newCannedEngine(t, Options{},
		cannedSubgraph{name: "accounts", sdl: accountsSDL, answer: func(r upstreamRequest) string {
			record("accounts", r)
			if isQuery(r, "_entities") {
				return `{"data":{"_entities":[{"__typename":"User","name":"Ann","age":41}]}}`
			}
			return `{"data":{"users":[{"__typename":"User","id":"1"}]}}`
		}},
		cannedSubgraph{name: "usernames", sdl: usernamesSDL, answer: func(r upstreamRequest) string {
			record("usernames", r)
			if isQuery(r, "_entities") {
				if !strings.Contains(string(r.Variables), `"__typename":"NodeWithName"`) {
					return `{"errors":[{"message":"representations must name the interface object"}]}`
				}
				return `{"data":{"_entities":[{"username":"ann"}]}}`
			}
			return `{"data":{"anotherUsers":[{"__typename":"NodeWithName","id":"1","username":"ann"}]}}`
		}},
	)
	if body := run(t, e, `{ users { id username } }`, ""); body != `{"data":{"users":[{"id":"1","username":"ann"}]}}` {
		t.Fatalf("users: %s\ncalls %v", body, calls)
	}
	calls = nil
	if body := run(t, e, `{ anotherUsers { id username ... on User { age } } }`, ""); body != `{"data":{"anotherUsers":[{"id":"1","username":"ann","age":41}]}}` {
		t.Fatalf("anotherUsers: %s\ncalls %v", body, calls)
	}
}
