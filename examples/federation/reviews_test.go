package federation

import "testing"

func TestReviews(t *testing.T) {
	runQueryCases(t, Reviews(), []queryCase{
		{
			name:  "latestReviews newest first, author provided",
			query: `{ latestReviews { id body rating author { id username } product { upc } } }`,
			wantData: `{"latestReviews": [
				{"id": "10", "body": "Our favourite purchase this year.", "rating": 5, "author": {"id": "2", "username": "alan"}, "product": {"upc": "1"}},
				{"id": "9", "body": "Bought four for the patio.", "rating": 4, "author": {"id": "4", "username": "edsger"}, "product": {"upc": "3"}},
				{"id": "8", "body": "Lid is stiff at first.", "rating": 4, "author": {"id": "1", "username": "ada"}, "product": {"upc": "4"}}]}`,
		},
		{
			name:     "latestReviews first zero",
			query:    `{ latestReviews(first: 0) { id } }`,
			wantData: `{"latestReviews": []}`,
		},
		{
			name:     "latestReviews all ten",
			query:    `{ latestReviews(first: 50) { id } }`,
			wantData: `{"latestReviews": [{"id": "10"}, {"id": "9"}, {"id": "8"}, {"id": "7"}, {"id": "6"}, {"id": "5"}, {"id": "4"}, {"id": "3"}, {"id": "2"}, {"id": "1"}]}`,
		},
		{
			name:  "entities of every type",
			query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on User { id reviews { id } } ... on Product { upc reviews { id rating } } ... on Review { body author { username } } } }`,
			variables: `{"r": [
				{"__typename": "User", "id": "1"},
				{"__typename": "User", "id": "5"},
				{"__typename": "User", "id": "404"},
				{"__typename": "Product", "upc": "1"},
				{"__typename": "Product", "upc": "6"},
				{"__typename": "Review", "id": "4"},
				{"__typename": "User", "id": "1"},
				{"__typename": "Review", "id": "11"}]}`,
			wantData: `{"_entities": [
				{"__typename": "User", "id": "1", "reviews": [{"id": "1"}, {"id": "5"}, {"id": "8"}]},
				{"__typename": "User", "id": "5", "reviews": []},
				null,
				{"__typename": "Product", "upc": "1", "reviews": [{"id": "1", "rating": 5}, {"id": "7", "rating": 2}, {"id": "10", "rating": 5}]},
				{"__typename": "Product", "upc": "6", "reviews": []},
				{"__typename": "Review", "body": "Boils a litre in two minutes.", "author": {"username": "edsger"}},
				{"__typename": "User", "id": "1", "reviews": [{"id": "1"}, {"id": "5"}, {"id": "8"}]},
				null]}`,
		},
	})
}
