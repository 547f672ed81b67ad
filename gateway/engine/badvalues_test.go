package engine

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/resolve"
)

// A string from an upstream that is not UTF-8 is a field error at its
// path, list indexes included; a nullable field becomes null in place,
// a non-null one nulls its nearest nullable ancestor. The response is
// always valid UTF-8 JSON.
func TestInvalidUTF8FromAnUpstreamIsAnErrorAtItsPath(t *testing.T) {
	const sdl = `type Query { list: [Item] }
type Item { id: Int!  name: String  code: String!  tags: [String!] }
`
	const answer = "{\"data\":{\"list\":[" +
		"{\"id\":1,\"name\":\"ok\",\"code\":\"a\",\"tags\":[\"x\"]}," +
		"{\"id\":2,\"name\":\"b\xffd\",\"code\":\"b\",\"tags\":[\"y\"]}," +
		"{\"id\":3,\"name\":\"ok\",\"code\":\"\xe2\x82\",\"tags\":[\"z\"]}," +
		"{\"id\":4,\"name\":\"ok\",\"code\":\"d\",\"tags\":[\"u\",\"\xc0\"]}]}}"
	e := newCannedEngine(t, Options{}, cannedSubgraph{name: "items", sdl: sdl, answer: func(upstreamRequest) string { return answer }})
	body := run(t, e, `{ list { id name code tags } }`, "")
	if !utf8.ValidString(body) || !json.Valid([]byte(body)) {
		t.Fatalf("the response is not valid UTF-8 JSON: %q", body)
	}
	var got struct {
		Data   json.RawMessage
		Errors []struct {
			Message string
			Path    json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	want := `{"list":[{"id":1,"name":"ok","code":"a","tags":["x"]},{"id":2,"name":null,"code":"b","tags":["y"]},null,{"id":4,"name":"ok","code":"d","tags":null}]}`
	if string(got.Data) != want {
		t.Errorf("data =\n%s\nwant\n%s", got.Data, want)
	}
	var paths []string
	for _, e := range got.Errors {
		if e.Message != errNotUTF8 {
			t.Errorf("message %q, want %q", e.Message, errNotUTF8)
		}
		paths = append(paths, string(e.Path))
	}
	if w := `["list",1,"name"] ["list",2,"code"] ["list",3,"tags",1]`; strings.Join(paths, " ") != w {
		t.Errorf("error paths %v, want %s", paths, w)
	}
}

// The repair keeps errors the resolver already had and the rest of the
// body, and a root that cannot be null takes data with it.
func TestRepairKeepsEarlierErrors(t *testing.T) {
	body := []byte("{\"errors\":[{\"message\":\"earlier\"}],\"data\":{\"a\":\"\xff\"},\"extensions\":{\"k\":1}}")
	got := string(finishValues(body, nil))
	want := `{"errors":[{"message":"earlier"},{"message":"` + errNotUTF8 + `","path":["a"]}],"data":null,"extensions":{"k":1}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if ok := string(finishValues([]byte(`{"data":{"a":"é"}}`), nil)); ok != `{"data":{"a":"é"}}` {
		t.Errorf("a valid body changed: %s", ok)
	}
}

// An upstream string spelling a marker is invalid UTF-8 anyway: it is
// nulled like any other, never passed through.
func TestMarkerFromAnUpstreamIsNotPassedThrough(t *testing.T) {
	body := run(t, valuesEngine(t, `{"s":"`+badIntMarker+`"}`), `{ thing { s } }`, "")
	if !utf8.ValidString(body) || !strings.Contains(body, `"s":null`) || !strings.Contains(body, `"path":["thing","s"]`) {
		t.Errorf("got %q", body)
	}
}

// FuzzFinishValues feeds arbitrary bodies to the repair pass: whatever
// it gets, it returns valid UTF-8 and never panics.
func FuzzFinishValues(f *testing.F) {
	for _, seed := range []string{
		"{\"data\":{\"a\":\"\xff\"}}", "{\"errors\":[1],\"data\":[\"\xfe\",{\"b\":\"\xc0\"}]}",
		`{"data":{"a":"ok"}}`, "{\"data\":", "{\"\xff\":1}", "[\"\xff\"]", "\"" + badIntMarker + "\"",
	} {
		f.Add([]byte(seed))
	}
	plan := &resolve.Object{Fields: []*resolve.Field{{Name: []byte("a"), Value: &resolve.String{Nullable: true}}}}
	f.Fuzz(func(t *testing.T, body []byte) {
		if out := finishValues(body, plan); !utf8.Valid(out) {
			t.Fatalf("finishValues(%q) = %q, not UTF-8", body, out)
		}
	})
}
