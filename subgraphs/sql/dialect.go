package sql

import (
	"strconv"
	"strings"
)

// dialect is what differs between the three databases when the kind
// writes SQL: quoting, placeholders, how a batch of keys is matched and
// how a case-insensitive match is written. Catalog reading differs too;
// that is in the reflect_*.go files.
type dialect interface {
	catalogReader
	// name is the driver's name in gateway.yaml.
	name() string
	// quote quotes an identifier.
	quote(ident string) string
	// placeholder is the n-th (1-based) bound parameter.
	placeholder(n int) string
	// anyArray reports whether `col = ANY(?)` with one array parameter
	// matches a batch of single-column keys (PostgreSQL); otherwise the
	// kind writes `col IN (?, ?, …)`.
	anyArray() bool
	// ilike writes a case-insensitive LIKE of expr and the parameter p.
	ilike(expr, p string) string
	// selectColumn writes the select expression of a column read as JSON
	// (arrays on PostgreSQL); plain columns are just quoted.
	selectColumn(quoted string, c *column) string
	// returning reports whether INSERT/UPDATE/DELETE … RETURNING exists.
	returning() bool
}

// quoteWith doubles q inside ident and wraps it in q: the SQL standard's
// quoting, safe for any identifier text.
func quoteWith(ident string, q byte) string {
	var b strings.Builder
	b.Grow(len(ident) + 2)
	b.WriteByte(q)
	for i := 0; i < len(ident); i++ {
		if ident[i] == q {
			b.WriteByte(q)
		}
		b.WriteByte(ident[i])
	}
	b.WriteByte(q)
	return b.String()
}

// postgres is PostgreSQL through pgx.
type postgres struct{}

func (postgres) name() string                { return "postgres" }
func (postgres) quote(ident string) string   { return quoteWith(ident, '"') }
func (postgres) placeholder(n int) string    { return "$" + strconv.Itoa(n) }
func (postgres) anyArray() bool              { return true }
func (postgres) ilike(expr, p string) string { return expr + " ILIKE " + p }
func (postgres) returning() bool             { return true }
func (postgres) selectColumn(quoted string, c *column) string {
	if c.array {
		// pgx's database/sql driver returns arrays as PostgreSQL's text
		// form ({1,2}); as JSON they are written through unchanged.
		return "array_to_json(" + quoted + ")"
	}
	return quoted
}

// mysql is MySQL and MariaDB through go-sql-driver.
type mysql struct{}

func (mysql) name() string                { return "mysql" }
func (mysql) quote(ident string) string   { return quoteWith(ident, '`') }
func (mysql) placeholder(int) string      { return "?" }
func (mysql) anyArray() bool              { return false }
func (mysql) ilike(expr, p string) string { return "LOWER(" + expr + ") LIKE LOWER(" + p + ")" }
func (mysql) returning() bool             { return false }
func (mysql) selectColumn(quoted string, _ *column) string {
	return quoted
}

// sqlite is SQLite through modernc.org/sqlite.
type sqlite struct{}

func (sqlite) name() string                { return "sqlite" }
func (sqlite) quote(ident string) string   { return quoteWith(ident, '"') }
func (sqlite) placeholder(int) string      { return "?" }
func (sqlite) anyArray() bool              { return false }
func (sqlite) ilike(expr, p string) string { return "LOWER(" + expr + ") LIKE LOWER(" + p + ")" }
func (sqlite) returning() bool             { return true }
func (sqlite) selectColumn(quoted string, _ *column) string {
	return quoted
}

// dialectOf returns the dialect of a driver name, nil for an unknown one.
func dialectOf(driver string) dialect {
	switch driver {
	case "postgres":
		return postgres{}
	case "mysql":
		return mysql{}
	case "sqlite":
		return sqlite{}
	}
	return nil
}
