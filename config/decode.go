package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// maxVisits bounds the nodes one parse decodes, counting each alias
// expansion again, so that an alias bomb ("billion laughs") ends in an error
// instead of exhausting memory. Real files are thousands of nodes at most.
const maxVisits = 200_000

// decoder turns a YAML syntax tree into Go values, collecting problems rather
// than stopping at the first. It reads struct tags as package doc describes.
type decoder struct {
	env   func(string) (string, bool)
	probs *problems
	// aliases maps each alias to the node its anchor names.
	aliases map[*ast.AliasNode]ast.Node
	visits  int
	// scope prefixes paths in messages while a subgraph entry is decoded:
	// `subgraphs[1] "reviews"`.
	scope string
	// missing collects required keys that were absent. They are reported
	// after a kind's Validate, which may say more about the same key.
	missing []missingKey
}

type missingKey struct {
	path string
	line int
}

// errorf records a problem at line for the key at path (within d.scope).
func (d *decoder) errorf(line int, path, format string, args ...any) {
	d.probs.add(line, d.display(path), format, args...)
}

func (d *decoder) display(path string) string {
	switch {
	case d.scope == "":
		return path
	case path == "":
		return d.scope
	}
	return d.scope + ": " + path
}

// spend counts one node visit and reports whether the budget is exhausted.
func (d *decoder) spend() bool {
	d.visits++
	if d.visits == maxVisits {
		d.errorf(0, "", "the file expands to more than %d YAML nodes (through aliases?); simplify it", maxVisits)
	}
	return d.visits >= maxVisits
}

// resolve follows anchors, aliases and core tags (!!str…) to the node that
// holds the value.
func (d *decoder) resolve(node ast.Node) ast.Node {
	for range 64 {
		switch n := node.(type) {
		case *ast.AnchorNode:
			node = n.Value
		case *ast.AliasNode:
			node = d.aliases[n]
		case *ast.TagNode:
			node = n.Value
		default:
			return node
		}
	}
	return nil
}

// decode stores node into v. path names v's key; line is the line of that
// key (or list item), where messages about the value point.
func (d *decoder) decode(node ast.Node, v reflect.Value, path string, line int) {
	if d.spend() {
		return
	}
	node = d.resolve(node)
	if line == 0 {
		line = lineOf(node)
	}
	t := v.Type()
	// A key written with no value (or null) leaves the value as it was:
	// absent and empty mean the same, and defaults survive.
	if s, ok := scalarOf(node); ok && s.null {
		if t.Kind() == reflect.Struct && !isTextType(t) {
			d.requireKeys(t, nil, path, line)
		}
		return
	}
	switch {
	case t == subgraphEntriesType:
		d.decodeSubgraphs(node, v, path, line)
		return
	case isTextType(t):
		d.decodeText(node, v, path, line)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := reflect.New(t.Elem())
		if !v.IsNil() {
			elem.Elem().Set(v.Elem())
		}
		d.decode(node, elem.Elem(), path, line)
		v.Set(elem)
	case reflect.Struct:
		d.decodeStruct(node, v, path, line)
	case reflect.Map:
		d.decodeMap(node, v, path, line)
	case reflect.Slice:
		d.decodeSlice(node, v, path, line)
	case reflect.Interface:
		if t.NumMethod() != 0 {
			d.unsupported(t, path, line)
			return
		}
		if g := d.generic(node, path, line); g != nil {
			v.Set(reflect.ValueOf(g))
		}
	case reflect.String, reflect.Bool, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		d.decodeScalar(node, v, path, line)
	default:
		d.unsupported(t, path, line)
	}
}

func (d *decoder) unsupported(t reflect.Type, path string, line int) {
	d.errorf(line, path, "has Go type %s, which the config loader cannot decode; this is a bug in the program, not the file (see package config's doc for the supported types)", t)
}

// mismatch reports a value of the wrong shape.
func (d *decoder) mismatch(node ast.Node, t reflect.Type, path string, line int) {
	got := nodeKind(node)
	if s, ok := scalarOf(node); ok {
		got = quoteValue(s.text)
	}
	d.errorf(line, path, "expected %s, got %s", typeNoun(t), got)
}

func (d *decoder) decodeStruct(node ast.Node, v reflect.Value, path string, line int) {
	fields, err := fieldsOf(v.Type())
	if err != nil {
		d.errorf(line, path, "cannot be decoded: %v; this is a bug in the program, not the file", err)
		return
	}
	m, ok := node.(*ast.MappingNode)
	if !ok {
		d.mismatch(node, v.Type(), path, line)
		return
	}
	present := map[string]bool{}
	for _, e := range d.entries(m, path) {
		i := slices.IndexFunc(fields, func(f field) bool { return f.key == e.key })
		if i < 0 {
			d.unknownKey(e, path, fieldKeys(fields))
			continue
		}
		f := fields[i]
		present[f.key] = true
		fv := v.FieldByIndex(f.index)
		d.decode(e.value, fv, joinPath(path, f.key), e.line)
		if len(f.enum) > 0 && fv.Kind() == reflect.String && fv.String() != "" && !slices.Contains(f.enum, fv.String()) {
			msg := fmt.Sprintf("must be one of %s; got %s", strings.Join(f.enum, ", "), quoteValue(fv.String()))
			if s := suggest(fv.String(), f.enum); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.errorf(e.line, joinPath(path, f.key), "%s", msg)
		}
	}
	d.requireKeys(v.Type(), present, path, line)
}

