package config

import (
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// lineOf returns the 1-based line where node starts, or 0 if unknown.
func lineOf(node ast.Node) int {
	switch n := node.(type) {
	case nil:
		return 0
	case *ast.DocumentNode:
		// DocumentNode.GetToken dereferences a start token that bare
		// documents lack.
		return lineOf(n.Body)
	case *ast.MappingNode:
		// A block mapping's token is its first key's colon; the key is where
		// a reader looks.
		if !n.IsFlowStyle && len(n.Values) > 0 {
			return lineOf(n.Values[0])
		}
	case *ast.MappingValueNode:
		return lineOf(n.Key)
	}
	if tk := node.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// nodeKind names the shape of a YAML node for messages.
func nodeKind(node ast.Node) string {
	switch node.(type) {
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode, nil:
		return "nothing"
	}
	return "a value"
}

// scalar is the text of a scalar node as written in the file.
type scalar struct {
	text string
	// quotable is true for string nodes, whose text may hold ${VAR}.
	quotable bool
	null     bool
}

// scalarOf returns node's text, or false if node is a mapping or list.
func scalarOf(node ast.Node) (scalar, bool) {
	switch n := node.(type) {
	case nil, *ast.NullNode:
		return scalar{null: true}, true
	case *ast.StringNode:
		return scalar{text: n.Value, quotable: true}, true
	case *ast.LiteralNode:
		if n.Value == nil {
			return scalar{quotable: true}, true
		}
		return scalar{text: n.Value.Value, quotable: true}, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return scalar{text: n.GetToken().Value}, true
	}
	return scalar{}, false
}

// keyText returns the text of a mapping key, or false when the key is not
// a plain scalar (a mapping or list used as a key).
func keyText(key ast.Node) (string, bool) {
	if k, ok := key.(*ast.MappingKeyNode); ok {
		key = k.Value
	}
	s, ok := scalarOf(key)
	if !ok || s.null {
		return "", false
	}
	return s.text, true
}

// quoteValue quotes text for a message, shortened so that a long value (a
// whole SDL pasted in the wrong place) does not swamp it.
func quoteValue(text string) string {
	const max = 40
	if len([]rune(text)) > max {
		text = string([]rune(text)[:max]) + "…"
	}
	return strconv.Quote(text)
}

// pathStep is one step of a key path: a mapping key, or a list index when
// key is empty.
type pathStep struct {
	key   string
	index int
}

// splitPath splits "auth.oauth1.keys[2].name" into its steps. Keys may not
// contain '.' or '['; paths come from FieldError, whose keys are Go-tagged
// identifiers.
func splitPath(path string) []pathStep {
	var steps []pathStep
	for part := range strings.SplitSeq(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			steps = append(steps, pathStep{key: key, index: -1})
		}
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if !ok || err != nil {
				return steps
			}
			steps = append(steps, pathStep{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return steps
}

// joinPath appends a key to a dotted path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// indexPath appends a list index to a path.
func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
