package static

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/tributary-gw/tributary/internal/jsonscan"
)

var scanSeeds = []string{
	`{}`,
	`{"a":1}`,
	` { "a" : "x" , "b" : [1, {"a": 2}] , "c":{"a":"}"} } `,
	`{"a\u0062":"escaped name","a":"\"quoted\" \\ value"}`,
	`{"a":1,"a":2}`,
	`{"a":true,"b":false,"c":null,"d":-1.5e3}`,
	`{"__typename":"Product","upc":"1","nested":{"deep":[[[]]],"s":"]}"}}`,
	`[1, "two", {"three": 3}, [4], null]`,
	`[]`,
	`[ ]`,
}

// TestMemberValueMatchesEncodingJSON checks the scanner against
// encoding/json on every member of every seed object (the first of
// duplicates).
func TestMemberValueMatchesEncodingJSON(t *testing.T) {
	for _, seed := range scanSeeds {
		checkScanner(t, []byte(seed))
	}
}

func FuzzScanner(f *testing.F) {
	for _, seed := range scanSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Invalid JSON must not panic; results are not compared.
		jsonscan.MemberValue(data, "a")
		elements(data)
		if json.Valid(data) {
			checkScanner(t, data)
		}
	})
}

// checkScanner compares jsonscan.MemberValue and jsonscan.ArrayElements,
// as this package uses them, with encoding/json on valid JSON.
func checkScanner(t *testing.T, data []byte) {
	t.Helper()
	if members := firstMembers(data); members != nil {
		for name, want := range members {
			got, ok := jsonscan.MemberValue(data, name)
			if !ok || !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
				t.Errorf("jsonscan.MemberValue(%s, %q) = %s, %v; want %s", data, name, got, ok, want)
			}
		}
		if got, ok := jsonscan.MemberValue(data, "\x00absent"); ok {
			t.Errorf("jsonscan.MemberValue(%s, absent) = %s", data, got)
		}
	}
	var elems []json.RawMessage
	if json.Unmarshal(data, &elems) == nil && elems != nil {
		got := elements(data)
		if len(got) != len(elems) {
			t.Fatalf("ArrayElements(%s) gave %d elements, want %d", data, len(got), len(elems))
		}
		for i := range elems {
			if !bytes.Equal(bytes.TrimSpace(got[i]), bytes.TrimSpace(elems[i])) {
				t.Errorf("ArrayElements(%s)[%d] = %s, want %s", data, i, got[i], elems[i])
			}
		}
	}
}

// elements lists the elements of the JSON array data.
func elements(data []byte) [][]byte {
	var elems [][]byte
	it := jsonscan.ArrayElements(data)
	for e, ok := it.Next(); ok; e, ok = it.Next() {
		elems = append(elems, e)
	}
	return elems
}

// firstMembers decodes the members of the JSON object data with
// encoding/json, keeping the first of duplicates (as astjson and
// jsonscan.MemberValue do); nil when data is not an object.
func firstMembers(data []byte) map[string]json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	members := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil
		}
		if _, dup := members[tok.(string)]; !dup {
			members[tok.(string)] = value
		}
	}
	return members
}
