package wire

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/openapi"
)

// convertPolymorphism converts the converter's polymorphism golden spec, so
// that these tests hold the wire mapping to what the converter generates.
func convertPolymorphism(t *testing.T) *openapi.Document {
	t.Helper()
	spec, err := os.ReadFile("../testdata/polymorphism/spec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi.Convert(spec, openapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func operationNamed(t *testing.T, doc *openapi.Document, field string) *openapi.Operation {
	t.Helper()
	for _, o := range doc.Operations {
		if o.FieldName == field {
			return o
		}
	}
	t.Fatalf("no operation %s", field)
	return nil
}

func TestResultInterfaceList(t *testing.T) {
	doc := convertPolymorphism(t)
	body := `[
	  {"petType": "Cat", "name": "Tom", "huntingSkill": "lazy", "packSize": 9},
	  {"petType": "Dog", "name": "Rex", "packSize": 3, "tag": {"label": "good"}},
	  {"petType": "Puppy", "name": "Bo", "packSize": 1},
	  {"petType": "Pet", "name": "Nemo"}
	]`
	want := `[` +
		`{"__typename":"Cat","petType":"Cat","name":"Tom","huntingSkill":"LAZY"},` +
		`{"__typename":"Dog","petType":"Dog","name":"Rex","packSize":3,"tag":{"label":"good"}},` +
		`{"__typename":"Puppy","petType":"Puppy","name":"Bo","packSize":1},` +
		`{"__typename":"PetBase","petType":"Pet","name":"Nemo"}` +
		`]`
	got, err := Result(operationNamed(t, doc, "listPets"), doc.Types, "application/json", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestResultInterfaceMapping(t *testing.T) {
	doc := convertPolymorphism(t)
	body := `[{"kind": "car", "doors": 4, "wheels": 4}, {"kind": "bike", "electric": true}]`
	want := `[{"__typename":"Car","kind":"CAR","doors":4,"wheels":4},{"__typename":"Bike","kind":"BIKE","electric":true}]`
	got, err := Result(operationNamed(t, doc, "listVehicles"), doc.Types, "application/json", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestResultInterfaceField(t *testing.T) {
	doc := convertPolymorphism(t)
	body := `{"name": "Ann", "favourite": {"petType": "Dog", "name": "Rex", "packSize": 2}, "cat": {"petType": "Cat", "name": "Tom"}}`
	// A field typed with a subtype is an object: no "__typename".
	want := `{"name":"Ann","favourite":{"__typename":"Dog","petType":"Dog","name":"Rex","packSize":2},"cat":{"petType":"Cat","name":"Tom"}}`
	got, err := Result(operationNamed(t, doc, "getOwner"), doc.Types, "application/json", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestResultInterfaceErrors(t *testing.T) {
	doc := convertPolymorphism(t)
	tests := []struct {
		field, body, want string
	}{
		{"listPets", `[{"petType": "Cat", "name": "a"}, {"petType": "Bird", "name": "b"}]`, `[1]: interface Pet has no implementation for discriminator petType "Bird"`},
		// The mapping entry to a schema that does not extend Vehicle was
		// dropped, and Vehicle's own name is not a kind: no type for it.
		{"listVehicles", `[{"kind": "boat"}]`, `[0]: interface Vehicle has no implementation for discriminator kind "boat"`},
		{"listVehicles", `[{"kind": "Vehicle"}]`, `[0]: interface Vehicle has no implementation for discriminator kind "Vehicle"`},
		// petType is required, so no type fits an object without it.
		{"getPet", `{"name": "Anon"}`, `no implementation of interface Pet matches the object {"name": "Anon"}`},
		{"getPet", `[1]`, `no implementation of interface Pet holds [1]`},
		{"getPet", `{"petType": "Cat", "huntingSkill": "sleepy"}`, `huntingSkill: enum CatHuntingSkill has no value for wire value "sleepy"`},
	}
	for _, tt := range tests {
		_, err := Result(operationNamed(t, doc, tt.field), doc.Types, "application/json", []byte(tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s:\n got %v\nwant an error containing %q", tt.field, tt.body, err, tt.want)
		}
	}
}

func TestValueInterfaceKeepsNull(t *testing.T) {
	doc := convertPolymorphism(t)
	got, err := Value(&openapi.TypeRef{Elem: &openapi.TypeRef{Named: "Pet"}}, doc.Types, json.RawMessage(`[null]`))
	if err != nil || string(got) != `[null]` {
		t.Errorf("got %s, %v; want [null]", got, err)
	}
}

func TestValueInterfaceByShape(t *testing.T) {
	// Without a required discriminator property, an object lacking it is
	// typed by shape, the base's own type first.
	types := map[string]*openapi.Type{
		"Animal": {Name: "Animal", Kind: openapi.KindInterface, Implementations: []string{"AnimalBase", "Bird"},
			Fields:        []*openapi.Field{field("name", "name", named("String")), field("kind", "kind", named("String"))},
			Discriminator: &openapi.Discriminator{Property: "kind", Mapping: map[string]string{"Animal": "AnimalBase", "Bird": "Bird"}}},
		"AnimalBase": {Name: "AnimalBase", Kind: openapi.KindObject,
			Fields: []*openapi.Field{field("name", "name", named("String")), field("kind", "kind", named("String"))}},
		"Bird": {Name: "Bird", Kind: openapi.KindObject,
			Fields: []*openapi.Field{field("name", "name", named("String")), field("kind", "kind", named("String")), field("wingSpan", "wing_span", named("Float"))}},
	}
	tests := []struct{ wire, want string }{
		{`{"name": "a"}`, `{"__typename":"AnimalBase","name":"a"}`},
		{`{"name": "b", "wing_span": 1.5}`, `{"__typename":"Bird","name":"b","wingSpan":1.5}`},
		{`{"kind": "Animal", "wing_span": 1.5}`, `{"__typename":"AnimalBase","kind":"Animal"}`},
	}
	for _, tt := range tests {
		got, err := Value(named("Animal"), types, json.RawMessage(tt.wire))
		if err != nil {
			t.Fatalf("%s: %v", tt.wire, err)
		}
		if string(got) != tt.want {
			t.Errorf("%s: got %s, want %s", tt.wire, got, tt.want)
		}
	}
}
