package sql

import (
	"context"
	dbsql "database/sql"
	"fmt"
)

const pgColumnsQuery = `SELECT c.relname, c.relkind IN ('v', 'm'), COALESCE(obj_description(c.oid, 'pg_class'), ''),
  a.attname, t.typname, t.typtype, COALESCE(et.typname, ''), COALESCE(et.typtype, ''),
  NOT a.attnotnull, (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> ''),
  COALESCE(col_description(c.oid, a.attnum), '')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem
WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'p')
ORDER BY c.relname, a.attnum`

const pgEnumsQuery = `SELECT t.typname, e.enumlabel
FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
ORDER BY t.typname, e.enumsortorder`

const pgKeysQuery = `SELECT con.conname, con.contype = 'p', c.relname, a.attname, COALESCE(fc.relname, ''), COALESCE(fa.attname, '')
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.ord]
WHERE n.nspname = $1 AND (con.contype = 'p' OR (con.contype = 'f' AND fn.nspname = $1))
ORDER BY c.relname, con.contype DESC, con.conname, k.ord`

// catalog reads schema's tables, views, columns, keys, enums and comments
// from pg_catalog.
func (postgres) catalog(ctx context.Context, db *dbsql.DB, schema string) ([]*table, error) {
	enums := map[string][]string{}
	err := scanAll(ctx, db, pgEnumsQuery, nil, func(rows *dbsql.Rows) error {
		var name, label string
		if err := rows.Scan(&name, &label); err != nil {
			return err
		}
		enums[name] = append(enums[name], label)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading enums: %w", err)
	}
	ts := newTableSet(schema)
	err = scanAll(ctx, db, pgColumnsQuery, []any{schema}, func(rows *dbsql.Rows) error {
		var tableName, tableComment, typName, typType, elemName, elemType string
		var view bool
		c := &column{}
		if err := rows.Scan(&tableName, &view, &tableComment, &c.name, &typName, &typType, &elemName, &elemType, &c.nullable, &c.hasDefault, &c.comment); err != nil {
			return err
		}
		if elemName != "" {
			c.array, typName, typType = true, elemName, elemType
		}
		c.dbType = typName
		if typType == "e" {
			c.enumName, c.enumValues = typName, enums[typName]
		}
		ts.addColumn(tableName, view, tableComment, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading columns: %w", err)
	}
	if err := scanKeys(ctx, db, ts, pgKeysQuery, []any{schema}); err != nil {
		return nil, err
	}
	return ts.order, nil
}
