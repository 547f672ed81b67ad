package openapi

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func linkSpec(t *testing.T) []byte {
	t.Helper()
	spec, err := os.ReadFile("testdata/links/spec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func fieldOf(t *testing.T, doc *Document, typeName, field string) *Field {
	t.Helper()
	typ := doc.Types[typeName]
	if typ == nil {
		t.Fatalf("no type %s", typeName)
	}
	for _, f := range typ.Fields {
		if f.Name == field {
			return f
		}
	}
	t.Fatalf("type %s has no field %s", typeName, field)
	return nil
}

func TestLinksModel(t *testing.T) {
	// searchOrders is a POST; as a Query it may be a link target.
	doc := convertOK(t, linkSpec(t), Options{RootType: map[string]string{"searchOrders": "Query"}})
	tests := []struct {
		typeName, field string
		want            Link
		wantType        string
	}{
		{"User", "orders", Link{Operation: "listUserOrders", Params: map[string]string{"path.id": "$response.body#/id"}}, "[Order!]"},
		{"User", "self2", Link{Operation: "getUser", Params: map[string]string{"path.id": "$response.body#/id"}}, "User"},
		{"User", "recentOrders", Link{Operation: "listUserOrders", Params: map[string]string{
			"path.id": "$request.path.id", "query.status": "recent", "query.limit": "5",
		}}, "[Order!]"},
		{"User", "label", Link{Operation: "getLabel", Params: map[string]string{"path.name": "user-{$response.body#/id}"}}, "String"},
		{"User", "search", Link{Operation: "searchOrders", Params: map[string]string{}, Body: "$response.body#/item"}, "[Order!]"},
		{"Order", "product", Link{Operation: "getProduct", Params: map[string]string{"path.sku": "$response.body#/item/sku"}}, "GetProductResponse"},
	}
	for _, tt := range tests {
		t.Run(tt.typeName+"."+tt.field, func(t *testing.T) {
			f := fieldOf(t, doc, tt.typeName, tt.field)
			if f.Link == nil {
				t.Fatalf("%s.%s is not a link field", tt.typeName, tt.field)
			}
			if !reflect.DeepEqual(*f.Link, tt.want) {
				t.Errorf("link = %+v, want %+v", *f.Link, tt.want)
			}
			if f.JSON != "" {
				t.Errorf("a link field must not be on the wire, JSON = %q", f.JSON)
			}
			if got := f.Type.String(); got != tt.wantType {
				t.Errorf("type = %s, want %s (nullable)", got, tt.wantType)
			}
		})
	}
	// The same component link on listUsers and getUser is one field.
	count := 0
	for _, f := range doc.Types["User"].Fields {
		if f.Name == "orders" || strings.HasPrefix(f.Name, "orders") {
			count++
		}
	}
	if count != 1 {
		t.Errorf("User has %d orders fields, want 1", count)
	}
	if strings.Contains(doc.SDL, "search:") == false {
		t.Errorf("the SDL lacks the search link field:\n%s", doc.SDL)
	}
	checkSDL(t, doc.SDL)
}

func TestLinksSkipped(t *testing.T) {
	const head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
	const target = "  /t/{id}:\n    get:\n      operationId: target\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      requestBody: {content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {v: {type: string}}}}}}}\n"
	source := func(resp, links string) string {
		return "  /s:\n    get:\n      operationId: source\n      responses:\n        '200':\n          description: ok\n" + resp + "          links:\n" + links
	}
	const object = "          content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}\n"
	tests := []struct{ name, paths, want string }{
		{"scalar response", source("          content: {application/json: {schema: {type: string}}}\n", "            l: {operationId: target, parameters: {id: x}}\n"), "is not an object"},
		{"both target kinds", source(object, "            l: {operationId: target, operationRef: '#/paths/~1t~1{id}/get', parameters: {id: x}}\n"), "both operationId and operationRef"},
		{"no target", source(object, "            l: {parameters: {id: x}}\n"), "neither operationId nor operationRef"},
		{"bad operationRef", source(object, "            l: {operationRef: '#/components/x'}\n"), "not of the form"},
		{"unknown parameter", source(object, "            l: {operationId: target, parameters: {id: x, nope: y}}\n"), `no parameter "nope"`},
		{"request path of source", source(object, "            l: {operationId: target, parameters: {id: $request.path.id}}\n"), "names no path parameter of source"},
		{"request body of source", source(object, "            l: {operationId: target, parameters: {id: $request.body#/a}}\n"), "takes none"},
		{"object constant", source(object, "            l: {operationId: target, parameters: {id: {a: 1}}}\n"), "constant"},
		{"unclosed template", source(object, "            l: {operationId: target, parameters: {id: 'a{$response.body#/id'}}\n"), "no closing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := convertOK(t, []byte(head+target+tt.paths), Options{})
			if !hasWarning(doc, tt.want) {
				t.Errorf("warnings %v lack %q", doc.Warnings, tt.want)
			}
			for _, typ := range doc.Types {
				for _, f := range typ.Fields {
					if f.Link != nil {
						t.Errorf("%s.%s: a skipped link became a field", typ.Name, f.Name)
					}
				}
			}
		})
	}
}

func TestParseLinkValue(t *testing.T) {
	tests := []struct {
		in      string
		want    string // the expressions, re-written, joined by |
		literal string // the template's literal text
		wantErr string
	}{
		{in: "$response.body#/id", want: "$response.body#/id"},
		{in: "$response.body", want: "$response.body"},
		{in: "$request.body#/a~1b/c~0d", want: "$request.body#/a~1b/c~0d"},
		{in: "$request.path.id", want: "$request.path.id"},
		{in: "$request.query.page-size", want: "$request.query.page-size"},
		{in: "$request.header.X-Trace", want: "$request.header.X-Trace"},
		{in: "users/{$response.body#/id}/x{$request.query.q}", want: "$response.body#/id|$request.query.q", literal: "users//x"},
		{in: "plain text {not an expression}", literal: "plain text {not an expression}"},
		{in: "$statusCode", wantErr: "not a supported"},
		{in: "$request.path.", wantErr: "not a supported"},
		{in: "$response.body/id", wantErr: "json/pointer"},
		{in: "$response.header.Location", wantErr: "not a supported"},
		{in: "a{$request.path.x", wantErr: "no closing"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := ParseLinkValue(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var exprs []string
			for _, e := range v.expressions() {
				exprs = append(exprs, e.String())
			}
			if got := strings.Join(exprs, "|"); got != tt.want {
				t.Errorf("expressions = %q, want %q", got, tt.want)
			}
			var lit strings.Builder
			for _, p := range v.Parts {
				lit.WriteString(p.Text)
			}
			if lit.String() != tt.literal {
				t.Errorf("literal text = %q, want %q", lit.String(), tt.literal)
			}
		})
	}
}

func FuzzParseLinkValue(f *testing.F) {
	for _, s := range []string{"$response.body#/a/0", "x{$request.path.id}y", "$request.header.", "{$", "$request.body#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseLinkValue(s)
		if err != nil {
			return
		}
		// Every expression parsed must parse again from its own text.
		for _, e := range v.expressions() {
			back, err := ParseExpression(e.String())
			if err != nil || back.String() != e.String() {
				t.Fatalf("%q: expression %q does not round-trip: %v", s, e, err)
			}
		}
	})
}
