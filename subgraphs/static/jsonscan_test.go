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
// encoding/json on every member of every seed object.
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
	var members map[string]json.RawMessage
	if json.Unmarshal(data, &members) == nil && members != nil {
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
