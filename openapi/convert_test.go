package openapi

import (
	"strings"
	"testing"
)

// spec30 wraps paths and component schemas (YAML, indented by two spaces
// under their keys) in an OpenAPI 3.0 document.
func spec30(paths, schemas string) []byte {
	return []byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n" + paths + "\ncomponents:\n  schemas:\n" + schemas + "\n")
}

// getReturning is a path whose GET operation "get" returns the schema ref.
func getReturning(ref string) string {
	return "  /x:\n    get:\n      operationId: get\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/" + ref + "'}\n"
}

func convertOK(t *testing.T, spec []byte, opts Options) *Document {
	t.Helper()
	doc, err := Convert(spec, opts)
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	checkSDL(t, doc.SDL)
	return doc
}

// fieldType returns the GraphQL type of "Type.field", or "" when absent.
func fieldType(doc *Document, coordinate string) string {
	typeName, field, _ := strings.Cut(coordinate, ".")
	if t := doc.Types[typeName]; t != nil {
		for _, f := range t.Fields {
			if f.Name == field {
				return f.Type.String()
			}
		}
	}
	return ""
}

func operation(doc *Document, field string) *Operation {
	for _, o := range doc.Operations {
		if o.FieldName == field {
			return o
		}
	}
	return nil
}

func hasWarning(doc *Document, substr string) bool {
	for _, w := range doc.Warnings {
		if strings.Contains(w.Message, substr) {
			return true
		}
	}
	return false
}

func TestSchemaRules(t *testing.T) {
	tests := []struct {
		name    string
		schemas string
		want    map[string]string // "Type.field" → GraphQL type
	}{
		{
			name: "nullability from required and nullable",
			schemas: `    T:
      type: object
      required: [a, b]
      properties:
        a: {type: string}
        b: {type: string, nullable: true}
        c: {type: string}`,
			want: map[string]string{"T.a": "String!", "T.b": "String", "T.c": "String"},
		},
		{
			name: "formats",
			schemas: `    T:
      type: object
      properties:
        i32: {type: integer, format: int32}
        i64: {type: integer, format: int64}
        n: {type: number}
        dt: {type: string, format: date-time}
        d: {type: string, format: date}
        bin: {type: string, format: binary}
        byte: {type: string, format: byte}
        b: {type: boolean}`,
			want: map[string]string{"T.i32": "Int", "T.i64": "BigInt", "T.n": "Float", "T.dt": "DateTime", "T.d": "Date", "T.bin": "String", "T.byte": "String", "T.b": "Boolean"},
		},
		{
			name: "free-form objects and maps are JSON",
			schemas: `    T:
      type: object
      properties:
        free: {type: object}
        map: {type: object, additionalProperties: {type: integer}}
        untyped: {}
        multi: {type: [string, integer]}`,
			want: map[string]string{"T.free": "JSON", "T.map": "JSON", "T.untyped": "JSON", "T.multi": "JSON"},
		},
		{
			name: "arrays and inline objects",
			schemas: `    T:
      type: object
      properties:
        tags: {type: array, items: {type: string}}
        maybe: {type: array, items: {type: string, nullable: true}}
        address: {type: object, properties: {zip-code: {type: string}}}`,
			want: map[string]string{"T.tags": "[String!]", "T.maybe": "[String]", "T.address": "TAddress", "TAddress.zipCode": "String"},
		},
		{
			name: "allOf merges members and alias allOf keeps the name",
			schemas: `    Base:
      type: object
      required: [id]
      properties: {id: {type: string}}
    T:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            extra: {type: integer}
            alias:
              allOf: [{$ref: '#/components/schemas/Base'}]
              nullable: true`,
			want: map[string]string{"T.id": "String!", "T.extra": "Int", "T.alias": "Base"},
		},
		{
			name: "recursion through a named type",
			schemas: `    T:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/T'}}
        parent: {$ref: '#/components/schemas/T'}`,
			want: map[string]string{"T.children": "[T!]", "T.parent": "T"},
		},
		{
			name: "anyOf with null is a nullable member",
			schemas: `    O:
      type: object
      properties: {n: {type: string}}
    T:
      type: object
      required: [o]
      properties:
        o:
          anyOf: [{$ref: '#/components/schemas/O'}, {type: 'null'}]`,
			want: map[string]string{"T.o": "O"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := convertOK(t, spec30(getReturning("T"), tt.schemas), Options{})
			for coord, want := range tt.want {
				if got := fieldType(doc, coord); got != want {
					t.Errorf("%s: %q, want %q\n%s", coord, got, want, doc.SDL)
				}
			}
		})
	}
}

