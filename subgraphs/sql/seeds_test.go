package sql_test

import (
	"fmt"
	"strings"
	"testing"
)

// seedsDDL is the seeds' mini-Twitter: users and their tweets, with a
// second foreign key to users (the user replied to).
const seedsDDL = `CREATE TABLE users (
  id INT NOT NULL PRIMARY KEY,
  handle VARCHAR(40) NOT NULL,
  name VARCHAR(100),
  followers_count INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT users_handle_key UNIQUE (handle)
);
CREATE TABLE tweets (
  id INT NOT NULL PRIMARY KEY,
  user_id INTEGER NOT NULL,
  reply_to_user_id INTEGER,
  tweet VARCHAR(280) NOT NULL,
  likes INTEGER NOT NULL DEFAULT 0,
  created_at {datetime} NOT NULL,
  CONSTRAINT tweets_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT tweets_reply_fk FOREIGN KEY (reply_to_user_id) REFERENCES users (id)
)`

// seedUsers is how many users the seeds have; user i has 4 tweets, ids
// 10i+1…10i+4, with 4-k likes… so that likes order differs from ids.
const seedUsers = 5

// seeded makes a database of the driver's kind with the seeds loaded.
func seeded(t testing.TB, driver string) *testDB {
	t.Helper()
	db := newTestDB(t, driver)
	db.exec(t, seedsDDL)
	var users, tweets []string
	for i := 1; i <= seedUsers; i++ {
		name := fmt.Sprintf("'User %d'", i)
		if i == seedUsers {
			name = "NULL"
		}
		users = append(users, fmt.Sprintf("(%d, 'user%d', %s, %d)", i, i, name, i*100))
		for k := 1; k <= 4; k++ {
			reply := "NULL"
			if k == 4 {
				reply = fmt.Sprint(i%seedUsers + 1)
			}
			tweets = append(tweets, fmt.Sprintf("(%d, %d, %s, 'tweet %d.%d', %d, '2026-01-0%d 10:00:00')", 10*i+k, i, reply, i, k, (k*7)%5, k))
		}
	}
	db.exec(t, "INSERT INTO users (id, handle, name, followers_count) VALUES "+strings.Join(users, ", ")+";\n"+
		"INSERT INTO tweets (id, user_id, reply_to_user_id, tweet, likes, created_at) VALUES "+strings.Join(tweets, ", "))
	return db
}

// seedsYAML serves db as the subgraph "social".
func seedsYAML(db *testDB, extra string) string {
	return "subgraphs:\n  - name: social\n" + db.section(extra)
}

// forEachDriver runs fn as a subtest per database.
func forEachDriver(t *testing.T, fn func(t *testing.T, driver string)) {
	for _, d := range drivers {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}
