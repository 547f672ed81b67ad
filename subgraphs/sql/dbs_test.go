package sql_test

import (
	"context"
	"crypto/rand"
	dbsql "database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// Where the tests find the databases; override with env.
var (
	postgresURL = envOr("TRIBUTARY_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	mysqlDSN    = envOr("TRIBUTARY_TEST_MYSQL", "root@tcp(127.0.0.1:3306)/")
)

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// testDB is one isolated database for a test: a fresh PostgreSQL schema,
// MariaDB database or SQLite file, dropped when the test ends.
type testDB struct {
	driver string
	// dsn is what gateway.yaml's sql.dsn gets; schema its sql.schema.
	dsn, schema string
	// admin runs the test's own statements (DDL, seeds).
	admin *dbsql.DB
}

// unreachable skips the test, or fails it under CI, when a database
// server is not running.
func unreachable(t testing.TB, what, start string, err error) {
	t.Helper()
	msg := fmt.Sprintf("%s is not reachable (%v); start it with: %s", what, err, start)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func uniqueName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "tributary_sql_" + hex.EncodeToString(b)
}

// newTestDB makes an isolated database of the driver's kind.
func newTestDB(t testing.TB, driver string) *testDB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	name := uniqueName()
	switch driver {
	case "postgres":
		root, err := dbsql.Open("pgx", postgresURL)
		if err == nil {
			err = root.PingContext(ctx)
		}
		if err != nil {
			unreachable(t, "PostgreSQL at "+postgresURL, "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", err)
		}
		if _, err := root.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
			t.Fatal(err)
		}
		dsn := postgresURL + "&search_path=" + name
		admin, err := dbsql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin.Close()
			_, _ = root.Exec("DROP SCHEMA " + name + " CASCADE")
			root.Close()
		})
		return &testDB{driver: driver, dsn: dsn, schema: name, admin: admin}
	case "mysql":
		root, err := dbsql.Open("mysql", mysqlDSN)
		if err == nil {
			err = root.PingContext(ctx)
		}
		if err != nil {
			unreachable(t, "MariaDB at "+mysqlDSN, "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd", err)
		}
		if _, err := root.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			t.Fatal(err)
		}
		dsn := mysqlDSN + name
		admin, err := dbsql.Open("mysql", dsn+"?multiStatements=true&parseTime=true")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin.Close()
			_, _ = root.Exec("DROP DATABASE " + name)
			root.Close()
		})
		return &testDB{driver: driver, dsn: dsn, admin: admin}
	case "sqlite":
		path := filepath.Join(t.TempDir(), name+".db")
		admin, err := dbsql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
		if err != nil {
			t.Fatal(err)
		}
		admin.SetMaxOpenConns(1)
		t.Cleanup(func() { admin.Close() })
		return &testDB{driver: driver, dsn: path, admin: admin}
	}
	t.Fatalf("unknown driver %s", driver)
	return nil
}

// exec runs the test's own statements, one at a time (split on ";\n"),
// with the dialect's spellings substituted: {datetime}.
func (db *testDB) exec(t testing.TB, script string) {
	t.Helper()
	datetime := map[string]string{"postgres": "TIMESTAMPTZ", "mysql": "DATETIME", "sqlite": "TIMESTAMP"}[db.driver]
	script = strings.ReplaceAll(script, "{datetime}", datetime)
	for _, s := range strings.Split(script, ";\n") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, err := db.admin.Exec(s); err != nil {
			t.Fatalf("%s: %v\n%s", db.driver, err, s)
		}
	}
}

// section is the sql section for this database, with extra keys
// appended (indented like the section's keys).
func (db *testDB) section(extra string) string {
	s := fmt.Sprintf("    sql:\n      driver: %s\n      dsn: %q\n", db.driver, db.dsn)
	if db.schema != "" {
		s += fmt.Sprintf("      schema: %s\n", db.schema)
	}
	return s + extra
}

// drivers are the three databases every behaviour is tested on.
var drivers = []string{"sqlite", "postgres", "mysql"}
