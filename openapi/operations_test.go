package openapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const opsSpec = `openapi: 3.0.3
info: {title: ops, version: '1'}
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, schema: {type: string}}
    get:
      operationId: get-item
      parameters:
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: ids, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {type: integer}}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
        - {name: filter, in: query, content: {application/json: {schema: {type: object, properties: {q: {type: string}}}}}}
      responses:
        '200': {description: ok, content: {text/csv: {schema: {type: string}}}}
        '404': {description: missing, content: {application/json: {schema: {type: object, properties: {message: {type: string}}}}}}
    delete:
      responses:
        '204': {description: gone}
    put:
      operationId: putItem
      parameters:
        - {name: input, in: query, schema: {type: string}}
      requestBody:
        content:
          text/plain: {schema: {type: string}}
          multipart/form-data: {schema: {type: object, properties: {file: {type: string, format: binary}}}}
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {a: {type: array, items: {type: string}}}}
            encoding: {a: {style: spaceDelimited}}
      responses:
        '2XX': {description: ok, content: {application/vnd.api+json: {schema: {type: object, properties: {ok: {type: boolean}}}}}}
  /items:
    get:
      operationId: getItem
      responses:
        '201': {description: ok, content: {application/json: {schema: {type: integer}}}}
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
`

func TestOperations(t *testing.T) {
	doc := convertOK(t, []byte(opsSpec), Options{})
	get := operation(doc, "getItem2")
	if get == nil || get.Method != "GET" || get.Path != "/items/{id}" || get.RootType != "Query" {
		t.Fatalf("getItem = %+v", get)
	}
	if o := operation(doc, "getItem"); o == nil || o.Path != "/items" || o.Result.Type.String() != "String" || o.Result.ContentType != "application/json" {
		t.Errorf("/items comes first in path order, and the lowest 2xx wins: %+v", o)
	}
	if !hasWarning(doc, "Query.getItem is taken") {
		t.Errorf("a name collision must warn: %v", doc.Warnings)
	}
	wantParams := []struct {
		arg, in, style    string
		explode, required bool
		typ, contentType  string
	}{
		{"id", "path", "simple", false, true, "String!", ""},
		{"tags", "query", "form", true, false, "[String!]", ""},
		{"ids", "query", "pipeDelimited", false, false, "[Int!]", ""},
		{"xTrace", "header", "simple", false, true, "String!", ""},
		{"session", "cookie", "form", true, false, "String", ""},
		{"filter", "query", "form", true, false, "GetItem2FilterInput", "application/json"},
	}
	if len(get.Params) != len(wantParams) {
		t.Fatalf("params = %d, want %d (Accept must be ignored)", len(get.Params), len(wantParams))
	}
	for i, w := range wantParams {
		p := get.Params[i]
		if p.Arg != w.arg || p.In != w.in || p.Style != w.style || p.Explode != w.explode || p.Required != w.required || p.Type.String() != w.typ || p.ContentType != w.contentType {
			t.Errorf("param %d = %+v type %s, want %+v", i, p, p.Type.String(), w)
		}
	}
	if get.Result.Kind != ResultText || get.Result.Type.String() != "String" || get.Result.ContentType != "text/csv" {
		t.Errorf("text/csv result = %+v", get.Result)
	}
	if e := get.Errors["404"]; e == nil || e.Named != "GetItem2Error404" {
		t.Errorf("declared 404 must be kept: %+v", get.Errors)
	}
	del := operation(doc, "deleteItemsById")
	if del == nil || del.RootType != "Mutation" || del.Result.Kind != ResultNoContent || del.Result.Type.String() != "Boolean" {
		t.Errorf("delete = %+v", del)
	}
	put := operation(doc, "putItem")
	if put.Body == nil || put.Body.ContentType != "application/x-www-form-urlencoded" || put.Body.Arg != "input2" {
		t.Fatalf("form must be preferred to multipart and text, and the body must not take a parameter's name: %+v", put.Body)
	}
	if enc := put.Body.Encoding["a"]; enc.Style != "spaceDelimited" || enc.Explode {
		t.Errorf("encoding = %+v", put.Body.Encoding)
	}
	if put.Result.Kind != ResultJSON || put.Result.Type.Named != "PutItemResponse" || put.Result.ContentType != "application/vnd.api+json" {
		t.Errorf("+json in a 2XX range = %+v", put.Result)
	}
}

