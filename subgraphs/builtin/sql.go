//go:build !tributary_nosql

package builtin

import _ "github.com/tributary-gw/tributary/subgraphs/sql" // three database drivers
