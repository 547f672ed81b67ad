package jsonscan

import (
	"strings"
	"testing"
)

// benchDoc is an API-like response: an array of objects with short keys,
// short and long strings, numbers and a nested object.
var benchDoc = func() []byte {
	var sb strings.Builder
	sb.WriteString(`[`)
	for i := range 200 {
		if i > 0 {
			sb.WriteString(`,`)
		}
		sb.WriteString(`{"id": 12345, "name": "Widget \"deluxe\"", "price": 19.99, "tags": ["a", "b"],` +
			` "description": "` + strings.Repeat("lorem ipsum ", 8) + `", "owner": {"login": "octocat", "admin": false}}`)
	}
	sb.WriteString(`]`)
	return []byte(sb.String())
}()

func BenchmarkElementsAndMembers(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		el := ArrayElements(benchDoc)
		for obj, ok := el.Next(); ok; obj, ok = el.Next() {
			it := ObjectMembers(obj)
			for _, _, ok := it.Next(); ok; _, _, ok = it.Next() {
				n++
			}
		}
		if n != 6*200 {
			b.Fatalf("counted %d members", n)
		}
	}
}

func BenchmarkValueEnd(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	b.ReportAllocs()
	for b.Loop() {
		if ValueEnd(benchDoc, 0) != len(benchDoc) {
			b.Fatal("wrong end")
		}
	}
}

func BenchmarkMemberValue(b *testing.B) {
	obj := []byte(`{"__typename": "Product", "upc": "1", "weight": 100, "nested": {"deep": [[["x"]]]}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := MemberValue(obj, "upc"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkStringEquals(b *testing.B) {
	plain, escaped := []byte(`"__typename"`), []byte(`"__typ\u0065name"`)
	b.Run("plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !StringEquals(plain, "__typename") {
				b.Fatal("no match")
			}
		}
	})
	b.Run("escaped", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !StringEquals(escaped, "__typename") {
				b.Fatal("no match")
			}
		}
	})
}