func TestBodyChoice(t *testing.T) {
	body := func(content string) string {
		return "openapi: 3.0.3\ninfo: {title: b, version: '1'}\npaths:\n  /u:\n    post:\n      operationId: up\n      requestBody:\n        content:\n" + content + "      responses: {'204': {description: ok}}\n"
	}
	tests := []struct{ content, contentType, typ string }{
		{"          multipart/form-data: {schema: {type: object, properties: {f: {type: string, format: binary}}}}\n          text/plain: {schema: {type: string}}\n", "multipart/form-data", "UpInput"},
		{"          application/octet-stream: {schema: {type: string, format: binary}}\n", "application/octet-stream", "String"},
		{"          application/json: {schema: {type: object, properties: {a: {type: string}}}}\n          multipart/form-data: {schema: {type: object}}\n", "application/json", "UpInput"},
	}
	for _, tt := range tests {
		doc := convertOK(t, []byte(body(tt.content)), Options{})
		b := operation(doc, "up").Body
		if b == nil || b.ContentType != tt.contentType || b.Type.String() != tt.typ {
			t.Errorf("body = %+v, want %s %s", b, tt.contentType, tt.typ)
		}
	}
	doc := convertOK(t, []byte(body(tests[0].content)), Options{})
	if fieldType(doc, "UpInput.f") != "Upload" {
		t.Errorf("binary in multipart must be Upload:\n%s", doc.SDL)
	}
}

