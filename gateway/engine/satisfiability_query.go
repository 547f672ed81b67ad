package engine

import (
	"fmt"
	"slices"
	"strings"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/wundergraph/graphql-go-tools/v2/pkg/ast"
)

// schemaIndex is the client schema as the satisfiability check walks it.
type schemaIndex struct {
	types map[string]*gqlast.Definition
	// order is the type names in the schema's order, for stable reports.
	order []string
	// possible maps an interface or union to its object types, sorted.
	possible map[string][]string
	roots    []rootType
	// reachable names the types some path from a root type reaches.
	reachable map[string]bool
}

// rootType is one root operation type.
type rootType struct {
	operation, typeName string
}

func newSchemaIndex(clientSDL string, schema *ast.Document) (*schemaIndex, error) {
	doc, err := parser.ParseSchema(&gqlast.Source{Name: "client", Input: clientSDL})
	if err != nil {
		return nil, fmt.Errorf("client schema does not parse: %w", err)
	}
	s := &schemaIndex{types: map[string]*gqlast.Definition{}, possible: map[string][]string{}, reachable: map[string]bool{}}
	for _, d := range mergeExtensions(doc) {
		if strings.HasPrefix(d.Name, "__") {
			continue
		}
		s.types[d.Name] = d
		s.order = append(s.order, d.Name)
	}
	for _, name := range s.order {
		d := s.types[name]
		switch d.Kind {
		case gqlast.Object:
			for _, i := range d.Interfaces {
				s.possible[i] = append(s.possible[i], d.Name)
			}
		case gqlast.Union:
			s.possible[d.Name] = append(s.possible[d.Name], d.Types...)
		}
	}
	for name, members := range s.possible {
		members = slices.DeleteFunc(slices.Clone(members), func(m string) bool {
			d := s.types[m]
			return d == nil || d.Kind != gqlast.Object
		})
		slices.Sort(members)
		s.possible[name] = slices.Compact(members)
	}
	for _, r := range []struct {
		operation string
		name      ast.ByteSlice
	}{{"query", schema.Index.QueryTypeName}, {"mutation", schema.Index.MutationTypeName}, {"subscription", schema.Index.SubscriptionTypeName}} {
		if len(r.name) > 0 && s.types[string(r.name)] != nil && len(s.fields(string(r.name))) > 0 {
			s.roots = append(s.roots, rootType{operation: r.operation, typeName: string(r.name)})
		}
	}
	queue := []string{}
	for _, r := range s.roots {
		s.reachable[r.typeName] = true
		queue = append(queue, r.typeName)
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		next := s.possible[name]
		for _, f := range s.fields(name) {
			next = append(next, f.Type.Name())
		}
		for _, t := range next {
			if s.isComposite(t) && !s.reachable[t] {
				s.reachable[t] = true
				queue = append(queue, t)
			}
		}
	}
	return s, nil
}

// fields returns the fields of an object or interface type a client can
// select, introspection's excepted.
func (s *schemaIndex) fields(typeName string) []*gqlast.FieldDefinition {
	d := s.types[typeName]
	if d == nil || d.Kind != gqlast.Object && d.Kind != gqlast.Interface {
		return nil
	}
	out := make([]*gqlast.FieldDefinition, 0, len(d.Fields))
	for _, f := range d.Fields {
		if !strings.HasPrefix(f.Name, "__") {
			out = append(out, f)
		}
	}
	return out
}

func (s *schemaIndex) fieldNames(typeName string) []string {
	fields := s.fields(typeName)
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}

func (s *schemaIndex) isComposite(typeName string) bool {
	d := s.types[typeName]
	return d != nil && (d.Kind == gqlast.Object || d.Kind == gqlast.Interface || d.Kind == gqlast.Union)
}

func (s *schemaIndex) isRoot(typeName string) bool {
	for _, r := range s.roots {
		if r.typeName == typeName {
			return true
		}
	}
	return false
}

// reachNode is a type reached from a root type: by a field of its parent,
// or, for an object type, by an inline fragment on its abstract parent.
type reachNode struct {
	typeName string
	// operation is the root's operation type: query, mutation or
	// subscription.
	operation string
	parent    *reachNode
	// field is the parent's field that returns this type; nil for a root
	// or a fragment.
	field *gqlast.FieldDefinition
	// fragment is set when the parent is abstract and this type is
	// selected with "... on typeName".
	fragment bool
	// via are the subgraphs that resolve field: where the planner finds
	// this object first. Roots have none.
	via []string
}

// key identifies a check: one per type and set of subgraphs it comes from.
func (n *reachNode) key() string { return n.typeName + "|" + strings.Join(n.via, ",") }

// path returns the response path to n: "topProducts.books",
// "search[Book]".
func (n *reachNode) path() string {
	var steps []*reachNode
	for m := n; m.parent != nil; m = m.parent {
		steps = append(steps, m)
	}
	var b strings.Builder
	for i := len(steps) - 1; i >= 0; i-- {
		switch m := steps[i]; {
		case m.fragment:
			b.WriteString("[" + m.typeName + "]")
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(m.field.Name)
		}
	}
	return b.String()
}

// fieldPath is the response path to field name of n.
func (n *reachNode) fieldPath(name string) string {
	if p := n.path(); p != "" {
		return p + "." + name
	}
	return name
}

// operation prints the operation that selects fields of n by n's path:
// each required argument gets a variable, and each field of a composite
// type selects sub, or __typename when sub is "".
func (s *schemaIndex) operation(n *reachNode, fields []string, sub string) string {
	if sub == "" {
		sub = "__typename"
	}
	var vars []string
	args := func(f *gqlast.FieldDefinition) string {
		var list []string
		for _, a := range f.Arguments {
			if a.Type.NonNull && a.DefaultValue == nil {
				v := fmt.Sprintf("a%d", len(vars))
				vars = append(vars, "$"+v+": "+a.Type.String())
				list = append(list, a.Name+": $"+v)
			}
		}
		if len(list) == 0 {
			return ""
		}
		return "(" + strings.Join(list, ", ") + ")"
	}
	var steps []*reachNode
	for m := n; m.parent != nil; m = m.parent {
		steps = append(steps, m)
	}
	var b strings.Builder
	for i := len(steps) - 1; i >= 0; i-- {
		if m := steps[i]; m.fragment {
			b.WriteString("... on " + m.typeName + " { ")
		} else {
			b.WriteString(m.field.Name + args(m.field) + " { ")
		}
	}
	for i, name := range fields {
		if i > 0 {
			b.WriteByte(' ')
		}
		f := s.types[n.typeName].Fields.ForName(name)
		b.WriteString(name + args(f))
		if s.isComposite(f.Type.Name()) {
			b.WriteString(" { " + sub + " }")
		}
	}
	b.WriteString(strings.Repeat(" }", len(steps)))
	head := n.operation
	if len(vars) > 0 {
		head += "(" + strings.Join(vars, ", ") + ")"
	}
	return head + " { " + b.String() + " }"
}
