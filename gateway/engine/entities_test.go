package engine

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

const (
	usersSDL    = "type Query { users: [User] }\ntype User @key(fields: \"id\") { id: ID! }\n"
	profilesSDL = "type User @key(fields: \"id\") { id: ID!  nick: String }\n"
)

// entitiesEngine serves users 1, 2, 3 and a profiles subgraph that answers
// _entities with what entities returns for the representations it got.
func entitiesEngine(t *testing.T, o Options, entities func(reps []map[string]any) string) *Engine {
	return newCannedEngine(t, o,
		cannedSubgraph{name: "users", sdl: usersSDL, answer: func(upstreamRequest) string {
			return `{"data":{"users":[{"__typename":"User","id":"1"},{"__typename":"User","id":"2"},{"__typename":"User","id":"3"}]}}`
		}},
		cannedSubgraph{name: "profiles", sdl: profilesSDL, answer: func(r upstreamRequest) string {
			var v struct{ Representations []map[string]any }
			_ = json.Unmarshal(r.Variables, &v)
			return entities(v.Representations)
		}},
	)
}

func entity(id string) string {
	return `{"__typename":"User","id":"` + id + `","nick":"nick-` + id + `"}`
}

// A subgraph that answers _entities in another order than asked must not
// put one user's data on another.
func TestReorderedEntitiesAreMatchedByKey(t *testing.T) {
	e := entitiesEngine(t, Options{}, func([]map[string]any) string {
		return `{"data":{"_entities":[` + entity("3") + `,` + entity("1") + `,` + entity("2") + `]}}`
	})
	want := `{"data":{"users":[{"id":"1","nick":"nick-1"},{"id":"2","nick":"nick-2"},{"id":"3","nick":"nick-3"}]}}`
	if got := run(t, e, `{ users { id nick } }`, ""); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// An entity whose key matches no representation is an error at its path,
// and its fields are null; the other entities keep their data.
func TestEntityWithAForeignKeyIsAnError(t *testing.T) {
	e := entitiesEngine(t, Options{}, func([]map[string]any) string {
		return `{"data":{"_entities":[` + entity("1") + `,` + entity("9") + `,` + entity("3") + `]}}`
	})
	body := run(t, e, `{ users { id nick } }`, "")
	r := decode(t, body)
	if !strings.Contains(string(r.Data), `{"id":"1","nick":"nick-1"}`) || !strings.Contains(string(r.Data), `{"id":"3","nick":"nick-3"}`) ||
		strings.Contains(string(r.Data), `"9"`) || strings.Contains(string(r.Data), "nick-9") {
		t.Errorf("data: %s", r.Data)
	}
	if len(r.Errors) != 1 {
		t.Fatalf("want one error, got %s", body)
	}
	path, _ := json.Marshal(r.Errors[0].Path)
	if string(path) != `["users",1]` {
		t.Errorf("error path = %s, want the second user's (body %s)", path, body)
	}
	if r.Errors[0].Extensions["serviceName"] != "profiles" {
		t.Errorf("the error must name the subgraph: %s", body)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The check reads compressed answers, as the library asks for them.
func TestEntityKeyCheckReadsGzip(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, _ = zw.Write([]byte(`{"data":{"_entities":[` + entity("2") + `,` + entity("1") + `]}}`))
	_ = zw.Close()
	tr := entityKeyTransport{subgraph: "profiles", next: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Encoding": {"gzip"}}, Body: io.NopCloser(bytes.NewReader(zipped.Bytes()))}, nil
	})}
	req, _ := http.NewRequest(http.MethodPost, "http://profiles", strings.NewReader(
		`{"query":"q","variables":{"representations":[{"__typename":"User","id":"1"},{"__typename":"User","id":"2"}]}}`))
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if want := `{"data":{"_entities":[` + entity("1") + `,` + entity("2") + `]}}`; string(body) != want || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("got %s (%v), want %s", body, resp.Header, want)
	}
}

// FuzzPlainlyAgree checks the fast path against the full comparison: an
// answer the byte scan passes must be one the full comparison leaves as
// it is.
func FuzzPlainlyAgree(f *testing.F) {
	req := `{"query":"q","variables":{"representations":[{"__typename":"Product","upc":"1"},{"__typename":"Product","upc":"2"}]}}`
	for _, answer := range []string{
		`{"data":{"_entities":[{"__typename":"Product","inStock":true},{"__typename":"Product","inStock":false}]}}`,
		`{"data":{"_entities":[{"upc":"2","inStock":true},{"upc":"1","inStock":false}]}}`,
		`{"data":{"_entities":[{"upc":"1"},null]},"errors":[{"message":"x","path":["_entities",1]}]}`,
		`{"data":{"_entities":[{"__typename":"User"},{"upc":2}]}}`,
		`{"data":{"_entities":[{"upc":"7"},{"upc":"8"}]},"data":{"_entities":[{"upc":"1"},{"upc":"2"}]}}`,
		`{"data":{"_entities":[{"upc":"7"},{"upc":"8"}],"_entities":[{"upc":"1"},{"upc":"2"}]}}`,
		`{"data":{"_entities":[{"upc":"1","upc":"7"},{"upc":"2"}]}}`,
	} {
		f.Add([]byte(req), []byte(answer))
	}
	tr := entityKeyTransport{subgraph: "s", objectTypes: map[string]bool{"Product": true, "User": true}}
	f.Fuzz(func(t *testing.T, req, answer []byte) {
		if tr.plainlyAgree(req, answer) {
			if fixed := tr.rematch(req, answer); fixed != nil {
				t.Fatalf("the byte scan passed an answer the full comparison changes:\nrequest %s\nanswer  %s\nfixed   %s", req, answer, fixed)
			}
		}
	})
}
