package federation

import "testing"

func TestProducts(t *testing.T) {
	runQueryCases(t, Products(), []queryCase{
		{
			name:     "topProducts defaults to five",
			query:    `{ topProducts { upc } }`,
			wantData: `{"topProducts": [{"upc": "1"}, {"upc": "2"}, {"upc": "3"}, {"upc": "4"}, {"upc": "5"}]}`,
		},
		{
			name:      "topProducts first from a variable",
			query:     `query($n: Int) { topProducts(first: $n) { upc name price } }`,
			variables: `{"n": 2}`,
			wantData:  `{"topProducts": [{"upc": "1", "name": "Table", "price": 899}, {"upc": "2", "name": "Couch", "price": 1299}]}`,
		},
		{
			name:     "topProducts first beyond the catalog",
			query:    `{ topProducts(first: 100) { upc } }`,
			wantData: `{"topProducts": [{"upc": "1"}, {"upc": "2"}, {"upc": "3"}, {"upc": "4"}, {"upc": "5"}, {"upc": "6"}]}`,
		},
		{
			name:     "topProducts negative first",
			query:    `{ topProducts(first: -1) { upc } }`,
			wantData: `null`,
			wantErrs: []wantError{{contains: "first is -1", path: `["topProducts"]`}},
		},
		{
			name:     "product with category",
			query:    `{ product(upc: "5") { upc name price weight category { id name } } }`,
			wantData: `{"product": {"upc": "5", "name": "Chef's Knife", "price": 120, "weight": 7, "category": {"id": "c2", "name": "Kitchen"}}}`,
		},
		{
			name:     "unknown product is null",
			query:    `{ product(upc: "404") { upc } }`,
			wantData: `{"product": null}`,
		},
		{
			name:  "search matches products then categories, ignoring case",
			query: `{ search(text: "CH") { __typename ... on Product { upc } ... on Category { id } } }`,
			wantData: `{"search": [
				{"__typename": "Product", "upc": "2"},
				{"__typename": "Product", "upc": "3"},
				{"__typename": "Product", "upc": "5"},
				{"__typename": "Category", "id": "c2"}]}`,
		},
		{
			name:     "search without matches",
			query:    `{ search(text: "piano") { __typename } }`,
			wantData: `{"search": []}`,
		},
		{
			name:     "search with blank text",
			query:    `{ search(text: "  ") { __typename } }`,
			wantData: `null`,
			wantErrs: []wantError{{contains: "search text is empty", path: `["search"]`}},
		},
		{
			name:      "entities",
			query:     `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { upc name category { name } } } }`,
			variables: `{"r": [{"__typename": "Product", "upc": "6"}, {"__typename": "Product", "upc": "42"}, {"__typename": "Product", "upc": "6"}, {"__typename": "Product", "upc": "1"}]}`,
			wantData: `{"_entities": [
				{"upc": "6", "name": "Camping Tent", "category": {"name": "Outdoor"}},
				null,
				{"upc": "6", "name": "Camping Tent", "category": {"name": "Outdoor"}},
				{"upc": "1", "name": "Table", "category": {"name": "Furniture"}}]}`,
		},
	})
}
