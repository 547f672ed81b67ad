package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tributary-gw/tributary"
	oas "github.com/tributary-gw/tributary/openapi"
)

// fakeWire is a minimal wire mapping for testing the kind's runtime apart
// from package openapi/wire: GraphQL and wire names are the same, scalars
// are sent as text and lists comma-separated.
type fakeWire struct{}

func (fakeWire) Request(ctx context.Context, baseURL string, op *oas.Operation, _ map[string]*oas.Type, args json.RawMessage) (*http.Request, error) {
	var a map[string]json.RawMessage
	if err := json.Unmarshal(args, &a); err != nil {
		return nil, fmt.Errorf("arguments are not an object: %w", err)
	}
	path, query, header := op.Path, url.Values{}, http.Header{}
	for _, p := range op.Params {
		raw, ok := a[p.Arg]
		if !ok {
			if p.Required {
				return nil, fmt.Errorf("argument %s is required", p.Arg)
			}
			continue
		}
		text := fakeText(raw)
		switch p.In {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(text))
		case "query":
			query.Set(p.Name, text)
		case "header":
			header.Set(p.Name, text)
		}
	}
	var body io.Reader
	if op.Body != nil {
		if raw, ok := a[op.Body.Arg]; ok {
			var text string
			if !strings.Contains(op.Body.ContentType, "json") && json.Unmarshal(raw, &text) == nil {
				raw = json.RawMessage(text) // a form or text body is sent as is
			}
			body = bytes.NewReader(raw)
			header.Set("Content-Type", op.Body.ContentType)
		}
	}
	u := strings.TrimSuffix(baseURL, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, op.Method, u, body)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return req, nil
}

func fakeText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		parts := make([]string, len(list))
		for i, item := range list {
			parts[i] = fakeText(item)
		}
		return strings.Join(parts, ",")
	}
	return string(raw)
}

func (fakeWire) Result(op *oas.Operation, _ map[string]*oas.Type, contentType string, body []byte) (json.RawMessage, error) {
	switch op.Result.Kind {
	case oas.ResultNoContent:
		return json.RawMessage("true"), nil
	case oas.ResultText:
		return json.Marshal(string(body))
	}
	if !strings.Contains(contentType, "json") || !json.Valid(body) {
		return nil, fmt.Errorf("expected JSON, got %q", contentType)
	}
	return body, nil
}

func (fakeWire) Value(_ *oas.TypeRef, _ map[string]*oas.Type, wire json.RawMessage) (json.RawMessage, error) {
	if !json.Valid(wire) {
		return nil, fmt.Errorf("not JSON")
	}
	return wire, nil
}

func named(n string) *oas.TypeRef        { return &oas.TypeRef{Named: n} }
func listOf(t *oas.TypeRef) *oas.TypeRef { return &oas.TypeRef{Elem: t} }
func nonNull(t *oas.TypeRef) *oas.TypeRef {
	c := *t
	c.NonNull = true
	return &c
}

