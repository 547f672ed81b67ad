package sql_test

import (
	"encoding/json"
	"testing"

	sqlkind "github.com/tributary-gw/tributary/subgraphs/sql"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// connection is a decoded Relay connection of ids.
type connection struct {
	Edges []struct {
		Cursor string
		Node   struct{ ID int }
	}
	PageInfo struct {
		HasNextPage, HasPreviousPage bool
		StartCursor, EndCursor       *string
	}
	TotalCount int
}

func (c connection) ids() []int {
	var out []int
	for _, e := range c.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

const connectionFields = `edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount`

// pageOf runs one usersConnection page.
func pageOf(t *testing.T, r response) connection {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.Raw)
	}
	var data struct{ UsersConnection connection }
	if err := json.Unmarshal(r.Data, &data); err != nil {
		t.Fatal(err)
	}
	return data.UsersConnection
}

func assertPage(t *testing.T, c connection, ids []int, next, previous bool) {
	t.Helper()
	got := c.ids()
	if len(got) != len(ids) || c.PageInfo.HasNextPage != next || c.PageInfo.HasPreviousPage != previous || c.TotalCount != seedUsers {
		t.Fatalf("got ids %v next %v previous %v total %d; want %v %v %v %d", got, c.PageInfo.HasNextPage, c.PageInfo.HasPreviousPage, c.TotalCount, ids, next, previous, seedUsers)
	}
	for i := range ids {
		if got[i] != ids[i] {
			t.Fatalf("got ids %v, want %v", got, ids)
		}
	}
	if len(ids) > 0 && (*c.PageInfo.StartCursor != c.Edges[0].Cursor || *c.PageInfo.EndCursor != c.Edges[len(ids)-1].Cursor) {
		t.Fatalf("start/end cursors are not the edges' first and last")
	}
}

// Connections page by keyset on orderBy and the primary key, forward with
// first/after and backward with last/before; a page is one statement and
// totalCount one more; cursors are checked.
func TestConnections(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := seeded(t, driver)
		gw := gatewaytest.Start(t, seedsYAML(db, ""), nil)
		statements := sqlkind.CountStatements(t, "social")
		const q = `query($first: Int, $after: String, $last: Int, $before: String) {
		  usersConnection(first: $first, after: $after, last: $last, before: $before, orderBy: [{followers_count: DESC}]) { ` + connectionFields + ` } }`
		p1 := pageOf(t, execute(t, gw, q, map[string]any{"first": 2}))
		assertPage(t, p1, []int{5, 4}, true, false)
		if n := statements.Swap(0); n != 2 {
			t.Errorf("a page with totalCount: %d statements, want 2", n)
		}
		p2 := pageOf(t, execute(t, gw, q, map[string]any{"first": 2, "after": *p1.PageInfo.EndCursor}))
		assertPage(t, p2, []int{3, 2}, true, true)
		p3 := pageOf(t, execute(t, gw, q, map[string]any{"first": 2, "after": *p2.PageInfo.EndCursor}))
		assertPage(t, p3, []int{1}, false, true)
		back := pageOf(t, execute(t, gw, q, map[string]any{"last": 2, "before": *p2.PageInfo.StartCursor}))
		assertPage(t, back, []int{5, 4}, true, false)
		tail := pageOf(t, execute(t, gw, q, map[string]any{"last": 2}))
		assertPage(t, tail, []int{2, 1}, false, true)

		for name, vars := range map[string]map[string]any{
			"garbage":      {"after": "not-a-cursor"},
			"other order":  {"after": "eyJvIjoiaWQiLCJ2IjpbMV19"}, // {"o":"id","v":[1]}
			"hostile":      {"after": "eyJvIjoiZm9sbG93ZXJzX2NvdW50IERFU0MsaWQiLCJ2IjpbIic7IERST1AgVEFCTEUgdXNlcnM7IC0tIiwxXX0"},
			"first + last": {"first": 1, "last": 1},
		} {
			r := execute(t, gw, q, vars)
			if e := r.FirstError(t); e.Extensions["code"] != "BAD_USER_INPUT" {
				t.Errorf("%s: got %s", name, r.Raw)
			}
		}

		statements.Store(0)
		r := execute(t, gw, `{ users(where: {id: {lte: 2}}) { id tweetsConnection(first: 2, orderBy: [{likes: DESC}]) { edges { node { id } } pageInfo { hasNextPage endCursor } totalCount } } }`, nil)
		r.AssertData(t, `{"users": [
		  {"id": 1, "tweetsConnection": {"edges": [{"node": {"id": 12}}, {"node": {"id": 14}}], "pageInfo": {"hasNextPage": true, "endCursor": "eyJvIjoibGlrZXMgREVTQyxpZCIsInYiOlszLDE0XX0"}, "totalCount": 4}},
		  {"id": 2, "tweetsConnection": {"edges": [{"node": {"id": 22}}, {"node": {"id": 24}}], "pageInfo": {"hasNextPage": true, "endCursor": "eyJvIjoibGlrZXMgREVTQyxpZCIsInYiOlszLDI0XX0"}, "totalCount": 4}}]}`)
		if n := statements.Load(); n != 3 {
			t.Errorf("users { tweetsConnection { totalCount } }: %d statements, want 3", n)
		}
		r = execute(t, gw, `{ user(id: 1) { tweetsConnection(first: 2, after: "eyJvIjoibGlrZXMgREVTQyxpZCIsInYiOlszLDE0XX0", orderBy: [{likes: DESC}]) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } } }`, nil)
		r.AssertData(t, `{"user": {"tweetsConnection": {"edges": [{"node": {"id": 11}}, {"node": {"id": 13}}], "pageInfo": {"hasNextPage": false, "hasPreviousPage": true}}}}`)
		r = execute(t, gw, `{ users(where: {id: {in: [1, 2]}}) { tweetsConnection(last: 3, orderBy: [{likes: DESC}]) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } } }`, nil)
		r.AssertData(t, `{"users": [
		  {"tweetsConnection": {"edges": [{"node": {"id": 14}}, {"node": {"id": 11}}, {"node": {"id": 13}}], "pageInfo": {"hasNextPage": false, "hasPreviousPage": true}}},
		  {"tweetsConnection": {"edges": [{"node": {"id": 24}}, {"node": {"id": 21}}, {"node": {"id": 23}}], "pageInfo": {"hasNextPage": false, "hasPreviousPage": true}}}]}`)
	})
}
