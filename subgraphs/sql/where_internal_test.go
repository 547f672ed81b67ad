package sql

import (
	"encoding/json"
	"strings"
	"testing"
)

// fuzzTable is a table whose column names need quoting.
func fuzzTable() *table {
	t := &table{name: `t"x`, typeName: "T", byName: map[string]*column{}, byField: map[string]*column{}}
	for _, c := range []*column{
		{name: "id", field: "id", scalar: "Int", kind: kindInt},
		{name: `na"me`, field: "na_me", scalar: "String", kind: kindString, nullable: true},
		{name: "at", field: "at", scalar: "DateTime", kind: kindDateTime, nullable: true},
	} {
		t.columns = append(t.columns, c)
		t.byName[c.name], t.byField[c.field] = c, c
	}
	t.primaryKey = t.columns[:1]
	return t
}

// Whatever a where argument holds, the SQL written is the kind's own
// text and quoted columns: every value is bound, one placeholder each.
func FuzzWhere(f *testing.F) {
	for _, seed := range []string{
		`{"id":{"eq":1}}`,
		`{"na_me":{"like":"'; DROP TABLE t; --","in":["a","b"]},"or":[{"id":{"gt":2}},{"not":{"at":{"lt":"2026-01-01T00:00:00Z"}}}]}`,
		`{"and":[{"na_me":{"isNull":true}},{"na_me":{"ilike":"x\"y"}}]}`,
		`{"id":{"in":[]},"na_me":{"nin":[]}}`,
	} {
		f.Add(seed)
	}
	t := fuzzTable()
	f.Fuzz(func(tt *testing.T, where string) {
		if !json.Valid([]byte(where)) {
			return
		}
		for _, d := range []dialect{postgres{}, mysql{}, sqlite{}} {
			st := &stmt{d: d}
			if err := st.where(t, json.RawMessage(where)); err != nil {
				continue
			}
			text := st.b.String()
			// Strip what the kind may write; anything left came from input.
			for _, word := range []string{d.quote("id"), d.quote(`na"me`), d.quote("at"), "LOWER(", "ILIKE", "LIKE", "NOT IN (", "IN (", "IS NOT NULL", "IS NULL",
				"NOT ", " AND ", " OR ", "1=1", "1=0", "<>", "<=", ">=", "=", "<", ">", "(", ")", ", ", " "} {
				text = strings.ReplaceAll(text, word, "")
			}
			n := strings.Count(text, "?")
			if d.name() == "postgres" {
				n = strings.Count(text, "$")
				for _, r := range text {
					if r != '$' && (r < '0' || r > '9') {
						tt.Fatalf("%s: input reached the SQL text: %q from %s", d.name(), st.b.String(), where)
					}
				}
			} else if strings.Trim(text, "?") != "" {
				tt.Fatalf("%s: input reached the SQL text: %q from %s", d.name(), st.b.String(), where)
			}
			if n != len(st.args) {
				tt.Fatalf("%s: %d placeholders, %d values: %q", d.name(), n, len(st.args), st.b.String())
			}
		}
	})
}

// parseNamedSQL finds :name and :parent.column parameters outside quotes,
// comments and casts.
func TestParseNamedSQL(t *testing.T) {
	text, params := parseNamedSQL(postgres{}, `SELECT ':no', ":no", x::int FROM t WHERE a = :a AND b = :parent.b_1 -- :no
AND c = :a`)
	want := `SELECT ':no', ":no", x::int FROM t WHERE a = $1 AND b = $2 -- :no
AND c = $3`
	if text != want || len(params) != 3 || params[0].name != "a" || !params[1].fromParent || params[1].name != "b_1" || params[2].name != "a" {
		t.Errorf("got %q %+v", text, params)
	}
}
