package openapi

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
	oas "github.com/tributary-gw/tributary/openapi"
)

// fakeConverter returns a fixed document.
type fakeConverter struct{ doc *oas.Document }

func (f fakeConverter) Convert([]byte, *Config, string) (*oas.Document, error) {
	return f.doc, nil
}

func TestBuildLogsWarnings(t *testing.T) {
	doc := petDoc()
	doc.Warnings = []oas.Warning{
		{Pointer: "#/paths/~1upload/post", Message: "skipped: no usable request body"},
		{Pointer: "#/components/schemas/Odd", Message: "degraded to JSON"},
	}
	var logs bytes.Buffer
	bc := tributary.BuildContext{
		Logger:       slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})),
		ReadResource: func(context.Context, string) ([]byte, error) { return []byte("{}"), nil },
	}
	cfg := &Config{Spec: "./pets.yaml", Auth: &AuthConfig{Bearer: &BearerAuth{Token: "tok-secret"}}}
	sg, err := cfg.build(context.Background(), "pets", bc, toolset{converter: fakeConverter{doc}, wire: fakeWire{}})
	if err != nil {
		t.Fatal(err)
	}
	if sg.SDL != doc.SDL || sg.Source == nil || sg.Name != "pets" {
		t.Errorf("subgraph %+v", sg)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2:\n%s", len(lines), logs.String())
	}
	for i, w := range doc.Warnings {
		if !strings.Contains(lines[i], w.Message) || !strings.Contains(lines[i], w.Pointer) || !strings.Contains(lines[i], "subgraph=pets") {
			t.Errorf("log line %q lacks %q or its pointer", lines[i], w.Message)
		}
	}
	if strings.Contains(logs.String(), "tok-secret") {
		t.Error("logs contain the token")
	}
}

// The spec is read through the BuildContext, at the location exactly as
// gateway.yaml gives it, so that a start-up artifact can record it and
// serve it back by that name.
func TestBuildReadsTheSpecThroughTheBuildContext(t *testing.T) {
	tools := toolset{converter: fakeConverter{petDoc()}, wire: fakeWire{}}
	for _, spec := range []string{"./specs/pets.yaml", "https://specs.example.com/pets.json"} {
		var asked []string
		bc := tributary.BuildContext{Dir: "/etc/gateway", ReadResource: func(_ context.Context, location string) ([]byte, error) {
			asked = append(asked, location)
			return []byte("{}"), nil
		}}
		if _, err := (&Config{Spec: spec, BaseURL: "http://pets.internal"}).build(context.Background(), "pets", bc, tools); err != nil {
			t.Fatal(err)
		}
		if len(asked) != 1 || asked[0] != spec {
			t.Errorf("spec %s: read %q", spec, asked)
		}
	}
	bc := tributary.BuildContext{ReadResource: func(_ context.Context, location string) ([]byte, error) {
		return nil, errors.New("the artifact has no copy of " + location)
	}}
	_, err := (&Config{Spec: "./pets.yaml"}).build(context.Background(), "pets", bc, tools)
	if err == nil || err.Error() != `spec: cannot read ./pets.yaml: the artifact has no copy of ./pets.yaml; a relative path starts at gateway.yaml's directory` {
		t.Errorf("error %v", err)
	}
}

func TestBuildWithoutTools(t *testing.T) {
	_, err := (&Config{Spec: "x.yaml"}).build(context.Background(), "pets", tributary.BuildContext{}, toolset{})
	if err == nil || !strings.Contains(err.Error(), "converter") {
		t.Errorf("error %v", err)
	}
}

