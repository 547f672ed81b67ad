package engine

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary/composition"
)

// A subgraph that resolves the fields of another subgraph's key without
// declaring that key still leads to it: the email subgraph keys User by id
// but holds email, which is the nickname subgraph's key.
func TestImplicitKeyLetsThePlannerJump(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	record := func(name string, r upstreamRequest) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, name+": "+r.Query+" "+string(r.Variables))
	}
	e := newCannedEngine(t, Options{},
		cannedSubgraph{name: "email", sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Query { user: User }
type User @key(fields: "id") { id: ID!  email: String! @shareable }
`, answer: func(r upstreamRequest) string {
			record("email", r)
			return `{"data":{"user":{"__typename":"User","id":"u1","email":"u1@example.com"}}}`
		}},
		cannedSubgraph{name: "nickname", sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type User @key(fields: "email") { email: String!  nickname: String! }
`, answer: func(r upstreamRequest) string {
			record("nickname", r)
			if !strings.Contains(string(r.Variables), `"email":"u1@example.com"`) {
				return `{"errors":[{"message":"no representation by email"}]}`
			}
			return `{"data":{"_entities":[{"__typename":"User","nickname":"one"}]}}`
		}},
	)
	body := run(t, e, `{ user { id nickname } }`, "")
	if body != `{"data":{"user":{"id":"u1","nickname":"one"}}}` {
		t.Fatalf("got %s\ncalls %v", body, calls)
	}
	if len(calls) != 2 {
		t.Fatalf("want one call per subgraph, got %v", calls)
	}
}

// The key may be nested, and the subgraph must hold every field of it
// itself: an @external field does not count.
func TestImplicitKeysNeedEveryFieldOfTheKey(t *testing.T) {
	sg, err := parseSupergraph(composeSDL(t,
		`extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Query { a: User }
type User @key(fields: "id") { id: ID!  name: String @shareable }
`, `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type User @key(fields: "id org { id }") { id: ID!  org: Org  age: Int }
type Org { id: ID! }
`, `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
type Query { c: User }
type User @key(fields: "name") { name: String  id: ID! @external  score: Int @requires(fields: "id") }
`))
	if err != nil {
		t.Fatal(err)
	}
	keys := func(graph string) []string {
		var out []string
		for _, k := range sg.views[graph].metadata.Keys {
			if k.TypeName == "User" {
				s := k.SelectionSet
				if k.DisableEntityResolver {
					s += " (not resolvable)"
				}
				out = append(out, s)
			}
		}
		return out
	}
	if got := strings.Join(keys("g0"), ", "); got != "id, name (not resolvable)" {
		t.Errorf("g0 keys: %s (it holds name but not org { id })", got)
	}
	if got := strings.Join(keys("g1"), ", "); got != "id org { id }, id (not resolvable)" {
		t.Errorf("g1 keys: %s", got)
	}
	if got := strings.Join(keys("g2"), ", "); got != "name" {
		t.Errorf("g2 keys: %s (its id is external)", got)
	}
}

// composeSDL composes subgraphs named g0, g1, … with our composition.
func composeSDL(t *testing.T, sdls ...string) string {
	t.Helper()
	var cs []composition.Subgraph
	for i, sdl := range sdls {
		cs = append(cs, composition.Subgraph{Name: fmt.Sprintf("g%d", i), URL: "http://127.0.0.1:1/graphql", SDL: sdl})
	}
	res, err := composition.Compose(cs)
	if err != nil {
		t.Fatal(err)
	}
	return res.SDL
}
