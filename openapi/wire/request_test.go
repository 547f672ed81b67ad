package wire

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/openapi"
)

// mustRequest builds a request or fails the test.
func mustRequest(t *testing.T, baseURL string, op *openapi.Operation, types map[string]*openapi.Type, args string) *http.Request {
	t.Helper()
	req, err := Request(context.Background(), baseURL, op, types, json.RawMessage(args))
	if err != nil {
		t.Fatalf("Request: %v", err)
	}
	return req
}

// readBody returns the request body, and checks that GetBody replays it.
func readBody(t *testing.T, req *http.Request) string {
	t.Helper()
	if req.Body == nil {
		return ""
	}
	data, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	if req.GetBody == nil {
		t.Fatal("GetBody is nil: the body cannot be replayed for a retry")
	}
	again, _ := req.GetBody()
	replay, _ := io.ReadAll(again)
	if string(replay) != string(data) {
		t.Fatalf("GetBody replays %q, want %q", replay, data)
	}
	return string(data)
}

func TestRequestUpdatePet(t *testing.T) {
	args := `{
		"storeId": "s/1", "petId": 42, "dryRun": true, "notify": ["a b", "c,d"],
		"requestTag": "tag; with=stuff",
		"input": {
			"name": "Rex", "status": "SOLD_OUT", "priorities": ["HIGH", "LOW", "FLAGGED"],
			"owner": {"firstName": "Ann", "nicknames": [{"text": "A"}, {"text": null}]},
			"tags": "single", "meta": {"any": ["thing", 1]},
			"weightGrams": 123456789012345678901234567890
		}
	}`
	req := mustRequest(t, "https://api.test/v2/", updatePetOp(), petTypes(), args)
	if req.Method != "PUT" {
		t.Errorf("method %s", req.Method)
	}
	wantURL := "https://api.test/v2/stores/s%2F1/pets/42?dry-run=true&notify=a%20b,c%2Cd"
	if got := req.URL.String(); got != wantURL {
		t.Errorf("URL\n got %s\nwant %s", got, wantURL)
	}
	if got := req.Header.Get("X-Request-Tag"); got != "tag; with=stuff" {
		t.Errorf("header not sent raw: %q", got)
	}
	if got := req.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q", got)
	}
	if got := req.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept %q", got)
	}
	wantBody := `{"name":"Rex","status":"sold-out","priority_list":[2.5,1,true],` +
		`"owner_info":{"first_name":"Ann","nick_names":[{"the_text":"A"},{"the_text":null}]},` +
		`"tags":["single"],"meta":{"any": ["thing", 1]},"weight_grams":123456789012345678901234567890}`
	if got := readBody(t, req); got != wantBody {
		t.Errorf("body\n got %s\nwant %s", got, wantBody)
	}
}

func TestRequestBaseURLJoin(t *testing.T) {
	op := &openapi.Operation{FieldName: "f", Method: "GET", Path: "/pets",
		Params: []*openapi.Param{{Name: "q", In: "query", Arg: "q", Style: "form", Explode: true, Type: named("String")}}}
	tests := []struct{ base, args, want string }{
		{"http://h", `{}`, "http://h/pets"},
		{"http://h/", `{}`, "http://h/pets"},
		{"http://h/api/v1", `{}`, "http://h/api/v1/pets"},
		{"http://h/api/v1//", `{"q": "x"}`, "http://h/api/v1/pets?q=x"},
		{"http://h/api?key=k1", `{"q": "x"}`, "http://h/api/pets?key=k1&q=x"},
		{"http://h:8080/api?key=k1", `{}`, "http://h:8080/api/pets?key=k1"},
	}
	for _, tt := range tests {
		req := mustRequest(t, tt.base, op, nil, tt.args)
		if got := req.URL.String(); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.base, got, tt.want)
		}
	}
	noSlash := *op
	noSlash.Path = "pets/{id}"
	noSlash.Params = []*openapi.Param{{Name: "id", In: "path", Arg: "id", Style: "simple", Required: true, Type: nonNull("ID")}}
	if got := mustRequest(t, "http://h/api", &noSlash, nil, `{"id": 7}`).URL.String(); got != "http://h/api/pets/7" {
		t.Errorf("template without a leading slash: got %s", got)
	}
}

