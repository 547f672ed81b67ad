// Package builtin registers every subgraph kind that ships with Tributary.
// Programs import it for its side effect; adding a kind means one new package
// under subgraphs/ and one line here.
package builtin

import (
	// Kinds register themselves with tributary.RegisterKind in init.
	_ "github.com/tributary-gw/tributary/subgraphs/dynamodb"
	_ "github.com/tributary-gw/tributary/subgraphs/graphql"
	_ "github.com/tributary-gw/tributary/subgraphs/openapi"
	_ "github.com/tributary-gw/tributary/subgraphs/sql"
	_ "github.com/tributary-gw/tributary/subgraphs/static"
)
