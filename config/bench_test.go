package config

import (
	"strconv"
	"strings"
	"testing"
)

// BenchmarkParse measures a realistic file: every top-level section and
// twenty subgraphs with interpolated values.
func BenchmarkParse(b *testing.B) {
	var src strings.Builder
	src.WriteString("listen: ${LISTEN:-:4000}\nserver: {requestTimeout: 20s}\nlimits: {maxDepth: 12}\n" +
		"cors: {allowOrigins: [\"https://app.example.com\"]}\ntelemetry: {otlp: {endpoint: \"http://otel:4318\"}}\nsubgraphs:\n")
	for i := range 20 {
		n := strconv.Itoa(i)
		src.WriteString("  - name: sg" + n + "\n    testkind:\n      url: http://sg" + n + ":4001/graphql\n" +
			"      headers: {Authorization: \"Bearer ${TOKEN:-t}\"}\n      timeout: 5s\n      items: [{name: a, weight: 1}]\n")
	}
	data := []byte(src.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("gateway.yaml", data, noEnv); err != nil {
			b.Fatal(err)
		}
	}
}