func TestEnums(t *testing.T) {
	doc := convertOK(t, spec30(getReturning("T"), `    T:
      type: object
      properties:
        status: {type: string, enum: [in-progress, done, done, null]}
        level: {type: integer, enum: [1, 2]}
        flag: {type: boolean, enum: [true]}`), Options{})
	tests := []struct {
		typ   string
		names []string
		wires []any
	}{
		{"TStatus", []string{"IN_PROGRESS", "DONE"}, []any{"in-progress", "done"}},
		{"TLevel", []string{"_1", "_2"}, []any{float64(1), float64(2)}},
		{"TFlag", []string{"TRUE"}, []any{true}},
	}
	for _, tt := range tests {
		e := doc.Types[tt.typ]
		if e == nil || e.Kind != KindEnum || len(e.EnumValues) != len(tt.names) {
			t.Fatalf("%s: %+v\n%s", tt.typ, e, doc.SDL)
		}
		for i, v := range e.EnumValues {
			if v.Name != tt.names[i] || v.Wire != tt.wires[i] {
				t.Errorf("%s value %d = %s/%#v, want %s/%#v", tt.typ, i, v.Name, v.Wire, tt.names[i], tt.wires[i])
			}
		}
	}
	if fieldType(doc, "T.status") != "TStatus" {
		t.Errorf("a null entry must make the enum nullable, got %s", fieldType(doc, "T.status"))
	}
}

func TestUnions(t *testing.T) {
	schemas := `    Cat:
      type: object
      properties: {kind: {type: string}, meow: {type: boolean}}
    Dog:
      type: object
      properties: {kind: {type: string}, bark: {type: boolean}}
    T:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
        - type: string
      discriminator:
        propertyName: kind
        mapping:
          kitty: '#/components/schemas/Cat'
          bogus: '#/components/schemas/Nope'`
	paths := getReturning("T") + `    post:
      operationId: put
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/T'}
      responses:
        '204': {description: done}
`
	doc := convertOK(t, spec30(paths, schemas), Options{})
	u := doc.Types["T"]
	if u == nil || u.Kind != KindUnion || strings.Join(u.Members, ",") != "Cat,Dog,StringValue" {
		t.Fatalf("union T = %+v", u)
	}
	if w := doc.Types["StringValue"]; w == nil || !w.Wrapped || fieldType(doc, "StringValue.value") != "String" {
		t.Errorf("non-object members must be wrapped: %+v", w)
	}
	d := u.Discriminator
	if d == nil || d.Property != "kind" || d.Mapping["kitty"] != "Cat" || d.Mapping["Dog"] != "Dog" || len(d.Mapping) != 2 {
		t.Errorf("discriminator = %+v, want kitty→Cat (explicit), Dog→Dog (implicit)", d)
	}
	if !hasWarning(doc, `mapping "bogus"`) {
		t.Errorf("a mapping to a non-member must warn: %v", doc.Warnings)
	}
	in := doc.Types["TInput"]
	if in == nil || !in.OneOf || in.Kind != KindInputObject || fieldType(doc, "TInput.cat") != "CatInput" || fieldType(doc, "TInput.string") != "String" {
		t.Errorf("oneOf input = %+v\n%s", in, doc.SDL)
	}
	if !strings.Contains(doc.SDL, "directive @oneOf on INPUT_OBJECT") {
		t.Error("the SDL must define @oneOf when it uses it")
	}
}

func TestAllOfConflictWarns(t *testing.T) {
	doc := convertOK(t, spec30(getReturning("T"), `    T:
      allOf:
        - {type: object, properties: {a: {type: string}}}
        - {type: object, properties: {a: {type: integer}}}`), Options{})
	if fieldType(doc, "T.a") != "Int" || !hasWarning(doc, "later definition wins") {
		t.Errorf("T.a = %s, warnings %v", fieldType(doc, "T.a"), doc.Warnings)
	}
}

func TestReadOnlyWriteOnly(t *testing.T) {
	paths := getReturning("T") + `    post:
      operationId: create
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/T'}
      responses:
        '201':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/T'}
`
	doc := convertOK(t, spec30(paths, `    T:
      type: object
      properties:
        id: {type: string, readOnly: true}
        password: {type: string, writeOnly: true}
        name: {type: string}`), Options{})
	if fieldType(doc, "T.id") == "" || fieldType(doc, "T.password") != "" {
		t.Errorf("output T must have id and not password:\n%s", doc.SDL)
	}
	if fieldType(doc, "TInput.id") != "" || fieldType(doc, "TInput.password") == "" {
		t.Errorf("input TInput must have password and not id:\n%s", doc.SDL)
	}
	if b := operation(doc, "create").Body; b == nil || b.Arg != "input" || b.Type.String() != "TInput!" {
		t.Errorf("body = %+v", b)
	}
}
