package sql

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	mysqldriver "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	sqlitedriver "modernc.org/sqlite"

	"github.com/tributary-gw/tributary"
)

// Error codes in the extensions of errors a client sees.
const (
	codeBadInput    = "BAD_USER_INPUT"
	codeInternal    = "INTERNAL_SERVER_ERROR"
	codeTimeout     = "SQL_TIMEOUT"
	codeConstraint  = "SQL_CONSTRAINT"
	codePermission  = "SQL_PERMISSION_DENIED"
	codeUnreachable = "UPSTREAM_UNREACHABLE"
	codeSQL         = "SQL_ERROR"
)

// errorf is an error about the subgraph, with a code.
func (s *source) errorf(code, format string, args ...any) *tributary.Error {
	return tributary.SubgraphError(s.name, code, format, args...)
}

// badInput is a BAD_USER_INPUT error about an argument.
func (s *source) badInput(format string, args ...any) *tributary.Error {
	return s.errorf(codeBadInput, format, args...)
}

// dbError turns a driver's error into a GraphQL error: a statement that
// outlived statementTimeout is SQL_TIMEOUT; constraint violations are
// SQL_CONSTRAINT with the constraint's name and kind; permission denials
// SQL_PERMISSION_DENIED. Messages never carry the statement's text. ctx
// is the statement's context (with the timeout).
func (s *source) dbError(ctx context.Context, err error) *tributary.Error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || isTimeout(err) {
		return s.errorf(codeTimeout, "the statement took longer than statementTimeout (%s) and was cancelled", s.timeout)
	}
	if ctx.Err() != nil {
		return s.errorf(codeUnreachable, "the request ended before the database answered: %v", ctx.Err())
	}
	kind, constraint, denied, sqlState := classify(err)
	switch {
	case kind != "":
		e := s.errorf(codeConstraint, "%s constraint %s violated", strings.ReplaceAll(kind, "_", " "), constraint)
		e.Extensions["constraint"] = constraint
		e.Extensions["kind"] = kind
		return e
	case denied:
		return s.errorf(codePermission, "permission denied: %s", driverMessage(err))
	case sqlState != "":
		e := s.errorf(codeSQL, "the database refused the statement: %s", driverMessage(err))
		e.Extensions["sqlState"] = sqlState
		return e
	}
	return s.errorf(codeUnreachable, "cannot reach the database: %v", err)
}

// isTimeout reports a server-side statement timeout (PostgreSQL's
// query_canceled, MySQL's max_execution_time).
func isTimeout(err error) bool {
	var pg *pgconn.PgError
	var my *mysqldriver.MySQLError
	return (errors.As(err, &pg) && pg.Code == "57014") || (errors.As(err, &my) && (my.Number == 3024 || my.Number == 1969))
}

// classify reads a driver error: the constraint kind and name for a
// violation, whether it is a permission denial, and an SQLSTATE-like code
// when the database (not the network) failed the statement.
func classify(err error) (kind, constraint string, denied bool, sqlState string) {
	var pg *pgconn.PgError
	var my *mysqldriver.MySQLError
	var lite *sqlitedriver.Error
	switch {
	case errors.As(err, &pg):
		kinds := map[string]string{"23505": "unique", "23503": "foreign_key", "23502": "not_null", "23514": "check", "23P01": "exclusion"}
		constraint = pg.ConstraintName
		if constraint == "" && pg.Code == "23502" {
			constraint = pg.TableName + "." + pg.ColumnName
		}
		return kinds[pg.Code], constraint, pg.Code == "42501", pg.Code
	case errors.As(err, &my):
		kinds := map[uint16]string{1062: "unique", 1451: "foreign_key", 1452: "foreign_key", 1048: "not_null", 1364: "not_null", 3819: "check", 4025: "check"}
		kind = kinds[my.Number]
		if kind != "" {
			constraint = mysqlConstraint(my.Message)
		}
		return kind, constraint, my.Number == 1142 || my.Number == 1143 || my.Number == 1044, string(my.SQLState[:])
	case errors.As(err, &lite):
		kinds := map[int]string{2067: "unique", 1555: "unique", 787: "foreign_key", 1299: "not_null", 275: "check"}
		kind = kinds[lite.Code()]
		if kind != "" {
			// "constraint failed: UNIQUE constraint failed: authors.name (2067)"
			msg := lite.Error()
			if i := strings.LastIndex(msg, "failed: "); i >= 0 {
				constraint, _, _ = strings.Cut(msg[i+len("failed: "):], " (")
			}
			if constraint == "" {
				constraint = kind
			}
		}
		return kind, constraint, lite.Code() == 23, fmt.Sprint(lite.Code())
	}
	return "", "", false, ""
}

// mysqlQuoted finds the last quoted name of a MySQL message: the key of
// a duplicate entry, the constraint of a foreign key or check failure.
var mysqlQuoted = regexp.MustCompile("(?:CONSTRAINT|key|Column|constraint) [`']([^`']+)[`']")

func mysqlConstraint(msg string) string {
	if m := mysqlQuoted.FindAllStringSubmatch(msg, -1); len(m) > 0 {
		return m[len(m)-1][1]
	}
	return "unknown"
}

// driverMessage is the driver's message without the statement: PostgreSQL
// and MySQL errors carry none; SQLite's end with it in parentheses.
func driverMessage(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Message
	}
	var my *mysqldriver.MySQLError
	if errors.As(err, &my) {
		return my.Message
	}
	msg := err.Error()
	if i := strings.Index(msg, " ("); i > 0 {
		msg = msg[:i]
	}
	return msg
}
