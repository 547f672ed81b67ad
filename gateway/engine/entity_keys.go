package engine

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/wundergraph/astjson"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"

	"github.com/tributary-gw/tributary/gateway/upstream"
)

// entityKeyTransport checks the answers of a remote subgraph's _entities
// calls against the representations sent.
//
// graphql-go-tools merges the i-th entity of an answer into the i-th
// object it asked about, without looking at keys. A subgraph that answers
// in another order (or with other entities) would put one object's data
// on another, and the key fields it echoes would overwrite the right ones.
// Here, an entity that carries a key field with another value than its
// representation is matched to the representation whose key it carries;
// one that matches none becomes null with an error at ["_entities", i],
// which the resolver moves to the client's path. Entities that carry no
// key field cannot be checked and pass as they are.
//
// Calls without representations pay one substring search of the request
// body; an answer whose entities all match is passed on unchanged.
//
// An entity whose __typename is not its representation's object type is
// treated the same way, so that the error names the subgraph that sent it
// (the resolver would blame the subgraph the object came from).
type entityKeyTransport struct {
	subgraph string
	// objectTypes are the client schema's object types: a representation
	// of one must come back with the same __typename (one of an interface
	// may come back as an implementation).
	objectTypes map[string]bool
	next        http.RoundTripper
}

var representationsKey = []byte(`"representations"`)

func (t entityKeyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody := requestBody(req)
	if !bytes.Contains(reqBody, representationsKey) {
		return t.next.RoundTrip(req)
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := readBody(resp)
	if err != nil {
		return nil, fmt.Errorf("reading the _entities answer of subgraph %q: %w", t.subgraph, err)
	}
	if fixed := t.matchEntities(reqBody, body); fixed != nil {
		body = fixed
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// requestBody returns the request's body without consuming it.
func requestBody(req *http.Request) []byte {
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil
		}
		defer rc.Close()
		b, _ := upstream.ReadAll(rc, req.ContentLength)
		return b
	}
	if req.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(req.Body)
	_ = req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

// readBody reads a response body, decoding the compression the library
// asked for; the body it leaves has none.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	switch resp.Header.Get("Content-Encoding") {
	case "gzip":
		gz, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, err
		}
		r = gz
	case "deflate":
		r = flate.NewReader(resp.Body)
	}
	resp.Header.Del("Content-Encoding")
	return io.ReadAll(r)
}

// matchEntities returns the answer with its entities in representation
// order, foreign ones nulled and its errors' paths marked with their
// representation (see entity_paths.go), or nil when it needs no change.
func (t entityKeyTransport) matchEntities(reqBody, body []byte) []byte {
	if t.plainlyAgree(reqBody, body) {
		return nil
	}
	return t.rematch(reqBody, body)
}

// rematch is matchEntities on the parsed answer and representations.
func (t entityKeyTransport) rematch(reqBody, body []byte) []byte {
	request, err := astjson.ParseBytes(reqBody)
	if err != nil {
		return nil
	}
	answer, err := astjson.ParseBytes(body)
	if err != nil {
		return nil
	}
	reps := request.GetArray("variables", "representations")
	entities := answer.GetArray("data", "_entities")
	if len(reps) == 0 || len(reps) != len(entities) {
		return nil
	}
	// from[i] is the index in the answer of the entity placed at i, or -1.
	from := make([]int, len(reps))
	used := make([]bool, len(entities))
	reordered := false
	for i := range reps {
		from[i] = -1
		if t.agree(entities[i], reps[i]) {
			from[i], used[i] = i, true
		} else {
			reordered = true
		}
	}
	errs := answer.GetArray("errors")
	if !reordered && len(errs) == 0 {
		return nil
	}
	var foreign []int
	for i := range reps {
		if from[i] >= 0 {
			continue
		}
		for j, ent := range entities {
			if !used[j] && carriesKey(ent, reps[i]) && t.agree(ent, reps[i]) {
				from[i], used[j] = j, true
				break
			}
		}
		if from[i] < 0 {
			foreign = append(foreign, i)
		}
	}
	if reordered {
		list := astjson.ArrayValue(nil)
		for i, j := range from {
			ent := astjson.MustParse("null")
			if j >= 0 {
				ent = entities[j]
			}
			list.SetArrayItem(nil, i, ent)
		}
		answer.Get("data").Set(nil, "_entities", list)
	}
	to := make(map[int]int, len(from)) // answer index → representation index
	for i, j := range from {
		if j >= 0 {
			to[j] = i
		}
	}
	for _, e := range errs {
		markEntityErrorPath(e, reps, to)
	}
	if len(foreign) > 0 {
		list := answer.Get("errors")
		if list == nil || list.Type() != astjson.TypeArray {
			list = astjson.ArrayValue(nil)
			answer.Set(nil, "errors", list)
		}
		n := len(list.GetArray())
		for k, i := range foreign {
			msg := fmt.Sprintf("subgraph %q answered _entities with an entity whose key matches none of the representations sent", t.subgraph)
			if got, want := entities[i].GetStringBytes("__typename"), reps[i].GetStringBytes("__typename"); !t.typenameAgrees(entities[i], reps[i]) {
				msg = fmt.Sprintf("subgraph %q answered _entities with __typename %q for a %q entity", t.subgraph, got, want)
			}
			e := astjson.MustParse(`{"message":` + strconv.Quote(msg) + `,"path":["_entities",` + strconv.Itoa(i) + `],"extensions":{"code":"INVALID_ENTITY"}}`)
			markEntityErrorPath(e, reps, map[int]int{i: i})
			list.SetArrayItem(nil, n+k, e)
		}
	}
	return answer.MarshalTo(nil)
}

