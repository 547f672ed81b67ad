package openapi

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestPolymorphismModel(t *testing.T) {
	spec, err := os.ReadFile("testdata/polymorphism/spec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Convert(spec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name            string
		kind            TypeKind
		implementations []string
		mapping         map[string]string
	}{
		{"Pet", KindInterface, []string{"PetBase", "Cat", "Dog", "Puppy"},
			map[string]string{"Pet": "PetBase", "Cat": "Cat", "Dog": "Dog", "Puppy": "Puppy"}},
		// Abstract: the kind enum has no value that names Vehicle itself.
		{"Vehicle", KindInterface, []string{"Bike", "Car"},
			map[string]string{"car": "Car", "bike": "Bike"}},
		{"Cat", KindObject, nil, nil},
		{"PetBase", KindObject, nil, nil},
		{"VehicleInput", KindInputObject, nil, nil},
	}
	for _, tt := range tests {
		typ := doc.Types[tt.name]
		if typ == nil {
			t.Errorf("no type %s", tt.name)
			continue
		}
		if typ.Kind != tt.kind {
			t.Errorf("%s: kind %d, want %d", tt.name, typ.Kind, tt.kind)
		}
		if !slices.Equal(typ.Implementations, tt.implementations) {
			t.Errorf("%s: implementations %v, want %v", tt.name, typ.Implementations, tt.implementations)
		}
		var mapping map[string]string
		if typ.Discriminator != nil && typ.Kind == KindInterface {
			mapping = typ.Discriminator.Mapping
		}
		if !maps.Equal(mapping, tt.mapping) {
			t.Errorf("%s: mapping %v, want %v", tt.name, mapping, tt.mapping)
		}
	}
	if got := doc.Types["Dog"].Fields[0]; got.Name != "name" || !got.Type.NonNull {
		t.Errorf("Dog.name must take the interface's String!, got %s %s", got.Name, got.Type.String())
	}
}

func TestPolymorphismShapes(t *testing.T) {
	const head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n"
	tests := []struct {
		name    string
		schemas string
		want    []string // lines the SDL must contain
		warning string   // a warning that must be given, or ""
	}{
		{
			name: "grandchild implements the base",
			schemas: `    A: {type: object, discriminator: {propertyName: t}, properties: {t: {type: string}}}
    B: {allOf: [{$ref: '#/components/schemas/A'}, {properties: {b: {type: integer}}}]}
    C: {allOf: [{$ref: '#/components/schemas/B'}, {properties: {c: {type: integer}}}]}
`,
			want: []string{"interface A {", "type ABase implements A @shareable {", "type B implements A @shareable {", "type C implements A @shareable {"},
		},
		{
			name: "a nested base is an interface of its own",
			schemas: `    A: {type: object, discriminator: {propertyName: t}, properties: {t: {type: string}, peer: {$ref: '#/components/schemas/B'}}}
    B: {discriminator: {propertyName: t}, allOf: [{$ref: '#/components/schemas/A'}, {properties: {b: {type: integer}}}]}
    C: {allOf: [{$ref: '#/components/schemas/B'}, {properties: {c: {type: integer}}}]}
`,
			want: []string{"interface A {", "interface B {", "type BBase implements A & B @shareable {", "type C implements A & B @shareable {"},
		},
		{
			name: "a base without properties is a union",
			schemas: `    A: {discriminator: {propertyName: t}}
    B: {allOf: [{$ref: '#/components/schemas/A'}, {properties: {t: {type: string}}}]}
`,
			want:    []string{"union A = B"},
			warning: "it is a union of the schemas that extend it",
		},
		{
			name: "a subtype that retypes a property takes the interface's type",
			schemas: `    A: {type: object, discriminator: {propertyName: t}, properties: {t: {type: string}, n: {type: integer}}}
    B: {allOf: [{$ref: '#/components/schemas/A'}, {properties: {n: {type: string}}}]}
`,
			want:    []string{"type B implements A @shareable {\n  n: Int\n"},
			warning: "field n of B is String, which does not fit interface A's Int",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Convert([]byte(head+tt.schemas), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkSDL(t, doc.SDL)
			for _, w := range tt.want {
				if !strings.Contains(doc.SDL, w) {
					t.Errorf("the SDL lacks %q:\n%s", w, doc.SDL)
				}
			}
			if tt.warning != "" && !strings.Contains(warningsText(doc), tt.warning) {
				t.Errorf("no warning %q in:\n%s", tt.warning, warningsText(doc))
			}
		})
	}
}
