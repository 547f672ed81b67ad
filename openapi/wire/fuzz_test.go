package wire

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tributary-gw/tributary/openapi"
)

// FuzzResult feeds arbitrary response bodies to Result: it must return
// valid JSON or an error, and never panic or hang.
func FuzzResult(f *testing.F) {
	for _, seed := range []string{
		`[{"id": 1, "name": "x", "status": "pending", "companion": {"kind": "cat"}, "shape": [1]}]`,
		`[{"shape": {"r": 1}}, {"shape": "s"}, {"companion": {"fins": 1}}]`,
		`[{"owner_info": {"first_name": "\u00e9\"", "age": "12"}}]`,
		`[`, `{"a":`, `"\`, `[1,]`, `nul`, ``, `[{"id": [[[[[]]]]]}]`,
		"[{\"name\": \"\xff\xfe\"}]",
	} {
		f.Add([]byte(seed))
	}
	types := petTypes()
	ops := []*openapi.Operation{listPetsOp(), {FieldName: "one", Method: "GET", Path: "/one",
		Result: openapi.Result{Kind: openapi.ResultJSON, Type: named("Shape")}}}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, op := range ops {
			out, err := Result(op, types, "application/json", body)
			if err == nil && !json.Valid(out) {
				t.Fatalf("Result(%q) = %q, which is not valid JSON", body, out)
			}
		}
		text := &openapi.Operation{Result: openapi.Result{Kind: openapi.ResultText}}
		out, err := Result(text, types, "text/plain", body)
		if (err == nil) != utf8.Valid(body) || err == nil && (!json.Valid(out) || !utf8.Valid(out)) {
			t.Fatalf("text result of %q: %q, %v", body, out, err)
		}
	})
}

// FuzzRequest feeds arbitrary argument objects to Request: it must build a
// well-formed request or return an error, and never panic or hang.
func FuzzRequest(f *testing.F) {
	for _, seed := range []string{
		`{"storeId": "s/1", "petId": 42, "dryRun": true, "notify": ["a", "b"], "input": {"name": "x", "status": "PENDING"}}`,
		`{"storeId": "..", "petId": ".", "requestTag": "a\nb", "input": {"owner": {"nicknames": [{"text": 1}]}}}`,
		`{"color": {"red": 1, "green": {"x": [1, {"y": null}]}}, "input": {"tags": [["a"]], "meta": {"k": "v"}}}`,
		`{"input": {"file": null, "extras": [null, {"content": "!"}]}}`,
		`{"by": {"byName": "a", "byOwner": null}}`,
		`{`, `[]`, `null`, `{"storeId": {}}`, `{"input": "string"}`,
	} {
		f.Add([]byte(seed))
	}
	types := petTypes()
	types["UploadInput"] = &openapi.Type{Name: "UploadInput", Kind: openapi.KindInputObject, Fields: []*openapi.Field{
		field("file", "file", named("Upload")), field("extras", "extras", listOf(named("Upload"))),
		field("tags", "tags", listOf(named("String"))), field("meta", "meta", named("JSON")),
	}}
	for name, t := range colorTypes {
		types[name] = t
	}
	deep := colorOp("query", "deepObject", true, named("JSON"))
	deep.Body = &openapi.Body{Arg: "input", ContentType: "application/x-www-form-urlencoded", Type: named("PetInput"),
		Encoding: map[string]openapi.Encoding{"owner_info": {Style: "deepObject"}}}
	matrix := colorOp("path", "matrix", true, named("RGB"))
	matrix.Params = append(matrix.Params, &openapi.Param{Name: "c", In: "cookie", Arg: "color", Style: "form", Type: named("JSON")})
	ops := []*openapi.Operation{
		updatePetOp(), deep, matrix,
		bodyOp("multipart/form-data", named("UploadInput"), nil),
		bodyOp("application/octet-stream", named("Upload"), nil),
		{FieldName: "findPet", Method: "POST", Path: "/find",
			Body: &openapi.Body{Arg: "by", ContentType: "application/json", Type: named("PetChoice")}},
	}
	f.Fuzz(func(t *testing.T, args []byte) {
		for _, op := range ops {
			req, err := Request(context.Background(), "http://h/api", op, types, args)
			if err != nil {
				continue
			}
			if _, err := url.Parse(req.URL.String()); err != nil {
				t.Fatalf("%s: the URL does not parse back: %v", req.URL, err)
			}
			for name, values := range req.Header {
				for _, v := range values {
					if strings.ContainsAny(v, "\r\n") {
						t.Fatalf("header %s holds a line break: %q", name, v)
					}
				}
			}
			if req.Body != nil {
				if _, err := io.ReadAll(req.Body); err != nil {
					t.Fatal(err)
				}
			}
			if op.Body != nil && req.Body != nil && isJSONMedia(op.Body.ContentType) {
				data, _ := req.GetBody()
				body, _ := io.ReadAll(data)
				if !json.Valid(body) {
					t.Fatalf("JSON body %q is not valid JSON (args %q)", body, args)
				}
			}
		}
	})
}

// FuzzValidJSON checks validJSON against encoding/json's json.Valid.
func FuzzValidJSON(f *testing.F) {
	for _, seed := range []string{
		`{"a": [1, -0.5e+3, true, false, null, "\u00e9\n"]}`, `01`, `-`, `1.`, `1e`, `"\x"`, `"\u12"`,
		"\"\x01\"", `[1,]`, `{"a" 1}`, `{} {}`, ` "x" `, `[[[[]]]]`, `tru`, "\"\xff\"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := validJSON(data), json.Valid(data); got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid says %v", data, got, want)
		}
	})
}
