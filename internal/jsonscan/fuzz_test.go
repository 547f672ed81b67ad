package jsonscan

import (
	"bytes"
	"encoding/json"
	"testing"
)

var fuzzSeeds = []string{
	`{}`,
	`[]`,
	` { "a" : "x" , "b" : [1, {"a": 2}] , "c":{"a":"}"} } `,
	`{"a\u0062":"escaped name","a":"\"quoted\" \\ value"}`,
	`{"a":1,"a":2}`,
	`{"t":true,"f":false,"n":null,"d":-1.5e3}`,
	"{\"\xff\":\"\xfe\",\"\\ud800\":1}",
	"{\"\x91\":0}", // invalid UTF-8 in a key (from subgraphs/static's corpus)
	`[1, "two", {"three": 3}, [4], null, "\u00e9\ud83d\ude00"]`,
	`"just a string"`,
	`12`,
	`{"a":`,
	`[1,`,
}

// member is one object member as encoding/json reads it.
type member struct {
	key   string
	value []byte
}

// FuzzMembers checks ObjectMembers, Unquote, StringEquals and MemberValue
// against encoding/json on valid JSON, and that invalid JSON neither
// panics nor hangs.
func FuzzMembers(f *testing.F) {
	for _, seed := range fuzzSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		type got struct{ key, value []byte }
		var members []got
		it := ObjectMembers(data)
		for k, v, ok := it.Next(); ok; k, v, ok = it.Next() {
			members = append(members, got{k, v})
			if len(members) > len(data) {
				t.Fatalf("ObjectMembers(%q) does not end", data)
			}
		}
		if !json.Valid(data) {
			return
		}
		want, isObject := decodeMembers(t, data)
		if !isObject {
			if len(members) > 0 {
				t.Fatalf("ObjectMembers(%s) gave members of a non-object", data)
			}
			return
		}
		if len(members) != len(want) {
			t.Fatalf("ObjectMembers(%s) gave %d members, want %d", data, len(members), len(want))
		}
		for i, w := range want {
			m := members[i]
			if k := Unquote(m.key); k != w.key {
				t.Errorf("member %d of %s: Unquote(%s) = %q, want %q", i, data, m.key, k, w.key)
			}
			if k := UnquoteBytes(m.key); string(k) != w.key {
				t.Errorf("member %d of %s: UnquoteBytes(%s) = %q, want %q", i, data, m.key, k, w.key)
			}
			if !StringEquals(m.key, w.key) || StringEquals(m.key, w.key+"\x00") {
				t.Errorf("member %d of %s: StringEquals(%s, %q) is wrong", i, data, m.key, w.key)
			}
			if !bytes.Equal(m.value, w.value) {
				t.Errorf("member %d of %s: value %s, want %s", i, data, m.value, w.value)
			}
		}
		byName := map[string][]byte{} // the first of duplicates, as astjson reads them
		for _, w := range want {
			if _, dup := byName[w.key]; !dup {
				byName[w.key] = w.value
			}
		}
		for name, w := range byName {
			v, found := MemberValue(data, name)
			if !found || !bytes.Equal(v, bytes.TrimSpace(w)) {
				t.Errorf("MemberValue(%s, %q) = %s, %v; want %s", data, name, v, found, w)
			}
		}
	})
}

// FuzzElements checks ArrayElements, ValueEnd and Unquote against
// encoding/json on valid JSON, and that invalid JSON neither panics nor
// hangs.
func FuzzElements(f *testing.F) {
	for _, seed := range fuzzSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var elems [][]byte
		it := ArrayElements(data)
		for v, ok := it.Next(); ok; v, ok = it.Next() {
			elems = append(elems, v)
			if len(elems) > len(data) {
				t.Fatalf("ArrayElements(%q) does not end", data)
			}
		}
		if !json.Valid(data) {
			return
		}
		start := SkipSpace(data, 0)
		if end := ValueEnd(data, start); !bytes.Equal(data[start:end], bytes.TrimSpace(data)) {
			t.Errorf("ValueEnd(%s) = %d, want the whole value", data, end)
		}
		var want []json.RawMessage
		if json.Unmarshal(data, &want) != nil || want == nil {
			if len(elems) > 0 {
				t.Fatalf("ArrayElements(%s) gave elements of a non-array", data)
			}
			return
		}
		if len(elems) != len(want) {
			t.Fatalf("ArrayElements(%s) gave %d elements, want %d", data, len(elems), len(want))
		}
		for i, w := range want {
			w = bytes.TrimSpace(w)
			if !bytes.Equal(elems[i], w) {
				t.Errorf("element %d of %s = %s, want %s", i, data, elems[i], w)
			}
			var s string
			if json.Unmarshal(w, &s) == nil && w[0] == '"' && Unquote(elems[i]) != s {
				t.Errorf("element %d of %s: Unquote = %q, want %q", i, data, Unquote(elems[i]), s)
			}
			if IsNull(elems[i]) != (string(w) == "null") {
				t.Errorf("element %d of %s: IsNull = %v", i, data, IsNull(elems[i]))
			}
		}
	})
}

// FuzzStringEquals checks StringEquals and Unquote against encoding/json
// for any string literal and any Go string.
func FuzzStringEquals(f *testing.F) {
	f.Add([]byte(`"abc"`), "abc")
	f.Add([]byte(`"a\u0062c"`), "ab")
	f.Add([]byte(`"é"`), "é")
	f.Add([]byte("\"\xff\""), "\ufffd")
	f.Add([]byte("\"a\xc3\""), "a\xc3")
	f.Fuzz(func(t *testing.T, lit []byte, s string) {
		var want string
		if json.Unmarshal(lit, &want) != nil || lit[0] != '"' || lit[len(lit)-1] != '"' {
			return // not a bare string literal, which is what the API takes
		}
		if got := StringEquals(lit, s); got != (want == s) {
			t.Errorf("StringEquals(%q, %q) = %v; encoding/json decodes %q", lit, s, got, want)
		}
		if !StringEquals(lit, want) {
			t.Errorf("StringEquals(%q, %q) = false for its own decoding", lit, want)
		}
		if got := Unquote(lit); got != want {
			t.Errorf("Unquote(%q) = %q, want %q", lit, got, want)
		}
	})
}

// decodeMembers reads the members of the valid JSON data in order, with
// duplicates, as encoding/json's Decoder sees them; isObject is false
// when data is not an object.
func decodeMembers(t *testing.T, data []byte) (members []member, isObject bool) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // a top-level number may overflow float64
	tok, err := dec.Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok != json.Delim('{') {
		return nil, false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			t.Fatal(err)
		}
		members = append(members, member{tok.(string), bytes.TrimSpace(value)})
	}
	return members, true
}
