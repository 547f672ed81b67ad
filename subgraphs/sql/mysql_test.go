package sql_test

import (
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// MySQL/MariaDB types map as the contract says: enums, tinyint(1) as
// Boolean, comments as descriptions; values round-trip through filters.
func TestMySQLTypes(t *testing.T) {
	db := newTestDB(t, "mysql")
	db.exec(t, `CREATE TABLE things (
  id BIGINT NOT NULL PRIMARY KEY COMMENT 'The key',
  status ENUM('draft', 'published') NOT NULL,
  ok TINYINT(1) NOT NULL DEFAULT 1,
  price DECIMAL(10, 2),
  meta JSON,
  at DATETIME,
  day DATE
) COMMENT 'Things here';
INSERT INTO things VALUES (9007199254740993, 'published', 0, 12.50, '{"k": [1, 2]}', '2026-01-02 03:04:05', '2026-01-02')`)
	yaml := "subgraphs:\n  - name: inventory\n" + db.section("")
	sdl := buildSDL(t, yaml)
	for _, want := range []string{
		"\"Things here\"\ntype Thing @key(fields: \"id\") {\n  \"The key\"\n  id: BigInt!\n  status: ThingsStatus!\n  ok: Boolean!\n  price: Decimal\n  meta: JSON\n  at: DateTime\n  day: Date\n",
		"enum ThingsStatus {\n  draft\n  published\n}\n",
	} {
		if !strings.Contains(sdl, want) {
			t.Errorf("SDL lacks %q:\n%s", want, sdl)
		}
	}
	gw := gatewaytest.Start(t, yaml, nil)
	r := execute(t, gw, `{
	  thing(id: "9007199254740993") { id status ok price meta at day }
	  things(where: {status: {eq: published}, ok: {eq: false}, at: {gte: "2026-01-02T03:04:05Z"}, day: {eq: "2026-01-02"}}) { id }
	}`, nil)
	r.AssertData(t, `{
	  "thing": {"id": "9007199254740993", "status": "published", "ok": false, "price": "12.50", "meta": {"k": [1, 2]}, "at": "2026-01-02T03:04:05Z", "day": "2026-01-02"},
	  "things": [{"id": "9007199254740993"}]
	}`)
}
