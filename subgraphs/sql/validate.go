package sql

import (
	"fmt"
	"maps"
	"path"
	"slices"

	"github.com/tributary-gw/tributary"
)

// Validate checks the section. Paths in the returned FieldErrors are
// relative to the section. Messages never quote the DSN, which may hold a
// password.
func (c *Config) Validate() error {
	var errs tributary.FieldErrors
	c.validate(&errs)
	c.checkQueries(dialectOf(c.Driver), &errs)
	return errs.Err()
}

func (c *Config) validate(errs *tributary.FieldErrors) *session {
	switch {
	case c.Driver == "":
		errs.Addf("driver", "is required: postgres, mysql or sqlite")
	case dialectOf(c.Driver) == nil:
		errs.Addf("driver", "%q is not a driver: use postgres, mysql (also for MariaDB) or sqlite", c.Driver)
	}
	if c.DSN == "" {
		errs.Addf("dsn", `is required (e.g. "${DATABASE_URL}", or for sqlite "file:twitter.db")`)
	}
	if c.Schema != "" && c.Driver != "postgres" {
		errs.Addf("schema", "is for postgres only: %s reflects the DSN's database; remove it", c.Driver)
	}
	for i, g := range c.Tables.Include {
		if _, err := path.Match(g, ""); err != nil {
			errs.Addf(fmt.Sprintf("tables.include[%d]", i), "%q is not a glob: %v", g, err)
		}
	}
	for i, g := range c.Tables.Exclude {
		if _, err := path.Match(g, ""); err != nil {
			errs.Addf(fmt.Sprintf("tables.exclude[%d]", i), "%q is not a glob: %v", g, err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Types)) {
		if !isGraphQLName(c.Types[name]) {
			errs.Addf("types."+name, "%q is not a GraphQL type name: use letters, digits and _, not starting with a digit (e.g. Loan)", c.Types[name])
		}
	}
	if c.Pool.MaxOpen < 0 {
		errs.Addf("pool.maxOpen", "must be at least 1 (e.g. 20)")
	}
	if c.Pool.MaxIdle < 0 {
		errs.Addf("pool.maxIdle", "must be at least 0 (e.g. 5)")
	}
	if c.StatementTimeout < 0 {
		errs.Addf("statementTimeout", "must be positive (e.g. 5s)")
	}
	if c.Session != nil && c.Driver != "postgres" && c.Driver != "" {
		errs.Addf("session", "is for postgres only: %s has no transaction-local settings for row-level security", c.Driver)
	}
	return newSession(c.Session, errs)
}
