package limits

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/astparser"

	tributary "github.com/tributary-gw/tributary"
)

func parse(t testing.TB, query string) *ast.Document {
	t.Helper()
	doc, report := astparser.ParseGraphqlDocumentString(query)
	if report.HasErrors() {
		t.Fatalf("parse %q: %s", query, report.Error())
	}
	return &doc
}

// checkCase runs one query against limits and expects either no violation
// (wantCode "") or a violation with the code and measured value given.
type checkCase struct {
	name       string
	query      string
	operation  string
	limits     Limits
	wantCode   string
	wantActual int
}

func runCheckCases(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.limits.Check(parse(t, tc.query), tc.operation)
			if tc.wantCode == "" {
				if v != nil {
					t.Fatalf("unexpected violation: %v", v)
				}
				return
			}
			if v == nil {
				t.Fatalf("no violation, want %s with actual %d", tc.wantCode, tc.wantActual)
			}
			if v.Code != tc.wantCode || v.Actual != tc.wantActual {
				t.Fatalf("got %s actual %d, want %s actual %d (%s)", v.Code, v.Actual, tc.wantCode, tc.wantActual, v.Message)
			}
		})
	}
}

func TestCheckDepth(t *testing.T) {
	depth := func(n int) Limits { return Limits{MaxDepth: n} }
	runCheckCases(t, []checkCase{
		{name: "two levels at limit", query: `{ a { b } }`, limits: depth(2)},
		{name: "two levels over limit", query: `{ a { b } }`, limits: depth(1), wantCode: CodeDepth, wantActual: 2},
		{name: "disabled", query: `{ a { b { c { d } } } }`, limits: depth(0)},
		{name: "typename counts as a field", query: `{ a { __typename } }`, limits: depth(1), wantCode: CodeDepth, wantActual: 2},
		{name: "deepest branch wins", query: `{ a { b } c { d { e } } f }`, limits: depth(2), wantCode: CodeDepth, wantActual: 3},
		{
			name:  "fragment spread adds its fields",
			query: `{ a { ...F } } fragment F on A { b { c } }`, limits: depth(2),
			wantCode: CodeDepth, wantActual: 3,
		},
		{
			name:  "inline fragment adds no level of its own",
			query: `{ a { ... on A { b { c } } } }`, limits: depth(3),
		},
		{
			name:  "inline fragment over limit",
			query: `{ a { ... on A { b { c } } } }`, limits: depth(2),
			wantCode: CodeDepth, wantActual: 3,
		},
		{
			name:   "nested fragments",
			query:  `{ a { ...F } } fragment F on A { b { ...G } } fragment G on B { c { ... { d } } }`,
			limits: depth(3), wantCode: CodeDepth, wantActual: 4,
		},
		{
			name:   "fragment used at two depths measures the deeper use",
			query:  `{ ...F a { b { ...F } } } fragment F on T { x { y } }`,
			limits: depth(3), wantCode: CodeDepth, wantActual: 4,
		},
		{name: "unknown fragment adds nothing", query: `{ a { ...Missing } }`, limits: depth(1)},
	})
}

func TestCheckAliases(t *testing.T) {
	aliases := func(n int) Limits { return Limits{MaxAliases: n} }
	runCheckCases(t, []checkCase{
		{name: "at limit", query: `{ x: a y: a { z: b } }`, limits: aliases(3)},
		{name: "over limit", query: `{ x: a y: a { z: b } }`, limits: aliases(2), wantCode: CodeAliases, wantActual: 3},
		{name: "disabled", query: `{ x: a y: a { z: b } }`, limits: aliases(0)},
		{name: "unaliased fields do not count", query: `{ a b { c } }`, limits: aliases(1)},
		{
			name:   "fragment counted per use",
			query:  `{ a { ...F } b { ...F } } fragment F on T { x: id y: id }`,
			limits: aliases(3), wantCode: CodeAliases, wantActual: 4,
		},
		{
			name:   "inline fragments",
			query:  `{ a { ... on A { x: id } ... on B { y: id } } }`,
			limits: aliases(1), wantCode: CodeAliases, wantActual: 2,
		},
	})
}

func TestCheckRootFields(t *testing.T) {
	rootFields := func(n int) Limits { return Limits{MaxRootFields: n} }
	runCheckCases(t, []checkCase{
		{name: "at limit", query: `{ a b c }`, limits: rootFields(3)},
		{name: "over limit", query: `{ a b c }`, limits: rootFields(2), wantCode: CodeRootFields, wantActual: 3},
		{name: "disabled", query: `{ a b c d e }`, limits: rootFields(0)},
		{name: "nested fields do not count", query: `{ a { b c d } }`, limits: rootFields(1)},
		{
			name:   "fragments expanded",
			query:  `{ a ...F ... on Query { b c } } fragment F on Query { d e ...G } fragment G on Query { f }`,
			limits: rootFields(5), wantCode: CodeRootFields, wantActual: 6,
		},
	})
}

