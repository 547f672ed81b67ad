package openapi

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkConvert converts the largest spec in testdata/corpus (GitHub's).
func BenchmarkConvert(b *testing.B) {
	files, _ := filepath.Glob("testdata/corpus/*.json")
	largest := ""
	for _, f := range files {
		if fileSize(f) > fileSize(largest) {
			largest = f
		}
	}
	if largest == "" {
		b.Skip("testdata/corpus holds no JSON specs")
	}
	data, err := os.ReadFile(largest)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %d bytes", largest, len(data))
	benchmarkConvert(b, data)
}

// BenchmarkConvertSynthetic10k converts a generated spec with 10,000 paths
// (20,000 operations), the size of the largest public specs.
func BenchmarkConvertSynthetic10k(b *testing.B) {
	benchmarkConvert(b, syntheticSpec(10000))
}

func benchmarkConvert(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Convert(data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// syntheticSpec writes an OpenAPI 3.0 JSON spec with n paths, each with a
// GET and a POST over its own component schema and a shared one.
func syntheticSpec(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"synthetic","version":"1"},"paths":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"/r%d/{id}":{"parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],`+
			`"get":{"operationId":"get-r%d","parameters":[{"name":"limit","in":"query","schema":{"type":"integer"}}],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"array","items":{"$ref":"#/components/schemas/R%d"}}}}},"404":{"description":"no","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}}}},`+
			`"post":{"operationId":"create-r%d","requestBody":{"required":true,"content":{"application/json":{"schema":{"$ref":"#/components/schemas/R%d"}}}},"responses":{"201":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/R%d"}}}}}}}`,
			i, i, i, i, i, i)
	}
	b.WriteString(`},"components":{"schemas":{"Error":{"type":"object","properties":{"message":{"type":"string"}}}`)
	for i := range n {
		fmt.Fprintf(&b, `,"R%d":{"type":"object","required":["id"],"properties":{"id":{"type":"string","readOnly":true},"name":{"type":"string"},"status":{"type":"string","enum":["on","off"]},"created":{"type":"string","format":"date-time"},"owner":{"$ref":"#/components/schemas/Error"},"tags":{"type":"array","items":{"type":"string"}}}}`, i)
	}
	b.WriteString(`}}}`)
	return []byte(b.String())
}

func TestSyntheticSpecConverts(t *testing.T) {
	doc, err := Convert(syntheticSpec(3), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Operations) != 6 || fieldType(doc, "R2.status") != "R2Status" || fieldType(doc, "R2Input.id") != "" {
		t.Errorf("operations = %d\n%s", len(doc.Operations), doc.SDL)
	}
	checkSDL(t, doc.SDL)
}

// TestConvertOnce converts one spec once when OPENAPI_CONVERT_ONCE names
// it (a file, or "synthetic10k"), so that peak memory can be measured from
// outside the process:
//
//	go test -c -o /tmp/openapi.test ./openapi
//	OPENAPI_CONVERT_ONCE=synthetic10k /usr/bin/time -v /tmp/openapi.test -test.run '^TestConvertOnce$'
func TestConvertOnce(t *testing.T) {
	spec := os.Getenv("OPENAPI_CONVERT_ONCE")
	if spec == "" {
		t.Skip("set OPENAPI_CONVERT_ONCE to a spec file or synthetic10k")
	}
	var data []byte
	if spec == "synthetic10k" {
		data = syntheticSpec(10000)
	} else {
		var err error
		if data, err = os.ReadFile(spec); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := Convert(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes, %d operations, %d types", spec, len(data), len(doc.Operations), len(doc.Types))
}
