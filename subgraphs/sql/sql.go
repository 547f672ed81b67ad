// Package sql is the subgraph kind that serves a PostgreSQL, MySQL/MariaDB
// or SQLite database as GraphQL, reflected from its catalog with no
// resolver code.
//
// At start-up the kind reads the schema's tables, views, columns, primary
// and foreign keys, enums and comments, and generates, per table, a type
// (book_loans → BookLoan) with a lookup by primary key, a list with where,
// orderBy, limit and offset, relation fields both ways for each foreign
// key, and create/update/delete mutations. Every table with a primary key
// is a federation entity keyed by it.
//
// Relations and entities are batched per plan level: the engine hands the
// kind every parent of a level at once (tributary.Source.ResolveFieldBatch),
// and the kind answers with one statement per relation — `= ANY($1)` on
// PostgreSQL, `IN (…)` elsewhere, with a per-parent limit computed by
// ROW_NUMBER() OVER (PARTITION BY …) — and matches rows back to parents by
// key. Identifiers are always quoted and values always bound.
package sql

import (
	"github.com/tributary-gw/tributary"
)

// KindName is the key of this kind's section in gateway.yaml.
const KindName = "sql"

func init() {
	tributary.RegisterKind(tributary.Kind{
		Name:      KindName,
		Doc:       "A PostgreSQL, MySQL/MariaDB or SQLite database reflected as GraphQL types, lookups, filtered lists, relations, entities and mutations.",
		NewConfig: func() tributary.SubgraphConfig { return &Config{} },
	})
}
