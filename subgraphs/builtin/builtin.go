// Package builtin registers every subgraph kind that ships with Tributary.
// Programs import it for its side effect; adding a kind means one new package
// under subgraphs/ and one import line here (or, for a kind that links a
// large SDK or drivers, in a file of its own that a build tag can leave out).
//
// Build tags leave kinds out of a binary that does not need them, to make
// it smaller and its memory lower: tributary_nodynamodb (the AWS SDK),
// tributary_nosql (the PostgreSQL, MySQL and SQLite drivers). A gateway.yaml
// naming a kind left out is refused as naming an unknown kind.
package builtin

import (
	// Kinds register themselves with tributary.RegisterKind in init.
	_ "github.com/tributary-gw/tributary/subgraphs/graphql"
	_ "github.com/tributary-gw/tributary/subgraphs/openapi"
	_ "github.com/tributary-gw/tributary/subgraphs/static"
)
