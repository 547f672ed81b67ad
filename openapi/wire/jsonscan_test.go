package wire

import (
	"encoding/json"
	"testing"
)

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
