package wire

import (
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/openapi"
)

// bodyOp is a POST whose body argument "input" has the given type.
func bodyOp(contentType string, t *openapi.TypeRef, enc map[string]openapi.Encoding) *openapi.Operation {
	return &openapi.Operation{FieldName: "send", Method: "POST", Path: "/send",
		Body:   &openapi.Body{Arg: "input", ContentType: contentType, Type: t, Encoding: enc},
		Result: openapi.Result{Kind: openapi.ResultText}}
}

func TestFormBody(t *testing.T) {
	tests := []struct {
		name string
		enc  map[string]openapi.Encoding
		args string
		want string
	}{
		{"defaults: form, exploded; objects as JSON text", nil,
			`{"input": {"name": "Rex & co", "tags": ["a", "b c"], "owner": {"firstName": "Ann"}, "status": "SOLD_OUT"}}`,
			"name=Rex+%26+co&tags=a&tags=b+c&owner_info=%7B%22first_name%22%3A%22Ann%22%7D&status=sold-out"},
		{"form, not exploded", map[string]openapi.Encoding{"tags": {Style: "form", Explode: false}},
			`{"input": {"tags": ["a", "b,c"]}}`, "tags=a,b%2Cc"},
		{"delimited styles", map[string]openapi.Encoding{"tags": {Style: "pipeDelimited"}, "priority_list": {Style: "spaceDelimited"}},
			`{"input": {"tags": ["a", "b"], "priorities": ["LOW", "HIGH"]}}`, "tags=a%7Cb&priority_list=1%202.5"},
		{"deepObject", map[string]openapi.Encoding{"owner_info": {Style: "deepObject", Explode: true}},
			`{"input": {"owner": {"firstName": "Ann", "nicknames": [{"text": "x"}]}}}`,
			"owner_info%5Bfirst_name%5D=Ann&owner_info%5Bnick_names%5D=%7B%22the_text%22%3A%22x%22%7D"},
		{"JSON content type", map[string]openapi.Encoding{"tags": {ContentType: "application/json"}},
			`{"input": {"tags": ["a"], "meta": null}}`, "tags=%5B%22a%22%5D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := bodyOp("application/x-www-form-urlencoded", named("PetInput"), tt.enc)
			req := mustRequest(t, "http://h", op, petTypes(), tt.args)
			if got := readBody(t, req); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if got := req.Header.Get("Content-Type"); got != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type %q", got)
			}
		})
	}
}

// part is one decoded multipart part.
type part struct {
	name, filename, contentType, content string
}

// readParts decodes a multipart request body.
func readParts(t *testing.T, contentType, body string) []part {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "multipart/form-data" {
		t.Fatalf("Content-Type %q: %v", contentType, err)
	}
	r := multipart.NewReader(strings.NewReader(body), params["boundary"])
	var parts []part
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(p)
		parts = append(parts, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(data)})
	}
}

func TestMultipartBody(t *testing.T) {
	types := petTypes()
	types["UploadInput"] = &openapi.Type{Name: "UploadInput", Kind: openapi.KindInputObject, Fields: []*openapi.Field{
		field("title", "title", named("String")),
		field("count", "count", named("Int")),
		field("tags", "tags", listOf(named("String"))),
		field("owner", "owner", named("OwnerInput")),
		field("file", "file", named("Upload")),
		field("extras", "extra_files", listOf(named("Upload"))),
		field("doc", "doc", named("JSON")),
	}}
	files := map[string]*tributary.File{
		"input.file":     tempFile(t, "pic \"1\".png", "image/png", "\x89PNG\x00binary"),
		"input.extras.1": tempFile(t, "a.txt", "", "hi"),
	}
	args := `{"input": {"title": "a \"quoted\" title", "count": 3, "tags": ["x", "y"],
		"owner": {"firstName": "Ann"}, "doc": {"k": 1}, "file": null, "extras": [null, null]}}`
	op := bodyOp("multipart/form-data", named("UploadInput"), map[string]openapi.Encoding{"doc": {ContentType: "application/vnd.doc+json"}})
	req, err := Request(WithFiles(t.Context(), files), "http://h", op, types, []byte(args))
	if err != nil {
		t.Fatal(err)
	}
	got := readParts(t, req.Header.Get("Content-Type"), readBody(t, req))
	want := []part{
		{"title", "", "", `a "quoted" title`},
		{"count", "", "", "3"},
		{"tags", "", "", "x"},
		{"tags", "", "", "y"},
		{"owner", "", "application/json", `{"first_name":"Ann"}`},
		{"doc", "", "application/vnd.doc+json", `{"k": 1}`},
		{"file", `pic "1".png`, "image/png", "\x89PNG\x00binary"},
		{"extra_files", "a.txt", "application/octet-stream", "hi"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d parts, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("part %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}

	inline := `{"input": {"file": {"filename": "x", "content": "aGk="}}}`
	if _, err := Request(t.Context(), "http://h", op, types, []byte(inline)); err == nil || !strings.Contains(err.Error(), "file: an Upload is sent as a file with the GraphQL multipart request spec") {
		t.Errorf("an inline Upload value: %v", err)
	}
}

func TestRawBody(t *testing.T) {
	tests := []struct {
		contentType string
		typ         *openapi.TypeRef
		args        string
		wantBody    string
		wantType    string
		wantErr     string
	}{
		{"application/xml", named("String"), `{"input": "<pet name=\"x\"/>"}`, `<pet name="x"/>`, "application/xml", ""},
		{"text/plain", named("Int"), `{"input": 12}`, "12", "text/plain", ""},
		{"application/octet-stream", named("Upload"), `{"input": "R0lG"}`, "", "", "an Upload is sent as a file with the GraphQL multipart request spec"},
		{"application/vnd.api+json", named("JSON"), `{"input": {"data": [1]}}`, `{"data": [1]}`, "application/vnd.api+json", ""},
		{"application/xml", named("JSON"), `{"input": {"a": 1}}`, "", "", "a request body of media type application/xml is sent as the argument's raw text"},
		{"application/x-www-form-urlencoded", named("String"), `{"input": "a=b"}`, "", "", "request body needs an object (an input type)"},
		{"multipart/form-data", named("String"), `{"input": "a=b"}`, "", "", "request body needs an object (an input type)"},
	}
	for _, tt := range tests {
		op := bodyOp(tt.contentType, tt.typ, nil)
		req, err := Request(t.Context(), "http://h", op, petTypes(), []byte(tt.args))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: got %v, want %q", tt.contentType, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.contentType, err)
		}
		if got := readBody(t, req); got != tt.wantBody {
			t.Errorf("%s: body %q, want %q", tt.contentType, got, tt.wantBody)
		}
		if got := req.Header.Get("Content-Type"); got != tt.wantType {
			t.Errorf("%s: Content-Type %q, want %q", tt.contentType, got, tt.wantType)
		}
	}
	// An optional body that is missing sends no body at all.
	req := mustRequest(t, "http://h", bodyOp("application/json", named("JSON"), nil), nil, `{}`)
	if req.Body != nil || req.Header.Get("Content-Type") != "" {
		t.Errorf("missing optional body: body %v, Content-Type %q", req.Body, req.Header.Get("Content-Type"))
	}
}