func TestRequestEscaping(t *testing.T) {
	op := &openapi.Operation{FieldName: "f", Method: "GET", Path: "/files/{name}",
		Params: []*openapi.Param{
			{Name: "name", In: "path", Arg: "name", Style: "simple", Required: true, Type: nonNull("String")},
			{Name: "strict", In: "query", Arg: "strict", Style: "form", Explode: true, Type: named("String")},
			{Name: "raw", In: "query", Arg: "raw", Style: "form", Explode: true, AllowReserved: true, Type: named("String")},
			{Name: "X-Raw", In: "header", Arg: "header", Style: "simple", Type: named("String")},
		}}
	tests := []struct {
		args, wantURI, wantHeader string
	}{
		{`{"name": "a/b c?d#e", "strict": "a/b?c=d&e#f é", "raw": "a/b?c=d&e#f%41%zz", "header": "a/b c,é"}`,
			"/files/a%2Fb%20c%3Fd%23e?strict=a%2Fb%3Fc%3Dd%26e%23f%20%C3%A9&raw=a/b?c=d&e%23f%41%25zz", "a/b c,é"},
		{`{"name": ".."}`, "/files/%2E%2E", ""},
		{`{"name": "."}`, "/files/%2E", ""},
		{`{"name": "..."}`, "/files/...", ""},
		{`{"name": "ünï"}`, "/files/%C3%BCn%C3%AF", ""},
	}
	for _, tt := range tests {
		req := mustRequest(t, "http://h", op, nil, tt.args)
		if got := req.URL.RequestURI(); got != tt.wantURI {
			t.Errorf("%s:\n got %s\nwant %s", tt.args, got, tt.wantURI)
		}
		if got := req.Header.Get("X-Raw"); got != tt.wantHeader {
			t.Errorf("%s: header %q, want %q", tt.args, got, tt.wantHeader)
		}
	}
}

func TestRequestContentParameter(t *testing.T) {
	op := &openapi.Operation{FieldName: "f", Method: "GET", Path: "/near",
		Params: []*openapi.Param{
			{Name: "coordinates", In: "query", Arg: "coordinates", ContentType: "application/json", Type: named("Coordinates")},
			{Name: "X-Filter", In: "header", Arg: "filter", ContentType: "application/json", Type: named("JSON")},
		}}
	types := map[string]*openapi.Type{"Coordinates": {Name: "Coordinates", Kind: openapi.KindInputObject, Fields: []*openapi.Field{
		field("latitude", "lat", nonNull("Float")), field("longitude", "long", nonNull("Float")),
	}}}
	req := mustRequest(t, "http://h", op, types, `{"coordinates": {"latitude": 1.5, "longitude": -2}, "filter": {"a": [1, "x"]}}`)
	if got, want := req.URL.RawQuery, "coordinates=%7B%22lat%22%3A1.5%2C%22long%22%3A-2%7D"; got != want {
		t.Errorf("query %s, want %s", got, want)
	}
	if got, want := req.Header.Get("X-Filter"), `{"a":[1,"x"]}`; got != want {
		t.Errorf("header %s, want %s", got, want)
	}
}

