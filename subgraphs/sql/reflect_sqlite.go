package sql

import (
	"context"
	dbsql "database/sql"
	"fmt"
)

const (
	sqliteTablesQuery  = `SELECT name, type = 'view' FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`
	sqliteColumnsQuery = `SELECT name, type, "notnull", dflt_value IS NOT NULL, pk FROM pragma_table_info(?) ORDER BY cid`
	sqliteFKQuery      = `SELECT id, "table", "from", COALESCE("to", '') FROM pragma_foreign_key_list(?) ORDER BY id, seq`
)

// catalog reads the main schema's tables and views from sqlite_schema and
// the table_info and foreign_key_list pragmas. SQLite keeps no comments
// nor enums.
func (sqlite) catalog(ctx context.Context, db *dbsql.DB, _ string) ([]*table, error) {
	ts := newTableSet("")
	err := scanAll(ctx, db, sqliteTablesQuery, nil, func(rows *dbsql.Rows) error {
		var name string
		var view bool
		if err := rows.Scan(&name, &view); err != nil {
			return err
		}
		ts.table(name, view, "")
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading tables: %w", err)
	}
	for _, t := range ts.order {
		type pkCol struct {
			c   *column
			pos int
		}
		var pks []pkCol
		err := scanAll(ctx, db, sqliteColumnsQuery, []any{t.name}, func(rows *dbsql.Rows) error {
			c := &column{}
			var notNull bool
			var pk int
			if err := rows.Scan(&c.name, &c.dbType, &notNull, &c.hasDefault, &pk); err != nil {
				return err
			}
			c.nullable = !notNull && pk == 0
			if pk > 0 && len(pks) == 0 && isSQLiteRowid(c.dbType) {
				c.hasDefault = true // an INTEGER PRIMARY KEY is the rowid, assigned on insert
			}
			ts.addColumn(t.name, t.view, "", c)
			if pk > 0 {
				pks = append(pks, pkCol{c, pk})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading the columns of %s: %w", t.name, err)
		}
		t.primaryKey = make([]*column, len(pks))
		for _, p := range pks {
			t.primaryKey[p.pos-1] = p.c
		}
		if len(pks) == 0 {
			t.primaryKey = nil
		}
	}
	for _, t := range ts.order {
		var fks []*foreignKey
		err := scanAll(ctx, db, sqliteFKQuery, []any{t.name}, func(rows *dbsql.Rows) error {
			var id int
			var refTable, from, to string
			if err := rows.Scan(&id, &refTable, &from, &to); err != nil {
				return err
			}
			name := fmt.Sprintf("%s_fk%d", t.name, id)
			if n := len(fks); n > 0 && fks[n-1].name == name {
				fks[n-1].columns = append(fks[n-1].columns, from)
				fks[n-1].refColumns = append(fks[n-1].refColumns, to)
				return nil
			}
			fks = append(fks, &foreignKey{name: name, columns: []string{from}, refTable: refTable, refColumns: []string{to}})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading the foreign keys of %s: %w", t.name, err)
		}
		for _, fk := range fks {
			// A reference without columns names the target's primary key.
			if ref := ts.byName[fk.refTable]; ref != nil && fk.refColumns[0] == "" && len(ref.primaryKey) == len(fk.columns) {
				for i, c := range ref.primaryKey {
					fk.refColumns[i] = c.name
				}
			}
		}
		t.foreignKeys = fks
	}
	return ts.order, nil
}

// isSQLiteRowid reports whether a declared type makes a one-column
// primary key an alias of the rowid (exactly INTEGER).
func isSQLiteRowid(declared string) bool {
	return len(declared) == 7 && (declared == "INTEGER" || declared == "integer" || declared == "Integer")
}
