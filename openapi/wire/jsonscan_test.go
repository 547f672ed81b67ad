package wire

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStringEnd(t *testing.T) {
	long := strings.Repeat("x", 40)
	tests := []string{
		`""`,
		`"short"`,
		`"a\"b"`,
		`"a\\"`,
		`"` + long + `"`,
		`"` + long + `\"` + long + `"`,
		`"` + long + `\\"`,
		`"` + long + `\\\"` + long + `\\\\"`,
		`"` + strings.Repeat(`\"`, 30) + `"`,
	}
	for _, s := range tests {
		in := s + `, "next"`
		if got := stringEnd([]byte(in), 0); got != len(s) {
			t.Errorf("stringEnd(%s) = %d, want %d", s, got, len(s))
		}
		if got, _ := scanKey([]byte(in), 0); got != len(s) {
			t.Errorf("scanKey(%s) = %d, want %d", s, got, len(s))
		}
		var v string
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatalf("bad test string %s: %v", s, err)
		}
		if got := unquote([]byte(s)); got != v {
			t.Errorf("unquote(%s) = %q, want %q", s, got, v)
		}
		if !keyEquals([]byte(s), v) {
			t.Errorf("keyEquals(%s, %q) = false", s, v)
		}
	}
	if stringEnd([]byte(`"open`), 0) != 5 || stringEnd([]byte(`"`+long), 0) != 41 {
		t.Error("an unterminated string must end at the end of the input")
	}
}

func TestEscapedKeysAndEnumWireValues(t *testing.T) {
	types := petTypes()
	got, err := Value(named("Owner"), types, json.RawMessage(`{"first\u005fname": "A", "\u0061ge": 3}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"firstName":"A","age":3}`; string(got) != want {
		t.Errorf("escaped keys: got %s, want %s", got, want)
	}
	got, err = Value(listOf(named("PetStatus")), types, json.RawMessage(`["sold\u002dout", "pending"]`))
	if err != nil || string(got) != `["SOLD_OUT","PENDING"]` {
		t.Errorf("escaped enum value: %s, %v", got, err)
	}
	// A number wire value matches however it is written; a string never
	// matches a number.
	got, err = Value(listOf(named("Priority")), types, json.RawMessage(`[1.0, 1e0, 25e-1, true]`))
	if err != nil || string(got) != `["LOW","LOW","HIGH","FLAGGED"]` {
		t.Errorf("numeric enum values: %s, %v", got, err)
	}
	if _, err := Value(named("Priority"), types, json.RawMessage(`"1"`)); err == nil {
		t.Error(`the string "1" matched the number 1`)
	}
}
