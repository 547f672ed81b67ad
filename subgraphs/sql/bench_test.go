package sql_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// benchRows is how many tweets the list benchmarks read.
const benchRows = 500

// benchDB is a SQLite file with benchRows tweets by 50 users.
func benchDB(b *testing.B) *testDB {
	b.Helper()
	db := newTestDB(b, "sqlite")
	db.exec(b, seedsDDL)
	var users, tweets []string
	for i := 1; i <= 50; i++ {
		users = append(users, fmt.Sprintf("(%d, 'user%d', 'User %d', %d)", i, i, i, i))
	}
	for i := 1; i <= benchRows; i++ {
		tweets = append(tweets, fmt.Sprintf("(%d, %d, NULL, 'tweet number %d', %d, '2026-01-01 10:00:00')", i, i%50+1, i, i%7))
	}
	db.exec(b, "INSERT INTO users (id, handle, name, followers_count) VALUES "+strings.Join(users, ", ")+";\n"+
		"INSERT INTO tweets (id, user_id, reply_to_user_id, tweet, likes, created_at) VALUES "+strings.Join(tweets, ", "))
	return db
}

// BenchmarkListThroughKind reads benchRows rows through the kind's
// Source (statement building, scanning, JSON writing) ...
func BenchmarkListThroughKind(b *testing.B) {
	db := benchDB(b)
	sg := buildSubgraph(b, seedsYAML(db, ""), "social")
	sel := []*tributary.Selection{{Name: "id"}, {Name: "user_id"}, {Name: "tweet"}, {Name: "likes"}, {Name: "created_at"}}
	call := tributary.FieldCall{TypeName: "Query", FieldName: "tweets", Arguments: json.RawMessage(`{"orderBy":[{"id":"ASC"}]}`), Selection: sel}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sg.Source.ResolveField(context.Background(), call); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

// ... and BenchmarkListDatabaseAlone reads the same rows with
// database/sql into Go values: the difference is the kind's overhead.
func BenchmarkListDatabaseAlone(b *testing.B) {
	db := benchDB(b)
	b.ReportAllocs()
	for b.Loop() {
		rows, err := db.admin.Query(`SELECT "id", "user_id", "tweet", "likes", "created_at" FROM "tweets" WHERE 1=1 ORDER BY "id"`)
		if err != nil {
			b.Fatal(err)
		}
		var id, userID, likes int64
		var tweet, at string
		for rows.Next() {
			if err := rows.Scan(&id, &userID, &tweet, &likes, &at); err != nil {
				b.Fatal(err)
			}
		}
		rows.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

// BenchmarkRelationBatch resolves users(limit: 50) { tweets(limit: 3) }'s
// relation level: one statement for 50 parents.
func BenchmarkRelationBatch(b *testing.B) {
	db := benchDB(b)
	sg := buildSubgraph(b, seedsYAML(db, ""), "social")
	parents := make([]json.RawMessage, 50)
	for i := range parents {
		parents[i] = json.RawMessage(fmt.Sprintf(`{"__typename":"User","id":%d}`, i+1))
	}
	batch := tributary.FieldBatch{TypeName: "User", FieldName: "tweets", Arguments: json.RawMessage(`{"limit":3}`), Parents: parents,
		Selection: []*tributary.Selection{{Name: "id"}, {Name: "tweet"}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sg.Source.ResolveFieldBatch(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
}

// benchQuery is the example: a page of users and each one's
// first tweets, two statements.
const benchQuery = `{ users(limit: 50) { handle tweets(limit: 3) { id tweet } } }`

// BenchmarkGatewayEndToEnd runs benchQuery through the gateway (parse,
// plan, engine, the kind, the database) ...
func BenchmarkGatewayEndToEnd(b *testing.B) {
	for _, driver := range []string{"sqlite", "postgres", "mysql"} {
		b.Run(driver, func(b *testing.B) {
			db := benchSeeded(b, driver)
			gw := gatewaytest.Start(b, seedsYAML(db, ""), nil)
			ctx := context.Background()
			req := &tributary.Request{Query: benchQuery}
			b.ReportAllocs()
			for b.Loop() {
				if res := gw.Execute(ctx, req); strings.Contains(string(res.Body), `"errors"`) {
					b.Fatalf("%s", res.Body)
				}
			}
		})
	}
}

// ... and BenchmarkDatabaseAloneEndToEnd runs the two statements the kind
// writes for it straight through database/sql, reading every value.
func BenchmarkDatabaseAloneEndToEnd(b *testing.B) {
	for _, driver := range []string{"sqlite", "postgres", "mysql"} {
		b.Run(driver, func(b *testing.B) {
			db := benchSeeded(b, driver)
			q := map[string]string{"postgres": `"`, "sqlite": `"`, "mysql": "`"}[driver]
			quote := func(s string) string { return q + s + q }
			users := "SELECT " + quote("id") + ", " + quote("handle") + " FROM " + quote("users") + " WHERE 1=1 ORDER BY " + quote("id") + " LIMIT 50"
			tweets := "SELECT " + quote("id") + ", " + quote("tweet") + ", " + quote("user_id") + " FROM (SELECT " + quote("id") + ", " + quote("tweet") + ", " + quote("user_id") +
				", ROW_NUMBER() OVER (PARTITION BY " + quote("user_id") + " ORDER BY " + quote("id") + ") AS rn FROM " + quote("tweets") + " WHERE " + quote("user_id") + " IN (%s)) p WHERE rn <= 3 ORDER BY rn"
			b.ReportAllocs()
			for b.Loop() {
				rows, err := db.admin.Query(users)
				if err != nil {
					b.Fatal(err)
				}
				var ids []string
				for rows.Next() {
					var id int64
					var handle string
					if err := rows.Scan(&id, &handle); err != nil {
						b.Fatal(err)
					}
					ids = append(ids, fmt.Sprint(id))
				}
				rows.Close()
				rows, err = db.admin.Query(fmt.Sprintf(tweets, strings.Join(ids, ", ")))
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
					var id, user int64
					var tweet string
					if err := rows.Scan(&id, &tweet, &user); err != nil {
						b.Fatal(err)
					}
				}
				rows.Close()
			}
		})
	}
}

// benchSeeded is a database of the driver's kind with 50 users of 10
// tweets each.
func benchSeeded(b *testing.B, driver string) *testDB {
	db := newTestDB(b, driver)
	db.exec(b, seedsDDL)
	var users, tweets []string
	for i := 1; i <= 50; i++ {
		users = append(users, fmt.Sprintf("(%d, 'user%d', 'User %d', %d)", i, i, i, i))
		for k := 1; k <= 10; k++ {
			tweets = append(tweets, fmt.Sprintf("(%d, %d, NULL, 'tweet %d.%d', %d, '2026-01-01 10:00:00')", 100*i+k, i, i, k, k))
		}
	}
	db.exec(b, "INSERT INTO users (id, handle, name, followers_count) VALUES "+strings.Join(users, ", ")+";\n"+
		"INSERT INTO tweets (id, user_id, reply_to_user_id, tweet, likes, created_at) VALUES "+strings.Join(tweets, ", "))
	return db
}
