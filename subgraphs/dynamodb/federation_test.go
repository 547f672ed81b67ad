package dynamodb_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// 120 users resolved as entities cost two BatchGetItem calls (100 keys a
// call), duplicates included, and come back in representation order.
func TestEntitiesBatchGetItemCalls(t *testing.T) {
	srv := seeded(t)
	list := append(handles(0, 120), "user005", "user119", "nobody") // two repeats and a miss
	dirYAML, files := handlesSubgraph(list)
	gw := gatewaytest.Start(t, seedsYAML(srv.URL)+dirYAML, files)
	srv.Reset()
	r := execute(t, gw, `{ handles { handle name followers_count } }`, nil)
	if n := srv.Calls("BatchGetItem"); n != 2 {
		t.Fatalf("BatchGetItem calls for 120 distinct users: %d, want 2", n)
	}
	var data struct {
		Handles []*struct {
			Handle         string
			Name           *string
			FollowersCount *int `json:"followers_count"`
		}
	}
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.Raw)
	}
	r.MustData(t, &data)
	if len(data.Handles) != len(list) {
		t.Fatalf("%d users, want %d", len(data.Handles), len(list))
	}
	for i, u := range data.Handles[:122] {
		var n int
		fmt.Sscanf(list[i], "user%d", &n)
		if u.Handle != list[i] || u.Name == nil || *u.Name != fmt.Sprintf("User %d", n) || *u.FollowersCount != n {
			t.Fatalf("user %d: %+v, want %s", i, u, list[i])
		}
	}
	if miss := data.Handles[122]; miss.Name != nil {
		t.Errorf("a handle not in Users got a name: %+v", miss)
	}
}

// User.tweets(limit: 5) for 50 users is 50 index queries, run
// concurrently; since only the key and the relation are selected, no item
// of Users is read.
func TestRelationQueriesRunConcurrently(t *testing.T) {
	srv := seeded(t)
	dirYAML, files := handlesSubgraph(handles(100, 50))
	gw := gatewaytest.Start(t, seedsYAML(srv.URL)+dirYAML, files)
	srv.Reset()
	r := execute(t, gw, `{ handles { handle tweets(limit: 5) { items { tweet_id handle } nextToken } } }`, nil)
	var data struct {
		Handles []struct {
			Handle string
			Tweets struct {
				Items     []struct{ Handle string }
				NextToken *string
			}
		}
	}
	r.MustData(t, &data)
	if len(data.Handles) != 50 {
		t.Fatalf("%d users", len(data.Handles))
	}
	for _, u := range data.Handles {
		if len(u.Tweets.Items) != 5 || u.Tweets.NextToken == nil {
			t.Fatalf("%s: %d tweets, nextToken %v", u.Handle, len(u.Tweets.Items), u.Tweets.NextToken)
		}
		for _, it := range u.Tweets.Items {
			if it.Handle != u.Handle {
				t.Fatalf("%s got a tweet of %s", u.Handle, it.Handle)
			}
		}
	}
	if n := srv.Calls("Query"); n != 50 {
		t.Errorf("Query calls: %d, want 50", n)
	}
	if n := srv.MaxInFlight("Query"); n < 2 {
		t.Errorf("at most %d Query call in flight: the 50 queries ran one after another", n)
	}
	if n := srv.Calls("BatchGetItem"); n != 0 {
		t.Errorf("BatchGetItem calls: %d, want 0 (only keys and relations selected)", n)
	}
}

// Entities of another subgraph's type that a relation extends: the stub
// is answered from the representation, and the relation queries by it.
func TestRelationOnForeignType(t *testing.T) {
	srv := seeded(t)
	section := strings.Replace(fmt.Sprintf(seedsSection, srv.URL), "field: User.tweets", "field: Author.tweets", 1)
	section = strings.Replace(section, "match: {handle: handle}", "match: {handle: login}\n          parentFields: {login: ID!}", 1)
	sdl := `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { authors: [Author!]! }
type Author @key(fields: "login") { login: ID! }
`
	yaml := "subgraphs:\n  - name: social" + section + "  - name: directory\n    static:\n      sdl: d.graphql\n      data: d.json\n"
	gw := gatewaytest.Start(t, yaml, map[string]string{"d.graphql": sdl,
		"d.json": `{"Query": {"authors": [{"login": "user002"}, {"login": "user004"}]}, "entities": {}}`})
	r := execute(t, gw, `{ authors { login tweets(limit: 1) { items { tweet_id } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"authors":[{"login":"user002","tweets":{"items":[{"tweet_id":"t04502"}]}},
	  {"login":"user004","tweets":{"items":[{"tweet_id":"t04504"}]}}]}`)
}

// UnprocessedKeys are asked for again until every key is read: three
// rounds of one key each for three users, results still in order.
func TestUnprocessedKeysAreRetried(t *testing.T) {
	srv := seeded(t)
	dirYAML, files := handlesSubgraph([]string{"user300", "user301", "user302"})
	gw := gatewaytest.Start(t, seedsYAML(srv.URL)+dirYAML, files)
	srv.Reset()
	srv.LeaveUnprocessed(2)
	r := execute(t, gw, `{ handles { name } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	gatewaytest.AssertJSON(t, r.Data, `{"handles":[{"name":"User 300"},{"name":"User 301"},{"name":"User 302"}]}`)
	if n := srv.Calls("BatchGetItem"); n != 3 {
		t.Errorf("BatchGetItem calls: %d, want 3 (two rounds left keys unprocessed)", n)
	}
}
