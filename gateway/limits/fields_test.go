package limits

import (
	"fmt"
	"strings"
	"testing"
)

func TestCheckFields(t *testing.T) {
	fields := func(n int) Limits { return Limits{MaxFields: n} }
	runCheckCases(t, []checkCase{
		{name: "at limit", query: `{ a { b c } d }`, limits: fields(4)},
		{name: "over limit", query: `{ a { b c } d }`, limits: fields(3), wantCode: CodeFields, wantActual: 4},
		{name: "disabled", query: `{ a { b c } d }`, limits: fields(0)},
		{
			name:   "fragment counted per use",
			query:  `{ a { ...F } b { ...F } } fragment F on T { x y z }`,
			limits: fields(7), wantCode: CodeFields, wantActual: 8,
		},
		{
			name:   "inline fragments and nested spreads",
			query:  `{ a { ... on A { ...G } } } fragment G on A { b { c } }`,
			limits: fields(2), wantCode: CodeFields, wantActual: 3,
		},
		{
			name:   "reported after root fields",
			query:  `{ a b c }`,
			limits: Limits{MaxRootFields: 2, MaxFields: 2}, wantCode: CodeRootFields, wantActual: 3,
		},
		{
			name:   "cycle terminates",
			query:  `{ a { ...F } } fragment F on T { b ...G } fragment G on T { c ...F }`,
			limits: fields(2), wantCode: CodeFields, wantActual: 3,
		},
		{
			name:   "self spread terminates",
			query:  `{ ...F } fragment F on Query { a ...F ...F }`,
			limits: fields(1),
		},
	})
}

// fragmentBomb is the document of the issue: n fragments, each spreading
// the next twice, under one root field; it expands to 2^(n+1)+1 fields.
func fragmentBomb(n int) string {
	var b strings.Builder
	b.WriteString("{ topProducts { ...F0 } }")
	for i := range n {
		fmt.Fprintf(&b, " fragment F%d on Product { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on Product { name upc }", n)
	return b.String()
}

// TestDefaultsRefuseFragmentBomb: the bomb passes depth, aliases, root
// fields and tokens, so only the expanded field count stops it; the count
// is exact (no expansion needed) and Check allocates nothing doing it, so
// its cost is the document's size, not the expansion's.
func TestDefaultsRefuseFragmentBomb(t *testing.T) {
	query := fragmentBomb(20)
	if v := Defaults.CheckTokens(query); v != nil {
		t.Fatalf("the bomb is small; tokens: %v", v)
	}
	doc := parse(t, query)
	v := Defaults.Check(doc, "")
	if v == nil || v.Code != CodeFields {
		t.Fatalf("want %s, got %v", CodeFields, v)
	}
	if want := 1<<21 + 1; v.Actual != want {
		t.Fatalf("expanded field count %d, want %d", v.Actual, want)
	}
	const msg = "operation field count (fragments expanded) 2097153 exceeds the limit of 10000 (limits.maxFields in gateway.yaml)"
	if v.Message != msg {
		t.Fatalf("message %q, want %q", v.Message, msg)
	}
	if raceEnabled {
		return
	}
	allocs := testing.AllocsPerRun(100, func() {
		if v := Defaults.Check(doc, ""); v == nil || v.Code != CodeFields {
			t.Fatalf("want %s, got %v", CodeFields, v)
		}
	})
	// Rejecting allocates only the violation and its formatted message
	// (4 today); expanding the bomb would allocate millions of times.
	if allocs > 6 {
		t.Fatalf("Check allocated %.1f times rejecting the bomb, want at most 6", allocs)
	}
}

// TestFieldCountSaturates: a bomb of 2^40 fields reports the ceiling rather
// than overflowing.
func TestFieldCountSaturates(t *testing.T) {
	v := Defaults.Check(parse(t, fragmentBomb(40)), "")
	if v == nil || v.Code != CodeFields || v.Actual != countCeiling {
		t.Fatalf("want %s at the ceiling %d, got %v", CodeFields, countCeiling, v)
	}
}

// BenchmarkRefuseFragmentBomb measures what the 20-fragment bomb
// costs before the engine refuses it: token count, parse and Check (20 s
// and 6 GB when it reached the normalizer).
func BenchmarkRefuseFragmentBomb(b *testing.B) {
	query := fragmentBomb(20)
	b.ReportAllocs()
	for b.Loop() {
		if v := Defaults.CheckTokens(query); v != nil {
			b.Fatal(v)
		}
		if v := Defaults.Check(parse(b, query), ""); v == nil || v.Code != CodeFields {
			b.Fatalf("want %s, got %v", CodeFields, v)
		}
	}
}

// BenchmarkCheckFragmentBomb measures Check alone on the parsed bomb.
func BenchmarkCheckFragmentBomb(b *testing.B) {
	doc := parse(b, fragmentBomb(20))
	b.ReportAllocs()
	for b.Loop() {
		if v := Defaults.Check(doc, ""); v == nil || v.Code != CodeFields {
			b.Fatalf("want %s, got %v", CodeFields, v)
		}
	}
}