// requireKeys notes the required keys of struct type t that are not present.
func (d *decoder) requireKeys(t reflect.Type, present map[string]bool, path string, line int) {
	fields, err := fieldsOf(t)
	if err != nil {
		return // decodeStruct reports it when the section has keys
	}
	for _, f := range fields {
		if f.required && !present[f.key] {
			d.missing = append(d.missing, missingKey{path: d.display(joinPath(path, f.key)), line: line})
		}
	}
}

func (d *decoder) unknownKey(e entry, path string, known []string) {
	msg := fmt.Sprintf("unknown key %q", e.key)
	if s := suggest(e.key, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else if len(known) > 0 && len(known) <= 12 {
		msg += "; the keys here are " + strings.Join(known, ", ")
	}
	d.errorf(e.line, path, "%s", msg)
}

func (d *decoder) decodeMap(node ast.Node, v reflect.Value, path string, line int) {
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		d.unsupported(t, path, line)
		return
	}
	m, ok := node.(*ast.MappingNode)
	if !ok {
		d.mismatch(node, t, path, line)
		return
	}
	out := reflect.MakeMap(t)
	for _, e := range d.entries(m, path) {
		ev := reflect.New(t.Elem()).Elem()
		d.decode(e.value, ev, joinPath(path, e.key), e.line)
		out.SetMapIndex(reflect.ValueOf(e.key).Convert(t.Key()), ev)
	}
	v.Set(out)
}

func (d *decoder) decodeSlice(node ast.Node, v reflect.Value, path string, line int) {
	seq, ok := node.(*ast.SequenceNode)
	if !ok {
		d.mismatch(node, v.Type(), path, line)
		return
	}
	out := reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values))
	for i, item := range seq.Values {
		d.decode(item, out.Index(i), indexPath(path, i), lineOf(item))
	}
	v.Set(out)
}

// generic decodes node into plain Go values (map[string]any, []any, string,
// int64, float64, bool, nil) for fields of type any.
func (d *decoder) generic(node ast.Node, path string, line int) any {
	if d.spend() {
		return nil
	}
	node = d.resolve(node)
	switch n := node.(type) {
	case *ast.MappingNode:
		out := map[string]any{}
		for _, e := range d.entries(n, path) {
			out[e.key] = d.generic(e.value, joinPath(path, e.key), e.line)
		}
		return out
	case *ast.SequenceNode:
		out := make([]any, len(n.Values))
		for i, item := range n.Values {
			out[i] = d.generic(item, indexPath(path, i), lineOf(item))
		}
		return out
	case *ast.StringNode, *ast.LiteralNode:
		if s, ok := d.scalarText(n, path, line); ok {
			return s.text
		}
		return nil
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.(ast.ScalarNode).GetValue()
	}
	return nil
}

// entry is one key of a mapping, after merge keys (<<) are expanded.
type entry struct {
	key   string
	value ast.Node
	line  int
}

// entries lists a mapping's keys. Keys merged in with "<<: *anchor" come
// after the mapping's own keys, which override them.
func (d *decoder) entries(m *ast.MappingNode, path string) []entry {
	var own, merged []entry
	for _, mv := range m.Values {
		if _, isMerge := mv.Key.(*ast.MergeKeyNode); isMerge {
			merged = append(merged, d.mergedEntries(mv.Value, path, lineOf(mv))...)
			continue
		}
		key, ok := keyText(d.resolve(mv.Key))
		if !ok {
			d.errorf(lineOf(mv), path, "has a key that is %s; keys must be plain text", nodeKind(d.resolve(mv.Key)))
			continue
		}
		own = append(own, entry{key: key, value: mv.Value, line: lineOf(mv)})
	}
	if len(merged) == 0 {
		return own
	}
	seen := map[string]bool{}
	for _, e := range own {
		seen[e.key] = true
	}
	for _, e := range merged {
		if !seen[e.key] {
			seen[e.key] = true
			own = append(own, e)
		}
	}
	return own
}

func (d *decoder) mergedEntries(value ast.Node, path string, line int) []entry {
	if d.spend() {
		return nil
	}
	switch n := d.resolve(value).(type) {
	case *ast.MappingNode:
		return d.entries(n, path)
	case *ast.SequenceNode:
		var out []entry
		for _, item := range n.Values {
			out = append(out, d.mergedEntries(item, path, line)...)
		}
		return out
	}
	d.errorf(line, path, `has a merge key "<<" whose value is not a mapping; write "<<: *name" where the anchor &name marks a mapping`)
	return nil
}
