package composition

import (
	"path/filepath"
	"testing"
)

// BenchmarkCompose composes the classic four-subgraph set.
func BenchmarkCompose(b *testing.B) {
	subgraphs := loadCase(b, filepath.Join("testdata", "classic"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compose(subgraphs); err != nil {
			b.Fatal(err)
		}
	}
}
