package wire

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/openapi"
)

func TestResultKinds(t *testing.T) {
	tests := []struct {
		kind openapi.ResultKind
		typ  *openapi.TypeRef
		body string
		want string
	}{
		{openapi.ResultNoContent, nonNull("Boolean"), "", "true"},
		{openapi.ResultNoContent, nonNull("Boolean"), "ignored", "true"},
		{openapi.ResultText, named("String"), "a \"csv\",file\n\t\\ é\x01", `"a \"csv\",file\n\t\\ é\u0001"`},
		{openapi.ResultText, named("String"), "", `""`},
		{openapi.ResultJSON, named("Pet"), "", "null"},
		{openapi.ResultJSON, named("Pet"), "  \n", "null"},
		{openapi.ResultJSON, named("JSON"), ` {"a": [1, 2.50, 1e400]} `, `{"a": [1, 2.50, 1e400]}`},
	}
	for _, tt := range tests {
		op := &openapi.Operation{FieldName: "f", Method: "GET", Path: "/f", Result: openapi.Result{Kind: tt.kind, Type: tt.typ}}
		got, err := Result(op, petTypes(), "text/plain", []byte(tt.body))
		if err != nil {
			t.Fatalf("%q: %v", tt.body, err)
		}
		if string(got) != tt.want {
			t.Errorf("%q: got %s, want %s", tt.body, got, tt.want)
		}
		if !json.Valid(got) {
			t.Errorf("%q: result is not valid JSON: %s", tt.body, got)
		}
	}
}

// A text body that is not UTF-8 is an error, not a string with
// replaced bytes: the client gets null and the reason at the field.
func TestResultTextMustBeUTF8(t *testing.T) {
	op := &openapi.Operation{FieldName: "f", Method: "GET", Path: "/f", Result: openapi.Result{Kind: openapi.ResultText, Type: named("String")}}
	if got, err := Result(op, petTypes(), "text/plain", []byte("bad \xff utf8")); err == nil || !strings.Contains(err.Error(), "not UTF-8") {
		t.Errorf("got %q, %v; want an error", got, err)
	}
}

