package openapi

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// kinDecode decodes data the way kin-openapi's loader does, before refs
// are resolved.
func kinDecode(data []byte) (*openapi3.T, error) {
	doc := &openapi3.T{}
	err := doc.UnmarshalJSON(data)
	return doc, err
}

// prepared returns data as parseSpec hands it to the decoder.
func prepared(t testing.TB, spec []byte) []byte {
	t.Helper()
	data, err := toJSON(spec)
	if err != nil {
		t.Fatal(err)
	}
	return stripUnused(data)
}

// TestDecodeDocumentMatchesKin checks that the fast decoder builds exactly
// the values kin-openapi builds, unexported fields included, on every
// OpenAPI 3 spec of the corpus and on the shapes it hands to kin-openapi.
func TestDecodeDocumentMatchesKin(t *testing.T) {
	files, _ := filepath.Glob("testdata/corpus/*")
	specs := map[string][]byte{}
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		specs[filepath.Base(f)] = data
	}
	for name, spec := range decodeCases {
		specs[name] = []byte(spec)
	}
	decoded := 0
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			data := prepared(t, spec)
			if v, _ := specVersion(data); v != "3" {
				t.Skip("not OpenAPI 3")
			}
			want, kinErr := kinDecode(data)
			got, err := decodeDocument(data)
			if kinErr != nil {
				if err == nil {
					t.Fatalf("kin-openapi fails (%v) but the fast decoder does not", kinErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("the fast decoder declined a document kin-openapi reads: %v", err)
			}
			decoded++
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the fast decoder's document differs from kin-openapi's")
			}
		})
	}
	if decoded < 20 {
		t.Errorf("only %d documents were compared", decoded)
	}
}

// decodeCases are shapes the fast decoder hands to kin-openapi, or must
// reproduce exactly.
var decodeCases = map[string]string{
	"ref-siblings":       `{"openapi":"3.1.0","paths":{},"components":{"schemas":{"A":{"$ref":"#/components/schemas/B","description":"d"},"B":{"type":"string"}}}}`,
	"boolean-schemas":    `{"openapi":"3.1.0","paths":{},"components":{"schemas":{"A":true,"B":{"properties":{"c":false},"additionalProperties":false,"unevaluatedProperties":{}}}}}`,
	"type-array":         `{"openapi":"3.1.0","paths":{},"components":{"schemas":{"A":{"type":["string","null"],"const":"x","exclusiveMinimum":3}}}}`,
	"case-insensitive":   `{"openapi":"3.0.0","paths":{"/a":{"Get":{"responses":{}}}},"components":{"schemas":{"A":{"Type":"string"}}}}`,
	"unknown-keys":       `{"openapi":"3.0.0","paths":{"/a":{"get":{"responses":{"200":{"description":"x"}},"foo":1}}},"components":{"schemas":{"A":{"bar":[1,2]}}},"baz":{}}`,
	"nulls":              `{"openapi":"3.0.0","paths":{"/a":null,"/b":{"get":{"responses":{"200":null},"parameters":[null]}}},"components":{"schemas":{"A":null,"B":{"items":null,"properties":{"c":null}}}}}`,
	"null-responses":     `{"openapi":"3.0.0","paths":{"/a":{"get":{"responses":null}}}}`,
	"escaped-names":      `{"openapi":"3.0.0","paths":{"/a\u00e9":{"get":{"responses":{"2\u0030\u0030":{"description":"\u00e9"}}}}},"components":{"schemas":{"\u0041":{"properties":{"\"q\"":{"type":"string"}}}}}}`,
	"escaped-keys":       `{"openapi":"3.0.0","paths":{},"components":{"schemas":{"A":{"typ\u0065":"string"}}}}`,
	"wrong-types":        `{"openapi":"3.0.0","paths":{},"components":{"schemas":{"A":{"required":true}}}}`,
	"wrong-ref":          `{"openapi":"3.0.0","paths":{"/a":{"get":{"responses":{"200":{"$ref":7}}}}}}`,
	"empty-ref":          `{"openapi":"3.0.0","paths":{},"components":{"schemas":{"A":{"$ref":""}}}}`,
	"x-extensions":       `{"openapi":"3.0.0","paths":{"x-p":1,"/a":{"get":{"responses":{"x-r":true,"200":{"description":"d"}}}}}}`,
	"parameters-content": `{"openapi":"3.0.0","paths":{"/a":{"parameters":[{"$ref":"#/components/parameters/P"}],"get":{"parameters":[{"name":"q","in":"query","explode":false,"content":{"application/json":{"schema":{"type":"object"}}}}],"requestBody":{"$ref":"#/components/requestBodies/B"},"responses":{"default":{"$ref":"#/components/responses/R"}}}}},"components":{"parameters":{"P":{"name":"p","in":"path","required":true,"schema":{"type":"integer","format":"int64","minimum":1}}},"requestBodies":{"B":{"required":true,"content":{"application/json":{"schema":{"allOf":[{"$ref":"#/components/schemas/S"}],"oneOf":[{"type":"string"}],"anyOf":[{"type":"number","multipleOf":2}],"not":{"type":"boolean"}}}}}},"responses":{"R":{"description":"r","headers":{"H":{"schema":{"type":"string"}}}}},"schemas":{"S":{"type":"object","discriminator":{"propertyName":"k"},"additionalProperties":{"type":"string"},"maxLength":3,"minItems":1,"enum":["a",null,1.5]}}}}`,
}