func TestRequestOptionalAndRequired(t *testing.T) {
	op := updatePetOp()
	types := petTypes()
	// Optional parameters that are missing or null are left out.
	req := mustRequest(t, "http://h", op, types, `{"storeId": "1", "petId": "2", "dryRun": null, "input": {"name": "x"}}`)
	if req.URL.RawQuery != "" || req.Header.Get("X-Request-Tag") != "" {
		t.Errorf("optional parameters were sent: %s %v", req.URL, req.Header)
	}
	tests := []struct{ args, want string }{
		{`{"petId": "2", "input": {"name": "x"}}`, `argument "storeId" (path parameter "storeId") is required`},
		{`{"storeId": "1", "petId": null, "input": {"name": "x"}}`, `argument "petId" (path parameter "petId") is required`},
		{`{"storeId": "1", "petId": "2"}`, `argument "input" (the request body, application/json) is required`},
		{`{"storeId": "", "petId": "2", "input": {"name": "x"}}`, `argument "storeId" (path parameter "storeId") is empty`},
		{`{"storeId": "1", "petId": "2", "input": {"name": "x", "status": "LOST"}}`, `argument "input" (the request body): status: enum PetStatus has no value "LOST"`},
		{`{"storeId": "1", "petId": "2", "input": {"name": "x", "owner": {"nicknames": [{}, {"txt": 1}]}}}`, `argument "input" (the request body): owner.nicknames[1]: input type OwnerNameInput has no field "txt"`},
		{`{"storeId": "1", "petId": "2", "requestTag": "a\r\nX-Evil: 1", "input": {"name": "x"}}`, `holds a control character`},
		{`{"storeId": "1", "petId": "2", "input": [1]}`, `input type PetInput needs an object`},
		{`{"storeId": "1",`, `arguments are not valid JSON`},
		{`[1]`, `arguments must be a JSON object`},
	}
	for _, tt := range tests {
		_, err := Request(context.Background(), "http://h", op, types, json.RawMessage(tt.args))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\n got %v\nwant an error containing %q", tt.args, err, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), "operation updatePet (PUT /stores/{storeId}/pets/{petId})") {
			t.Errorf("error does not name the operation: %v", err)
		}
	}
	if _, err := Request(context.Background(), "", op, types, nil); err == nil || !strings.Contains(err.Error(), "no base URL") {
		t.Errorf("empty base URL: %v", err)
	}
}

func TestRequestOneOf(t *testing.T) {
	op := &openapi.Operation{FieldName: "findPet", Method: "POST", Path: "/pets/find",
		Body:   &openapi.Body{Arg: "by", Required: true, ContentType: "application/json", Type: nonNull("PetChoice")},
		Result: openapi.Result{Kind: openapi.ResultNoContent}}
	tests := []struct{ args, body, err string }{
		{`{"by": {"byName": "Rex"}}`, `"Rex"`, ""},
		{`{"by": {"byName": null, "byOwner": {"firstName": "Ann"}}}`, `{"first_name":"Ann"}`, ""},
		{`{"by": {}}`, "", "@oneOf input type PetChoice needs exactly one field set, got 0"},
		{`{"by": {"byName": "a", "byOwner": {"firstName": "Ann"}}}`, "", "got 2"},
	}
	for _, tt := range tests {
		req, err := Request(context.Background(), "http://h", op, petTypes(), json.RawMessage(tt.args))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: got %v, want %q", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := readBody(t, req); got != tt.body {
			t.Errorf("%s: body %s, want %s", tt.args, got, tt.body)
		}
		if req.Header.Get("Accept") != "" {
			t.Errorf("a 204 operation sent Accept %q", req.Header.Get("Accept"))
		}
	}
}

func TestRequestEnumInQueryAndIgnoredHeaders(t *testing.T) {
	op := listPetsOp()
	op.Params = append(op.Params,
		&openapi.Param{Name: "Authorization", In: "header", Arg: "auth", Type: named("String")},
		&openapi.Param{Name: "Accept", In: "header", Arg: "accept", Type: named("String")})
	op.Result.ContentType = "application/vnd.pets+json"
	req := mustRequest(t, "http://h", op, petTypes(), `{"status": ["SOLD_OUT", "PENDING"], "limit": 10, "auth": "x", "accept": "text/html"}`)
	if got, want := req.URL.RawQuery, "status=sold-out&status=pending&limit=10"; got != want {
		t.Errorf("query %s, want %s", got, want)
	}
	if req.Header.Get("Authorization") != "" {
		t.Error("an Authorization header parameter was sent; the spec says to ignore it")
	}
	if got := req.Header.Get("Accept"); got != "application/vnd.pets+json" {
		t.Errorf("Accept %q", got)
	}
}

func TestRequestDeepObjectNested(t *testing.T) {
	op := &openapi.Operation{FieldName: "f", Method: "GET", Path: "/search",
		Params: []*openapi.Param{{Name: "filter", In: "query", Arg: "filter", Style: "deepObject", Explode: true, Type: named("JSON")}}}
	req := mustRequest(t, "http://h", op, nil, `{"filter": {"a": {"b": 1, "c": null}, "tags": ["x", "y"], "s": "p q"}}`)
	want := "filter%5Ba%5D%5Bb%5D=1&filter%5Btags%5D=x&filter%5Btags%5D=y&filter%5Bs%5D=p%20q"
	if got := req.URL.RawQuery; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
