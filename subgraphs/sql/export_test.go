package sql

import (
	"sync/atomic"
	"testing"
)

// CountStatements counts the statements the subgraph named name runs
// from now until the test ends.
func CountStatements(t testing.TB, name string) *atomic.Int64 {
	c := new(atomic.Int64)
	statementCounters.Store(name, c)
	t.Cleanup(func() { statementCounters.Delete(name) })
	return c
}
