package sql_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// Mutations create, update and delete rows in a transaction and return
// them; constraint violations become SQL_CONSTRAINT errors naming the
// constraint, without the SQL text.
func TestMutations(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := seeded(t, driver)
		gw := gatewaytest.Start(t, seedsYAML(db, ""), nil)
		r := execute(t, gw, `mutation { createUser(input: {id: 10, handle: "new", name: "New"}) { id handle name followers_count } }`, nil)
		r.AssertData(t, `{"createUser": {"id": 10, "handle": "new", "name": "New", "followers_count": 0}}`)

		r = execute(t, gw, `mutation { updateUser(id: 10, patch: {name: "Renamed", followers_count: 7}) { id name followers_count } }`, nil)
		r.AssertData(t, `{"updateUser": {"id": 10, "name": "Renamed", "followers_count": 7}}`)
		r = execute(t, gw, `mutation { updateUser(id: 77, patch: {name: "x"}) { id } }`, nil)
		r.AssertData(t, `{"updateUser": null}`)

		r = execute(t, gw, `mutation { createTweet(input: {id: 100, user_id: 10, tweet: "hello", created_at: "2026-02-01T00:00:00Z"}) { id likes user { handle } } }`, nil)
		r.AssertData(t, `{"createTweet": {"id": 100, "likes": 0, "user": {"handle": "new"}}}`)

		r = execute(t, gw, `mutation { createUser(input: {id: 11, handle: "user1"}) { id } }`, nil)
		e := r.FirstError(t)
		if e.Extensions["code"] != "SQL_CONSTRAINT" || e.Extensions["kind"] != "unique" || !strings.Contains(e.Extensions["constraint"].(string), "handle") {
			t.Errorf("duplicate handle: got %s", r.Raw)
		}
		if strings.Contains(strings.ToUpper(r.Raw), "INSERT") {
			t.Errorf("the error carries SQL text: %s", r.Raw)
		}
		r = execute(t, gw, `mutation { createTweet(input: {id: 101, user_id: 999, tweet: "x", created_at: "2026-02-01T00:00:00Z"}) { id } }`, nil)
		if e := r.FirstError(t); e.Extensions["code"] != "SQL_CONSTRAINT" || e.Extensions["kind"] != "foreign_key" {
			t.Errorf("unknown user: got %s", r.Raw)
		}
		r = execute(t, gw, `{ tweet(id: 101) { id } }`, nil)
		r.AssertData(t, `{"tweet": null}`)

		r = execute(t, gw, `mutation { deleteTweet(id: 100) { id tweet } }`, nil)
		r.AssertData(t, `{"deleteTweet": {"id": 100, "tweet": "hello"}}`)
		r = execute(t, gw, `mutation { deleteTweet(id: 100) { id } }`, nil)
		r.AssertData(t, `{"deleteTweet": null}`)
	})
}

// generatedKeys creates a table whose key the database assigns.
var generatedKeys = map[string]string{
	"postgres": `CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT NOT NULL)`,
	"mysql":    `CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT NOT NULL)`,
	"sqlite":   `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`,
}

// A created row whose key the database generates comes back with it:
// RETURNING, or MySQL's LAST_INSERT_ID.
func TestCreateWithGeneratedKey(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := newTestDB(t, driver)
		db.exec(t, generatedKeys[driver])
		gw := gatewaytest.Start(t, "subgraphs:\n  - name: notes\n"+db.section(""), nil)
		for i, body := range []string{"first", "second"} {
			r := execute(t, gw, `mutation($b: String!) { createNote(input: {body: $b}) { id body } }`, map[string]any{"b": body})
			r.AssertData(t, fmt.Sprintf(`{"createNote": {"id": %d, "body": %q}}`, i+1, body))
		}
	})
}
