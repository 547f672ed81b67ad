package httpserver

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	tributary "github.com/tributary-gw/tributary"
)

func TestDecodeJSONBody(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    tributary.Request
		wantErr string
	}{
		{name: "query only", body: `{"query":"{ a }"}`, want: tributary.Request{Query: "{ a }"}},
		{name: "whitespace everywhere", body: " \n{ \"query\" :\t\"{ a }\" , \"operationName\" : null ,\"variables\":null, \"extensions\" : null }\r\n",
			want: tributary.Request{Query: "{ a }"}},
		{name: "all parameters", body: `{"variables":{"a":[1,{"b":"}"}]},"query":"q","operationName":"Op","extensions":{}}`,
			want: tributary.Request{Query: "q", OperationName: "Op", Variables: json.RawMessage(`{"a":[1,{"b":"}"}]}`), Extensions: json.RawMessage(`{}`)}},
		{name: "escapes", body: `{"query":"{ a(s: \"\u00e9\n\\\") }"}`, want: tributary.Request{Query: "{ a(s: \"é\n\\\") }"}},
		{name: "escaped key", body: `{"\u0071uery":"{ a }"}`, want: tributary.Request{Query: "{ a }"}},
		{name: "keys are case-sensitive", body: `{"Query":"{ a }"}`, wantErr: `no "query"`},
		{name: "last duplicate wins", body: `{"query":"{ a }","query":"{ b }"}`, want: tributary.Request{Query: "{ b }"}},
		{name: "unknown keys ignored", body: `{"x":{"query":"no"},"query":"{ a }","y":[true,null,-1.5e3]}`, want: tributary.Request{Query: "{ a }"}},
		{name: "empty query string is a string", body: `{"query":""}`, want: tributary.Request{Query: ""}},
		{name: "invalid UTF-8 becomes U+FFFD", body: "{\"query\":\"{ a(s: \\\"\xff\\\") }\"}", want: tributary.Request{Query: "{ a(s: \"\uFFFD\") }"}},
		{name: "empty", body: " ", wantErr: "empty"},
		{name: "truncated", body: `{"query":"{ a }"`, wantErr: "not valid JSON"},
		{name: "trailing garbage", body: `{"query":"{ a }"} x`, wantErr: "at byte"},
		{name: "string body", body: `"{ a }"`, wantErr: "not a string"},
		{name: "null body", body: `null`, wantErr: "not null"},
		{name: "variables string", body: `{"query":"q","variables":"{}"}`, wantErr: `"variables" must be a JSON object (or null), not a string`},
		{name: "operationName number", body: `{"query":"q","operationName":1}`, wantErr: "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got tributary.Request
			err := decodeJSONBody([]byte(tt.body), &got)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Query != tt.want.Query || got.OperationName != tt.want.OperationName ||
				!bytes.Equal(got.Variables, tt.want.Variables) || !bytes.Equal(got.Extensions, tt.want.Extensions) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeJSONBodyCopiesOutOfTheBuffer(t *testing.T) {
	body := []byte(`{"query":"q","variables":{"a":1},"extensions":{"b":2}}`)
	var req tributary.Request
	if err := decodeJSONBody(body, &req); err != nil {
		t.Fatal(err)
	}
	for i := range body {
		body[i] = 'x'
	}
	if string(req.Variables) != `{"a":1}` || string(req.Extensions) != `{"b":2}` || req.Query != "q" {
		t.Errorf("the request shares memory with the pooled body: %+v", req)
	}
}

func TestDecodeQueryParams(t *testing.T) {
	tests := []struct {
		query   string
		want    tributary.Request
		wantErr string
	}{
		{query: "query=%7Ba%7D", want: tributary.Request{Query: "{a}"}},
		{query: "query=%7Ba%7D&operationName=&variables=&extensions=", want: tributary.Request{Query: "{a}"}},
		{query: "query=q&variables=null&extensions=%20null", want: tributary.Request{Query: "q"}},
		{query: "query=q&operationName=null", want: tributary.Request{Query: "q", OperationName: "null"}},
		{query: "query=q&variables=%7B%22id%22%3A1%7D", want: tributary.Request{Query: "q", Variables: json.RawMessage(`{"id":1}`)}},
		{query: "", wantErr: `no "query"`},
		{query: "query=q&operationName=a&operationName=b", wantErr: `"operationName" URL parameter is given 2 times`},
		{query: "query=q&variables=%5B%5D", wantErr: "not an array"},
		{query: "query=q&extensions=%7B", wantErr: "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			values, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var got tributary.Request
			err = decodeQueryParams(values, &got)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Query != tt.want.Query || got.OperationName != tt.want.OperationName ||
				!bytes.Equal(got.Variables, tt.want.Variables) || !bytes.Equal(got.Extensions, tt.want.Extensions) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// FuzzDecodeJSONBody checks that decoding never panics and agrees with
// encoding/json: a body decodes exactly when encoding/json sees an object
// whose parameters have the right types, and to the same values.
func FuzzDecodeJSONBody(f *testing.F) {
	for _, seed := range []string{
		`{"query":"{ a }"}`,
		`{"query":"q","operationName":"o","variables":{"a":[1,"]"]},"extensions":null}`,
		`{"\u0071uery":"\"\\\/\b\f\n\r\t\u00e9"}`,
		`{"query":"q","query":1}`,
		`[{"query":"q"}]`,
		`{"query":`,
		` null `,
		`{"a":{"b":{"c":[[[]]]}},"query":"x"}`,
		"{\"query\":\"\xff\"}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var got tributary.Request
		err := decodeJSONBody(body, &got)

		want, wantOK := referenceDecode(body)
		if (err == nil) != wantOK {
			t.Fatalf("decodeJSONBody error = %v, but encoding/json says ok=%v, for %q", err, wantOK, body)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if got.Query != want.Query || got.OperationName != want.OperationName ||
			!bytes.Equal(got.Variables, want.Variables) || !bytes.Equal(got.Extensions, want.Extensions) {
			t.Fatalf("decoded %+v, encoding/json decodes %+v, for %q", got, want, body)
		}
	})
}

// referenceDecode decodes a body the slow, obvious way.
func referenceDecode(body []byte) (tributary.Request, bool) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return tributary.Request{}, false
	}
	var req tributary.Request
	query, ok := fields["query"]
	if !ok || json.Unmarshal(query, &req.Query) != nil || string(query) == "null" {
		return req, false
	}
	if op, ok := fields["operationName"]; ok && json.Unmarshal(op, &req.OperationName) != nil {
		return req, false
	}
	for name, dst := range map[string]*json.RawMessage{"variables": &req.Variables, "extensions": &req.Extensions} {
		raw, ok := fields[name]
		if !ok || string(raw) == "null" {
			continue
		}
		var obj map[string]any
		if json.Unmarshal(raw, &obj) != nil {
			return req, false
		}
		*dst = raw
	}
	return req, true
}
