package engine

import (
	"strings"
	"testing"
)

const namedSDL = `type Query { named: [Named]  any: Any }
interface Named { name: String }
type Cat implements Named { name: String  lives: Int }
type Dog implements Named { name: String }
union Any = Cat | Dog
`

// possibleTypes of an interface lists its implementations, as the client
// schema says.
func TestIntrospectionListsPossibleTypesOfInterfaces(t *testing.T) {
	e := newCannedEngine(t, Options{Introspection: true}, cannedSubgraph{name: "pets", sdl: namedSDL, answer: func(upstreamRequest) string { return `{"data":{}}` }})
	cases := []struct{ query, want string }{
		{`{ __type(name: "Named") { possibleTypes { name } } }`, `{"data":{"__type":{"possibleTypes":[{"name":"Cat"},{"name":"Dog"}]}}}`},
		{`{ __type(name: "Any") { possibleTypes { name } } }`, `{"data":{"__type":{"possibleTypes":[{"name":"Cat"},{"name":"Dog"}]}}}`},
		{`{ __type(name: "Cat") { interfaces { name possibleTypes { name } } } }`, `{"data":{"__type":{"interfaces":[{"name":"Named","possibleTypes":[{"name":"Cat"},{"name":"Dog"}]}]}}}`},
	}
	for _, c := range cases {
		if got := run(t, e, c.query, ""); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.query, got, c.want)
		}
	}
	body := run(t, e, `{ __schema { types { name possibleTypes { name } } } }`, "")
	if !strings.Contains(body, `{"name":"Named","possibleTypes":[{"name":"Cat"},{"name":"Dog"}]}`) {
		t.Errorf("__schema: Named has no possible types: %s", body)
	}
}