func TestCheckOrderAndDisabled(t *testing.T) {
	runCheckCases(t, []checkCase{
		{
			name:  "depth reported before aliases",
			query: `{ x: a { y: b { z: c } } }`, limits: Limits{MaxDepth: 2, MaxAliases: 1},
			wantCode: CodeDepth, wantActual: 3,
		},
		{
			name:  "aliases reported before root fields",
			query: `{ x: a y: b }`, limits: Limits{MaxAliases: 1, MaxRootFields: 1},
			wantCode: CodeAliases, wantActual: 2,
		},
		{name: "all disabled", query: `{ x: a { y: b { z: c } } w: d }`, limits: Limits{}},
	})
}

func TestCheckSelectsOperation(t *testing.T) {
	const query = `query Deep { a { b { c } } } query Shallow { a } mutation Wide { x y z }`
	lim := Limits{MaxDepth: 2, MaxRootFields: 2}
	runCheckCases(t, []checkCase{
		{name: "named deep", query: query, operation: "Deep", limits: lim, wantCode: CodeDepth, wantActual: 3},
		{name: "named shallow", query: query, operation: "Shallow", limits: lim},
		{name: "named mutation", query: query, operation: "Wide", limits: lim, wantCode: CodeRootFields, wantActual: 3},
		{name: "unknown name is left to the engine", query: query, operation: "Nope", limits: lim},
		{name: "empty name with several is left to the engine", query: query, limits: lim},
		{name: "empty name with one", query: `query Only { a { b { c } } }`, limits: lim, wantCode: CodeDepth, wantActual: 3},
		{name: "anonymous operation", query: `{ a { b { c } } }`, limits: lim, wantCode: CodeDepth, wantActual: 3},
	})
}

func TestCheckFragmentCyclesTerminate(t *testing.T) {
	runCheckCases(t, []checkCase{
		{
			name:   "self spread",
			query:  `{ a { ...F } } fragment F on T { b { ...F } }`,
			limits: Limits{MaxDepth: 1}, wantCode: CodeDepth, wantActual: 2,
		},
		{
			name:   "two-fragment cycle",
			query:  `{ a { ...F } } fragment F on T { x: b { ...G } } fragment G on T { y: c { ...F } }`,
			limits: Limits{MaxDepth: 2}, wantCode: CodeDepth, wantActual: 3,
		},
		{
			name:   "cycle through inline fragments",
			query:  `{ ...F } fragment F on Query { ... on Query { ...G } } fragment G on Query { x: a ...F }`,
			limits: Limits{MaxAliases: 1, MaxRootFields: 1},
		},
	})
}

// TestCheckFragmentFanOut spreads each fragment twice into the next, so the
// operation expands to 2^40 aliased fields; Check must still finish at once
// and report a saturated count rather than overflowing.
func TestCheckFragmentFanOut(t *testing.T) {
	var b strings.Builder
	b.WriteString("{ ...F40 }\nfragment F0 on Query { x: a }\n")
	for i := 1; i <= 40; i++ {
		b.WriteString("fragment F")
		b.WriteString(strconv.Itoa(i))
		b.WriteString(" on Query { ...F")
		b.WriteString(strconv.Itoa(i - 1))
		b.WriteString(" ...F")
		b.WriteString(strconv.Itoa(i - 1))
		b.WriteString(" }\n")
	}
	v := Defaults.Check(parse(t, b.String()), "")
	if v == nil || v.Code != CodeAliases {
		t.Fatalf("want %s, got %v", CodeAliases, v)
	}
	if v.Actual != countCeiling {
		t.Fatalf("alias count %d, want the ceiling %d", v.Actual, countCeiling)
	}
}

func TestDefaultsAcceptIntrospection(t *testing.T) {
	for _, tc := range []struct {
		file      string
		wantDepth int
	}{
		{file: "introspection_graphiql.graphql", wantDepth: 15},
		{file: "introspection_classic.graphql", wantDepth: 13},
	} {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			query := string(raw)
			if v := Defaults.CheckTokens(query); v != nil {
				t.Fatalf("Defaults reject the introspection query's tokens: %v", v)
			}
			doc := parse(t, query)
			if v := Defaults.Check(doc, "IntrospectionQuery"); v != nil {
				t.Fatalf("Defaults reject the introspection query: %v", v)
			}
			// Pin the measured depth, so a change to the depth rules that
			// would make the default too tight shows up here.
			v := Limits{MaxDepth: 1}.Check(doc, "IntrospectionQuery")
			if v == nil || v.Actual != tc.wantDepth {
				t.Fatalf("depth %v, want %d", v, tc.wantDepth)
			}
		})
	}
}

func TestDefaultsRejectDeepQuery(t *testing.T) {
	query := strings.Repeat("{ a ", 100) + strings.Repeat("}", 100)
	// "{ a { a { … } } }": 100 fields, each nested in the one before.
	v := Defaults.Check(parse(t, query), "")
	if v == nil {
		t.Fatal("a 100-deep query passed the default limits")
	}
	const want = "operation depth 100 exceeds the limit of 16 (limits.maxDepth in gateway.yaml)"
	if v.Code != CodeDepth || v.Message != want {
		t.Fatalf("got %s %q, want %s %q", v.Code, v.Message, CodeDepth, want)
	}
	var err error = v
	var target *Violation
	if !errors.As(err, &target) || target.Limit != 16 || target.Actual != 100 {
		t.Fatalf("violation as error lost its fields: %+v", target)
	}
}

