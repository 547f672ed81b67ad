package static

import (
	"encoding/json"
	"testing"
)

func TestCanonicalNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0", "0"},
		{"-0", "0"},
		{"0.000", "0"},
		{"0e10", "0"},
		{"7", "0.7e1"},
		{"7.0", "0.7e1"},
		{"70", "0.7e2"},
		{"0.7e1", "0.7e1"},
		{"700E-2", "0.7e1"},
		{"7e+0", "0.7e1"},
		{"-12.50", "-0.125e2"},
		{"0.0012", "0.12e-2"},
		{"12345678901234567890", "0.1234567890123456789e20"},
		{"12345678901234567891", "0.12345678901234567891e20"},
		{"1e99999999999999999999", "1e99999999999999999999"}, // exponent overflow: text kept
	}
	for _, tt := range tests {
		if got := string(appendCanonicalNumber(nil, tt.in)); got != tt.want {
			t.Errorf("appendCanonicalNumber(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestKeyValueEquality(t *testing.T) {
	id := []keyField{{name: "id"}}
	compound := []keyField{{name: "id"}, {name: "sku"}}
	nested := []keyField{{name: "id"}, {name: "org", sub: []keyField{{name: "id"}}}}
	tests := []struct {
		name  string
		sel   []keyField
		a, b  string
		equal bool
	}{
		{"same string", id, `{"id":"1"}`, `{"id":"1"}`, true},
		{"escaped string", id, `{"id":"\u00e9\n"}`, `{"id":"é\n"}`, true},
		{"different strings", id, `{"id":"1"}`, `{"id":"2"}`, false},
		{"string vs number", id, `{"id":"1"}`, `{"id":1}`, false},
		{"int vs float", id, `{"id":1}`, `{"id":1.0}`, true},
		{"int vs exponent", id, `{"id":100}`, `{"id":1e2}`, true},
		{"true vs string", id, `{"id":true}`, `{"id":"true"}`, false},
		{"null vs string", id, `{"id":null}`, `{"id":"null"}`, false},
		{"object values, member order", id, `{"id":{"a":1,"b":[1,"x"]}}`, `{"id":{"b":[1.0,"x"],"a":1}}`, true},
		{"object values differ", id, `{"id":{"a":1}}`, `{"id":{"a":"1"}}`, false},
		{"list order matters", id, `{"id":[1,2]}`, `{"id":[2,1]}`, false},
		{"compound, member order", compound, `{"id":"1","sku":"A"}`, `{"sku":"A","x":0,"id":"1"}`, true},
		{"compound values do not shift", compound, `{"id":"1,","sku":"A"}`, `{"id":"1","sku":",A"}`, false},
		{"nested", nested, `{"id":"1","org":{"id":2}}`, `{"org":{"id":2.0,"name":"n"},"id":"1"}`, true},
		{"nested differs", nested, `{"id":"1","org":{"id":2}}`, `{"id":"1","org":{"id":3}}`, false},
		{"nested list of objects", nested, `{"id":"1","org":[{"id":2},{"id":3}]}`, `{"id":"1","org":[{"id":2,"x":1},{"id":3}]}`, true},
	}
	for _, tt := range tests {
		a, okA := appendKeyValue(nil, json.RawMessage(tt.a), tt.sel)
		b, okB := appendKeyValue(nil, json.RawMessage(tt.b), tt.sel)
		if !okA || !okB {
			t.Errorf("%s: key fields not found (%v, %v)", tt.name, okA, okB)
			continue
		}
		if (string(a) == string(b)) != tt.equal {
			t.Errorf("%s: %s vs %s: encodings %q and %q, want equal=%v", tt.name, tt.a, tt.b, a, b, tt.equal)
		}
	}
}

func TestKeyValueIncomplete(t *testing.T) {
	nested := []keyField{{name: "id"}, {name: "org", sub: []keyField{{name: "id"}}}}
	for _, obj := range []string{
		`{"id":"1"}`,                     // org missing
		`{"id":"1","org":{}}`,            // org.id missing
		`{"id":"1","org":"o1"}`,          // org not an object
		`{"id":"1","org":[{"id":1},{}]}`, // one list item incomplete
		`[{"id":"1"}]`,                   // not an object
		`null`,
		`{"id":`,
	} {
		if enc, ok := appendKeyValue(nil, json.RawMessage(obj), nested); ok {
			t.Errorf("%s: got key %q, want incomplete", obj, enc)
		}
	}
}
