// Package dynamodb is the subgraph kind that serves DynamoDB tables from one
// gateway.yaml section, with no resolver code.
//
// Each declared table becomes a GraphQL type and a federation entity keyed
// by the table's primary key. The kind generates root fields to get an item
// by key, to query the table and each of its indexes (key conditions,
// limit, order and an opaque, signed nextToken), to scan it when asked, and
// to put, update and delete items. Relations add fields to other types
// (User.tweets) that query an index with the parent's values; the engine
// hands them whole plan levels, which run as bounded concurrent queries.
// Entities of a plan level are read with BatchGetItem, at most 100 keys a
// call.
//
// The AWS SDK for Go v2 talks to DynamoDB: credentials come from its
// default chain; throttling and 5xx answers are retried with backoff,
// within the request's deadline.
package dynamodb

import (
	"github.com/tributary-gw/tributary"
)

// KindName is the key of this kind's section in gateway.yaml.
const KindName = "dynamodb"

func init() {
	tributary.RegisterKind(tributary.Kind{
		Name:      KindName,
		Doc:       "DynamoDB tables and indexes served as GraphQL types, queries, entities and mutations.",
		NewConfig: func() tributary.SubgraphConfig { return &Config{} },
	})
}
