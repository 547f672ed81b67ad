package engine

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/wundergraph/astjson"
)

// graphql-go-tools reports an error at ["_entities", i, ...] from an
// entity fetch at the fetch's path without i ("users", "nick"), because
// its representations are de-duplicated: it does not keep which objects
// representation i stood for. The client then cannot tell which user the
// error is about.
//
// The entity transport puts a marker segment after i that carries the
// representation itself; the library keeps string segments. When the
// response is finished, each marked error is placed at the objects under
// the fetch's path whose key fields equal the representation's (one error
// per object: duplicates of a representation all failed). When the client
// did not select the key fields the objects cannot be told apart, and the
// marker is dropped, which leaves the library's path. A failed call
// (subgraph_failures.go) marks one error per representation the same way;
// where they fall back to the library's path, they are one error there.

// entityMarker starts a marker segment; the NUL keeps it from meeting a
// field name.
const entityMarker = "\x00entity:"

// markEntityErrorPath rewrites an error path ["_entities", j, rest...] to
// ["_entities", to[j], marker, rest...].
func markEntityErrorPath(e *astjson.Value, reps []*astjson.Value, to map[int]int) {
	path := e.GetArray("path")
	if len(path) < 2 || string(path[0].GetStringBytes()) != "_entities" || path[1].Type() != astjson.TypeNumber {
		return
	}
	i, ok := to[path[1].GetInt()]
	if !ok || i >= len(reps) {
		return
	}
	marked := astjson.ArrayValue(nil)
	marked.SetArrayItem(nil, 0, path[0])
	marked.SetArrayItem(nil, 1, astjson.IntValue(nil, i))
	marked.SetArrayItem(nil, 2, astjson.StringValue(nil, entityMarker+string(reps[i].MarshalTo(nil))))
	for k, seg := range path[2:] {
		marked.SetArrayItem(nil, 3+k, seg)
	}
	e.Set(nil, "path", marked)
}

// placeEntityErrors replaces the errors of a finished response whose path
// carries a marker with one error per object the marker's representation
// stands for. It reports whether any error carried a marker.
func placeEntityErrors(body *astjson.Value) bool {
	errs := body.GetArray("errors")
	marked := false
	for _, e := range errs {
		if markerAt(e.GetArray("path")) >= 0 {
			marked = true
			break
		}
	}
	if !marked {
		return false
	}
	data := body.Get("data")
	out := astjson.ArrayValue(nil)
	n := 0
	// A failed call puts the same error on every representation; those
	// that fall back to the list's path are one error there.
	fellBack := map[string]bool{}
	for _, e := range errs {
		path := e.GetArray("path")
		m := markerAt(path)
		if m < 0 {
			out.SetArrayItem(nil, n, e)
			n++
			continue
		}
		rep, _ := astjson.ParseBytes([]byte(strings.TrimPrefix(string(path[m].GetStringBytes()), entityMarker)))
		var places [][]*astjson.Value
		if rep != nil {
			places = findEntities(data, path[:m], nil, rep)
		}
		fallback := len(places) == 0
		if fallback {
			places = [][]*astjson.Value{withoutAt(path[:m])}
		}
		for _, place := range places {
			p := astjson.ArrayValue(nil)
			for k, seg := range append(place, path[m+1:]...) {
				p.SetArrayItem(nil, k, seg)
			}
			copied, _ := astjson.ParseBytes(e.MarshalTo(nil))
			copied.Set(nil, "path", p)
			if fallback && copied.Get("extensions", failureExtension) != nil {
				key := string(copied.MarshalTo(nil))
				if fellBack[key] {
					continue
				}
				fellBack[key] = true
			}
			out.SetArrayItem(nil, n, copied)
			n++
		}
	}
	body.Set(nil, "errors", out)
	return true
}

func markerAt(path []*astjson.Value) int {
	for i, seg := range path {
		if seg.Type() == astjson.TypeString && bytes.HasPrefix(seg.GetStringBytes(), []byte(entityMarker)) {
			return i
		}
	}
	return -1
}

// withoutAt drops the "@" segments the library leaves in nested paths.
func withoutAt(path []*astjson.Value) []*astjson.Value {
	var out []*astjson.Value
	for _, seg := range path {
		if seg.Type() != astjson.TypeString || string(seg.GetStringBytes()) != "@" {
			out = append(out, seg)
		}
	}
	return out
}

// findEntities walks data along path ("@" or a list steps into every
// element) and returns the concrete paths of the objects whose fields
// agree with the representation and carry at least one of its keys.
func findEntities(data *astjson.Value, path []*astjson.Value, at []*astjson.Value, rep *astjson.Value) [][]*astjson.Value {
	if data == nil || data.Type() == astjson.TypeNull {
		return nil
	}
	if data.Type() == astjson.TypeArray {
		var found [][]*astjson.Value
		rest := path
		if len(rest) > 0 && rest[0].Type() == astjson.TypeString && string(rest[0].GetStringBytes()) == "@" {
			rest = rest[1:]
		}
		for i, item := range data.GetArray() {
			here := append(append([]*astjson.Value(nil), at...), astjson.NumberValue(nil, strconv.Itoa(i)))
			found = append(found, findEntities(item, rest, here, rep)...)
		}
		return found
	}
	if len(path) == 0 {
		if data.Type() == astjson.TypeObject && carriesKey(data, rep) && keysAgree(data, rep) {
			return [][]*astjson.Value{at}
		}
		return nil
	}
	seg := path[0]
	if seg.Type() != astjson.TypeString || data.Type() != astjson.TypeObject {
		return nil
	}
	if string(seg.GetStringBytes()) == "@" {
		return findEntities(data, path[1:], at, rep)
	}
	return findEntities(data.Get(string(seg.GetStringBytes())), path[1:], append(append([]*astjson.Value(nil), at...), seg), rep)
}
