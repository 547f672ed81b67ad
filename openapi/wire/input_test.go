package wire

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/openapi"
)

func TestInput(t *testing.T) {
	types := map[string]*openapi.Type{
		"Status": {Name: "Status", Kind: openapi.KindEnum, EnumValues: []*openapi.EnumValue{{Name: "IN_PROGRESS", Wire: "in-progress"}}},
		"Filter": {Name: "Filter", Kind: openapi.KindInputObject, Fields: []*openapi.Field{
			{Name: "status", JSON: "the_status", Type: &openapi.TypeRef{Elem: &openapi.TypeRef{Named: "Status"}}},
		}},
	}
	cases := []struct {
		t       *openapi.TypeRef
		in      string
		want    string
		wantErr string
	}{
		{&openapi.TypeRef{Named: "Filter"}, `{"status":"IN_PROGRESS"}`, `{"the_status":["in-progress"]}`, ""},
		{&openapi.TypeRef{Named: "Filter"}, ` null `, `null`, ""},
		{&openapi.TypeRef{Named: "String"}, `"x"`, `"x"`, ""},
		{&openapi.TypeRef{Named: "Status"}, `"DONE"`, "", "DONE"},
		{&openapi.TypeRef{Named: "Filter"}, `3`, "", "needs an object"},
	}
	for _, c := range cases {
		got, err := Input(c.t, types, json.RawMessage(c.in))
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: err %v, want %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || string(got) != c.want {
			t.Errorf("%s: got %s, %v; want %s", c.in, got, err, c.want)
		}
	}
}
