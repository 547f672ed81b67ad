package federation

import "testing"

func TestInventory(t *testing.T) {
	const entitiesQuery = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { upc inStock shippingEstimate } } }`
	runQueryCases(t, Inventory(), []queryCase{
		{
			name:  "shippingEstimate from required price and weight",
			query: entitiesQuery,
			variables: `{"r": [
				{"__typename": "Product", "upc": "1", "price": 899, "weight": 100},
				{"__typename": "Product", "upc": "2", "price": 1299, "weight": 1000},
				{"__typename": "Product", "upc": "5", "price": 120, "weight": 7},
				{"__typename": "Product", "upc": "77", "price": 1, "weight": 1},
				{"__typename": "Product", "upc": "1", "price": 899, "weight": 100}]}`,
			wantData: `{"_entities": [
				{"upc": "1", "inStock": true, "shippingEstimate": 50},
				{"upc": "2", "inStock": false, "shippingEstimate": 0},
				{"upc": "5", "inStock": false, "shippingEstimate": 3},
				null,
				{"upc": "1", "inStock": true, "shippingEstimate": 50}]}`,
		},
		{
			name:      "shippingEstimate without price fails that entity only",
			query:     entitiesQuery,
			variables: `{"r": [{"__typename": "Product", "upc": "1", "weight": 100}, {"__typename": "Product", "upc": "3", "price": 54, "weight": 50}]}`,
			wantData:  `{"_entities": [null, {"upc": "3", "inStock": true, "shippingEstimate": 25}]}`,
			wantErrs:  []wantError{{contains: `field "price" is missing`, path: `["_entities", 0, "shippingEstimate"]`}},
		},
		{
			name:      "shippingEstimate without weight",
			query:     entitiesQuery,
			variables: `{"r": [{"__typename": "Product", "upc": "4", "price": 39}]}`,
			wantData:  `{"_entities": [null]}`,
			wantErrs:  []wantError{{contains: `field "weight" is missing`, path: `["_entities", 0, "shippingEstimate"]`}},
		},
		{
			name:      "shippingEstimate with a price that is not an Int",
			query:     entitiesQuery,
			variables: `{"r": [{"__typename": "Product", "upc": "4", "price": "39", "weight": 12}]}`,
			wantData:  `{"_entities": [null]}`,
			wantErrs:  []wantError{{contains: `field "price" is "39"; want an Int`, path: `["_entities", 0, "shippingEstimate"]`}},
		},
		{
			name:      "inStock needs no required fields",
			query:     `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { inStock } } }`,
			variables: `{"r": [{"__typename": "Product", "upc": "6"}]}`,
			wantData:  `{"_entities": [{"inStock": true}]}`,
		},
		{
			name:      "external fields echo the representation",
			query:     `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { price weight } } }`,
			variables: `{"r": [{"__typename": "Product", "upc": "6", "price": 249, "weight": 80}]}`,
			wantData:  `{"_entities": [{"price": 249, "weight": 80}]}`,
		},
		{
			name:     "inline representations",
			query:    `{ _entities(representations: [{__typename: "Product", upc: "4", price: 39, weight: 12}]) { ... on Product { shippingEstimate } } }`,
			wantData: `{"_entities": [{"shippingEstimate": 6}]}`,
		},
	})
}
