package sql

import "strings"

// customScalars are the scalars the generated schema declares, beyond
// GraphQL's own.
var customScalars = []string{"BigInt", "Decimal", "UUID", "DateTime", "Date", "JSON"}

// scalarOf maps a column's database type (lower case, as each catalog
// names it: int4, integer, varchar(20), tinyint(1), timestamp with time
// zone) to a GraphQL scalar and how its values are carried. Unknown types
// are served as String, in the database's text form.
func scalarOf(dbType string) (string, valueKind) {
	t := strings.TrimSpace(strings.ToLower(dbType))
	base, _, _ := strings.Cut(t, "(")
	base = strings.TrimSpace(strings.TrimSuffix(base, " unsigned"))
	switch base {
	case "int2", "int4", "smallint", "integer", "int", "mediumint", "serial", "smallserial", "serial4", "year":
		return "Int", kindInt
	case "tinyint":
		if strings.HasPrefix(t, "tinyint(1)") {
			return "Boolean", kindBool // MySQL's BOOLEAN
		}
		return "Int", kindInt
	case "int8", "bigint", "bigserial", "serial8":
		return "BigInt", kindBigInt
	case "numeric", "decimal", "money":
		return "Decimal", kindDecimal
	case "real", "float4", "float8", "double precision", "float", "double":
		return "Float", kindFloat
	case "bool", "boolean", "bit":
		return "Boolean", kindBool
	case "uuid":
		return "UUID", kindString
	case "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone", "datetime":
		return "DateTime", kindDateTime
	case "date":
		return "Date", kindDate
	case "json", "jsonb":
		return "JSON", kindJSON
	}
	return "String", kindString
}

// sqliteScalarOf maps a SQLite declared type by SQLite's affinity rules,
// refined by the common names (BIGINT, BOOLEAN, DATETIME, DATE, JSON).
func sqliteScalarOf(declared string) (string, valueKind) {
	t := strings.ToLower(declared)
	base, _, _ := strings.Cut(t, "(")
	base = strings.TrimSpace(base)
	switch base {
	case "bigint", "int8", "unsigned big int":
		return "BigInt", kindBigInt
	case "boolean", "bool":
		return "Boolean", kindBool
	case "datetime", "timestamp":
		return "DateTime", kindDateTime
	case "date":
		return "Date", kindDate
	case "json", "jsonb":
		return "JSON", kindJSON
	case "uuid":
		return "UUID", kindString
	case "decimal", "numeric":
		return "Decimal", kindDecimal
	}
	switch {
	case strings.Contains(t, "int"):
		return "Int", kindInt
	case strings.Contains(t, "char"), strings.Contains(t, "clob"), strings.Contains(t, "text"):
		return "String", kindString
	case strings.Contains(t, "real"), strings.Contains(t, "floa"), strings.Contains(t, "doub"):
		return "Float", kindFloat
	}
	return "String", kindString
}
