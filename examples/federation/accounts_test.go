package federation

import "testing"

func TestAccounts(t *testing.T) {
	runQueryCases(t, Accounts(), []queryCase{
		{
			name:     "me",
			query:    `{ me { id name username birthYear } }`,
			wantData: `{"me": {"id": "1", "name": "Ada Lovelace", "username": "ada", "birthYear": 1815}}`,
		},
		{
			name:      "user by variable",
			query:     `query User($id: ID!) { user(id: $id) { id name } }`,
			variables: `{"id": "3"}`,
			wantData:  `{"user": {"id": "3", "name": "Grace Hopper"}}`,
		},
		{
			name:     "unknown user is null",
			query:    `{ user(id: "99") { id } }`,
			wantData: `{"user": null}`,
		},
		{
			name:     "users",
			query:    `{ users { id username } }`,
			wantData: `{"users": [{"id": "1", "username": "ada"}, {"id": "2", "username": "alan"}, {"id": "3", "username": "grace"}, {"id": "4", "username": "edsger"}, {"id": "5", "username": "barbara"}]}`,
		},
		{
			name:  "accounts interface",
			query: `{ accounts { __typename id username ... on User { birthYear } ... on Admin { permissions } } }`,
			wantData: `{"accounts": [
				{"__typename": "User", "id": "1", "username": "ada", "birthYear": 1815},
				{"__typename": "User", "id": "2", "username": "alan", "birthYear": 1912},
				{"__typename": "User", "id": "3", "username": "grace", "birthYear": 1906},
				{"__typename": "User", "id": "4", "username": "edsger", "birthYear": 1930},
				{"__typename": "User", "id": "5", "username": "barbara", "birthYear": 1939},
				{"__typename": "Admin", "id": "a1", "username": "ops", "permissions": ["orders:refund", "products:write"]},
				{"__typename": "Admin", "id": "a2", "username": "support", "permissions": ["orders:read"]}]}`,
		},
		{
			name:  "entities in order, unknown and wrong-type keys null, duplicates repeated",
			query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on User { id name } ... on Admin { id permissions } } }`,
			variables: `{"r": [
				{"__typename": "User", "id": "2"},
				{"__typename": "Admin", "id": "a2"},
				{"__typename": "User", "id": "99"},
				{"__typename": "User", "id": "2"},
				{"__typename": "Admin", "id": "1"}]}`,
			wantData: `{"_entities": [
				{"__typename": "User", "id": "2", "name": "Alan Turing"},
				{"__typename": "Admin", "id": "a2", "permissions": ["orders:read"]},
				null,
				{"__typename": "User", "id": "2", "name": "Alan Turing"},
				null]}`,
		},
	})
}
