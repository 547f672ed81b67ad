package sql

import (
	"context"
	dbsql "database/sql"
	"fmt"
	"strings"
)

const mysqlColumnsQuery = `SELECT t.TABLE_NAME, t.TABLE_TYPE = 'VIEW', COALESCE(t.TABLE_COMMENT, ''),
  c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE = 'YES',
  (c.COLUMN_DEFAULT IS NOT NULL OR c.EXTRA LIKE '%auto_increment%' OR c.EXTRA LIKE '%GENERATED%'),
  COALESCE(c.COLUMN_COMMENT, '')
FROM information_schema.TABLES t
JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME
WHERE t.TABLE_SCHEMA = DATABASE()
ORDER BY t.TABLE_NAME, c.ORDINAL_POSITION`

const mysqlKeysQuery = `SELECT k.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE = 'PRIMARY KEY', k.TABLE_NAME, k.COLUMN_NAME,
  COALESCE(k.REFERENCED_TABLE_NAME, ''), COALESCE(k.REFERENCED_COLUMN_NAME, '')
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA
  AND tc.TABLE_NAME = k.TABLE_NAME AND tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME
WHERE k.TABLE_SCHEMA = DATABASE()
  AND (tc.CONSTRAINT_TYPE = 'PRIMARY KEY' OR (tc.CONSTRAINT_TYPE = 'FOREIGN KEY' AND k.REFERENCED_TABLE_SCHEMA = DATABASE()))
ORDER BY k.TABLE_NAME, tc.CONSTRAINT_TYPE DESC, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`

const mariadbJSONQuery = `SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE() AND CHECK_CLAUSE LIKE 'json_valid(%'`

// catalog reads the DSN's database from information_schema; schema is
// unused (validation refuses it for mysql).
func (mysql) catalog(ctx context.Context, db *dbsql.DB, _ string) ([]*table, error) {
	ts := newTableSet("")
	err := scanAll(ctx, db, mysqlColumnsQuery, nil, func(rows *dbsql.Rows) error {
		var tableName, tableComment, colType string
		var view bool
		c := &column{}
		if err := rows.Scan(&tableName, &view, &tableComment, &c.name, &colType, &c.nullable, &c.hasDefault, &c.comment); err != nil {
			return err
		}
		if view {
			tableComment = "" // MySQL writes "VIEW" there
		}
		c.dbType = strings.ToLower(colType)
		if labels, ok := mysqlEnumLabels(colType); ok {
			c.enumName, c.enumValues = tableName+"_"+c.name, labels
		}
		ts.addColumn(tableName, view, tableComment, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading columns: %w", err)
	}
	// MariaDB's JSON is LONGTEXT with a json_valid() check named after the
	// column; MySQL's is a type of its own (and this query fails there,
	// its CHECK_CONSTRAINTS having no TABLE_NAME).
	_ = scanAll(ctx, db, mariadbJSONQuery, nil, func(rows *dbsql.Rows) error {
		var tableName, col string
		if err := rows.Scan(&tableName, &col); err != nil {
			return err
		}
		if t := ts.byName[tableName]; t != nil && t.byName[col] != nil && strings.Contains(t.byName[col].dbType, "text") {
			t.byName[col].dbType = "json"
		}
		return nil
	})
	if err := scanKeys(ctx, db, ts, mysqlKeysQuery, nil); err != nil {
		return nil, err
	}
	return ts.order, nil
}

// mysqlEnumLabels parses enum('a','b') into its labels; inside a label a
// doubled quote stands for one.
func mysqlEnumLabels(colType string) ([]string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(colType), "enum(")
	if !ok {
		return nil, false
	}
	var labels []string
	for len(rest) > 0 && rest[0] == '\'' {
		var b strings.Builder
		i := 1
		for ; i < len(rest); i++ {
			if rest[i] == '\'' {
				if i+1 < len(rest) && rest[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				break
			}
			b.WriteByte(rest[i])
		}
		labels = append(labels, b.String())
		rest = strings.TrimPrefix(rest[min(i+1, len(rest)):], ",")
	}
	return labels, len(labels) > 0
}
