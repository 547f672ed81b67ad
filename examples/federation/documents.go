package federation

import (
	"fmt"
	"sync"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/source"
)

// documentCacheLimit bounds the operations a documentCache holds; a gateway
// sends a handful of distinct operations, so reaching it means a test or a
// client is sending one-off queries, and starting over is fine.
const documentCacheLimit = 512

// documentCache keeps parsed and validated operations by their text, so that
// the repeated operations of a gateway skip graphql-go's parser and validator
// (two thirds of the time graphql.Do takes for an _entities request).
// Executing a cached document only reads it.
type documentCache struct {
	mu   sync.RWMutex
	docs map[string]*ast.Document
}

// prepare returns the parsed, validated document for query, or the errors
// that make it unusable. Failures are not cached.
func (c *documentCache) prepare(schema *graphql.Schema, query string) (*ast.Document, []gqlerrors.FormattedError) {
	c.mu.RLock()
	doc := c.docs[query]
	c.mu.RUnlock()
	if doc != nil {
		return doc, nil
	}
	doc, errs := parseAndValidate(schema, query)
	if errs != nil {
		return nil, errs
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.docs == nil || len(c.docs) >= documentCacheLimit {
		c.docs = map[string]*ast.Document{}
	}
	c.docs[query] = doc
	return doc, nil
}

// parseAndValidate parses query and validates it against schema. graphql-go
// panics on some malformed documents (a variable without a type, found by
// fuzzing), so a panic becomes an error too.
func parseAndValidate(schema *graphql.Schema, query string) (doc *ast.Document, errs []gqlerrors.FormattedError) {
	defer func() {
		if r := recover(); r != nil {
			doc, errs = nil, []gqlerrors.FormattedError{{
				Message: fmt.Sprintf("query is malformed (graphql-go failed to validate it: %v)", r),
			}}
		}
	}()
	doc, err := parser.Parse(parser.ParseParams{
		Source: source.NewSource(&source.Source{Body: []byte(query), Name: "GraphQL request"}),
	})
	if err != nil {
		return nil, gqlerrors.FormatErrors(err)
	}
	if documentSize(doc, maxDocumentNodes) > maxDocumentNodes {
		return nil, []gqlerrors.FormattedError{{
			Message: fmt.Sprintf("query has more than %d fields, arguments, directives and definitions "+
				"(a fragment counts wherever it is spread); split it", maxDocumentNodes),
		}}
	}
	if result := graphql.ValidateDocument(schema, doc, nil); !result.IsValid {
		return nil, result.Errors
	}
	return doc, nil
}
