package engine

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/wundergraph/astjson"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/resolve"
)

// Upstream values that do not fit their field's type — a string that is
// not UTF-8, an Int or Float that checkedLeaf refused on a nullable field
// — are field errors: the field is null, the error names its path (list
// indexes included), and a non-null field's null propagates to its
// nearest nullable ancestor, as the spec's value completion says.
//
// graphql-go-tools cannot do this itself: it copies strings byte for
// byte, and a custom node's error nulls the enclosing object rather than
// the field. So nullable checked leaves render a marker instead — a string
// that is deliberately not UTF-8 — and every response is checked once for
// valid UTF-8. Only a response that fails the check, which never happens
// with honest upstreams, is parsed and repaired here.

// Markers that checked leaves render for a value they refuse. Each starts
// with a byte that is never valid UTF-8, so the whole-response check finds
// it; an upstream string spelling the same bytes is invalid anyway.
const (
	badIntMarker     = "\xff\xfetributary:Int"
	badFloatMarker   = "\xff\xfetributary:Float"
	badBooleanMarker = "\xff\xfetributary:Boolean"
)

var (
	badIntJSON     = []byte(`"` + badIntMarker + `"`)
	badFloatJSON   = []byte(`"` + badFloatMarker + `"`)
	badBooleanJSON = []byte(`"` + badBooleanMarker + `"`)
)

const (
	errNotUTF8    = "String cannot represent a value that is not valid UTF-8"
	errNotBoolean = "Boolean cannot represent a value that is not true or false"
)

// finishValues returns a copy of a rendered response in which every
// invalid value is null and reported. data is the plan's response tree,
// which says which fields are nullable.
func finishValues(body []byte, data *resolve.Object) []byte {
	if utf8.Valid(body) {
		return bytes.Clone(body)
	}
	if fixed, ok := repairValues(body, data); ok {
		return fixed
	}
	// Not JSON the resolver would write; never lose validity.
	return bytes.ToValidUTF8(body, []byte("\uFFFD"))
}

// repairValues nulls invalid values in a response and appends an error
// for each to its errors.
func repairValues(body []byte, data *resolve.Object) ([]byte, bool) {
	root, err := astjson.ParseBytes(body)
	if err != nil || root.Type() != astjson.TypeObject {
		return nil, false
	}
	r := valueRepair{}
	if d := root.Get("data"); d != nil && r.walk(d, data) {
		root.Set(nil, "data", astjson.NullValue)
	}
	if len(r.errors) == 0 {
		return nil, false
	}
	var out bytes.Buffer
	out.WriteString(`{"errors":[`)
	n := 0
	for _, e := range root.GetArray("errors") {
		if n > 0 {
			out.WriteByte(',')
		}
		out.Write(e.MarshalTo(nil))
		n++
	}
	for _, e := range r.errors {
		if n > 0 {
			out.WriteByte(',')
		}
		b, _ := json.Marshal(e)
		out.Write(b)
		n++
	}
	out.WriteByte(']')
	root.GetObject().Visit(func(key []byte, v *astjson.Value) {
		if string(key) == "errors" {
			return
		}
		out.WriteByte(',')
		b, _ := json.Marshal(string(key))
		out.Write(b)
		out.WriteByte(':')
		out.Write(v.MarshalTo(nil))
	})
	out.WriteByte('}')
	if !utf8.Valid(out.Bytes()) { // a key that is not UTF-8
		return nil, false
	}
	return out.Bytes(), true
}

// valueRepair walks a response's data beside the plan's tree.
type valueRepair struct {
	path   []any
	errors []gqlError
}

// walk reports whether v must be null: it is invalid itself, or a
// non-null part of it is. Nullable parts it nulls in place.
func (r *valueRepair) walk(v *astjson.Value, n resolve.Node) bool {
	switch v.Type() {
	case astjson.TypeString:
		s := v.GetStringBytes()
		if utf8.Valid(s) {
			return false
		}
		r.errors = append(r.errors, gqlError{Message: invalidValueMessage(s), Path: append([]any(nil), r.path...)})
		return true
	case astjson.TypeObject:
		obj, _ := n.(*resolve.Object)
		var null []string
		bubble := false
		v.GetObject().Visit(func(key []byte, child *astjson.Value) {
			f := fieldNamed(obj, key)
			r.path = append(r.path, string(key))
			if r.walk(child, f) {
				if nullable(f) {
					null = append(null, string(key))
				} else {
					bubble = true
				}
			}
			r.path = r.path[:len(r.path)-1]
		})
		for _, key := range null {
			v.Set(nil, key, astjson.NullValue)
		}
		return bubble
	case astjson.TypeArray:
		var item resolve.Node
		if a, ok := n.(*resolve.Array); ok {
			item = a.Item
		}
		bubble := false
		for i, el := range v.GetArray() {
			r.path = append(r.path, i)
			if r.walk(el, item) {
				if nullable(item) {
					v.SetArrayItem(nil, i, astjson.NullValue)
				} else {
					bubble = true
				}
			}
			r.path = r.path[:len(r.path)-1]
		}
		return bubble
	}
	return false
}

// fieldNamed is the plan node of an object's field with this response
// key. Fields of one key in different fragments have the same nullability
// (validation's rule that they have the same response shape).
func fieldNamed(obj *resolve.Object, key []byte) resolve.Node {
	if obj == nil {
		return nil
	}
	for _, f := range obj.Fields {
		if bytes.Equal(f.Name, key) {
			return f.Value
		}
	}
	return nil
}

// nullable reports whether a node may be null; a value the plan does not
// know is treated as non-null, so its error propagates.
func nullable(n resolve.Node) bool {
	return n != nil && n.NodeNullable()
}

func invalidValueMessage(s []byte) string {
	switch string(s) {
	case badIntMarker:
		return errNotInt.Error()
	case badFloatMarker:
		return errNotFloat.Error()
	case badBooleanMarker:
		return errNotBoolean
	}
	return errNotUTF8
}
