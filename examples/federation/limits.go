package federation

import (
	"strings"

	"github.com/graphql-go/graphql/language/ast"
)

// Limits that keep a hostile query from tying up a subgraph. graphql-go's
// parser recurses once per nesting level, and its validator takes time that
// grows faster than the square of the document's size (measured: 1,000
// fields 0.15–0.3 s, 4,000 fields 5–11 s, 16,000 fields 45–120 s; 20,000
// repeated arguments 8 minutes). At maxDocumentNodes, the slowest documents
// found take about 0.5 s.
const (
	// maxQueryNesting bounds how deeply a query nests brackets.
	maxQueryNesting = 64
	// maxDocumentNodes bounds documentSize.
	maxDocumentNodes = 1000
)

// documentSize counts the nodes of doc that the validator's time grows
// with: definitions, variable definitions, fields, fragments, arguments and
// directives, with each fragment spread counted as its fragment's nodes. It
// returns limit+1 once the count exceeds limit, so exponential fragment
// chains cost nothing to count. Fragments are sized once each; spread
// cycles add nothing here, as the validator reports them.
func documentSize(doc *ast.Document, limit int) int {
	fragments := map[string]*ast.FragmentDefinition{}
	for _, def := range doc.Definitions {
		if f, ok := def.(*ast.FragmentDefinition); ok && f.Name != nil {
			fragments[f.Name.Value] = f
		}
	}
	add := func(a, b int) int { return min(a+b, limit+1) }
	sizes := map[string]int{}
	visiting := map[string]bool{}
	var count func(set *ast.SelectionSet) int
	count = func(set *ast.SelectionSet) int {
		if set == nil {
			return 0
		}
		n := 0
		for _, sel := range set.Selections {
			switch sel := sel.(type) {
			case *ast.Field:
				n = add(n, 1+len(sel.Arguments)+len(sel.Directives))
				n = add(n, count(sel.SelectionSet))
			case *ast.InlineFragment:
				n = add(n, 1+len(sel.Directives))
				n = add(n, count(sel.SelectionSet))
			case *ast.FragmentSpread:
				n = add(n, 1+len(sel.Directives))
				if sel.Name == nil {
					continue
				}
				name := sel.Name.Value
				size, known := sizes[name]
				if !known && !visiting[name] && fragments[name] != nil {
					visiting[name] = true
					size = count(fragments[name].SelectionSet)
					visiting[name] = false
					sizes[name] = size
				}
				n = add(n, size)
			}
		}
		return n
	}
	total := 0
	for _, def := range doc.Definitions {
		total = add(total, 1)
		switch def := def.(type) {
		case *ast.OperationDefinition:
			total = add(total, len(def.VariableDefinitions)+len(def.Directives))
			total = add(total, count(def.SelectionSet))
		case *ast.FragmentDefinition:
			total = add(total, len(def.VariableDefinitions)+len(def.Directives))
			total = add(total, count(def.SelectionSet))
		}
	}
	return total
}

// nestingDepth returns how deeply brackets ({, [, () nest in a GraphQL
// document, skipping strings and comments.
func nestingDepth(doc string) int {
	depth, deepest := 0, 0
	for i := 0; i < len(doc); i++ {
		switch doc[i] {
		case '{', '[', '(':
			depth++
			deepest = max(deepest, depth)
		case '}', ']', ')':
			depth = max(depth-1, 0)
		case '#':
			for i < len(doc) && doc[i] != '\n' && doc[i] != '\r' {
				i++
			}
		case '"':
			i = skipString(doc, i)
		}
	}
	return deepest
}

// skipString returns the index of the last byte of the string literal that
// starts at doc[start], or len(doc) if it does not end.
func skipString(doc string, start int) int {
	if strings.HasPrefix(doc[start:], `"""`) {
		for i := start + 3; i < len(doc); i++ {
			switch {
			case strings.HasPrefix(doc[i:], `\"""`):
				i += 3
			case strings.HasPrefix(doc[i:], `"""`):
				return i + 2
			}
		}
		return len(doc)
	}
	for i := start + 1; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"', '\n', '\r':
			return i
		}
	}
	return len(doc)
}