func TestViolationGraphQLError(t *testing.T) {
	v := newViolation(CodeAliases, "alias count", "maxAliases", 30, 31)
	gqlErr := v.GraphQLError()
	if gqlErr.Message != v.Message {
		t.Fatalf("message %q, want %q", gqlErr.Message, v.Message)
	}
	ext := gqlErr.Extensions
	if ext["code"] != CodeAliases || ext["limit"] != 30 || ext["actual"] != 31 {
		t.Fatalf("extensions %v", ext)
	}
}

func TestValidate(t *testing.T) {
	if err := Defaults.Validate(); err != nil {
		t.Fatalf("Defaults invalid: %v", err)
	}
	if err := (Limits{}).Validate(); err != nil {
		t.Fatalf("zero limits invalid: %v", err)
	}
	err := Limits{MaxDepth: -1, MaxTokens: -5}.Validate()
	var fieldErrs tributary.FieldErrors
	if !errors.As(err, &fieldErrs) || len(fieldErrs) != 2 {
		t.Fatalf("want two field errors, got %v", err)
	}
	if fieldErrs[0].Path != "maxDepth" || fieldErrs[1].Path != "maxTokens" {
		t.Fatalf("paths %q, %q", fieldErrs[0].Path, fieldErrs[1].Path)
	}
}

// realisticQuery is three levels deep with a named and an inline fragment.
const realisticQuery = `query TopProducts($first: Int = 5) {
  topProducts(first: $first) {
    ...ProductFields
    reviews {
      id
      body
      author { id username: name }
    }
  }
  me { id ... on User { name } }
}
fragment ProductFields on Product {
  upc
  name
  price
  inStock: available
}`

func TestCheckDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	doc := parse(t, realisticQuery)
	allocs := testing.AllocsPerRun(200, func() {
		if v := Defaults.Check(doc, "TopProducts"); v != nil {
			t.Fatal(v)
		}
	})
	if allocs >= 1 {
		t.Fatalf("Check allocated %.1f times per call, want 0", allocs)
	}
}

func BenchmarkCheck(b *testing.B) {
	doc := parse(b, realisticQuery)
	b.ReportAllocs()
	for b.Loop() {
		if v := Defaults.Check(doc, "TopProducts"); v != nil {
			b.Fatal(v)
		}
	}
}

func BenchmarkCheckIntrospection(b *testing.B) {
	raw, err := os.ReadFile("testdata/introspection_graphiql.graphql")
	if err != nil {
		b.Fatal(err)
	}
	doc := parse(b, string(raw))
	b.ReportAllocs()
	for b.Loop() {
		if v := Defaults.Check(doc, ""); v != nil {
			b.Fatal(v)
		}
	}
}

// BenchmarkCheckManyFragments measures the worst case for fragment lookup
// (a linear scan per spread): a chain of as many fragments as fit in the
// default token limit.
func BenchmarkCheckManyFragments(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("{ ...F0 }\n")
	const fragments = 1800 // 8 tokens each: 14400 tokens
	for i := range fragments {
		fmt.Fprintf(&sb, "fragment F%d on Query { ...F%d }\n", i, i+1)
	}
	query := sb.String()
	if v := Defaults.CheckTokens(query); v != nil {
		b.Fatal(v)
	}
	doc := parse(b, query)
	b.ReportAllocs()
	for b.Loop() {
		if v := Defaults.Check(doc, ""); v != nil {
			b.Fatal(v)
		}
	}
}

// TestCheckFindsFragmentsByName covers both lookups: the scan for a few
// fragments and the sorted search for many, including a duplicated name,
// where the first definition counts (the validator rejects the duplicate).
func TestCheckFindsFragmentsByName(t *testing.T) {
	for _, fillers := range []int{0, linearLookupMax + 4} {
		var sb strings.Builder
		sb.WriteString("{ a { ...Target } ...Z0 ...Z1 }\n")
		for i := fillers - 1; i >= 0; i-- { // reverse order, so sorting moves them
			fmt.Fprintf(&sb, "fragment Z%d on T { z%d: x }\n", i, i)
		}
		sb.WriteString("fragment Target on T { b { c { d } } }\n")
		sb.WriteString("fragment Target on T { b }\n")
		doc := parse(t, sb.String())

		v := Limits{MaxDepth: 1}.Check(doc, "")
		if v == nil || v.Actual != 4 {
			t.Fatalf("%d fillers: depth %v, want 4 from the first Target", fillers, v)
		}
		v = Limits{MaxAliases: 1}.Check(doc, "")
		switch {
		case fillers == 0 && v != nil:
			t.Fatalf("no fillers: unexpected %v", v)
		case fillers > 0 && (v == nil || v.Actual != 2):
			t.Fatalf("%d fillers: aliases %v, want 2 from Z0 and Z1", fillers, v)
		}
	}
}
