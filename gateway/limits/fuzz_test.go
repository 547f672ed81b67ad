package limits

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/astparser"
)

// FuzzCheck feeds arbitrary text through the parser and both checks: they
// must return, without panicking, whatever the parser made of the text
// (including documents it gave up on half way).
func FuzzCheck(f *testing.F) {
	seeds := []string{
		realisticQuery,
		`{ a { ...F } } fragment F on T { b { ...F } }`,
		`query A { x: a } query B { ...F } fragment F on Q { ... on Q { ...F } }`,
		`{ a(x: [1, {b: "c"}]) @skip(if: true) { ... @include(if: $v) { d } } }`,
		`fragment F on T { ...G } fragment G on T { ...F }`,
		`{ a { b `,
		"{ a \x00 b }",
	}
	files, _ := filepath.Glob("testdata/*.graphql")
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, string(raw))
	}
	for _, seed := range seeds {
		f.Add(seed, "")
	}
	f.Add(`query A { a } query B { b }`, "B")

	tight := Limits{MaxDepth: 2, MaxAliases: 1, MaxRootFields: 1, MaxTokens: 5}
	f.Fuzz(func(t *testing.T, query, operationName string) {
		for _, l := range []Limits{Defaults, tight} {
			if v := l.CheckTokens(query); v != nil && v.Actual != l.MaxTokens+1 {
				t.Fatalf("token violation with actual %d, limit %d", v.Actual, l.MaxTokens)
			}
		}
		doc, _ := astparser.ParseGraphqlDocumentString(query)
		for _, l := range []Limits{Defaults, tight} {
			if v := l.Check(&doc, operationName); v != nil && v.Actual <= v.Limit {
				t.Fatalf("violation %q reports actual %d within limit %d", v.Code, v.Actual, v.Limit)
			}
		}
	})
}
