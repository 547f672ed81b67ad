package static

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseSchemaKeys(t *testing.T) {
	tests := []struct {
		name      string
		sdl       string
		wantKeys  map[string][]string // type → key field sets
		wantQuery string              // query root: its fields, sorted, after a colon
	}{
		{"federation v2 with @key imported",
			`extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
			 type Query { a: Int b: Int }
			 type Product @key(fields: "upc") @key(fields: "sku vendor") { upc: ID sku: ID vendor: ID }`,
			map[string][]string{"Product": {"upc", "sku vendor"}}, "Query: a b"},
		{"federation v2 without import uses the namespace",
			`extend schema @link(url: "https://specs.apollo.dev/federation/v2.0")
			 type P @federation__key(fields: "id") @key(fields: "ignored") { id: ID }`,
			map[string][]string{"P": {"id"}}, "Query:"},
		{"federation v2 with a renamed namespace",
			`schema @link(url: "https://specs.apollo.dev/federation/v2.3", as: "fed") { query: Query }
			 type P @fed__key(fields: "id") { id: ID }`,
			map[string][]string{"P": {"id"}}, "Query:"},
		{"federation v2 with @key renamed on import",
			`extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [{name: "@key", as: "@primaryKey"}])
			 type P @primaryKey(fields: "id") @key(fields: "ignored") { id: ID }`,
			map[string][]string{"P": {"id"}}, "Query:"},
		{"other @link specs do not count",
			`extend schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
			 type P @key(fields: "id") { id: ID }`,
			map[string][]string{"P": {"id"}}, "Query:"},
		{"federation v1 with extend type",
			`extend type Query { me: User }
			 extend type User @key(fields: "id") { id: ID! @external }
			 type Review @key(fields: "id") { id: ID! }`,
			map[string][]string{"User": {"id"}, "Review": {"id"}}, "Query: me"},
		{"nested and multi-line keys",
			`type Account @key(fields: """
			   id
			   org { id region { code } }
			 """) { id: ID org: Org }`,
			map[string][]string{"Account": {"id org{id region{code}}"}}, "Query:"},
		{"unresolvable keys are not indexed",
			`type P @key(fields: "id", resolvable: false) { id: ID }`,
			map[string][]string{}, "Query:"},
		{"interface keys",
			`interface Node @key(fields: "id") { id: ID! }`,
			map[string][]string{"Node": {"id"}}, "Query:"},
		{"custom query root",
			`schema { query: Root } type Root { x: Int } type Query { y: Int }`,
			map[string][]string{}, "Root: x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := parseSchema("s.graphql", tt.sdl)
			if err != nil {
				t.Fatalf("parseSchema: %v", err)
			}
			got := map[string][]string{}
			for typeName, keys := range info.keys {
				for _, k := range keys {
					got[typeName] = append(got[typeName], formatSelection(k.selection))
				}
			}
			want := map[string][]string{}
			for typeName, sets := range tt.wantKeys {
				for _, s := range sets {
					sel, err := parseFieldSet(s)
					if err != nil {
						t.Fatal(err)
					}
					want[typeName] = append(want[typeName], formatSelection(sel))
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("keys = %v, want %v", got, want)
			}
			if q := info.queryType + ": " + strings.Join(slices.Sorted(maps.Keys(info.queryFields)), " "); strings.TrimSpace(q) != tt.wantQuery {
				t.Errorf("query root = %q, want %q", q, tt.wantQuery)
			}
		})
	}
}

func TestParseFieldSet(t *testing.T) {
	tests := []struct {
		fields, want, err string
	}{
		{"id", "id", ""},
		{"  id   sku ", "id sku", ""},
		{"id org { id }", "id org{id}", ""},
		{"a { b { c } d }", "a{b{c} d}", ""},
		{"", "", "not a field set"},
		{"id }", "", "not a field set"},
		{"id } { other", "", "not a field set"},
		{"id } fragment F on T { x", "", "not a field set"},
		{"x: id", "", "may not have an alias"},
		{"id(arg: 1)", "", "may not have an alias, arguments"},
		{"id @skip(if: true)", "", "directives"},
		{"org { ... on Org { id } }", "", "fragments in keys are not supported"},
	}
	for _, tt := range tests {
		sel, err := parseFieldSet(tt.fields)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseFieldSet(%q) err = %v, want %q", tt.fields, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseFieldSet(%q): %v", tt.fields, err)
			continue
		}
		if got := formatSelection(sel); got != tt.want {
			t.Errorf("parseFieldSet(%q) = %q, want %q", tt.fields, got, tt.want)
		}
	}
}

// formatSelection writes a parsed field set compactly: "id org{id}".
func formatSelection(sel []keyField) string {
	parts := make([]string, len(sel))
	for i, f := range sel {
		parts[i] = f.name
		if f.sub != nil {
			parts[i] += fmt.Sprintf("{%s}", formatSelection(f.sub))
		}
	}
	return strings.Join(parts, " ")
}
