package engine

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	// shopSatSDL and librarySatSDL both define Product, and neither keys
	// it: they compose, but a Product from one cannot get the other's
	// fields.
	shopSatSDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])
type Query { topProducts: [Product!] }
type Product @shareable { upc: String!  name: String! }
`
	librarySatSDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])
type Query { productsByUpc(upc: [String!]!): [Product!] }
type Product @shareable { upc: String!  books: [Book!] }
type Book { title: String! }
`
)

func checkSatisfiable(t *testing.T, supergraph string) *Satisfiability {
	t.Helper()
	e, err := New(context.Background(), Options{Supergraph: supergraph})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.CheckSatisfiable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Graphs whose every field plans — keys, @requires, @provides,
// interfaces, unions, interface objects, @override, @inaccessible,
// renamed root types, costs — check clean: the checker reports nothing
// that serve would plan.
func TestCheckSatisfiableAcceptsGraphsThatPlan(t *testing.T) {
	supergraphs := map[string]string{}
	files, err := filepath.Glob("../../composition/testdata/*/supergraph.graphql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no composition goldens: %v", err)
	}
	files = append(files, "../../integration/testdata/supergraph-join-v0.5.graphql") // named "testdata"
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		supergraphs[filepath.Base(filepath.Dir(f))] = strings.ReplaceAll(string(b), `url: ""`, `url: "http://127.0.0.1:1/graphql"`)
	}
	for name, sdls := range map[string][]string{
		"interface object": {accountsSDL, usernamesSDL},
		"batch fields":     {librarySDL, reviewsSDL},
		"costs":            {costSDL},
		"entity only":      {usersSDL, profilesSDL},
		"arguments":        {valuesSDL},
		"interfaces":       {namedSDL},
		"keys on both": {
			strings.Replace(shopSatSDL, "@shareable {", `@shareable @key(fields: "upc") {`, 1),
			strings.Replace(librarySatSDL, "@shareable {", `@shareable @key(fields: "upc") {`, 1),
		},
	} {
		supergraphs[name] = composeSDL(t, sdls...)
	}
	for name, sdl := range supergraphs {
		t.Run(name, func(t *testing.T) {
			res := checkSatisfiable(t, sdl)
			for _, u := range append(res.Unsatisfiable, res.Invalid...) {
				t.Errorf("%s at %s: %s\n  %s", u.Coordinate(), u.Path, u.Reason, u.Query)
			}
			if len(res.Unchecked) > 0 || res.Fields == 0 || res.Plans == 0 {
				t.Errorf("unchecked %v, %d fields, %d plans", res.Unchecked, res.Fields, res.Plans)
			}
		})
	}
}

// The shape of issue 8: each subgraph's fields are unreachable from the
// other's Product, in both directions, and the report says which
// subgraphs, why (no key), and what a key could be.
func TestCheckSatisfiableReportsFieldsNoKeyReaches(t *testing.T) {
	res := checkSatisfiable(t, composeSDL(t, shopSatSDL, librarySatSDL))
	if len(res.Unsatisfiable) != 2 {
		t.Fatalf("want Product.books and Product.name, got %+v", res.Unsatisfiable)
	}
	books, name := res.Unsatisfiable[0], res.Unsatisfiable[1]
	want := Unsatisfiable{
		Type: "Product", Field: "books", Path: "topProducts.books", Operation: "query",
		Query:           "query { topProducts { books { __typename } } }",
		ParentSubgraphs: []string{"g0"}, FieldSubgraphs: []string{"g1"},
		Cause: CauseNoEntity, EntityKeys: map[string][]string{}, SharedFields: []string{"upc"},
		Lookups: []Lookup{{Subgraph: "g1", Field: "productsByUpc", Arguments: []LookupArgument{{Name: "upc", Type: "[String!]!"}}, List: true}},
	}
	if books.Reason == "" {
		t.Error("Product.books: no reason")
	}
	books.Reason = ""
	if !reflect.DeepEqual(books, want) {
		t.Errorf("Product.books:\n got %+v\nwant %+v", books, want)
	}
	if name.Coordinate() != "Product.name" || name.Path != "productsByUpc.name" ||
		name.Query != "query($a0: [String!]!) { productsByUpc(upc: $a0) { name } }" ||
		!reflect.DeepEqual(name.ParentSubgraphs, []string{"g1"}) || !reflect.DeepEqual(name.FieldSubgraphs, []string{"g0"}) ||
		name.Cause != CauseNoEntity || len(name.Lookups) != 1 || name.Lookups[0].Field != "topProducts" {
		t.Errorf("Product.name: %+v", name)
	}
	// Book is reached through library's own Product, where books plans.
	if len(res.Unchecked) > 0 || res.Fields != 6 {
		t.Errorf("unchecked %v, %d fields checked (want all 6)", res.Unchecked, res.Fields)
	}
}

// A key exists, but the subgraph the path comes from lacks its fields:
// g0 holds User.id, while g1 resolves User by "id org { id }".
func TestCheckSatisfiableNamesAKeyTheParentCannotProvide(t *testing.T) {
	res := checkSatisfiable(t, composeSDL(t, `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { a: User }
type User @key(fields: "id") { id: ID!  name: String }
`, `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type User @key(fields: "id org { id }") { id: ID!  org: Org  age: Int }
type Org { id: ID! }
`))
	var got []string
	for _, u := range res.Unsatisfiable {
		got = append(got, u.Coordinate()+"@"+u.Path)
		if u.Cause != CauseKeyUnavailable || !reflect.DeepEqual(u.EntityKeys, map[string][]string{"g1": {"id org { id }"}}) {
			t.Errorf("%s: cause %v, keys %v", u.Coordinate(), u.Cause, u.EntityKeys)
		}
	}
	if strings.Join(got, " ") != "User.age@a.age User.org@a.org" {
		t.Errorf("unsatisfiable %v", got)
	}
	// Org is only reached through User.org.
	if !reflect.DeepEqual(res.Unchecked, []string{"Org.id"}) {
		t.Errorf("unchecked %v", res.Unchecked)
	}
}

func TestCheckSatisfiableStopsWhenCancelled(t *testing.T) {
	e, err := New(context.Background(), Options{Supergraph: composeSDL(t, shopSatSDL, librarySatSDL)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.CheckSatisfiable(ctx); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("err %v", err)
	}
}
