package federation

import (
	"fmt"
	"strings"
	"testing"

	"github.com/graphql-go/graphql/language/parser"
)

func TestNestingDepth(t *testing.T) {
	cases := []struct {
		doc  string
		want int
	}{
		{`{ a }`, 1},
		{`{ a { b(x: [1, [2]]) } }`, 5},
		{`{ a(s: "{{{{") }`, 2},
		{`{ a(s: "\"{{{") }`, 2},
		{`{ a(s: """ {{{ \""" {{ """) }`, 2},
		{"{ a # {{{{\n b }", 1},
		{`}}}{`, 1},
		{`{ a(s: "unterminated {{{{`, 2},
		{strings.Repeat("{", 100), 100},
	}
	for _, tc := range cases {
		if got := nestingDepth(tc.doc); got != tc.want {
			t.Errorf("nestingDepth(%q) = %d, want %d", tc.doc, got, tc.want)
		}
	}
}

func TestDocumentSize(t *testing.T) {
	// Each fragment of the chain doubles the size: F9 expands to over 2^10 nodes.
	bomb := "fragment F0 on Query { me { id } }" + fragmentChain(9)
	cases := []struct {
		name  string
		doc   string
		limit int
		want  int
	}{
		{"fields", `{ me { id name } users { id } }`, 100, 6},
		{"arguments and directives", `query Q($id: ID!) @a { user(id: $id, x: 1) @include(if: true) @b { id } }`, 100, 9},
		{"inline fragment", `{ accounts { ... on User @skip(if: false) { id } } }`, 100, 5},
		{"spread counts its fragment where spread", `{ a: me { ...U } b: me { ...U } } fragment U on User { id name }`, 100, 12},
		{"unknown fragment", `{ me { ...Missing } }`, 100, 3},
		{"fragment cycle", `{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }`, 100, 12},
		{"exponential fragments saturate", bomb + "{ ...F9 }", 1000, 1001},
		{"exactly at the limit", `{ me { id } }`, 3, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := parser.Parse(parser.ParseParams{Source: tc.doc})
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if got := documentSize(doc, tc.limit); got != tc.want {
				t.Errorf("documentSize = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestHostileQueriesAreRejected(t *testing.T) {
	s := Accounts()
	const tooBig = "more than 1000 fields, arguments, directives and definitions"
	cases := []struct {
		name  string
		query string
		want  string
	}{
		{"too many fields", "{" + strings.Repeat("me { id } ", 500) + "}", tooBig},
		{"too many arguments", `{ user(` + strings.Repeat(`id: "1" `, 1000) + `) { id } }`, tooBig},
		{"too many operations", strings.Repeat("{ me { id } } ", 334), tooBig},
		{"fragment bomb", "{ ...F9 } fragment F0 on Query { me { id } }" + fragmentChain(9), tooBig},
		{"variable without a type", "query($A:) { me { id } }", "query is malformed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := execute(t, s, tc.query, "")
			if len(resp.Errors) != 1 || !strings.Contains(resp.Errors[0].Message, tc.want) {
				t.Errorf("errors %+v, want one containing %q", resp.Errors, tc.want)
			}
		})
	}
	resp := execute(t, s, "{"+strings.Repeat("me { id } ", 499)+"}", "")
	if len(resp.Errors) != 0 {
		t.Errorf("999 nodes rejected: %+v", resp.Errors)
	}
}

// fragmentChain declares F1…Fn, each spreading the previous one twice.
func fragmentChain(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i-1, i-1)
	}
	return b.String()
}
