package sql_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-gw/tributary"
	"github.com/tributary-gw/tributary/internal/gatewaytest"
)

// PostgreSQL's types map as the contract says, with enums, arrays, JSON
// and comments as descriptions, and values round-trip through filters.
func TestPostgresTypes(t *testing.T) {
	db := newTestDB(t, "postgres")
	db.exec(t, `CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TYPE phase AS ENUM ('to-do', 'done');
CREATE TABLE tasks (id INTEGER PRIMARY KEY, phase phase NOT NULL);
CREATE TABLE things (
  id UUID PRIMARY KEY,
  big BIGINT NOT NULL,
  price NUMERIC(10, 2),
  ratio DOUBLE PRECISION,
  ok BOOLEAN NOT NULL DEFAULT true,
  tags TEXT[],
  meta JSONB,
  at TIMESTAMPTZ,
  day DATE,
  feeling mood
);
COMMENT ON TABLE things IS 'Things "quoted" here';
COMMENT ON COLUMN things.big IS 'A big number';
INSERT INTO things VALUES ('6f1c1b1e-0000-4000-8000-000000000001', 9007199254740993, 12.50, 0.5, false, ARRAY['a', 'b'], '{"k": [1, 2]}', '2026-01-02T03:04:05Z', '2026-01-02', 'sad')`)
	yaml := "subgraphs:\n  - name: inventory\n" + db.section("")
	sdl := buildSDL(t, yaml)
	for _, want := range []string{
		"scalar BigInt\n", "scalar UUID\n", "scalar Decimal\n", "scalar JSON\n", "scalar DateTime\n", "scalar Date\n",
		"\"Things \\\"quoted\\\" here\"\ntype Thing @key(fields: \"id\") {\n  id: UUID!\n  \"A big number\"\n  big: BigInt!\n  price: Decimal\n  ratio: Float\n  ok: Boolean!\n  tags: [String]\n  meta: JSON\n  at: DateTime\n  day: Date\n  feeling: Mood\n",
		"enum Mood {\n  happy\n  sad\n}\n",
		"  thing(id: UUID!): Thing\n",
		"  feeling: MoodFilter\n",
		"type Task @key(fields: \"id\") {\n  id: Int!\n  phase: String!\n", // 'to-do' is no GraphQL enum value
	} {
		if !strings.Contains(sdl, want) {
			t.Errorf("SDL lacks %q:\n%s", want, sdl)
		}
	}
	gw := gatewaytest.Start(t, yaml, nil)
	r := execute(t, gw, `{
	  thing(id: "6f1c1b1e-0000-4000-8000-000000000001") { big price ratio ok tags meta at day feeling }
	  things(where: {feeling: {eq: sad}, big: {gt: "9007199254740992"}, at: {lt: "2026-02-01T00:00:00Z"}, day: {eq: "2026-01-02"}, ok: {eq: false}}) { id }
	}`, nil)
	r.AssertData(t, `{
	  "thing": {"big": "9007199254740993", "price": "12.50", "ratio": 0.5, "ok": false, "tags": ["a", "b"], "meta": {"k": [1, 2]},
	    "at": "2026-01-02T03:04:05Z", "day": "2026-01-02", "feeling": "sad"},
	  "things": [{"id": "6f1c1b1e-0000-4000-8000-000000000001"}]
	}`)
}

// Row-level security: each caller's settings and role are applied in the
// request's transaction, so two callers see different rows through the
// same query, concurrently; header values are bound, so a caller cannot
// set another's value; a role outside roles is refused.
func TestPostgresRowLevelSecurity(t *testing.T) {
	db := newTestDB(t, "postgres")
	role := db.schema + "_reader"
	db.exec(t, fmt.Sprintf(`CREATE TABLE notes (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, body TEXT NOT NULL);
INSERT INTO notes VALUES (1, 'alice', 'a1'), (2, 'alice', 'a2'), (3, 'bob', 'b1');
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_notes ON notes FOR SELECT USING (owner = current_setting('app.user_id', true));
CREATE ROLE %[1]s NOLOGIN;
GRANT USAGE ON SCHEMA %[2]s TO %[1]s;
GRANT SELECT ON notes TO %[1]s`, role, db.schema))
	t.Cleanup(func() {
		_, _ = db.admin.Exec(fmt.Sprintf("DROP OWNED BY %s", role))
		_, _ = db.admin.Exec(fmt.Sprintf("DROP ROLE %s", role))
	})
	session := fmt.Sprintf(`      session:
        settings: {app.user_id: "{header.X-User-Id}"}
        role: "{claims.role}"
        roles: [%s]
`, role)
	gw := gatewaytest.Start(t, "subgraphs:\n  - name: notes\n"+db.section(session), nil)
	as := func(user, role string) response {
		h := http.Header{"X-User-Id": {user}}
		return executeAs(t, gw, `{ notes { id } }`, h, &tributary.Identity{Subject: user, Claims: map[string]any{"role": role}})
	}
	var wg sync.WaitGroup
	got := make([]response, 20)
	for i := range got {
		wg.Go(func() {
			got[i] = as([]string{"alice", "bob"}[i%2], role)
		})
	}
	wg.Wait()
	for i, r := range got {
		r.AssertData(t, []string{`{"notes": [{"id": 1}, {"id": 2}]}`, `{"notes": [{"id": 3}]}`}[i%2])
	}
	as(`bob', true), set_config('app.user_id', 'alice`, role).AssertData(t, `{"notes": []}`)
	r := as("alice", "postgres")
	if e := r.FirstError(t); e.Extensions["code"] != "SQL_PERMISSION_DENIED" {
		t.Errorf("a role outside roles: got %s", r.Raw)
	}
	// The role may not insert: the database's denial keeps its code.
	r = executeAs(t, gw, `mutation { createNote(input: {id: 9, owner: "alice", body: "x"}) { id } }`,
		http.Header{"X-User-Id": {"alice"}}, &tributary.Identity{Claims: map[string]any{"role": role}})
	if e := r.FirstError(t); e.Extensions["code"] != "SQL_PERMISSION_DENIED" || strings.Contains(r.Raw, "INSERT") {
		t.Errorf("an insert the role may not do: got %s", r.Raw)
	}
}
