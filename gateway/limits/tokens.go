package limits

import (
	"fmt"
	"unsafe"

	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/lexer"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/lexer/keyword"
)

// CheckTokens counts the lexical tokens of the raw query and stops as soon as
// the count passes MaxTokens, so an oversized query costs MaxTokens tokens of
// lexing, not its full length. Comments do not count (a run of comment lines
// is one lexer token, so at most one comment sits between two counted tokens
// and the work stays bounded). Call it before parsing.
func (l Limits) CheckTokens(query string) *Violation {
	if l.MaxTokens <= 0 {
		return nil
	}
	// The lexer only reads its input, so it can scan the string's bytes in
	// place; copying a 10 MB query just to reject it would defeat the point.
	input := ast.Input{
		RawBytes: unsafe.Slice(unsafe.StringData(query), len(query)),
		Length:   len(query),
	}
	var lx lexer.Lexer
	lx.SetInput(&input)
	count := 0
	for {
		switch lx.Read().Keyword {
		case keyword.EOF:
			return nil
		case keyword.COMMENT:
			continue
		}
		count++
		if count > l.MaxTokens {
			return &Violation{
				Code:    CodeTokens,
				Message: fmt.Sprintf("query has more than %d tokens (limits.maxTokens in gateway.yaml)", l.MaxTokens),
				Limit:   l.MaxTokens,
				Actual:  count,
			}
		}
	}
}