// TestVersionFieldsMatchesEncodingJSON checks the version sniffing
// against encoding/json's reading of the same document.
func TestVersionFieldsMatchesEncodingJSON(t *testing.T) {
	for _, doc := range []string{
		`{"openapi":"3.0.0"}`, `{"swagger":"2.0","paths":{}}`, `{"OpenAPI":"3.1.0"}`, `{"openapi":3}`,
		`{"openapi":"3.0.0","openapi":"2"}`, `{"open\u0061pi":"3.0.0"}`, `{"info":{"openapi":"9"}}`, `[]`, `"x"`, `{}`,
	} {
		var want versionHead
		wantErr := json.Unmarshal([]byte(doc), &want)
		got, err := versionFields([]byte(doc))
		if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, %v; want %v, %v", doc, got, err, want, wantErr)
		}
	}
}

// FuzzDecodeDocument checks that, whatever the input, the fast decoder
// either declines or builds exactly what kin-openapi builds.
func FuzzDecodeDocument(f *testing.F) {
	for _, spec := range decodeCases {
		f.Add([]byte(spec))
	}
	f.Add([]byte(`{"openapi":"3.0.0","paths":{"/a":{"get":{"responses":{"200":{"content":{"application/json":{"schema":{"type":"array","items":{"$ref":"#/c"}}}}}}}}}}`))
	f.Fuzz(func(t *testing.T, spec []byte) {
		if len(spec) > 16<<10 {
			return
		}
		data, err := toJSON(spec)
		if err != nil {
			return
		}
		data = stripUnused(data)
		got, err := decodeDocument(data)
		if err != nil {
			if !errors.Is(err, errNotFast) {
				if _, kinErr := kinDecode(data); kinErr == nil {
					t.Fatalf("the fast decoder fails (%v) where kin-openapi does not", err)
				}
			}
			return
		}
		want, kinErr := kinDecode(data)
		if kinErr != nil {
			t.Fatalf("kin-openapi fails (%v) where the fast decoder does not", kinErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("the fast decoder's document differs from kin-openapi's for %s", data)
		}
	})
}

// TestDecodeAllTurnsWorkerPanicsIntoErrors checks that a panic in a
// parallel decoding goroutine, which load's recover cannot see, becomes
// an error rather than ending the process.
func TestDecodeAllTurnsWorkerPanicsIntoErrors(t *testing.T) {
	members := make([]named, 1000)
	for i := range members {
		members[i] = named{name: "m", raw: []byte(`{}`)}
	}
	calls := atomic.Int64{}
	_, err := decodeAll(members, func([]byte) (*openapi3.Schema, error) {
		if calls.Add(1) == 500 {
			panic("boom")
		}
		return &openapi3.Schema{}, nil
	}, true)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want the panic as an error", err)
	}
	out, err := decodeAll(members, decodeSchema, true)
	if err != nil || len(out) != len(members) || out[999] == nil {
		t.Fatalf("decodeAll = %d values, %v", len(out), err)
	}
}