// petDoc is a converted pet-store spec, written out by hand.
func petDoc() *oas.Document {
	pet := named("Pet")
	return &oas.Document{
		Title:   "Pets",
		Servers: []string{"http://pets.invalid/v1"},
		SDL:     "type Query { pet(petId: ID!): Pet }",
		Types: map[string]*oas.Type{
			"Pet": {Name: "Pet", Kind: oas.KindObject, Fields: []*oas.Field{
				{Name: "id", JSON: "id", Type: nonNull(named("ID"))},
				{Name: "name", JSON: "name", Type: named("String")},
				{Name: "owner", JSON: "owner", Type: named("String")},
			}},
			"Error": {Name: "Error", Kind: oas.KindObject, Fields: []*oas.Field{{Name: "message", JSON: "message", Type: named("String")}}},
		},
		Operations: []*oas.Operation{
			{ID: "listPets", Method: "GET", Path: "/pets", RootType: "Query", FieldName: "pets",
				Params: []*oas.Param{
					{Name: "limit", In: "query", Arg: "limit", Type: named("Int")},
					{Name: "tags", In: "query", Arg: "tags", Type: listOf(named("String"))},
				},
				Result: oas.Result{Kind: oas.ResultJSON, Type: listOf(pet)}},
			{ID: "getPet", Method: "GET", Path: "/pets/{petId}", RootType: "Query", FieldName: "pet",
				Params: []*oas.Param{{Name: "petId", In: "path", Arg: "petId", Required: true, Type: nonNull(named("ID"))}},
				Result: oas.Result{Kind: oas.ResultJSON, Type: pet},
				Errors: map[string]*oas.TypeRef{"4XX": named("Error")}},
			{ID: "getPetsByIds", Method: "GET", Path: "/pets/batch", RootType: "Query", FieldName: "petsByIds",
				Params: []*oas.Param{{Name: "ids", In: "query", Arg: "ids", Required: true, Type: listOf(named("ID"))}},
				Result: oas.Result{Kind: oas.ResultJSON, Type: listOf(pet)}},
			{ID: "getOwnedPet", Method: "GET", Path: "/owners/{owner}/pets/{name}", RootType: "Query", FieldName: "ownedPet",
				Params: []*oas.Param{
					{Name: "owner", In: "path", Arg: "owner", Required: true, Type: named("String")},
					{Name: "name", In: "path", Arg: "name", Required: true, Type: named("String")},
				},
				Result: oas.Result{Kind: oas.ResultJSON, Type: pet}},
			{ID: "createPet", Method: "POST", Path: "/pets", RootType: "Mutation", FieldName: "createPet",
				Body:   &oas.Body{Arg: "input", ContentType: "application/json", Type: named("PetInput")},
				Result: oas.Result{Kind: oas.ResultJSON, Type: pet}},
			{ID: "updatePetForm", Method: "POST", Path: "/pets/{petId}/form", RootType: "Mutation", FieldName: "updatePetForm",
				Params: []*oas.Param{
					{Name: "petId", In: "path", Arg: "petId", Required: true, Type: nonNull(named("ID"))},
					{Name: "dryRun", In: "query", Arg: "dryRun", Type: named("Boolean")},
				},
				Body:   &oas.Body{Arg: "form", ContentType: "application/x-www-form-urlencoded", Type: named("String")},
				Result: oas.Result{Kind: oas.ResultJSON, Type: pet}},
			{ID: "deletePet", Method: "DELETE", Path: "/pets/{petId}", RootType: "Mutation", FieldName: "deletePet",
				Params: []*oas.Param{{Name: "petId", In: "path", Arg: "petId", Required: true, Type: nonNull(named("ID"))}},
				Result: oas.Result{Kind: oas.ResultNoContent, Type: named("Boolean")}},
			{ID: "petNotes", Method: "GET", Path: "/pets/{petId}/notes", RootType: "Query", FieldName: "petNotes",
				Params: []*oas.Param{{Name: "petId", In: "path", Arg: "petId", Required: true, Type: nonNull(named("ID"))}},
				Result: oas.Result{Kind: oas.ResultText, Type: named("String")}},
		},
	}
}

// fakeClock is a settable clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// newTestSource builds cfg's source for petDoc against baseURL, with tiny
// retry waits unless cfg sets them.
func newTestSource(t *testing.T, cfg *Config, baseURL string, now func() time.Time) *source {
	t.Helper()
	if cfg.Spec == "" {
		cfg.Spec = "./pets.yaml"
	}
	if cfg.Retry == nil {
		cfg.Retry = &RetryConfig{MinWait: tributary.Duration(time.Millisecond), MaxWait: tributary.Duration(2 * time.Millisecond)}
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if now == nil {
		now = time.Now
	}
	s, err := cfg.newSource("pets", baseURL, petDoc(), fakeWire{}, tributary.BuildContext{}, now)
	if err != nil {
		t.Fatalf("newSource: %v", err)
	}
	return s
}

// resolve calls ResolveField on Type.field with args.
func resolve(s *source, field, args string, header http.Header) (json.RawMessage, error) {
	typ, name, _ := strings.Cut(field, ".")
	return s.ResolveField(context.Background(), tributary.FieldCall{TypeName: typ, FieldName: name, Arguments: json.RawMessage(args), Header: header})
}

// gqlError asserts err is a *tributary.Error and returns it.
func gqlError(t *testing.T, err error) *tributary.Error {
	t.Helper()
	e, ok := err.(*tributary.Error)
	if !ok {
		t.Fatalf("error %v (%T) is not a *tributary.Error", err, err)
	}
	return e
}
