package engine

import (
	"encoding/json"
	"strings"
	"testing"
)

const valuesSDL = `type Query { thing: Thing  things: [Thing]  echo(n: Int, f: Float, b: Boolean, s: String, r: Role): String }
type Thing { n: Int  m: Int!  f: Float  b: Boolean  s: String  r: Role  inner: Inner }
type Inner { n: Int! }
enum Role { ADMIN USER }
`

func valuesEngine(t *testing.T, thing string) *Engine {
	return newCannedEngine(t, Options{}, cannedSubgraph{name: "values", sdl: valuesSDL, answer: func(r upstreamRequest) string {
		if isQuery(r, "echo") {
			return `{"data":{"echo":"ok"}}`
		}
		return `{"data":{"thing":` + thing + `}}`
	}})
}

// A value that does not fit its field's type is an error at the field's
// path; the field is null, and a non-null field's null propagates to its
// nearest nullable ancestor (the spec's value completion).
func TestUpstreamValuesMustFitTheirType(t *testing.T) {
	cases := []struct {
		name, thing, query, want, errPath string
	}{
		{"fractional Int", `{"n":1.5,"s":"kept"}`, `{ thing { n s } }`, `{"thing":{"n":null,"s":"kept"}}`, `["thing","n"]`},
		{"Int beyond 32 bits", `{"n":1099511627776}`, `{ thing { n } }`, `{"thing":{"n":null}}`, `["thing","n"]`},
		{"Int as string", `{"n":"7"}`, `{ thing { n } }`, `{"thing":{"n":null}}`, `["thing","n"]`},
		{"Int as exponent", `{"n":1e3}`, `{ thing { n } }`, `{"thing":{"n":1000}}`, ``},
		{"largest Int", `{"n":2147483647}`, `{ thing { n } }`, `{"thing":{"n":2147483647}}`, ``},
		{"non-null Int nulls its parent", `{"m":3.25}`, `{ thing { m } }`, `{"thing":null}`, `["thing","m"]`},
		{"nested non-null", `{"inner":{"n":-2147483649}}`, `{ thing { inner { n } } }`, `{"thing":{"inner":null}}`, `["thing","inner","n"]`},
		{"Float out of range", `{"f":1e999}`, `{ thing { f } }`, `{"thing":{"f":null}}`, `["thing","f"]`},
		{"Boolean as string", `{"b":"true","n":1}`, `{ thing { b n } }`, `{"thing":{"b":null,"n":1}}`, `["thing","b"]`},
		{"aliased", `{"x":0.5}`, `{ thing { x: n } }`, `{"thing":{"x":null}}`, `["thing","x"]`},
		{"enum outside the enum", `{"r":"ROOT"}`, `{ thing { r } }`, `{"thing":{"r":null}}`, `["thing","r"]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := run(t, valuesEngine(t, c.thing), c.query, "")
			var got struct {
				Data   json.RawMessage
				Errors []struct {
					Message string
					Path    json.RawMessage
				}
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("invalid JSON %q: %v", body, err)
			}
			if string(got.Data) != c.want {
				t.Errorf("data = %s, want %s (body %s)", got.Data, c.want, body)
			}
			if c.errPath == "" {
				if len(got.Errors) > 0 {
					t.Errorf("unexpected errors: %s", body)
				}
				return
			}
			if len(got.Errors) == 0 || string(got.Errors[0].Path) != c.errPath {
				t.Errorf("want an error at %s, got %s", c.errPath, body)
			}
		})
	}
}

func TestClientVariablesMustFitTheirType(t *testing.T) {
	e := valuesEngine(t, `{}`)
	cases := []struct{ name, decl, vars string }{
		{"fractional Int", "$v: Int", `{"v":1.5}`},
		{"Int beyond 32 bits", "$v: Int", `{"v":1099511627776}`},
		{"Boolean as number", "$v: Boolean", `{"v":1}`},
		{"enum outside the enum", "$v: Role", `{"v":"ROOT"}`},
		{"String that is not UTF-8", "$v: String", "{\"v\":\"a\xffb\"}"},
	}
	arg := map[string]string{"Int": "n", "Boolean": "b", "Role": "r", "String": "s"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			typ := strings.TrimPrefix(c.decl, "$v: ")
			body := run(t, e, `query(`+c.decl+`) { echo(`+arg[typ]+`: $v) }`, c.vars)
			if !strings.Contains(body, `"BAD_USER_INPUT"`) || strings.Contains(body, `"data"`) {
				t.Errorf("%s: want a BAD_USER_INPUT request error, got %s", c.vars, body)
			}
		})
	}
}
