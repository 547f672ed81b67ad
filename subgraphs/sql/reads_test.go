package sql_test

import (
	"testing"

	sqlkind "github.com/tributary-gw/tributary/subgraphs/sql"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// Lookups by key and lists with where, orderBy, limit and offset read
// the same on the three databases, one statement per root field.
func TestLookupsAndFilteredLists(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := seeded(t, driver)
		gw := gatewaytest.Start(t, seedsYAML(db, ""), nil)
		statements := sqlkind.CountStatements(t, "social")
		r := execute(t, gw, `{
		  user(id: 2) { id handle name followers_count }
		  missing: user(id: 99) { id }
		  page: users(where: {followers_count: {gte: 200}, name: {isNull: false}}, orderBy: [{followers_count: DESC}], limit: 2, offset: 1) { handle }
		  some: users(where: {or: [{handle: {eq: "user1"}}, {handle: {like: "user5%"}}, {name: {ilike: "USER 3"}}], not: {id: {in: [5]}}}) { id }
		  none: users(where: {id: {in: []}}) { id }
		  tail: users(orderBy: [{id: DESC}], offset: 3) { id }
		}`, nil)
		r.AssertData(t, `{
		  "user": {"id": 2, "handle": "user2", "name": "User 2", "followers_count": 200},
		  "missing": null,
		  "page": [{"handle": "user3"}, {"handle": "user2"}],
		  "some": [{"id": 1}, {"id": 3}],
		  "none": [],
		  "tail": [{"id": 2}, {"id": 1}]
		}`)
		if n := statements.Load(); n != 6 {
			t.Errorf("%d statements for 6 root fields, want 6", n)
		}
	})
}

// A relation below a list is one statement for all parents, however many:
// authors(limit: 50) { books(limit: 3) } is two statements, the second
// paging each parent's rows on its own; a forward relation likewise; and
// a level deeper adds one more.
func TestRelationsOneStatementPerLevel(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := seeded(t, driver)
		gw := gatewaytest.Start(t, seedsYAML(db, ""), nil)
		statements := sqlkind.CountStatements(t, "social")

		r := execute(t, gw, `{ users(limit: 50) { handle tweets(limit: 2, orderBy: [{likes: DESC}]) { id likes } } }`, nil)
		r.AssertData(t, `{"users": [
		  {"handle": "user1", "tweets": [{"id": 12, "likes": 4}, {"id": 14, "likes": 3}]},
		  {"handle": "user2", "tweets": [{"id": 22, "likes": 4}, {"id": 24, "likes": 3}]},
		  {"handle": "user3", "tweets": [{"id": 32, "likes": 4}, {"id": 34, "likes": 3}]},
		  {"handle": "user4", "tweets": [{"id": 42, "likes": 4}, {"id": 44, "likes": 3}]},
		  {"handle": "user5", "tweets": [{"id": 52, "likes": 4}, {"id": 54, "likes": 3}]}]}`)
		if n := statements.Swap(0); n != 2 {
			t.Errorf("users { tweets(limit: 2) }: %d statements, want 2", n)
		}

		r = execute(t, gw, `{ tweets(where: {id: {in: [12, 23, 34, 11]}}) { id user { handle } reply_to_user { id } } }`, nil)
		r.AssertData(t, `{"tweets": [
		  {"id": 11, "user": {"handle": "user1"}, "reply_to_user": null},
		  {"id": 12, "user": {"handle": "user1"}, "reply_to_user": null},
		  {"id": 23, "user": {"handle": "user2"}, "reply_to_user": null},
		  {"id": 34, "user": {"handle": "user3"}, "reply_to_user": {"id": 4}}]}`)
		if n := statements.Swap(0); n != 3 {
			t.Errorf("tweets { user reply_to_user }: %d statements, want 3 (one per relation)", n)
		}

		r = execute(t, gw, `{ users(where: {id: {lte: 2}}) { id tweets(offset: 1, limit: 1) { id user { id tweetsByReplyToUserId { id } } } } }`, nil)
		r.AssertData(t, `{"users": [
		  {"id": 1, "tweets": [{"id": 12, "user": {"id": 1, "tweetsByReplyToUserId": [{"id": 54}]}}]},
		  {"id": 2, "tweets": [{"id": 22, "user": {"id": 2, "tweetsByReplyToUserId": [{"id": 14}]}}]}]}`)
		if n := statements.Swap(0); n != 4 {
			t.Errorf("three levels of relations: %d statements, want 4", n)
		}
	})
}

// Aliases of a relation with different arguments are separate
// statements; the topTweet pick is a relation with orderBy and limit: 1.
func TestAliasesAndTopTweet(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := seeded(t, driver)
		gw := gatewaytest.Start(t, seedsYAML(db, ""), nil)
		statements := sqlkind.CountStatements(t, "social")
		r := execute(t, gw, `{ users(where: {id: {in: [1, 3]}}) {
		  id
		  first: tweets(limit: 1) { id }
		  topTweet: tweets(orderBy: [{likes: DESC}], limit: 1) { id tweet }
		} }`, nil)
		r.AssertData(t, `{"users": [
		  {"id": 1, "first": [{"id": 11}], "topTweet": [{"id": 12, "tweet": "tweet 1.2"}]},
		  {"id": 3, "first": [{"id": 31}], "topTweet": [{"id": 32, "tweet": "tweet 3.2"}]}]}`)
		if n := statements.Load(); n != 3 {
			t.Errorf("%d statements, want 3 (the list, and one per alias)", n)
		}
	})
}
