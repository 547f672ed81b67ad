package sql_test

import (
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// slowViews are views that take seconds to read, per database.
var slowViews = map[string]string{
	"postgres": `CREATE VIEW slow AS SELECT 1 AS id, pg_sleep(3)::text AS z`,
	"mysql":    `CREATE VIEW slow AS SELECT 1 AS id, SLEEP(3) AS z`,
	"sqlite": `CREATE VIEW slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000)
SELECT max(x) AS id FROM c`,
}

// A statement slower than statementTimeout fails with SQL_TIMEOUT at its
// field's path, without SQL text, and the pool's one connection serves
// the next request.
func TestStatementTimeout(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := seeded(t, driver)
		db.exec(t, slowViews[driver])
		gw := gatewaytest.Start(t, seedsYAML(db, "      statementTimeout: 200ms\n      pool: {maxOpen: 1}\n"), nil)
		r := execute(t, gw, `{ slows { id } }`, nil)
		e := r.FirstError(t)
		if e.Extensions["code"] != "SQL_TIMEOUT" || len(e.Path) == 0 || e.Path[0] != "slows" {
			t.Fatalf("want SQL_TIMEOUT at slows, got %s", r.Raw)
		}
		if strings.Contains(strings.ToUpper(r.Raw), "SELECT") {
			t.Errorf("the error carries SQL text: %s", r.Raw)
		}
		execute(t, gw, `{ user(id: 1) { handle } }`, nil).AssertData(t, `{"user": {"handle": "user1"}}`)
	})
}
