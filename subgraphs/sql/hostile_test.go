package sql_test

import (
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// hostileDDL has a table and columns whose names are SQL; the kind must
// quote them everywhere.
const hostileDDL = `CREATE TABLE "x""; DROP TABLE users; --" (
  id INTEGER NOT NULL PRIMARY KEY,
  "na""me" VARCHAR(50),
  "select" VARCHAR(50)
);
INSERT INTO "x""; DROP TABLE users; --" (id, "na""me", "select") VALUES (1, 'a''b', 'from'), (2, '%_\', NULL)`

// mysqlHostileDDL is hostileDDL in MySQL's quoting (backticks, and
// backslash escapes in strings).
const mysqlHostileDDL = "CREATE TABLE `x\"; DROP TABLE users; --` (\n" +
	"  id INTEGER NOT NULL PRIMARY KEY,\n" +
	"  `na\"me` VARCHAR(50),\n" +
	"  `select` VARCHAR(50)\n" +
	");\n" +
	"INSERT INTO `x\"; DROP TABLE users; --` (id, `na\"me`, `select`) VALUES (1, 'a''b', 'from'), (2, '%_\\\\', NULL)"

// Hostile identifiers and filter values reach the database quoted and
// bound: every filter operator with injection text, a table and columns
// named with quotes and keywords.
func TestHostileNamesAndValues(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		db := seeded(t, driver)
		ddl := hostileDDL
		if driver == "mysql" {
			ddl = mysqlHostileDDL
		}
		db.exec(t, ddl)
		gw := gatewaytest.Start(t, seedsYAML(db, "      types: {\"x\\\"; DROP TABLE users; --\": Hostile}\n"), nil)
		r := execute(t, gw, `{ hostiles(orderBy: [{id: ASC}]) { id na_me select } hostile(id: 1) { na_me } }`, nil)
		r.AssertData(t, `{"hostiles": [{"id": 1, "na_me": "a'b", "select": "from"}, {"id": 2, "na_me": "%_\\", "select": null}], "hostile": {"na_me": "a'b"}}`)
		evil := `'; DROP TABLE users; --`
		for _, filter := range []string{"eq", "ne", "lt", "lte", "gt", "gte", "like", "ilike"} {
			r := execute(t, gw, `query($v: String) { users(where: {handle: {`+filter+`: $v}, name: {`+filter+`: $v}}) { id } }`, map[string]any{"v": evil})
			if len(r.Errors) > 0 {
				t.Errorf("%s: %s", filter, r.Raw)
			}
		}
		for _, filter := range []string{"in", "nin"} {
			r := execute(t, gw, `query($v: [String!]) { users(where: {handle: {`+filter+`: $v}}) { id } }`, map[string]any{"v": []string{evil, `") OR 1=1 --`}})
			if len(r.Errors) > 0 {
				t.Errorf("%s: %s", filter, r.Raw)
			}
		}
		r = execute(t, gw, `{ users(where: {handle: {eq: "'; DROP TABLE users; --"}}) { id } all: users { id } }`, nil)
		r.AssertData(t, `{"users": [], "all": [{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}, {"id": 5}]}`)
	})
}
