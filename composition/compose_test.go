package composition

import (
	"errors"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const fed2 = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external"])
`

func TestGraphEnumValues(t *testing.T) {
	tests := []struct {
		names []string
		want  []string
	}{
		{[]string{"accounts"}, []string{"ACCOUNTS"}},
		{[]string{"my-service.v2"}, []string{"MY_SERVICE_V2"}},
		{[]string{"1st"}, []string{"_1ST"}},
		{[]string{"café"}, []string{"CAF_"}},
		{[]string{"a-b", "a_b"}, []string{"A_B_1", "A_B_2"}},
		{[]string{"a-b", "a.b", "A_B_1"}, []string{"A_B_2", "A_B_3", "A_B_1"}},
	}
	for _, tt := range tests {
		var subgraphs []Subgraph
		for _, n := range tt.names {
			subgraphs = append(subgraphs, Subgraph{Name: n})
		}
		got := graphEnumValues(subgraphs)
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("graphEnumValues(%q) = %q, want %q", tt.names, got, tt.want)
		}
	}
}

// TestComposeReportsBadSubgraphs checks problems found before merging: each
// must be an Errors value naming the code and the subgraph.
func TestComposeReportsBadSubgraphs(t *testing.T) {
	tests := []struct {
		name      string
		subgraphs []Subgraph
		code      string
		subgraph  string
	}{
		{"empty name", []Subgraph{{Name: "", SDL: fed2 + "type Query { a: Int }"}}, CodeInvalidSubgraphName, ""},
		{"duplicate name", []Subgraph{{Name: "a", SDL: "type Query { a: Int }"}, {Name: "a", SDL: "type Query { b: Int }"}}, CodeInvalidSubgraphName, "a"},
		{"syntax error", []Subgraph{{Name: "broken", SDL: "type Query { a: }"}}, CodeInvalidGraphQL, "broken"},
		{"unknown type", []Subgraph{{Name: "s", SDL: fed2 + "type Query { a: Missing }"}}, CodeInvalidGraphQL, "s"},
		{"input type in output position", []Subgraph{{Name: "s", SDL: fed2 + "type Query { a: In } input In { x: Int }"}}, CodeInvalidGraphQL, "s"},
		{"root is not an object", []Subgraph{{Name: "s", SDL: fed2 + "schema { query: Q } interface Q { a: Int }"}}, CodeInvalidGraphQL, "s"},
		{"renamed root clashes", []Subgraph{{Name: "s", SDL: fed2 + "schema { query: Root } type Root { a: Query } type Query { b: Int }"}}, CodeRootTypeUsed, "s"},
		{"type defined twice", []Subgraph{{Name: "s", SDL: fed2 + "type Query { a: Int } type Query { b: Int }"}}, CodeInvalidGraphQL, "s"},
		{"key without fields", []Subgraph{{Name: "s", SDL: fed2 + "type Query { t: T } type T @key { id: ID }"}}, CodeInvalidDirectiveArgument, "s"},
		{"no subgraphs", nil, CodeNoQueries, ""},
		{"all external", []Subgraph{{Name: "s", SDL: fed2 + "type Query { t: T } type T @key(fields: \"id\") { id: ID x: Int @external }"}}, CodeExternalMissingOnBase, "s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Compose(tt.subgraphs)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want Errors, got result %v and error %v", res, err)
			}
			found := false
			for _, e := range errs {
				if e.Code == tt.code && (tt.subgraph == "" || contains(e.Subgraphs, tt.subgraph)) {
					found = true
				}
			}
			if !found {
				t.Errorf("want a %s error naming %q, got:\n%s", tt.code, tt.subgraph, formatErrors(errs))
			}
		})
	}
}

func TestErrorsFormat(t *testing.T) {
	one := Errors{{Code: "X", Message: "first"}}
	if got := one.Error(); got != "composition failed: X: first" {
		t.Errorf("one error: %q", got)
	}
	two := Errors{{Code: "X", Message: "first"}, {Code: "Y", Message: "second"}}
	if got := two.Error(); got != "composition failed with 2 errors:\n  X: first\n  Y: second" {
		t.Errorf("two errors: %q", got)
	}
}

// TestSharingErrorNamesSubgraphsAndCoordinate checks the fields programs
// read, not only the message.
func TestSharingErrorNamesSubgraphsAndCoordinate(t *testing.T) {
	_, err := Compose([]Subgraph{
		{Name: "b", SDL: fed2 + "type Query { me: String }"},
		{Name: "a", SDL: fed2 + "type Query { me: String }"},
	})
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("want one error, got %v", err)
	}
	e := errs[0]
	if e.Code != CodeInvalidFieldSharing || e.Coordinate != "Query.me" || strings.Join(e.Subgraphs, ",") != "a,b" {
		t.Errorf("got %+v", e)
	}
	if !strings.Contains(e.Message, "@shareable") {
		t.Errorf("message does not suggest @shareable: %s", e.Message)
	}
}

// TestStringsRoundTrip composes descriptions and string defaults holding
// characters that need escaping, and reads them back from the supergraph.
func TestStringsRoundTrip(t *testing.T) {
	texts := []string{
		`plain`,
		`with "quotes" and \ backslash`,
		"two\nlines",
		"  leading spaces",
		"trailing newline\n",
		`has """ triple quotes`,
		"indented\n  second line\n\nafter blank",
		"tab\there and bell \a",
		"unicode: é 日本 🚀",
		`ends with quote"`,
	}
	for _, text := range texts {
		sdl := fed2 + "type Query {\n  " + quoteString(text) + "\n  f(a: String = " + quoteString(text) + "): String\n}\n"
		res, err := Compose([]Subgraph{{Name: "s", URL: "http://s", SDL: sdl}})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		schema, gerr := gqlparser.LoadSchema(&ast.Source{Input: res.SDL})
		if gerr != nil {
			t.Fatalf("%q: supergraph does not load: %v\n%s", text, gerr, res.SDL)
		}
		f := schema.Types["Query"].Fields.ForName("f")
		if f.Description != text {
			t.Errorf("description %q came back as %q", text, f.Description)
		}
		if got := f.Arguments.ForName("a").DefaultValue.Raw; got != text {
			t.Errorf("default %q came back as %q", text, got)
		}
	}
}

func TestParseFieldSet(t *testing.T) {
	tests := []struct {
		fields string
		ok     bool
	}{
		{"id", true},
		{"id sku", true},
		{"id org { id }", true},
		{"... on Book { isbn }", true},
		{"", false},
		{"id {", false},
		{"id } query Q { x", false},
		{"id } fragment F on T { x", false},
		{"id # comment", true},
	}
	for _, tt := range tests {
		_, err := parseFieldSet(tt.fields)
		if (err == nil) != tt.ok {
			t.Errorf("parseFieldSet(%q) error = %v, want ok=%v", tt.fields, err, tt.ok)
		}
	}
}

// TestSubscriptionFieldsCannotBeShareable is federation 2's rule: each
// subscription is served by one subgraph.
func TestSubscriptionFieldsCannotBeShareable(t *testing.T) {
	_, err := Compose([]Subgraph{{Name: "s", SDL: fed2 + "type Query { a: Int } type Subscription { ticks: Int @shareable }"}})
	var errs Errors
	if !errors.As(err, &errs) || errs[0].Code != CodeInvalidFieldSharing || errs[0].Coordinate != "Subscription.ticks" {
		t.Fatalf("got %v", err)
	}
}

// TestRenamedImportHidesBareName: once @key is imported as @primaryKey, a
// bare @key is not a federation directive any more.
func TestRenamedImportHidesBareName(t *testing.T) {
	sdl := `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [{name: "@key", as: "@primaryKey"}])
directive @key(fields: String) on OBJECT
type Query { t: T }
type T @key(fields: "id") { id: ID }`
	res, err := Compose([]Subgraph{{Name: "s", SDL: sdl}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.SDL, `key: "id"`) {
		t.Errorf("a bare @key was read as the federation @key:\n%s", res.SDL)
	}
}

// TestFieldTypeMerging: outputs take the most general type across
// subgraphs and record each subgraph's own type; incompatible types fail.
func TestFieldTypeMerging(t *testing.T) {
	const types = "interface Node { id: ID! } type User implements Node { id: ID! @shareable } "
	tests := []struct {
		a, b string
		want string // the merged field line, or "" for FIELD_TYPE_MISMATCH
	}{
		{"Int!", "Int", `f: Int @join__field(graph: A, type: "Int!") @join__field(graph: B, type: "Int")`},
		{"[Int!]", "[Int]", `f: [Int] @join__field(graph: A, type: "[Int!]") @join__field(graph: B, type: "[Int]")`},
		// Neither is a subtype of the other, so there is no merged type
		// (Apollo's composition rejects this too).
		{"[Int!]", "[Int]!", ""},
		{"User", "Node", `f: Node @join__field(graph: A, type: "User") @join__field(graph: B, type: "Node")`},
		{"String", "String", `f: String` + "\n"},
		{"Int", "[Int]", ""},
		{"Int", "String", ""},
	}
	for _, tt := range tests {
		res, err := Compose([]Subgraph{
			{Name: "a", SDL: fed2 + types + "type Query { f: " + tt.a + " @shareable }"},
			{Name: "b", SDL: fed2 + types + "type Query { f: " + tt.b + " @shareable }"},
		})
		if tt.want == "" {
			var errs Errors
			if !errors.As(err, &errs) || errs[0].Code != CodeFieldTypeMismatch {
				t.Errorf("%s vs %s: want FIELD_TYPE_MISMATCH, got %v", tt.a, tt.b, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s vs %s: %v", tt.a, tt.b, err)
			continue
		}
		if !strings.Contains(res.SDL, "  "+tt.want) {
			t.Errorf("%s vs %s: want %q in\n%s", tt.a, tt.b, tt.want, res.SDL)
		}
	}
}

// @cost and @listSize (federation 2.9, the IBM cost spec) reach the
// supergraph, where the engine's cost limit reads them; of two subgraphs'
// weights for one field, the higher one is kept.
func TestCostDirectivesReachTheSupergraph(t *testing.T) {
	a := `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@cost", "@listSize"])
type Query { books(first: Int = 10): [Book!]! @listSize(slicingArguments: ["first"], requireOneSlicingArgument: false) }
type Book @key(fields: "id") { id: ID!  title: String! @shareable @cost(weight: 2) }`
	b := `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@cost"])
type Book @key(fields: "id") { id: ID!  title: String! @shareable @cost(weight: 7)  reviews: [String!]! @cost(weight: 3) }`
	res, err := Compose([]Subgraph{{Name: "a", SDL: a}, {Name: "b", SDL: b}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", "@listSize"])`,
		"directive @cost(weight: Int!) on ",
		`@listSize(slicingArguments: ["first"], requireOneSlicingArgument: false)`,
		"@cost(weight: 7)",
		"@cost(weight: 3)",
	} {
		if !strings.Contains(res.SDL, want) {
			t.Errorf("the supergraph lacks %s:\n%s", want, res.SDL)
		}
	}
	if strings.Contains(res.SDL, "@cost(weight: 2)") {
		t.Errorf("the lower weight was kept:\n%s", res.SDL)
	}
}