func TestOptions(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		fields []string // "Root.field", sorted as Document.Operations
	}{
		{"all", Options{}, []string{"Query.getItem", "Query.getItem2", "Mutation.deleteItemsById", "Mutation.putItem"}},
		{"include by id glob", Options{Include: []string{"get-*"}}, []string{"Query.getItem"}},
		{"include by method and path", Options{Include: []string{"GET /items*"}}, []string{"Query.getItem", "Query.getItem2"}},
		{"exclude wins", Options{Include: []string{"* /items/*"}, Exclude: []string{"putItem"}}, []string{"Query.getItem", "Mutation.deleteItemsById"}},
		{"rename and root type", Options{Rename: map[string]string{"putItem": "replaceItem"}, RootType: map[string]string{"getItem": "Mutation"}},
			[]string{"Query.getItem", "Mutation.deleteItemsById", "Mutation.getItem", "Mutation.replaceItem"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := convertOK(t, []byte(opsSpec), tt.opts)
			var got []string
			for _, o := range doc.Operations {
				got = append(got, o.RootType+"."+o.FieldName)
			}
			if strings.Join(got, " ") != strings.Join(tt.fields, " ") {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestEntitiesAndPrefix(t *testing.T) {
	spec := spec30(getReturning("User"), `    User:
      type: object
      required: [id]
      properties: {id: {type: string}, name: {type: string}}`)
	doc := convertOK(t, spec, Options{TypePrefix: "Gh", Entities: []EntityKey{{Type: "User", Key: "id"}, {Type: "User", Key: "nope"}, {Type: "Missing", Key: "id"}}})
	if u := doc.Types["GhUser"]; u == nil || strings.Join(u.Keys, ";") != "id" {
		t.Fatalf("GhUser = %+v", u)
	}
	if !strings.Contains(doc.SDL, `type GhUser @key(fields: "id") @shareable {`) {
		t.Errorf("SDL lacks the key:\n%s", doc.SDL)
	}
	if !hasWarning(doc, `names "nope"`) || !hasWarning(doc, `"Missing" is not a generated object type`) {
		t.Errorf("bad entities must warn: %v", doc.Warnings)
	}
	if _, err := Convert(spec, Options{TypePrefix: "1x"}); err == nil {
		t.Error("an invalid prefix must fail")
	}
}

func TestMutationOnlyHasPlaceholderQuery(t *testing.T) {
	doc := convertOK(t, []byte("openapi: 3.0.3\ninfo: {title: m, version: '1'}\npaths:\n  /a:\n    post:\n      responses: {'204': {description: ok}}\n"), Options{})
	if !strings.Contains(doc.SDL, EmptyQueryField+": Boolean @shareable") {
		t.Errorf("SDL = %s", doc.SDL)
	}
}

func TestConvertErrors(t *testing.T) {
	tests := []struct{ name, spec, want string }{
		{"empty", "  ", "empty"},
		{"not yaml", "{", "not valid JSON"},
		{"not openapi", "a: 1", `no "openapi" or "swagger" field`},
		{"old version", "openapi: 4.0.0", "not supported"},
		{"no paths", "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}", "no paths"},
		{"all excluded", "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'204': {description: x}}}}}", "include/exclude"},
		{"scalar document", "42", "not a JSON or YAML object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Convert([]byte(tt.spec), Options{Exclude: []string{"*"}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestExternalRefs(t *testing.T) {
	dir := t.TempDir()
	common := "components:\n  schemas:\n    Shared: {type: object, properties: {s: {type: string}}}\n"
	if err := os.WriteFile(filepath.Join(dir, "common.yaml"), []byte(common), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := []byte(`openapi: 3.0.3
info: {title: ext, version: '1'}
paths:
  /a:
    get:
      operationId: a
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: 'common.yaml#/components/schemas/Shared'}}}}
  /b:
    get:
      operationId: b
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: 'https://example.com/x.yaml#/X'}}}}
`)
	doc := convertOK(t, spec, Options{BaseDir: dir})
	if got := operation(doc, "a").Result.Type.String(); got != "AResponse" || fieldType(doc, "AResponse.s") != "String" {
		t.Errorf("a file ref under BaseDir must be followed: %s\n%s", got, doc.SDL)
	}
	if got := operation(doc, "b").Result.Type.String(); got != "JSON" || !hasWarning(doc, "https://example.com/x.yaml") {
		t.Errorf("a remote ref must degrade to JSON with a warning: %s %v", got, doc.Warnings)
	}
	doc = convertOK(t, spec, Options{})
	if operation(doc, "a").Result.Type.String() != "JSON" {
		t.Error("without BaseDir, file refs must not be followed")
	}
}

// A symbolic link under BaseDir that leads outside it is not followed.
func TestExternalRefThroughSymlinkStaysUnderBaseDir(t *testing.T) {
	outside, dir := t.TempDir(), t.TempDir()
	common := "components:\n  schemas:\n    Shared: {type: object, properties: {secret: {type: string}}}\n"
	if err := os.WriteFile(filepath.Join(outside, "common.yaml"), []byte(common), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "common.yaml"), filepath.Join(dir, "common.yaml")); err != nil {
		t.Fatal(err)
	}
	spec := []byte(`openapi: 3.0.3
info: {title: ext, version: '1'}
paths:
  /a:
    get:
      operationId: a
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: 'common.yaml#/components/schemas/Shared'}}}}
`)
	if _, err := Convert(spec, Options{BaseDir: dir}); err == nil || !strings.Contains(err.Error(), "only files under") {
		t.Errorf("a ref through a link out of BaseDir: err = %v", err)
	}
}

func TestLoadRefusesFilesThatAreNotFiles(t *testing.T) {
	for _, path := range []string{"/dev/zero", "/dev/urandom"} {
		if _, err := Load(context.Background(), path, ""); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Load(%s): %v", path, err)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte("openapi: 3.0.0"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/spec.json" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`{"openapi":"3.0.0"}`))
	}))
	defer srv.Close()
	ctx := context.Background()
	if b, err := Load(ctx, "s.yaml", dir); err != nil || string(b) != "openapi: 3.0.0" {
		t.Errorf("relative file: %q %v", b, err)
	}
	if b, err := Load(ctx, srv.URL+"/spec.json", ""); err != nil || !strings.Contains(string(b), "3.0.0") {
		t.Errorf("URL: %q %v", b, err)
	}
	for _, bad := range []string{"", "missing.yaml", srv.URL + "/nope"} {
		if _, err := Load(ctx, bad, dir); err == nil {
			t.Errorf("Load(%q) must fail", bad)
		}
	}
}
