package sql_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/gatewaytest"

	sqlkind "github.com/tributary-gw/tributary/subgraphs/sql"
)

// directorySubgraph is a static subgraph listing users by id, so that the
// gateway resolves them as entities of the sql subgraph.
const directorySubgraph = `  - name: directory
    static:
      sdl: directory.graphql
      data: directory.json
`

var directoryFiles = map[string]string{
	"directory.graphql": `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { featured: [User!]! }
type User @key(fields: "id", resolvable: false) { id: Int! }
`,
	"directory.json": `{"Query": {"featured": [{"id": 3}, {"id": 1}, {"id": 3}, {"id": 2}]}, "entities": {}}`,
}

// Every table with a primary key is an entity: a plan level's
// representations are one statement, results in order; a relation below
// them is one more.
func TestEntitiesBatched(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := seeded(t, driver)
		gw := gatewaytest.Start(t, seedsYAML(db, "")+directorySubgraph, directoryFiles)
		statements := sqlkind.CountStatements(t, "social")
		r := execute(t, gw, `{ featured { id name tweets(limit: 1, orderBy: [{likes: DESC}]) { id } } }`, nil)
		r.AssertData(t, `{"featured": [
		  {"id": 3, "name": "User 3", "tweets": [{"id": 32}]},
		  {"id": 1, "name": "User 1", "tweets": [{"id": 12}]},
		  {"id": 3, "name": "User 3", "tweets": [{"id": 32}]},
		  {"id": 2, "name": "User 2", "tweets": [{"id": 22}]}]}`)
		if n := statements.Load(); n != 2 {
			t.Errorf("%d statements, want 2 (entities, then tweets)", n)
		}
	})
}

// ResolveEntities answers in representation order, null for a key with no
// row, one statement for all.
func TestEntitiesInOrderWithMisses(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := seeded(t, driver)
		sg := buildSubgraph(t, seedsYAML(db, ""), "entities-"+driver)
		statements := sqlkind.CountStatements(t, "entities-"+driver)
		var reps []json.RawMessage
		for _, id := range []string{"4", "99", "1", `"4"`} { // an ID-typed key arrives as a string
			reps = append(reps, json.RawMessage(fmt.Sprintf(`{"__typename":"User","id":%s}`, id)))
		}
		res, err := sg.Source.ResolveEntities(context.Background(), tributary.EntityBatch{Representations: reps,
			Selection: []*tributary.Selection{{Name: "handle"}}})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{`{"__typename":"User","id":4,"handle":"user4"}`, ``, `{"__typename":"User","id":1,"handle":"user1"}`, `{"__typename":"User","id":4,"handle":"user4"}`}
		// "4" and 4 are one key: one statement, the same row.
		for i, r := range res {
			if string(r.Data) != want[i] || r.Err != nil {
				t.Errorf("representation %d: got %s, %v; want %s", i, r.Data, r.Err, want[i])
			}
		}
		if n := statements.Load(); n != 1 {
			t.Errorf("%d statements, want 1", n)
		}
	})
}
