package federation

import (
	"strings"
	"testing"

	"github.com/graphql-go/graphql"
)

func TestBuildSchemaRejects(t *testing.T) {
	noop := func(graphql.ResolveParams) (any, error) { return nil, nil }
	findNothing := func(representation) (typeNamer, error) { return nil, nil }
	const thing = `type Query { thing: Thing } type Thing @key(fields: "id") { id: ID! }`
	thingEntities := map[string]entityResolver{"Thing": findNothing}
	cases := []struct {
		name     string
		sdl      string
		fields   map[string]graphql.FieldResolveFn
		entities map[string]entityResolver
		want     string
	}{
		{name: "syntax error", sdl: `type Query {`, want: "parse SDL"},
		{name: "unknown field type", sdl: `type Query { a: Missing }`, want: "type Query: field a has unknown type Missing"},
		{name: "object argument", sdl: `type Query { a(t: T): Int } type T { x: Int }`, want: "argument a.t has type T; only built-in scalars"},
		{name: "enum type", sdl: `type Query { a: Int } enum Color { RED }`, want: "type Color: ENUM types are not supported"},
		{name: "input type", sdl: `type Query { a: Int } input In { x: Int }`, want: "INPUT_OBJECT types are not supported"},
		{name: "type extension", sdl: `type Query { a: Int } extend type Query { b: Int }`, want: "SDL extends type Query"},
		{name: "schema definition", sdl: `schema { query: Q } type Q { a: Int }`, want: "schema definition"},
		{name: "duplicate type", sdl: `type Query { a: Int } type Query { b: Int }`, want: "type Query is declared twice"},
		{name: "built-in name", sdl: `type Query { a: Int } type _Any { x: Int }`, want: "type _Any: the name is built in"},
		{name: "implements a non-interface", sdl: `type Query { a: T } type T implements Query { a: T }`, want: "implements Query, which is not an interface"},
		{name: "union of a scalar", sdl: `type Query { a: U } union U = Int`, want: "union member Int is not an object type"},
		{name: "declares _entities", sdl: `type Query { _entities: Int }`, want: "field _entities is added by federation"},
		{name: "bad default", sdl: `type Query { a(n: Int = [1]): Int }`, want: "default value [1] is not a scalar literal"},
		{name: "int default out of range", sdl: `type Query { a(n: Int = 99999999999999999999): Int }`, want: "is not an Int"},
		{
			name:   "resolver for a missing field",
			sdl:    `type Query { a: Int }`,
			fields: map[string]graphql.FieldResolveFn{"Query.b": noop},
			want:   `resolver "Query.b" names no field`,
		},
		{name: "entity without resolver", sdl: thing, want: "type Thing has @key but no entity resolver"},
		{
			name:     "entity resolver for a type without @key",
			sdl:      `type Query { a: Int } type Plain { id: ID! }`,
			entities: map[string]entityResolver{"Plain": findNothing},
			want:     `entity resolver "Plain" names no object type with @key`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := buildSchema(subgraphDefinition{name: "test", sdl: tc.sdl, fields: tc.fields, entities: tc.entities})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want one containing %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "subgraph test: ") {
				t.Errorf("error %q does not name the subgraph", err)
			}
		})
	}
	t.Run("valid entity subgraph builds", func(t *testing.T) {
		if _, err := buildSchema(subgraphDefinition{name: "test", sdl: thing, entities: thingEntities}); err != nil {
			t.Fatalf("buildSchema: %v", err)
		}
	})
}

func TestBuildSchemaWithoutEntities(t *testing.T) {
	s, err := newService(subgraphDefinition{
		name:   "plain",
		sdl:    `type Query { answer: Int }`,
		fields: map[string]graphql.FieldResolveFn{"Query.answer": func(graphql.ResolveParams) (any, error) { return 42, nil }},
	})
	if err != nil {
		t.Fatalf("newService: %v", err)
	}
	resp := execute(t, s, `{ answer _service { sdl } }`, "")
	assertJSONEqual(t, resp.Data, `{"answer": 42, "_service": {"sdl": "type Query { answer: Int }"}}`)
	resp = execute(t, s, `{ _entities(representations: []) { __typename } }`, "")
	if len(resp.Errors) == 0 || !strings.Contains(resp.Errors[0].Message, `Cannot query field "_entities"`) {
		t.Errorf("a subgraph without @key types has _entities: %s %+v", resp.Data, resp.Errors)
	}
}
