package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// errNotFast says that the fast decoder met input it leaves to
// kin-openapi: the caller decodes that node (or the whole document) the
// slow way, which gives the same result and kin-openapi's own errors.
var errNotFast = errors.New("openapi: input left to kin-openapi's decoder")

// objectIter walks the members of one compact JSON object without
// decoding them: key is the raw key between its quotes (escapes intact),
// val the raw value.
type objectIter struct {
	data     []byte
	pos      int
	quoted   []byte
	key, val []byte
	err      error
}

// newObjectIter starts a walk over data, which must be a JSON object.
func newObjectIter(data []byte) objectIter {
	if len(data) < 2 || data[0] != '{' {
		return objectIter{err: errNotFast}
	}
	return objectIter{data: data, pos: 1}
}

// next moves to the next member and reports whether there is one; check
// err after the last.
func (it *objectIter) next() bool {
	d := it.data
	if it.err != nil || it.pos >= len(d) || d[it.pos] == '}' {
		return false
	}
	if d[it.pos] == ',' {
		it.pos++
	}
	if it.pos >= len(d) || d[it.pos] != '"' {
		it.err = errNotFast
		return false
	}
	keyEnd := jsonscan.ValueEnd(d, it.pos)
	if keyEnd+1 >= len(d) || d[keyEnd] != ':' {
		it.err = errNotFast
		return false
	}
	valEnd := jsonscan.ValueEnd(d, keyEnd+1)
	if valEnd <= keyEnd+1 {
		it.err = errNotFast
		return false
	}
	it.quoted = d[it.pos:keyEnd]
	it.key, it.val = d[it.pos+1:keyEnd-1], d[keyEnd+1:valEnd]
	it.pos = valEnd
	return true
}

// name returns the current key decoded, for maps keyed by names.
func (it *objectIter) name() (string, error) {
	return decodeString(it.quoted)
}

// eachElement calls fn with every element of the compact JSON array data.
func eachElement(data []byte, fn func(val []byte) error) error {
	if len(data) < 2 || data[0] != '[' {
		return errNotFast
	}
	for i := 1; i < len(data) && data[i] != ']'; {
		if data[i] == ',' {
			i++
		}
		if i >= len(data) {
			return errNotFast
		}
		end := jsonscan.ValueEnd(data, i)
		if end <= i {
			return errNotFast
		}
		if err := fn(data[i:end]); err != nil {
			return err
		}
		i = end
	}
	return nil
}

// decodeString decodes a JSON string, without encoding/json when it
// holds no escapes. Like encoding/json, null leaves it empty.
func decodeString(val []byte) (string, error) {
	if n := len(val); n >= 2 && val[0] == '"' && val[n-1] == '"' {
		s := val[1 : n-1]
		// encoding/json replaces invalid UTF-8, so such strings take the
		// slow path too.
		if bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
			return string(s), nil
		}
	}
	var s string
	err := json.Unmarshal(val, &s)
	return s, err
}

// setString decodes a JSON string into dst.
func setString(dst *string, val []byte) error {
	s, err := decodeString(val)
	if err == nil && !jsonscan.IsNull(val) {
		*dst = s
	}
	return err
}

// setBool decodes a JSON boolean into dst.
func setBool(dst *bool, val []byte) error {
	switch string(val) {
	case "true":
		*dst = true
	case "false":
		*dst = false
	case "null":
	default:
		return errNotFast
	}
	return nil
}

// setValue decodes any other value with encoding/json, into the field's
// own type, exactly as kin-openapi would.
func setValue(dst any, val []byte) error {
	return json.Unmarshal(val, dst)
}

// setExtension records a member that is not a field of its object in
// extensions, as kin-openapi does. A key that encoding/json would match to
// a field case-insensitively (or that holds escapes) is left to
// kin-openapi, whose result for it is hard to reproduce.
func setExtension(extensions *map[string]any, key, val []byte, fields []string) error {
	if bytes.IndexByte(key, '\\') >= 0 || !utf8.Valid(key) {
		return errNotFast
	}
	k := string(key)
	for _, f := range fields {
		if strings.EqualFold(k, f) {
			return errNotFast
		}
	}
	var v any
	if err := json.Unmarshal(val, &v); err != nil {
		return err
	}
	if *extensions == nil {
		*extensions = map[string]any{}
	}
	(*extensions)[k] = v
	return nil
}

// onlyRef returns the target of an object whose single member is a plain
// "$ref" string, the common case of a reference without siblings.
func onlyRef(val []byte) (string, bool) {
	const prefix = `{"$ref":"`
	if !bytes.HasPrefix(val, []byte(prefix)) || len(val) < len(prefix)+3 || val[len(val)-2] != '"' || val[len(val)-1] != '}' {
		return "", false
	}
	ref := val[len(prefix) : len(val)-2]
	if bytes.IndexByte(ref, '"') >= 0 || bytes.IndexByte(ref, '\\') >= 0 || !utf8.Valid(ref) {
		return "", false
	}
	return string(ref), true
}

// jsonUnmarshaler is a kin-openapi type that decodes itself.
type jsonUnmarshaler[T any] interface {
	*T
	json.Unmarshaler
}

// fastOrKin decodes val with fast and, when fast declines or fails,
// with T's own UnmarshalJSON: the result is kin-openapi's either way.
func fastOrKin[T any, P jsonUnmarshaler[T]](val []byte, fast func([]byte) (*T, error)) (*T, error) {
	if v, err := fast(val); err == nil {
		return v, nil
	}
	v := P(new(T))
	if err := v.UnmarshalJSON(val); err != nil {
		return nil, err
	}
	return (*T)(v), nil
}
