package composition

import (
	"errors"
	"strings"
	"testing"
)

// fed2All imports every federation directive these tests use.
const fed2All = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@extends", "@requires", "@provides"])
`

// printedField returns the supergraph's line for a field ("Type.field"),
// trimmed, or "" when the type or field is not printed.
func printedField(sdl, coordinate string) string {
	typeName, fieldName, _ := strings.Cut(coordinate, ".")
	inType := false
	for _, line := range strings.Split(sdl, "\n") {
		switch {
		case strings.HasPrefix(line, "type "+typeName+" ") || line == "type "+typeName ||
			strings.HasPrefix(line, "interface "+typeName+" ") || line == "interface "+typeName:
			inType = true
		case line == "}":
			inType = false
		case inType && (strings.HasPrefix(line, "  "+fieldName+":") || strings.HasPrefix(line, "  "+fieldName+"(")):
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// composeFields composes the subgraphs and compares the printed fields with
// want (coordinate → line).
func composeFields(t *testing.T, subgraphs []Subgraph, want map[string]string) {
	t.Helper()
	res, err := Compose(subgraphs)
	if err != nil {
		var errs Errors
		if errors.As(err, &errs) {
			t.Fatalf("compose failed:\n%s", formatErrors(errs))
		}
		t.Fatalf("compose: %v", err)
	}
	for coordinate, line := range want {
		if got := printedField(res.SDL, coordinate); got != line {
			t.Errorf("%s:\n got  %s\n want %s", coordinate, got, line)
		}
	}
	assertValidSupergraph(t, res.SDL)
}

// composeError composes the subgraphs and wants an error with the code at
// the coordinate whose message contains the text.
func composeError(t *testing.T, subgraphs []Subgraph, code, coordinate, text string) {
	t.Helper()
	res, err := Compose(subgraphs)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want a %s error, got result %v and error %v", code, res, err)
	}
	for _, e := range errs {
		if e.Code == code && e.Coordinate == coordinate && strings.Contains(e.Message, text) {
			return
		}
	}
	t.Errorf("want a %s error on %s containing %q, got:\n%s", code, coordinate, text, formatErrors(errs))
}

const baseUser = fed2All + `
type Query { user: User }
type User @key(fields: "id") @key(fields: "org { id }") { id: ID! name: String! @shareable org: Org! }
type Org { id: ID! }
`

// TestExternalKeyFieldsOfExtensions: the key fields of a type extension
// (extend type, or @extends) are resolved by the extending subgraph even
// when marked @external — the federation 1 idiom, which Apollo's composition
// keeps in federation 2 subgraphs ("fake externals"). The supergraph must not
// call them external there, or the planner cannot take them from that
// subgraph (federation-gateway-audit fed2-external-extends,
// fed2-external-extension, mysterious-external, complex-entity-call).
func TestExternalKeyFieldsOfExtensions(t *testing.T) {
	tests := []struct {
		name string
		ext  string
		want map[string]string
	}{
		{
			name: "extend type",
			ext: fed2All + `type Query { randomUser: User providedUser: User @provides(fields: "name") }
				extend type User @key(fields: "id") { id: ID! @external name: String! @external nickname: String }`,
			want: map[string]string{
				"User.id": "id: ID!",
				// not a key field: still external
				"User.name": "name: String! @join__field(graph: BASE) @join__field(graph: EXT, external: true)",
			},
		},
		{
			name: "@extends",
			ext: fed2All + `type Query { randomUser: User }
				type User @key(fields: "id") @extends { id: ID! @external nickname: String }`,
			want: map[string]string{"User.id": "id: ID!"},
		},
		{
			name: "@extends on another block",
			ext: fed2All + `type Query { randomUser: User }
				type User @key(fields: "id") { id: ID! @external nickname: String }
				extend type User @extends { age: Int }`,
			want: map[string]string{"User.id": "id: ID!"},
		},
		{
			name: "nested key",
			ext: fed2All + `type Query { randomUser: User }
				type User @extends @key(fields: "org { id }") { org: Org! @external team: String }
				type Org { id: ID! @external }`,
			want: map[string]string{"User.org": "org: Org!", "Org.id": "id: ID!"},
		},
		{
			name: "a definition's external key stays external",
			ext: fed2All + `type Query { randomUser: User }
				type User @key(fields: "id") { id: ID! @external nickname: String }`,
			want: map[string]string{"User.id": "id: ID! @join__field(graph: BASE) @join__field(graph: EXT, external: true)"},
		},
		{
			name: "federation 1",
			ext: `type Query { randomUser: User }
				extend type User @key(fields: "org { id }") { org: Org! @external team: String }
				extend type Org @key(fields: "id") { id: ID! @external }`,
			want: map[string]string{"User.org": "org: Org!", "Org.id": "id: ID!"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			composeFields(t, []Subgraph{{Name: "base", SDL: baseUser}, {Name: "ext", SDL: tt.ext}}, tt.want)
		})
	}
}

// TestExternalKeyFieldOfExtensionCannotBeRequired: as the extension's key
// fields are not external, a @requires naming one is an error (as in Apollo's
// composition), with a message that says why.
func TestExternalKeyFieldOfExtensionCannotBeRequired(t *testing.T) {
	ext := fed2All + `type Query { randomUser: User }
		extend type User @key(fields: "id") { id: ID! @external age: Int @requires(fields: "id") }`
	composeError(t, []Subgraph{{Name: "base", SDL: baseUser}, {Name: "ext", SDL: ext}},
		CodeRequiresMissingExternal, "User.age", "key field of a type extension")
}

// TestExternalOnType: @external on a type applies to each of its fields
// (federation-gateway-audit requires-with-argument). Federation 1 has no
// such rule: Apollo drops the directive there.
func TestExternalOnType(t *testing.T) {
	const baseSDL = `type Query { products: [Product] }
		type Product @key(fields: "upc") { upc: String! category: Category }
		type Category { averagePrice(currency: String!): Int name: String }`
	tests := []struct {
		name string
		base string
		ext  string
		want map[string]string
	}{
		{
			name: "federation 2",
			base: fed2All + baseSDL,
			ext: fed2All + `type Product @key(fields: "upc") {
					upc: String!
					category: Category @external
					isExpensive: Boolean @requires(fields: "category { averagePrice(currency: \"USD\") name }")
				}
				type Category @external { averagePrice(currency: String!): Int name: String }`,
			want: map[string]string{
				"Category.averagePrice": "averagePrice(currency: String!): Int @join__field(graph: BASE) @join__field(graph: EXT, external: true)",
				"Category.name":         "name: String @join__field(graph: BASE) @join__field(graph: EXT, external: true)",
				"Product.isExpensive":   `isExpensive: Boolean @join__field(graph: EXT, requires: "category { averagePrice(currency: \"USD\") name }")`,
			},
		},
		{
			name: "federation 1",
			base: baseSDL,
			ext:  `type Query { cheapest: Category } type Category @external { averagePrice(currency: String!): Int name: String }`,
			want: map[string]string{"Category.name": "name: String"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			composeFields(t, []Subgraph{{Name: "base", SDL: tt.base}, {Name: "ext", SDL: tt.ext}}, tt.want)
		})
	}
}

// providesOnInterface is federation-gateway-audit provides-on-interface in
// small: "library" provides fields through Media.animals, an interface field,
// whose implementation Book.animals is @external.
func providesOnInterface(bookAnimals, dogName string) []Subgraph {
	catalog := fed2All + `type Query { media: Media @shareable }
		interface Media { id: ID! animals: [Animal] }
		interface Animal { id: ID! name: String }
		type Book implements Media @key(fields: "id") { id: ID! animals: [Animal] @shareable }
		type Dog implements Animal @key(fields: "id") { id: ID! name: String ` + dogName + ` }`
	library := fed2All + `type Query { media: Media @shareable @provides(fields: "animals { id name }") }
		interface Media { id: ID! animals: [Animal] }
		interface Animal { id: ID! name: String }
		type Book implements Media { id: ID! @shareable animals: [Animal] ` + bookAnimals + ` }
		type Dog implements Animal { id: ID! @external name: String @external }`
	return []Subgraph{{Name: "catalog", SDL: catalog}, {Name: "library", SDL: library}}
}

// TestProvidesThroughInterfaceField: below an interface field of a
// @provides, the fields need not be @external when an implementation of the
// interface field is (interface fields cannot be @external), as in Apollo's
// composition; the implementations' fields the @provides reaches count as
// provided.
func TestProvidesThroughInterfaceField(t *testing.T) {
	t.Run("implementation external", func(t *testing.T) {
		composeFields(t, providesOnInterface("@external", "@shareable"), map[string]string{
			"Query.media":  `media: Media @join__field(graph: CATALOG) @join__field(graph: LIBRARY, provides: "animals { id name }")`,
			"Book.animals": "animals: [Animal] @join__field(graph: CATALOG) @join__field(graph: LIBRARY, external: true)",
			"Dog.name":     "name: String @join__field(graph: CATALOG) @join__field(graph: LIBRARY, external: true)",
		})
	})
	t.Run("no implementation external", func(t *testing.T) {
		composeError(t, providesOnInterface("@shareable", "@shareable"),
			CodeProvidesMissingExternal, "Query.media", `field "Animal.id" is not marked @external`)
	})
	t.Run("provided implementation fields must be shareable", func(t *testing.T) {
		composeError(t, providesOnInterface("@external", ""),
			CodeInvalidFieldSharing, "Dog.name", `resolved from subgraphs "catalog" and "library"`)
	})
}
