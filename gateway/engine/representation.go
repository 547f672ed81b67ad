package engine

import (
	"fmt"
	"strings"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/plan"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/engine/resolve"
)

// fieldSetNode is one field of a federation field set ("id org { id }").
type fieldSetNode struct {
	name     string
	children []*fieldSetNode
}

// parseFieldSet parses the selection syntax of @key, @requires and
// @provides: names, nested selections, and inline fragments' fields (the
// type condition is dropped: representations carry what is present).
func parseFieldSet(s string) ([]*fieldSetNode, error) {
	toks := tokenizeFieldSet(s)
	pos := 0
	var parse func(depth int) ([]*fieldSetNode, error)
	parse = func(depth int) ([]*fieldSetNode, error) {
		var out []*fieldSetNode
		for pos < len(toks) {
			t := toks[pos]
			switch {
			case t == "}":
				if depth == 0 {
					return nil, fmt.Errorf("field set %q: unbalanced }", s)
				}
				pos++
				return out, nil
			case t == "{":
				return nil, fmt.Errorf("field set %q: selection without a field", s)
			case t == "...":
				// inline fragment: "... on Type { … }"
				pos++
				if pos < len(toks) && toks[pos] == "on" {
					pos += 2
				}
				if pos >= len(toks) || toks[pos] != "{" {
					return nil, fmt.Errorf("field set %q: inline fragment without selection", s)
				}
				pos++
				inner, err := parse(depth + 1)
				if err != nil {
					return nil, err
				}
				out = append(out, inner...)
			default:
				pos++
				n := &fieldSetNode{name: t}
				if pos < len(toks) && toks[pos] == "{" {
					pos++
					inner, err := parse(depth + 1)
					if err != nil {
						return nil, err
					}
					n.children = inner
				}
				out = append(out, n)
			}
		}
		if depth != 0 {
			return nil, fmt.Errorf("field set %q: missing }", s)
		}
		return out, nil
	}
	return parse(0)
}

func tokenizeFieldSet(s string) []string {
	var toks []string
	s = strings.NewReplacer("{", " { ", "}", " } ", ",", " ", "...", " ... ").Replace(s)
	for _, f := range strings.Fields(s) {
		toks = append(toks, f)
	}
	return toks
}

// representationBuilder builds the resolve.Object that renders one entity
// representation (__typename plus key and @requires fields) from a parent
// object, for every required field set of a fetch.
type representationBuilder struct {
	types        map[string]*gqlast.Definition
	implementers map[string][]string // interface → object types
	objectTypes  map[string]bool     // names of concrete object types
}

func (rb *representationBuilder) build(required plan.FederationFieldConfigurations, interfaceObjects map[string]string) (*resolve.Object, error) {
	root := &resolve.Object{Nullable: true}
	seen := map[string]*resolve.Field{}
	for _, cfg := range required {
		// An interface's key applies to every implementation in the parent
		// data, whose __typename names the concrete type.
		onType := [][]byte{[]byte(cfg.TypeName)}
		for _, impl := range rb.implementers[cfg.TypeName] {
			onType = append(onType, []byte(impl))
		}
		if _, ok := seen["__typename/"+cfg.TypeName]; !ok {
			var tn resolve.Node = &resolve.String{Path: []string{"__typename"}}
			if name, ok := interfaceObjects[cfg.TypeName]; ok {
				tn = &resolve.StaticString{Path: []string{"__typename"}, Value: name}
			}
			f := &resolve.Field{Name: []byte("__typename"), Value: tn, OnTypeNames: onType}
			seen["__typename/"+cfg.TypeName] = f
			root.Fields = append(root.Fields, f)
		}
		nodes, err := parseFieldSet(cfg.SelectionSet)
		if err != nil {
			return nil, err
		}
		for _, n := range nodes {
			id := cfg.TypeName + "." + n.name
			if _, dup := seen[id]; dup {
				continue
			}
			value, err := rb.value(cfg.TypeName, n)
			if err != nil {
				return nil, err
			}
			f := &resolve.Field{Name: []byte(n.name), Value: value, OnTypeNames: onType}
			seen[id] = f
			root.Fields = append(root.Fields, f)
		}
	}
	return root, nil
}

// value renders field n of typeName: scalars as raw JSON, objects and lists
// following the schema.
func (rb *representationBuilder) value(typeName string, n *fieldSetNode) (resolve.Node, error) {
	def := rb.types[typeName]
	if def == nil {
		return nil, fmt.Errorf("field set names unknown type %s", typeName)
	}
	fd := def.Fields.ForName(n.name)
	if fd == nil {
		return nil, fmt.Errorf("field set names unknown field %s.%s", typeName, n.name)
	}
	return rb.typed(fd.Type, n, []string{n.name})
}

func (rb *representationBuilder) typed(t *gqlast.Type, n *fieldSetNode, path []string) (resolve.Node, error) {
	if t.Elem != nil {
		item, err := rb.typed(t.Elem, n, nil)
		if err != nil {
			return nil, err
		}
		return &resolve.Array{Path: path, Nullable: !t.NonNull, Item: item}, nil
	}
	if len(n.children) == 0 {
		return &resolve.Scalar{Path: path, Nullable: !t.NonNull}, nil
	}
	obj := &resolve.Object{Path: path, Nullable: !t.NonNull}
	for _, c := range n.children {
		v, err := rb.value(t.NamedType, c)
		if err != nil {
			return nil, err
		}
		obj.Fields = append(obj.Fields, &resolve.Field{Name: []byte(c.name), Value: v})
	}
	return obj, nil
}
