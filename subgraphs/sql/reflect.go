package sql

import (
	"context"
	dbsql "database/sql"
	"fmt"
)

// catalogReader reads a database's tables, views, columns, keys, enums
// and comments: each dialect asks its own catalog.
type catalogReader interface {
	catalog(ctx context.Context, db *dbsql.DB, schema string) ([]*table, error)
}

// tableSet assembles reflected rows into tables, in first-seen order.
type tableSet struct {
	schema string
	order  []*table
	byName map[string]*table
}

func newTableSet(schema string) *tableSet {
	return &tableSet{schema: schema, byName: map[string]*table{}}
}

// table returns the table named name, adding it when new.
func (ts *tableSet) table(name string, view bool, comment string) *table {
	t := ts.byName[name]
	if t == nil {
		t = &table{name: name, schema: ts.schema, view: view, comment: comment, byName: map[string]*column{}}
		ts.byName[name] = t
		ts.order = append(ts.order, t)
	}
	return t
}

// addColumn appends c to the table named name.
func (ts *tableSet) addColumn(name string, view bool, comment string, c *column) {
	t := ts.table(name, view, comment)
	t.columns = append(t.columns, c)
	t.byName[c.name] = c
}

// keyColumn adds one column of a primary or foreign key, in key order.
func (ts *tableSet) keyColumn(tableName, constraint string, primary bool, col, refTable, refCol string) error {
	t := ts.byName[tableName]
	if t == nil {
		return nil // a key of a table we did not list (another schema's)
	}
	c := t.byName[col]
	if c == nil {
		return fmt.Errorf("key %s of table %s names column %s, which the catalog does not list", constraint, tableName, col)
	}
	if primary {
		t.primaryKey = append(t.primaryKey, c)
		return nil
	}
	if n := len(t.foreignKeys); n > 0 && t.foreignKeys[n-1].name == constraint {
		fk := t.foreignKeys[n-1]
		fk.columns = append(fk.columns, col)
		fk.refColumns = append(fk.refColumns, refCol)
		return nil
	}
	t.foreignKeys = append(t.foreignKeys, &foreignKey{name: constraint, columns: []string{col}, refTable: refTable, refColumns: []string{refCol}})
	return nil
}

// scanKeys reads a catalog query's key rows (constraint, primary?, table,
// column, referenced table, referenced column) into ts.
func scanKeys(ctx context.Context, db *dbsql.DB, ts *tableSet, query string, args []any) error {
	err := scanAll(ctx, db, query, args, func(rows *dbsql.Rows) error {
		var constraint, tableName, col, refTable, refCol string
		var primary bool
		if err := rows.Scan(&constraint, &primary, &tableName, &col, &refTable, &refCol); err != nil {
			return err
		}
		return ts.keyColumn(tableName, constraint, primary, col, refTable, refCol)
	})
	if err != nil {
		return fmt.Errorf("reading keys: %w", err)
	}
	return nil
}

// scanAll runs query and calls each for every row, closing the rows.
func scanAll(ctx context.Context, db *dbsql.DB, query string, args []any, each func(*dbsql.Rows) error) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
