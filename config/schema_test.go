package config

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// at walks a decoded JSON value along keys (object keys, or list indexes
// written as numbers in strings are not needed here).
func at(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("at %q: not an object: %v", k, v)
		}
		v, ok = m[k]
		if !ok {
			t.Fatalf("no key %q in %v", k, m)
		}
	}
	return v
}

func decodedSchema(t *testing.T) map[string]any {
	t.Helper()
	raw, err := Schema()
	if err != nil {
		t.Fatalf("Schema: %v", err)
	}
	var s map[string]any
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("Schema is not JSON: %v", err)
	}
	return s
}

func TestSchemaTopLevel(t *testing.T) {
	s := decodedSchema(t)
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"$schema"}, "https://json-schema.org/draft/2020-12/schema"},
		{[]string{"additionalProperties"}, false},
		{[]string{"properties", "listen", "default"}, ":4000"},
		{[]string{"properties", "listen", "type"}, "string"},
		{[]string{"properties", "graphiql", "default"}, true},
		{[]string{"properties", "limits", "properties", "maxTokens", "default"}, 15000.0},
		{[]string{"properties", "server", "properties", "requestTimeout", "default"}, "30s"},
		{[]string{"properties", "server", "properties", "requestTimeout", "$ref"}, "#/$defs/duration"},
		{[]string{"properties", "cors", "properties", "allowHeaders", "default"}, []any{"Content-Type", "Authorization"}},
		{[]string{"properties", "telemetry", "properties", "otlp", "properties", "headers", "additionalProperties", "type"}, "string"},
		{[]string{"properties", "telemetry", "properties", "sampleRatio", "default"}, 1.0},
		{[]string{"anyOf"}, []any{map[string]any{"required": []any{"subgraphs"}}, map[string]any{"required": []any{"supergraph"}}}},
	}
	for _, c := range checks {
		if got := at(t, s, c.path...); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %#v, want %#v", strings.Join(c.path, "."), got, c.want)
		}
	}
	if _, ok := at(t, s, "properties").(map[string]any)["path"]; ok {
		t.Error(`fields tagged yaml:"-" must not appear`)
	}
}

func TestSchemaSubgraphKinds(t *testing.T) {
	s := decodedSchema(t)
	alts := at(t, s, "properties", "subgraphs", "items", "oneOf").([]any)
	var titles []string
	for _, a := range alts {
		titles = append(titles, at(t, a, "title").(string))
	}
	if !reflect.DeepEqual(titles, []string{"plainkind", "testkind"}) {
		t.Fatalf("oneOf titles = %v, want the registered kinds", titles)
	}
	test := alts[1]
	if got := at(t, test, "required"); !reflect.DeepEqual(got, []any{"name", "testkind"}) {
		t.Errorf("item required = %v", got)
	}
	section := at(t, test, "properties", "testkind")
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"description"}, "A kind for the config tests."},
		{[]string{"required"}, []any{"url"}},
		{[]string{"additionalProperties"}, false},
		{[]string{"properties", "mode", "default"}, "fast"},
		{[]string{"properties", "auth", "required"}, []any{"token"}},
		{[]string{"properties", "items", "items", "required"}, []any{"name"}},
		{[]string{"properties", "region", "type"}, "string"},
		{[]string{"properties", "data"}, map[string]any{"description": "Arbitrary data."}},
		{[]string{"properties", "wait", "$ref"}, "#/$defs/duration"},
	}
	for _, c := range checks {
		if got := at(t, section, c.path...); !reflect.DeepEqual(got, c.want) {
			t.Errorf("testkind.%s = %#v, want %#v", strings.Join(c.path, "."), got, c.want)
		}
	}
	enum := at(t, section, "properties", "mode", "anyOf").([]any)[0]
	if got := at(t, enum, "enum"); !reflect.DeepEqual(got, []any{"fast", "slow"}) {
		t.Errorf("mode enum = %v", got)
	}
}

func TestSchemaObjectsAreClosed(t *testing.T) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, hasProps := v["properties"]; hasProps && path != "/properties/subgraphs/items" {
				if v["additionalProperties"] != false {
					t.Errorf("%s: an object with properties must set additionalProperties: false", path)
				}
			}
			for k, child := range v {
				walk(path+"/"+k, child)
			}
		case []any:
			for _, child := range v {
				walk(path+"/[]", child)
			}
		}
	}
	walk("", decodedSchema(t))
}

func TestSchemaIsStable(t *testing.T) {
	a, _ := Schema()
	b, _ := Schema()
	if !bytes.Equal(a, b) {
		t.Error("two calls gave different schemas")
	}
	if bytes.Contains(a, []byte(`\u003c`)) || !bytes.HasSuffix(a, []byte("}\n")) {
		t.Error("schema must not escape HTML and must end in a newline")
	}
}

func TestSchemaPatterns(t *testing.T) {
	duration := regexp.MustCompile(durationPattern)
	for text, want := range map[string]bool{
		"10s": true, "1m30s": true, "250ms": true, "1.5h": true, "0": true, "${T:-5s}": true,
		"10": false, "s": false, "ten seconds": false, "": false,
	} {
		if got := duration.MatchString(text); got != want {
			t.Errorf("duration pattern on %q = %v, want %v", text, got, want)
		}
	}
	interp := regexp.MustCompile(interpolatedPattern)
	for text, want := range map[string]bool{"${PORT}": true, "${PORT:-4000}": true, "4000": false, "${1X}": false} {
		if got := interp.MatchString(text); got != want {
			t.Errorf("interpolated pattern on %q = %v, want %v", text, got, want)
		}
	}
	if !regexp.MustCompile(subgraphNamePatternText).MatchString("accounts_v2-eu") || subgraphNamePattern.String() != subgraphNamePatternText {
		t.Error("the schema's name pattern must be the loader's")
	}
}

func TestDefaultValue(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		text string
		want any
		err  bool
	}{
		{reflect.TypeFor[bool](), "true", true, false},
		{reflect.TypeFor[int](), "16", int64(16), false},
		{reflect.TypeFor[uint8](), "300", nil, true},
		{reflect.TypeFor[float64](), "0.5", 0.5, false},
		{reflect.TypeFor[*int](), "3", int64(3), false},
		{reflect.TypeFor[[]string](), "a, b", []any{"a", "b"}, false},
		{reflect.TypeFor[[]int](), "1,x", nil, true},
		{durationType, "5s", "5s", false},
		{reflect.TypeFor[string](), "x", "x", false},
		{reflect.TypeFor[int](), "many", nil, true},
	}
	for _, tt := range tests {
		got, err := defaultValue(tt.typ, tt.text)
		if (err != nil) != tt.err || (!tt.err && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("defaultValue(%v, %q) = %#v, %v; want %#v, error %v", tt.typ, tt.text, got, err, tt.want, tt.err)
		}
	}
}

func TestBadStructsAreReported(t *testing.T) {
	type badTag struct {
		A string `yaml:"a"`
		B string `yaml:"a"`
	}
	type badType struct {
		C chan int `yaml:"c"`
	}
	type badDefault struct {
		N int `yaml:"n" default:"lots"`
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[badTag](), reflect.TypeFor[badType](), reflect.TypeFor[badDefault]()} {
		if _, err := typeSchema(typ, nil); err == nil {
			t.Errorf("typeSchema(%v) succeeded, want an error", typ)
		}
	}
}
