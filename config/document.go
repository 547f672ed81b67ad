package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// parseDocument parses data into the body of its single YAML document, a
// mapping. It reports syntax errors, an empty file, several documents and a
// top level that is not a mapping, and then returns nil.
func parseDocument(data []byte, probs *problems) ast.Node {
	file, err := parseYAML(data)
	if err != nil {
		var syntax *yaml.SyntaxError
		if errors.As(err, &syntax) && syntax.Token != nil && syntax.Token.Position != nil {
			hint := "check the indentation and quoting on this line and the one before"
			switch line := sourceLine(data, syntax.Token.Position.Line); {
			case strings.Contains(syntax.Message, "already defined"):
				hint = "a key may appear only once in a mapping, so remove or rename one"
			case strings.Contains(line, "${") && strings.ContainsAny(line, "{["):
				hint = `inside { } or [ ], quote values that hold ${VAR}: "${VAR}"`
			}
			probs.add(syntax.Token.Position.Line, "", "YAML syntax error: %s; %s", syntax.Message, hint)
		} else {
			probs.add(0, "", "YAML syntax error: %v", err)
		}
		return nil
	}
	var bodies []ast.Node
	for _, doc := range file.Docs {
		switch doc.Body.(type) {
		case nil, *ast.CommentNode, *ast.CommentGroupNode:
			continue
		}
		bodies = append(bodies, doc.Body)
	}
	switch {
	case len(bodies) == 0:
		probs.add(0, "", "the file is empty; it needs at least a subgraphs: list (or a supergraph: path)")
		return nil
	case len(bodies) > 1:
		probs.add(lineOf(bodies[1]), "", "a second YAML document starts here (after ---); the file must hold one document")
		return nil
	}
	body := bodies[0]
	for {
		switch n := body.(type) {
		case *ast.AnchorNode:
			body = n.Value
			continue
		case *ast.TagNode:
			body = n.Value
			continue
		case *ast.MappingNode:
			return bodies[0]
		}
		break
	}
	got := nodeKind(body)
	if s, ok := scalarOf(body); ok && !s.null {
		got = "the text " + quoteValue(s.text)
	}
	probs.add(lineOf(body), "", "the top level must be a mapping of keys such as listen: and subgraphs:, got %s", got)
	return nil
}

// sourceLine returns line n (1-based) of data, or "".
func sourceLine(data []byte, n int) string {
	for i, line := range strings.Split(string(data), "\n") {
		if i == n-1 {
			return line
		}
	}
	return ""
}

// parseYAML runs the YAML parser, turning a panic inside it (a parser bug on
// some odd input) into an error, so that a bad file never crashes the
// gateway.
func parseYAML(data []byte) (file *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			file, err = nil, fmt.Errorf("the YAML parser failed on this file (%v); simplify the syntax near the change you made", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}

// collectAliases maps every alias in root to the node its anchor marks,
// reporting aliases without an anchor before them and tags other than the
// core ones (!!str, !!int…). An anchor is registered after its own value,
// so no alias can refer to a node that contains it.
func collectAliases(root ast.Node, probs *problems) map[*ast.AliasNode]ast.Node {
	anchors := map[string]ast.Node{}
	aliases := map[*ast.AliasNode]ast.Node{}
	var walk func(ast.Node)
	walk = func(node ast.Node) {
		switch n := node.(type) {
		case *ast.MappingNode:
			for _, mv := range n.Values {
				walk(mv.Key)
				walk(mv.Value)
			}
		case *ast.MappingKeyNode:
			walk(n.Value)
		case *ast.SequenceNode:
			for _, item := range n.Values {
				walk(item)
			}
		case *ast.TagNode:
			if tag := tagName(n); !strings.HasPrefix(tag, "!!") {
				probs.add(lineOf(n), "", "the YAML tag %s is not supported; remove it", tag)
			}
			walk(n.Value)
		case *ast.AnchorNode:
			walk(n.Value)
			if name, ok := keyText(n.Name); ok {
				anchors[name] = n.Value
			}
		case *ast.AliasNode:
			name, _ := keyText(n.Value)
			target, ok := anchors[name]
			if !ok {
				probs.add(lineOf(n), "", "the alias *%s has no anchor &%s before it; define the anchor first", name, name)
			}
			aliases[n] = target
		}
	}
	walk(root)
	return aliases
}

func tagName(n *ast.TagNode) string {
	if n.Start == nil {
		return "!"
	}
	return n.Start.Value
}

// subgraphsWritten reports whether the file's subgraphs key holds something
// other than nothing or an empty list, even if that failed to decode.
func (d *decoder) subgraphsWritten(root ast.Node) bool {
	m, ok := root.(*ast.MappingNode)
	if !ok {
		return false
	}
	for _, mv := range m.Values {
		if key, ok := keyText(d.resolve(mv.Key)); !ok || key != "subgraphs" {
			continue
		}
		switch n := d.resolve(mv.Value).(type) {
		case *ast.NullNode:
			return false
		case *ast.SequenceNode:
			return len(n.Values) > 0
		}
		return true
	}
	return false
}
