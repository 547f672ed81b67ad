// Package schematest keeps the generated gateway.schema.json and
// docs/config.md in step with package config and the subgraph kinds that
// subgraphs/builtin registers. It holds only tests; after changing a config
// struct or adding a kind, run
//
//	go test ./config/schematest -update
//
// and commit the rewritten files.
package schematest
