package engine

import (
	"bytes"

	"github.com/tributary-gw/tributary/internal/jsonscan"
)

// plainlyAgree is matchEntities' fast path: it reports, scanning the bytes
// without parsing them, that an answer has no errors and that each entity
// agrees with its representation byte for byte — the answer of every
// honest subgraph. Anything else (a differing value, which may still be
// equal as JSON, an escaped key, a count that differs, a member named
// twice, malformed JSON) is left to the full comparison.
//
// It walks the answer once: into data, into _entities, into each entity,
// skipping only the values it does not look into.
func (t entityKeyTransport) plainlyAgree(reqBody, body []byte) bool {
	variables, _ := jsonscan.MemberValue(reqBody, "variables")
	reps, _ := jsonscan.MemberValue(variables, "representations")
	repIt := jsonscan.ArrayElements(reps)
	var sawData, sawErrors, sawEntities bool
	entity := func(at int) int { // an element of _entities
		rep, ok := repIt.Next()
		if !ok {
			return -1
		}
		if body[at] != '{' {
			return jsonscan.ValueEnd(body, at) // null: nothing to disagree
		}
		return walkObject(body, at, func(key []byte, at int) int {
			end := jsonscan.ValueEnd(body, at)
			if !t.memberPlainlyAgrees(key, body[at:end], rep) {
				return -1
			}
			return end
		})
	}
	data := func(key []byte, at int) int { // a member of data
		if !jsonscan.StringEquals(key, "_entities") {
			return jsonscan.ValueEnd(body, at)
		}
		if sawEntities {
			return -1
		}
		sawEntities = true
		if body[at] != '[' {
			return jsonscan.ValueEnd(body, at)
		}
		return walkArray(body, at, entity)
	}
	end := walkObject(body, jsonscan.SkipSpace(body, 0), func(key []byte, at int) int {
		switch {
		case jsonscan.StringEquals(key, "data"):
			if sawData {
				return -1
			}
			sawData = true
			if body[at] != '{' {
				return jsonscan.ValueEnd(body, at)
			}
			return walkObject(body, at, data)
		case jsonscan.StringEquals(key, "errors"):
			if sawErrors {
				return -1
			}
			sawErrors = true
			end := jsonscan.ValueEnd(body, at)
			if errs := body[at:end]; !jsonscan.IsNull(errs) && !bytes.Equal(errs, []byte("[]")) {
				return -1
			}
			return end
		}
		return jsonscan.ValueEnd(body, at)
	})
	if end < 0 {
		return false
	}
	_, more := repIt.Next()
	return !more
}

// memberPlainlyAgrees reports whether an entity's member, key (raw) and
// value, is the same bytes in the representation, if the representation
// has it (__typename only where the representation names an object type).
func (t entityKeyTransport) memberPlainlyAgrees(key, value, rep []byte) bool {
	if bytes.IndexByte(key, '\\') >= 0 {
		return false
	}
	want, found := rawMember(rep, key)
	if !found {
		return true
	}
	if bytes.Equal(key, typenameKey) && (len(want) < 2 || !t.objectTypes[string(want[1:len(want)-1])]) {
		return true // an interface's representation: any implementation
	}
	return bytes.Equal(value, want)
}

var typenameKey = []byte(`"__typename"`)

// rawMember returns the value of the member of obj whose raw key is key.
func rawMember(obj, key []byte) ([]byte, bool) {
	members := jsonscan.ObjectMembers(obj)
	for k, v, ok := members.Next(); ok; k, v, ok = members.Next() {
		if bytes.Equal(k, key) {
			return v, true
		}
	}
	return nil, false
}

// walkObject walks the members of the JSON object that starts at b[i],
// calling member with each raw key and the index where its value starts;
// member returns the index just past the value (having looked into it or
// not), or -1 to stop. walkObject returns the index just past the object,
// or -1 when member stopped or the object is malformed.
func walkObject(b []byte, i int, member func(key []byte, at int) int) int {
	if i >= len(b) || b[i] != '{' {
		return -1
	}
	i = jsonscan.SkipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return -1
		}
		keyEnd := jsonscan.StringEnd(b, i)
		key := b[i:keyEnd]
		i = jsonscan.SkipSpace(b, keyEnd)
		if i >= len(b) || b[i] != ':' {
			return -1
		}
		at := jsonscan.SkipSpace(b, i+1)
		if at >= len(b) {
			return -1
		}
		if i = member(key, at); i < 0 {
			return -1
		}
		if i = jsonscan.SkipSpace(b, i); i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = jsonscan.SkipSpace(b, i+1)
		case '}':
			return i + 1
		default:
			return -1
		}
	}
}

// walkArray is walkObject for the elements of the JSON array that starts
// at b[i].
func walkArray(b []byte, i int, element func(at int) int) int {
	if i >= len(b) || b[i] != '[' {
		return -1
	}
	i = jsonscan.SkipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1
	}
	for {
		if i >= len(b) {
			return -1
		}
		if i = element(i); i < 0 {
			return -1
		}
		if i = jsonscan.SkipSpace(b, i); i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = jsonscan.SkipSpace(b, i+1)
		case ']':
			return i + 1
		default:
			return -1
		}
	}
}
