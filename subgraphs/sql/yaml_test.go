package sql_test

import (
	"strings"
	"testing"

	"github.com/tributary-gw/tributary/config"
	sqlkind "github.com/tributary-gw/tributary/subgraphs/sql"
)

// fullYAML sets every key of the section.
const fullYAML = `
subgraphs:
  - name: library
    sql:
      driver: postgres
      dsn: ${DATABASE_URL}
      schema: public
      tables: {include: ["*"], exclude: [secret_*]}
      types: {book_loans: Loan}
      pool: {maxOpen: 20, maxIdle: 5}
      statementTimeout: 5s
      session:
        settings: {app.user_id: "{header.X-User-Id}", app.tenant: "{claims.tenant}"}
        role: "{claims.role}"
        roles: [reader, editor]
      queries:
        - field: Query.topAuthors
          sql: "SELECT * FROM authors ORDER BY rating DESC LIMIT :n"
          arguments: {n: Int!}
          returns: "[Author!]!"
`

func TestGatewayYAMLSection(t *testing.T) {
	cfg, err := config.Parse("gateway.yaml", []byte(fullYAML), func(string) (string, bool) { return "postgres://db/library", true })
	if err != nil {
		t.Fatal(err)
	}
	c, ok := cfg.Subgraphs[0].Config.(*sqlkind.Config)
	if !ok {
		t.Fatalf("section decoded as %T", cfg.Subgraphs[0].Config)
	}
	if c.DSN != "postgres://db/library" || c.Types["book_loans"] != "Loan" || c.Session.Roles[1] != "editor" ||
		c.Queries[0].Arguments["n"] != "Int!" || c.StatementTimeout.Std().Seconds() != 5 || c.Pool.MaxIdle != 5 {
		t.Errorf("decoded %+v", c)
	}
}

// Mistakes point at their key's line and say how to fix them.
func TestSectionErrors(t *testing.T) {
	for _, tt := range []struct{ section, want string }{
		{"      dsn: x\n", `gateway.yaml:3: subgraphs[0] "library": sql.driver is required`},
		{"      driver: oracle\n      dsn: x\n", `sql.driver must be one of postgres, mysql, sqlite`},
		{"      driver: sqlite\n", `sql.dsn is required`},
		{"      driver: sqlite\n      dsn: x\n      schema: public\n", `gateway.yaml:6`},
		{"      driver: mysql\n      dsn: x\n      session: {settings: {app.user: \"{header.X}\"}}\n", `session is for postgres only`},
		{"      driver: postgres\n      dsn: x\n      session: {settings: {app.user: \"{cookie.X}\"}}\n", `{cookie.X} is neither`},
		{"      driver: postgres\n      dsn: x\n      session: {role: \"{claims.role}\"}\n", `roles is required with role`},
		{"      driver: sqlite\n      dsn: x\n      types: {a: 1bad}\n", `"1bad" is not a GraphQL type name`},
		{"      driver: sqlite\n      dsn: x\n      queries:\n        - {field: Query.q, sql: \"SELECT :x\", returns: Int}\n", `:x is not one of arguments`},
		{"      driver: sqlite\n      dsn: x\n      queries:\n        - {field: q, sql: \"SELECT 1\", returns: Int}\n", `"q" is not TYPE.FIELD`},
		{"      driver: sqlite\n      dsn: x\n      queries:\n        - {field: Query.q, sql: \"SELECT :a\", arguments: {a: \"[Int]\"}, returns: Int}\n", `is not an argument type`},
	} {
		_, err := config.Parse("gateway.yaml", []byte("subgraphs:\n  - name: library\n    sql:\n"+tt.section), func(string) (string, bool) { return "", false })
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.section, err, tt.want)
		}
	}
}