func TestResolveBaseURL(t *testing.T) {
	tests := []struct {
		spec, baseURL string
		servers       []string
		want, err     string
	}{
		{"./a.yaml", "http://override/v2", []string{"http://spec/v1"}, "http://override/v2", ""},
		{"./a.yaml", "", []string{"https://spec/v1", "http://second"}, "https://spec/v1", ""},
		{"https://host/specs/a.yaml", "", []string{"/v1"}, "https://host/v1", ""},
		{"https://host/specs/a.yaml", "", []string{"v1"}, "https://host/specs/v1", ""},
		{"./a.yaml", "", []string{"/v1"}, "", "relative"},
		{"./a.yaml", "", nil, "", "declares no servers"},
		{"./a.yaml", "", []string{"ftp://x/"}, "", "not http"},
	}
	for _, tt := range tests {
		c := &Config{Spec: tt.spec, BaseURL: tt.baseURL}
		got, err := c.resolveBaseURL(&oas.Document{Servers: tt.servers})
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("spec %s, baseURL %q, servers %v: got %q, %v; want %q, %q", tt.spec, tt.baseURL, tt.servers, got, err, tt.want, tt.err)
		}
	}
}

// A declaration that does not match the spec is reported at the key that
// names the wrong thing, so that the gateway points at its line.
func TestEntityDeclarationsChecked(t *testing.T) {
	tests := []struct {
		entity EntityConfig
		path   string // "" when the declaration is valid
		err    string
	}{
		{EntityConfig{Type: "Dog", Key: "id", Operation: "getPet", Argument: "petId"}, "type", `the spec has no object type "Dog"; object types: Error, Pet`},
		{EntityConfig{Type: "Pet", Key: "uuid", Operation: "getPet", Argument: "petId"}, "key", `type Pet has no field "uuid" for the key`},
		{EntityConfig{Type: "Pet", Key: "id", Operation: "fetchPet", Argument: "petId"}, "operation", `the spec has no operation "fetchPet"`},
		{EntityConfig{Type: "Pet", Key: "id", Operation: "getPet", Argument: "id"}, "argument", `operation getPet has no argument "id" (arguments: petId)`},
		{EntityConfig{Type: "Pet", Key: "id", Operation: "getPet"}, "argument", `no argument "id" for key field "id"; set argument`},
		{EntityConfig{Type: "Pet", Key: "id", Operation: "listPets", Argument: "tags"}, "", ""},
		{EntityConfig{Type: "Pet", Key: "id", Operation: "listPets", Argument: "limit"}, "operation", "operation listPets returns [Pet], not Pet"},
		{EntityConfig{Type: "Pet", Key: "id", Operation: "getPetsByIds", Argument: "ids"}, "", ""},
		{EntityConfig{Type: "Pet", Key: "id", Operation: "petNotes", Argument: "petId"}, "operation", "does not return JSON"},
		{EntityConfig{Type: "Pet", Key: "owner name", Operation: "getOwnedPet"}, "", ""},
	}
	for _, tt := range tests {
		valid := EntityConfig{Type: "Pet", Key: "id", Operation: "getPet", Argument: "petId"}
		cfg := &Config{Spec: "./pets.yaml", Entities: []EntityConfig{valid, tt.entity}}
		_, err := cfg.newSource("pets", "http://x", petDoc(), fakeWire{}, tributary.BuildContext{}, nil)
		if tt.path == "" {
			if err != nil {
				t.Errorf("%+v: error %v", tt.entity, err)
			}
			continue
		}
		fes := tributary.AsFieldErrors(err)
		if len(fes) != 1 || fes[0].Path != "entities[1]."+tt.path || !strings.Contains(fes[0].Message, tt.err) {
			t.Errorf("%+v: error %v, want one at entities[1].%s containing %q", tt.entity, err, tt.path, tt.err)
		}
	}
}

func TestEntityTypePrefix(t *testing.T) {
	doc := petDoc()
	doc.Types["ZooPet"] = doc.Types["Pet"]
	doc.Types["ZooPet"].Name = "ZooPet"
	delete(doc.Types, "Pet")
	for _, op := range doc.Operations {
		if op.ID == "getPet" {
			op.Result.Type = named("ZooPet")
		}
	}
	cfg := &Config{Spec: "./pets.yaml", TypePrefix: "Zoo", Entities: []EntityConfig{{Type: "Pet", Key: "id", Operation: "getPet", Argument: "petId"}}}
	s, err := cfg.newSource("pets", "http://x", doc, fakeWire{}, tributary.BuildContext{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.entities["ZooPet"] == nil {
		t.Errorf("entities %v, want ZooPet", s.entities)
	}
}
