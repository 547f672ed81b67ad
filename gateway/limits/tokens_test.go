package limits

import (
	"runtime"
	"strings"
	"testing"
)

func TestCheckTokens(t *testing.T) {
	for _, tc := range []struct {
		name       string
		query      string
		maxTokens  int
		wantActual int // 0: no violation
	}{
		{name: "at limit", query: `{ a }`, maxTokens: 3},
		{name: "over limit", query: `{ a }`, maxTokens: 2, wantActual: 3},
		{name: "disabled", query: strings.Repeat("a ", 1000), maxTokens: 0},
		{name: "empty query", query: ``, maxTokens: 1},
		{name: "punctuation and spread count", query: `query Q($v: Int!) { ...F }`, maxTokens: 13},
		{name: "punctuation and spread over", query: `query Q($v: Int!) { ...F }`, maxTokens: 12, wantActual: 13},
		{name: "strings are one token", query: `{ a(s: "x y z", b: """block { } text""") }`, maxTokens: 13},
		{name: "comments do not count", query: "# one\n# two\n{ a # three\n }", maxTokens: 3},
		{name: "counting stops past the limit", query: strings.Repeat("a ", 1000), maxTokens: 10, wantActual: 11},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Limits{MaxTokens: tc.maxTokens}.CheckTokens(tc.query)
			if tc.wantActual == 0 {
				if v != nil {
					t.Fatalf("unexpected violation: %v", v)
				}
				return
			}
			if v == nil {
				t.Fatalf("no violation, want actual %d", tc.wantActual)
			}
			if v.Code != CodeTokens || v.Actual != tc.wantActual || v.Limit != tc.maxTokens {
				t.Fatalf("got %+v", v)
			}
			if !strings.Contains(v.Message, "limits.maxTokens") {
				t.Fatalf("message does not say where to change the limit: %q", v.Message)
			}
		})
	}
}

// hugeQuery is a 10 MB query of short fields.
var hugeQuery = "{ " + strings.Repeat("field ", 10<<20/6) + "}"

func TestCheckTokensHugeQueryDoesNotCopy(t *testing.T) {
	const calls = 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range calls {
		if v := Defaults.CheckTokens(hugeQuery); v == nil || v.Actual != Defaults.MaxTokens+1 {
			t.Fatalf("want a violation after %d tokens, got %v", Defaults.MaxTokens+1, v)
		}
	}
	runtime.ReadMemStats(&after)
	// A copy of the query would cost 10 MB a call; the violation and the
	// lexer's input header cost a few hundred bytes.
	if perCall := (after.TotalAlloc - before.TotalAlloc) / calls; perCall > 4096 {
		t.Fatalf("CheckTokens allocated %d bytes per call on a %d-byte query", perCall, len(hugeQuery))
	}
}

func BenchmarkCheckTokens(b *testing.B) {
	b.Run("realistic", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(realisticQuery)))
		for b.Loop() {
			if v := Defaults.CheckTokens(realisticQuery); v != nil {
				b.Fatal(v)
			}
		}
	})
	b.Run("10MB", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if v := Defaults.CheckTokens(hugeQuery); v == nil {
				b.Fatal("10 MB query passed")
			}
		}
	})
}
