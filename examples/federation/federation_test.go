package federation

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

func TestServiceSDL(t *testing.T) {
	for _, s := range All() {
		t.Run(s.Name, func(t *testing.T) {
			resp := execute(t, s, `{ _service { sdl } }`, "")
			var data struct {
				Service struct {
					SDL string `json:"sdl"`
				} `json:"_service"`
			}
			if err := json.Unmarshal(resp.Data, &data); err != nil {
				t.Fatalf("decode data: %v", err)
			}
			if data.Service.SDL != s.SDL {
				t.Fatalf("_service.sdl differs from Service.SDL:\n%s", data.Service.SDL)
			}
			doc, err := parser.ParseSchema(&ast.Source{Name: s.Name, Input: data.Service.SDL})
			if err != nil {
				t.Fatalf("SDL does not parse: %v", err)
			}
			if !strings.HasPrefix(s.SDL, `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3"`) {
				t.Errorf("SDL does not start with the federation v2.3 @link:\n%s", s.SDL)
			}
			for _, name := range []string{"_Any", "_Entity", "_Service", "_entities", "_service"} {
				if strings.Contains(s.SDL, name) {
					t.Errorf("SDL declares %s, which subgraph libraries leave out of _service.sdl", name)
				}
			}
			assertSchemaMatchesSDL(t, s, doc)
		})
	}
}

// assertSchemaMatchesSDL introspects every SDL type of s and checks that the
// executable schema has exactly the SDL's fields, with the same types.
func assertSchemaMatchesSDL(t *testing.T, s *Service, doc *ast.SchemaDocument) {
	t.Helper()
	for _, d := range doc.Definitions {
		resp := execute(t, s, `query($name: String!) { __type(name: $name) {
			kind fields { name args { name type { ...T } defaultValue } type { ...T } } possibleTypes { name } } }
			fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`,
			`{"name": "`+d.Name+`"}`)
		var data struct {
			Type *struct {
				Kind   string
				Fields []struct {
					Name string
					Args []struct {
						Name         string
						Type         introspectedType
						DefaultValue *string
					}
					Type introspectedType
				}
				PossibleTypes []struct{ Name string }
			} `json:"__type"`
		}
		if err := json.Unmarshal(resp.Data, &data); err != nil || data.Type == nil {
			t.Fatalf("type %s: not in the executable schema (%v): %s", d.Name, err, resp.Data)
		}
		if data.Type.Kind != string(d.Kind) {
			t.Errorf("type %s: kind %s, SDL says %s", d.Name, data.Type.Kind, d.Kind)
		}
		var gotFields []string
		for _, f := range data.Type.Fields {
			if strings.HasPrefix(f.Name, "_") {
				continue // _entities and _service are added on purpose
			}
			gotFields = append(gotFields, f.Name)
			want := d.Fields.ForName(f.Name)
			if want == nil {
				continue // reported below as a field-list mismatch
			}
			if f.Type.String() != want.Type.String() {
				t.Errorf("%s.%s: type %s, SDL says %s", d.Name, f.Name, f.Type, want.Type)
			}
			for _, a := range f.Args {
				wantArg := want.Arguments.ForName(a.Name)
				if wantArg == nil || a.Type.String() != wantArg.Type.String() {
					t.Errorf("%s.%s(%s: %s) is not in the SDL", d.Name, f.Name, a.Name, a.Type)
					continue
				}
				if wantArg.DefaultValue != nil && (a.DefaultValue == nil || *a.DefaultValue != wantArg.DefaultValue.String()) {
					t.Errorf("%s.%s(%s): default %v, SDL says %s", d.Name, f.Name, a.Name, a.DefaultValue, wantArg.DefaultValue)
				}
			}
			if len(f.Args) != len(want.Arguments) {
				t.Errorf("%s.%s has %d arguments, SDL has %d", d.Name, f.Name, len(f.Args), len(want.Arguments))
			}
		}
		var wantFields []string
		for _, f := range d.Fields {
			wantFields = append(wantFields, f.Name)
		}
		slices.Sort(gotFields)
		slices.Sort(wantFields)
		if !slices.Equal(gotFields, wantFields) {
			t.Errorf("type %s: fields %v, SDL has %v", d.Name, gotFields, wantFields)
		}
		var gotMembers []string
		for _, p := range data.Type.PossibleTypes {
			gotMembers = append(gotMembers, p.Name)
		}
		if d.Kind == ast.Union && !slices.Equal(gotMembers, d.Types) {
			t.Errorf("union %s: members %v, SDL has %v", d.Name, gotMembers, d.Types)
		}
	}
}

// introspectedType is an introspected type reference, three wrappers deep.
type introspectedType struct {
	Kind   string
	Name   *string
	OfType *introspectedType
}

// String writes the reference in SDL notation, as ast.Type.String does.
func (t introspectedType) String() string {
	switch {
	case t.Kind == "NON_NULL" && t.OfType != nil:
		return t.OfType.String() + "!"
	case t.Kind == "LIST" && t.OfType != nil:
		return "[" + t.OfType.String() + "]"
	case t.Name != nil:
		return *t.Name
	default:
		return "?"
	}
}

func TestEntitiesRejectsUnreadableRepresentations(t *testing.T) {
	const query = `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`
	runQueryCases(t, Products(), []queryCase{
		{
			name:      "not an object",
			query:     query,
			variables: `{"r": [{"__typename": "Product", "upc": "1"}, "1"]}`,
			wantData:  `null`,
			wantErrs:  []wantError{{contains: `representations[1] is "1"; want an object`, path: `["_entities"]`}},
		},
		{
			name:      "no __typename",
			query:     query,
			variables: `{"r": [{"upc": "1"}]}`,
			wantData:  `null`,
			wantErrs:  []wantError{{contains: `representations[0] has __typename "", which is not an entity of subgraph products (entities: Product)`}},
		},
		{
			name:      "type that is not an entity here",
			query:     query,
			variables: `{"r": [{"__typename": "Category", "id": "c1"}]}`,
			wantData:  `null`,
			wantErrs:  []wantError{{contains: `__typename "Category", which is not an entity`}},
		},
		{
			name:      "key missing",
			query:     query,
			variables: `{"r": [{"__typename": "Product", "id": "1"}]}`,
			wantData:  `null`,
			wantErrs:  []wantError{{contains: `representations[0] (Product): key field "upc" is missing`}},
		},
		{
			name:      "key of the wrong type",
			query:     query,
			variables: `{"r": [{"__typename": "Product", "upc": 1}]}`,
			wantData:  `null`,
			wantErrs:  []wantError{{contains: `key field "upc" is 1; want a string`}},
		},
		{
			name:      "empty list",
			query:     query,
			variables: `{"r": []}`,
			wantData:  `{"_entities": []}`,
		},
	})
}