func TestResultPets(t *testing.T) {
	body := `[
	  {"id": 7, "name": "Rex", "status": "sold-out", "priority": 2.50, "tags": ["a"],
	   "owner_info": {"first_name": "Ann", "age": "41", "secret": "dropped"},
	   "birth_date": "2020-01-02T03:04:05Z", "weight_grams": 123456789012345678901234567890,
	   "companion": {"kind": "doggo", "good_boy": true, "lives_left": 9},
	   "shape": {"r": 1.5}, "extra": {"nested": {"x": [true]}}, "undeclared": [1, 2]},
	  {"id": "8", "name": "Tom", "status": null, "priority": true,
	   "companion": {"kind": "Fish", "fins": 3}, "shape": "hexagon"},
	  {"id": "9", "name": "Bo", "companion": {"kind": "cat"}, "shape": [1, 2.0],
	   "priority": 1}
	]`
	want := `[` +
		`{"id":"7","name":"Rex","status":"SOLD_OUT","priority":"HIGH","tags":["a"],` +
		`"owner":{"firstName":"Ann","age":41},` +
		`"birthDate":"2020-01-02T03:04:05Z","weightGrams":123456789012345678901234567890,` +
		`"companion":{"__typename":"Dog","kind":"doggo","goodBoy":true},` +
		`"shape":{"__typename":"Circle","radius":1.5},"extra":{"nested": {"x": [true]}}},` +
		`{"id":"8","name":"Tom","status":null,"priority":"FLAGGED",` +
		`"companion":{"__typename":"Fish","kind":"Fish","fins":3},"shape":{"__typename":"ShapeName","value":"hexagon"}},` +
		`{"id":"9","name":"Bo","companion":{"__typename":"Cat","kind":"cat"},"shape":{"__typename":"ShapeSizes","value":[1,2.0]},` +
		`"priority":"LOW"}` +
		`]`
	got, err := Result(listPetsOp(), petTypes(), "application/json", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestValueUnionByShape(t *testing.T) {
	types := petTypes()
	tests := []struct{ wire, want string }{
		{`{"side": 2}`, `{"__typename":"Square","side":2}`},
		{`{"r": 1, "label": "x"}`, `{"__typename":"Circle","radius":1,"label":"x"}`},
		// Both have their required property; only Square declares all.
		{`{"r": 1, "side": 2, "label": "x"}`, `{"__typename":"Circle","radius":1,"label":"x"}`},
		{`{"side": 2, "other": 1}`, `{"__typename":"Square","side":2}`},
	}
	for _, tt := range tests {
		got, err := Value(named("Shape"), types, json.RawMessage(tt.wire))
		if err != nil {
			t.Fatalf("%s: %v", tt.wire, err)
		}
		if string(got) != tt.want {
			t.Errorf("%s: got %s, want %s", tt.wire, got, tt.want)
		}
	}
}

func TestValueErrors(t *testing.T) {
	types := petTypes()
	tests := []struct {
		typ  *openapi.TypeRef
		wire string
		want string
	}{
		{listOf(named("Pet")), `[{"id": 1}, {"status": "lost"}]`, `[1].status: enum PetStatus has no value for wire value "lost"`},
		{named("Pet"), `{"priority": 3}`, `priority: enum Priority has no value for wire value 3`},
		{named("Pet"), `{"companion": {"kind": "bird"}}`, `companion: union Animal has no member for discriminator kind "bird"`},
		{named("Pet"), `{"companion": {"fins": 2}}`, `companion: no member of union Animal matches the object {"fins": 2}`},
		{named("Pet"), `{"shape": true}`, `shape: no member of union Shape holds true`},
		{named("Pet"), `{"owner_info": {"age": "forty"}}`, `owner.age: type Int cannot hold "forty"`},
		{named("Pet"), `{"tags": "a"}`, `tags: type [String!] needs a list, got "a"`},
		{named("Pet"), `[1]`, `type Pet needs an object, got [1]`},
		{named("Pet"), `{"name": {"x": 1}}`, `name: type String cannot hold {"x": 1}`},
		{named("PetInput"), `{}`, `type PetInput is an input type and cannot be a result`},
		{named("Pet"), `{"id": 1,}`, `invalid character '}'`},
	}
	for _, tt := range tests {
		_, err := Value(tt.typ, types, json.RawMessage(tt.wire))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\n got %v\nwant an error containing %q", tt.wire, err, tt.want)
		}
	}
}

func TestResultErrors(t *testing.T) {
	op := listPetsOp()
	long := `[{"id": 1, "name": "` + strings.Repeat("x", 1000) + `" oops` + strings.Repeat("y", 1000) + `]`
	_, err := Result(op, petTypes(), "application/json", []byte(long))
	if err == nil {
		t.Fatal("malformed JSON was accepted")
	}
	msg := err.Error()
	for _, want := range []string{"operation pets (GET /pets): response body: is not JSON", `content type "application/json"`, "invalid character 'o'", "near "} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if len(msg) > 400 {
		t.Errorf("the error quotes too much of the body (%d bytes): %s", len(msg), msg)
	}
	if !strings.Contains(msg, `xxx\" oops`) {
		t.Errorf("the excerpt is not around the error: %s", msg)
	}

	_, err = Result(op, petTypes(), "application/json", nil)
	if err == nil || !strings.Contains(err.Error(), "is empty") || !strings.Contains(err.Error(), "[Pet!]! is non-null") {
		t.Errorf("empty body for a non-null list: %v", err)
	}
	_, err = Result(op, petTypes(), "text/html", []byte("<html>"))
	if err == nil || !strings.Contains(err.Error(), `is not JSON (content type "text/html")`) {
		t.Errorf("HTML body: %v", err)
	}
}

func TestValueScalarsAndNulls(t *testing.T) {
	types := petTypes()
	tests := []struct {
		typ        *openapi.TypeRef
		wire, want string
	}{
		{named("ID"), `123`, `"123"`},
		{named("String"), `true`, `"true"`},
		{named("Int"), `"-12"`, `-12`},
		{named("Float"), `"1.5e3"`, `1.5e3`},
		{named("Boolean"), `"false"`, `false`},
		{named("Int"), `12345678901234567890`, `12345678901234567890`},
		{nonNull("Pet"), `null`, `null`},
		{listOf(nonNull("PetStatus")), `[null, "pending"]`, `[null,"PENDING"]`},
		{named("Pet"), `{"id":"a\"b","name":"\u00e9\n"}`, `{"id":"a\"b","name":"\u00e9\n"}`},
		{named("Owner"), `{"first_name":"x","first_name":"y"}`, `{"firstName":"x","firstName":"y"}`},
		{named("Unknown"), ` {"kept": 1} `, `{"kept": 1}`},
	}
	for _, tt := range tests {
		got, err := Value(tt.typ, types, json.RawMessage(tt.wire))
		if err != nil {
			t.Fatalf("%s: %v", tt.wire, err)
		}
		if string(got) != tt.want {
			t.Errorf("%s as %s: got %s, want %s", tt.wire, tt.typ.String(), got, tt.want)
		}
	}
}
