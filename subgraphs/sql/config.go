package sql

import (
	"time"

	"github.com/tributary-gw/tributary"
)

// Defaults applied when a key is absent or zero.
const (
	defaultMaxOpen          = 20
	defaultMaxIdle          = 5
	defaultStatementTimeout = 5 * time.Second
)

// Config is the `sql:` section of a subgraph in gateway.yaml.
type Config struct {
	// Driver names the database: postgres, mysql or sqlite.
	Driver string `yaml:"driver,omitempty" doc:"The database: postgres (pgx), mysql (go-sql-driver, for MySQL and MariaDB) or sqlite (modernc, no cgo)." required:"true" enum:"postgres,mysql,sqlite"`
	// DSN is the connection string.
	DSN string `yaml:"dsn,omitempty" doc:"The connection string: a postgres:// URL or key=value string, a MySQL DSN (user:pass@tcp(host:3306)/db), or for sqlite a file path or file: URI (relative to gateway.yaml). Use ${ENV} for secrets." required:"true"`
	// Schema is the PostgreSQL schema reflected.
	Schema string `yaml:"schema,omitempty" doc:"The PostgreSQL schema to reflect (default public); MySQL reflects the DSN's database and SQLite the file's main schema, so it must be unset there."`
	// Tables selects the tables and views served.
	Tables TableFilter `yaml:"tables,omitempty" doc:"Which tables and views are served, by glob (path.Match) on their names; default all."`
	// Types overrides generated type names by table name.
	Types map[string]string `yaml:"types,omitempty" doc:"GraphQL type names by table name, replacing the generated singular PascalCase name (e.g. {book_loans: Loan})."`
	// Pool sizes the connection pool.
	Pool PoolConfig `yaml:"pool,omitempty" doc:"The connection pool's size."`
	// StatementTimeout bounds one statement.
	StatementTimeout tributary.Duration `yaml:"statementTimeout,omitempty" doc:"Bound on one SQL statement; a slower one fails with SQL_TIMEOUT at its field's path." default:"5s"`
	// Session applies per-request settings and role (row-level security).
	Session *SessionConfig `yaml:"session,omitempty" doc:"Per-request settings and role applied at the start of the request's transaction (PostgreSQL), so that row-level security policies see the caller."`
	// Queries declares named, parameterized SQL fields.
	Queries []QueryConfig `yaml:"queries,omitempty" doc:"Named, parameterized SQL for what reflection cannot express, each served as a field."`
}

// TableFilter is the `tables:` section.
type TableFilter struct {
	// Include lists globs of tables served; empty means all.
	Include []string `yaml:"include,omitempty" doc:"Globs of table and view names served; empty means all."`
	// Exclude lists globs of tables not served.
	Exclude []string `yaml:"exclude,omitempty" doc:"Globs of table and view names not served, applied after include."`
}

// PoolConfig is the `pool:` section.
type PoolConfig struct {
	// MaxOpen bounds open connections.
	MaxOpen int `yaml:"maxOpen,omitempty" doc:"Most open connections to the database." default:"20"`
	// MaxIdle bounds idle connections kept.
	MaxIdle int `yaml:"maxIdle,omitempty" doc:"Most idle connections kept open." default:"5"`
}

// SessionConfig is the `session:` section.
type SessionConfig struct {
	// Settings maps setting names to value templates.
	Settings map[string]string `yaml:"settings,omitempty" doc:"Settings by name (e.g. app.user_id), each a template of {header.NAME} and {claims.NAME} parts; applied with set_config(name, value, true), values bound, never spliced."`
	// Role is a template naming the role to take.
	Role string `yaml:"role,omitempty" doc:"A template naming the role taken with SET LOCAL ROLE (e.g. \"{claims.role}\"); only a role listed in roles is taken, anything else fails the request."`
	// Roles lists the roles Role may name.
	Roles []string `yaml:"roles,omitempty" doc:"The roles role may name."`
}

// QueryConfig is one item of `queries`.
type QueryConfig struct {
	// Field is the field served, TYPE.FIELD.
	Field string `yaml:"field,omitempty" doc:"The field served, as Query.FIELD, Mutation.FIELD or TYPE.FIELD of a table's type (parent columns then read as :parent.column)." required:"true"`
	// SQL is the statement, with :name parameters.
	SQL string `yaml:"sql,omitempty" doc:"The statement, with :name for arguments and :parent.column for the parent's columns; each becomes a bound parameter." required:"true"`
	// Arguments declares the field's arguments and their GraphQL types.
	Arguments map[string]string `yaml:"arguments,omitempty" doc:"The field's arguments with their GraphQL types (e.g. {n: Int!})."`
	// Returns is the field's GraphQL type.
	Returns string `yaml:"returns,omitempty" doc:"The field's GraphQL type, a table's type or a list of it (e.g. \"[Author!]!\"), or a scalar." required:"true"`
}

func (c *Config) maxOpen() int {
	if c.Pool.MaxOpen > 0 {
		return c.Pool.MaxOpen
	}
	return defaultMaxOpen
}

func (c *Config) maxIdle() int {
	if c.Pool.MaxIdle > 0 {
		return min(c.Pool.MaxIdle, c.maxOpen())
	}
	return min(defaultMaxIdle, c.maxOpen())
}

func (c *Config) statementTimeout() time.Duration {
	if c.StatementTimeout > 0 {
		return c.StatementTimeout.Std()
	}
	return defaultStatementTimeout
}
