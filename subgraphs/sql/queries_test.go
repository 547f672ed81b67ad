package sql_test

import (
	"testing"

	sqlkind "github.com/tributary-gw/tributary/subgraphs/sql"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// namedQueries serve what reflection cannot express: a root list with an
// argument, a per-parent pick with :parent.column (the seeds' topTweet),
// and a scalar.
const namedQueries = `      queries:
        - field: Query.topUsers
          sql: "SELECT * FROM users ORDER BY followers_count DESC LIMIT :n"
          arguments: {n: Int!}
          returns: "[User!]!"
        - field: User.topTweet
          sql: "SELECT id, tweet, likes, 'not a column' AS extra FROM tweets WHERE user_id = :parent.id ORDER BY likes DESC, id LIMIT 1"
          returns: Tweet
        - field: Query.tweetCount
          sql: "SELECT COUNT(*) FROM tweets WHERE likes >= :min AND tweet <> ':min' -- :ignored"
          arguments: {min: Int!}
          returns: Int!
`

// Named queries run with their arguments and the parent's columns bound,
// and their rows become the declared type.
func TestNamedQueries(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := seeded(t, driver)
		gw := gatewaytest.Start(t, seedsYAML(db, namedQueries), nil)
		statements := sqlkind.CountStatements(t, "social")
		r := execute(t, gw, `{ topUsers(n: 2) { handle topTweet { id likes } } tweetCount(min: 3) }`, nil)
		r.AssertData(t, `{"topUsers": [{"handle": "user5", "topTweet": {"id": 52, "likes": 4}}, {"handle": "user4", "topTweet": {"id": 42, "likes": 4}}], "tweetCount": 10}`)
		if n := statements.Load(); n != 4 {
			t.Errorf("%d statements, want 4 (two roots, and topTweet once per parent)", n)
		}
		r = execute(t, gw, `query($n: Int!) { topUsers(n: $n) { id } }`, map[string]any{"n": 0})
		r.AssertData(t, `{"topUsers": []}`)
	})
}