// agree reports whether an entity may be the answer for a representation.
func (t entityKeyTransport) agree(entity, rep *astjson.Value) bool {
	return t.typenameAgrees(entity, rep) && keysAgree(entity, rep)
}

// typenameAgrees reports whether an entity's __typename, if any, is its
// representation's, where the representation's is an object type.
func (t entityKeyTransport) typenameAgrees(entity, rep *astjson.Value) bool {
	if entity == nil || entity.Type() != astjson.TypeObject {
		return true
	}
	got, want := entity.Get("__typename"), rep.GetStringBytes("__typename")
	if got == nil || !t.objectTypes[string(want)] {
		return true
	}
	return got.Type() == astjson.TypeString && bytes.Equal(got.GetStringBytes(), want)
}

// objectTypeNames lists the object types of a schema.
func objectTypeNames(schema *ast.Document) map[string]bool {
	names := make(map[string]bool, len(schema.ObjectTypeDefinitions))
	for i := range schema.ObjectTypeDefinitions {
		names[schema.ObjectTypeDefinitionNameString(i)] = true
	}
	return names
}

// keysAgree reports whether every field of the representation that the
// entity also carries has the same value there (__typename aside: the
// resolver checks type names itself).
func keysAgree(entity, rep *astjson.Value) bool {
	if entity == nil || entity.Type() != astjson.TypeObject {
		return true // null or an error: nothing to overwrite
	}
	obj := rep.GetObject()
	if obj == nil {
		return true
	}
	agree := true
	obj.Visit(func(key []byte, want *astjson.Value) {
		if !agree || string(key) == "__typename" {
			return
		}
		if got := entity.Get(string(key)); got != nil && !jsonEqual(got, want) {
			agree = false
		}
	})
	return agree
}

// carriesKey reports whether the entity carries at least one field of the
// representation besides __typename, so that it can be matched by key.
func carriesKey(entity, rep *astjson.Value) bool {
	obj := rep.GetObject()
	if obj == nil || entity == nil || entity.Type() != astjson.TypeObject {
		return false
	}
	found := false
	obj.Visit(func(key []byte, _ *astjson.Value) {
		if string(key) != "__typename" && entity.Get(string(key)) != nil {
			found = true
		}
	})
	return found
}

// jsonEqual compares two JSON values, objects regardless of key order. An
// ID may come back as a number where it was sent as a string.
func jsonEqual(a, b *astjson.Value) bool {
	ta, tb := a.Type(), b.Type()
	switch {
	case ta == astjson.TypeString && tb == astjson.TypeString:
		return bytes.Equal(a.GetStringBytes(), b.GetStringBytes())
	case ta == astjson.TypeNumber && tb == astjson.TypeNumber:
		return bytes.Equal(a.MarshalTo(nil), b.MarshalTo(nil)) || a.GetFloat64() == b.GetFloat64()
	case ta == astjson.TypeNumber && tb == astjson.TypeString:
		return string(a.MarshalTo(nil)) == string(b.GetStringBytes())
	case ta == astjson.TypeString && tb == astjson.TypeNumber:
		return string(a.GetStringBytes()) == string(b.MarshalTo(nil))
	case ta != tb:
		return false
	case ta == astjson.TypeArray:
		x, y := a.GetArray(), b.GetArray()
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case ta == astjson.TypeObject:
		x, y := a.GetObject(), b.GetObject()
		if x.Len() != y.Len() {
			return false
		}
		equal := true
		x.Visit(func(key []byte, v *astjson.Value) {
			if w := y.Get(string(key)); equal && (w == nil || !jsonEqual(v, w)) {
				equal = false
			}
		})
		return equal
	}
	return true // null, true, false: equal types are equal values
}
