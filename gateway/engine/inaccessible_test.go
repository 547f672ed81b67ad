package engine

import (
	"strings"
	"testing"
)

// A @requires may select a field clients cannot see: the planner works on
// the whole supergraph, while clients' operations are validated against
// the schema without the @inaccessible parts.
func TestRequiresAnInaccessibleField(t *testing.T) {
	e := newCannedEngine(t, Options{},
		cannedSubgraph{name: "prices", sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
type Product @key(fields: "id") { id: ID!  price: Float! @inaccessible }
`, answer: func(r upstreamRequest) string {
			return `{"data":{"_entities":[{"__typename":"Product","price":1200.5}]}}`
		}},
		cannedSubgraph{name: "catalog", sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { product: Product }
type Product @key(fields: "id") { id: ID! }
`, answer: func(r upstreamRequest) string {
			return `{"data":{"product":{"__typename":"Product","id":"p1"}}}`
		}},
		cannedSubgraph{name: "pricing", sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
type Product @key(fields: "id") { id: ID!  price: Float! @external  isExpensive: Boolean! @requires(fields: "price") }
`, answer: func(r upstreamRequest) string {
			if !strings.Contains(string(r.Variables), `"price":1200.5`) {
				return `{"errors":[{"message":"price was not sent"}]}`
			}
			return `{"data":{"_entities":[{"__typename":"Product","isExpensive":true}]}}`
		}},
	)
	if body := run(t, e, `{ product { isExpensive } }`, ""); body != `{"data":{"product":{"isExpensive":true}}}` {
		t.Fatalf("got %s", body)
	}
	if body := run(t, e, `{ product { price } }`, ""); !strings.Contains(body, `Cannot query field \"price\" on type \"Product\"`) {
		t.Fatalf("an inaccessible field was served: %s", body)
	}
	if strings.Contains(e.ClientSchema(), "price") {
		t.Fatalf("the client schema shows an inaccessible field:\n%s", e.ClientSchema())
	}
}

// A value whose runtime type is @inaccessible is null, and the error does
// not name the type.
func TestInaccessibleRuntimeTypeIsNull(t *testing.T) {
	e := newCannedEngine(t, Options{},
		cannedSubgraph{name: "things", sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
type Query { a: Named  b: Named }
interface Named { name: String! }
type Secret implements Named @inaccessible { name: String! }
type Public implements Named { name: String! }
`, answer: func(r upstreamRequest) string {
			return `{"data":{"a":{"__typename":"Secret","name":"s"},"b":{"__typename":"Public","name":"p"}}}`
		}},
	)
	body := run(t, e, `{ a { __typename name } b { __typename name } }`, "")
	if !strings.HasSuffix(body, `"data":{"a":null,"b":{"__typename":"Public","name":"p"}}}`) || strings.Contains(body, "Secret") {
		t.Fatalf("got %s", body)
	}
}

// An @inaccessible enum value from a subgraph is null with an error that
// does not name it.
func TestInaccessibleEnumValueIsNull(t *testing.T) {
	e := newCannedEngine(t, Options{},
		cannedSubgraph{name: "users", sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@inaccessible"])
type Query { users: [User] }
type User { id: ID!  type: UserType }
enum UserType { REGULAR  ANONYMOUS @inaccessible }
`, answer: func(r upstreamRequest) string {
			return `{"data":{"users":[{"id":"u1","type":"REGULAR"},{"id":"u2","type":"ANONYMOUS"}]}}`
		}},
	)
	body := run(t, e, `{ users { id type } }`, "")
	if !strings.HasSuffix(body, `"data":{"users":[{"id":"u1","type":"REGULAR"},{"id":"u2","type":null}]}}`) || strings.Contains(body, "ANONYMOUS") {
		t.Fatalf("got %s", body)
	}
}
