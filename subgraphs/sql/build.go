package sql

import (
	"context"
	dbsql "database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	mysqldriver "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	// pgx through database/sql rather than pgxpool: the three databases
	// then share one query layer (rows, transactions, pool settings), and
	// pgx still prepares and caches each statement per connection.
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/tributary-gw/tributary"
)

// Build checks the section, opens the pool, reflects the database and
// generates the subgraph SDL. The database must be reachable: the schema
// is the database's.
func (c *Config) Build(ctx context.Context, name string, bc tributary.BuildContext) (*tributary.Subgraph, error) {
	var errs tributary.FieldErrors
	sess := c.validate(&errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	d := dialectOf(c.Driver)
	db, err := c.open(ctx, bc.Dir)
	if err != nil {
		return nil, &tributary.FieldError{Path: "dsn", Message: fmt.Sprintf("cannot open the %s database: %v", c.Driver, err), Err: err}
	}
	schema := c.Schema
	if schema == "" && c.Driver == "postgres" {
		schema = "public"
	}
	tables, err := d.catalog(ctx, db, schema)
	if err != nil {
		db.Close()
		return nil, &tributary.FieldError{Path: "dsn", Message: fmt.Sprintf("cannot reflect the %s database (is it running and reachable?): %v", c.Driver, err), Err: err}
	}
	m := newModel(tables, c, d)
	if len(m.tables) == 0 {
		db.Close()
		return nil, &tributary.FieldError{Path: "tables", Message: fmt.Sprintf("no table or view to serve: the database has %d, and tables.include/exclude leave none", len(tables))}
	}
	m.resolveQueries(c.checkQueries(d, &errs), &errs)
	if err := errs.Err(); err != nil {
		db.Close()
		return nil, err
	}
	log := bc.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	for _, w := range m.warnings {
		log.Warn("sql: "+w, "subgraph", name)
	}
	s := &source{name: name, m: m, d: d, db: db, timeout: c.statementTimeout(), session: sess}
	var batchFields []string
	for _, t := range m.tables {
		for _, f := range t.relationOrder {
			if !t.relations[f].many {
				batchFields = append(batchFields, t.typeName+"."+f)
			}
		}
	}
	for _, q := range m.named {
		if q.parent != nil && len(q.args) == 0 {
			batchFields = append(batchFields, q.typeName+"."+q.field)
		}
	}
	return &tributary.Subgraph{
		Name:        name,
		SDL:         m.sdl(),
		Source:      s,
		BatchFields: batchFields,
		Ready:       db.PingContext,
		Close:       func(context.Context) error { return db.Close() },
	}, nil
}

// open makes the connection pool. PostgreSQL connections get the
// statement timeout as their statement_timeout, MySQL and MariaDB ones as
// max_execution_time or max_statement_time; MySQL DSNs get parseTime, so
// DATETIME columns scan as times; SQLite paths are relative to gateway.yaml and get
// foreign keys enforced and a busy timeout.
func (c *Config) open(ctx context.Context, dir string) (*dbsql.DB, error) {
	var db *dbsql.DB
	switch c.Driver {
	case "postgres":
		cfg, err := pgx.ParseConfig(c.DSN)
		if err != nil {
			return nil, fmt.Errorf("the DSN does not parse (want postgres://user@host:5432/database): %w", err)
		}
		// The server enforces the timeout and cancels the statement alone,
		// so the connection goes back to the pool healthy.
		cfg.RuntimeParams["statement_timeout"] = fmt.Sprint(c.statementTimeout().Milliseconds())
		db = stdlib.OpenDB(*cfg)
	case "mysql":
		cfg, err := mysqldriver.ParseDSN(c.DSN)
		if err != nil {
			return nil, fmt.Errorf("the DSN does not parse (want user:password@tcp(host:3306)/database): %w", err)
		}
		cfg.ParseTime = true
		if db, err = c.openMySQL(ctx, cfg); err != nil {
			return nil, err
		}
	case "sqlite":
		var err error
		if db, err = dbsql.Open("sqlite", sqliteDSN(c.DSN, dir)); err != nil {
			return nil, err
		}
	}
	db.SetMaxOpenConns(c.maxOpen())
	db.SetMaxIdleConns(c.maxIdle())
	return db, nil
}

// sqliteDSN resolves a relative path against dir and adds the pragmas the
// kind relies on, unless the DSN sets pragmas itself.
func sqliteDSN(dsn, dir string) string {
	p, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if p != ":memory:" && !filepath.IsAbs(p) && dir != "" {
		p = filepath.Join(dir, p)
	}
	if !strings.Contains(query, "_pragma") {
		if query != "" {
			query += "&"
		}
		query += "_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)"
	}
	return "file:" + p + "?" + query
}

// openMySQL opens a MySQL or MariaDB pool whose connections carry the
// statement timeout, so that the server stops a slow SELECT and the
// connection stays usable: MariaDB calls it max_statement_time (seconds,
// every statement), MySQL max_execution_time (milliseconds, SELECT only).
func (c *Config) openMySQL(ctx context.Context, cfg *mysqldriver.Config) (*dbsql.DB, error) {
	connector, err := mysqldriver.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	probe := dbsql.OpenDB(connector)
	var version string
	err = probe.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version)
	probe.Close()
	if err != nil {
		return nil, err
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	timeout := c.statementTimeout()
	if strings.Contains(strings.ToLower(version), "mariadb") {
		cfg.Params["max_statement_time"] = fmt.Sprintf("%.3f", timeout.Seconds())
	} else {
		cfg.Params["max_execution_time"] = fmt.Sprint(timeout.Milliseconds())
	}
	if connector, err = mysqldriver.NewConnector(cfg); err != nil {
		return nil, err
	}
	return dbsql.OpenDB(connector), nil
}
